"""OCR: Tesseract on one page image, returned as typed lines and words with boxes and confidences."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from typing import Protocol

import pytesseract

from models.pipeline import OcrLine, OcrPage, OcrWord, PageImage
from models.settings import OcrSettings


class OcrEngine(Protocol):
    name: str

    def recognise(self, page: PageImage) -> OcrPage: ...


class TesseractEngine:
    """Tesseract through pytesseract (one `tesseract` process per page)."""

    def __init__(self, settings: OcrSettings):
        self.settings = settings
        self.name = f"tesseract-{pytesseract.get_tesseract_version()} -l {settings.lang} --psm {settings.psm}"

    def recognise(self, page: PageImage) -> OcrPage:
        started = time.perf_counter()
        data = pytesseract.image_to_data(
            str(page.path),
            lang=self.settings.lang,
            config=f"--psm {self.settings.psm} --oem {self.settings.oem}",
            output_type=pytesseract.Output.DICT,
            timeout=self.settings.timeout_seconds,
        )
        return OcrPage(
            source=page.source,
            page=page.page,
            width=page.width,
            height=page.height,
            engine=self.name,
            seconds=round(time.perf_counter() - started, 3),
            lines=lines_from_tsv(data),
        )


def lines_from_tsv(data: dict[str, list]) -> list[OcrLine]:
    """Group Tesseract's words into lines, in its reading order.

    For Thai, Tesseract's "words" are mostly single characters with their marks, so real spaces
    are restored from the gaps between boxes: a gap wider than 0.8 of a typical character is a space.
    """
    grouped: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        if data["level"][i] != 5 or not str(text).strip() or float(data["conf"][i]) < 0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        grouped[key].append(
            OcrWord(text=str(text), bbox=(x, y, x + w, y + h), confidence=float(data["conf"][i]))
        )
    lines = []
    for words in grouped.values():
        x0 = min(w.bbox[0] for w in words)
        y0 = min(w.bbox[1] for w in words)
        x1 = max(w.bbox[2] for w in words)
        y1 = max(w.bbox[3] for w in words)
        widths = sorted(w.bbox[2] - w.bbox[0] for w in words)
        space_gap = widths[len(widths) // 2] * 0.8
        text = words[0].text
        for prev, word in itertools.pairwise(words):
            text += (" " if word.bbox[0] - prev.bbox[2] > space_gap else "") + word.text
        confidence = sum(w.confidence for w in words) / len(words)
        lines.append(OcrLine(text=text, bbox=(x0, y0, x1, y1), confidence=round(confidence, 2), words=words))
    return lines
