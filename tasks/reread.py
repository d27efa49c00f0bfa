"""Second reading: a text field its calibrated score alone sends to review is read again from its own line.

The page's OCR read the cleaned binary page in one pass; the second reading takes the grey page (rendered
again, turned and straightened as the cleaner did) and reads only the field's line, so segmentation and
binarisation differ; a Latin acronym amid Thai words is read again by the Latin model, as the page's was
(tasks.ocr.reread_latin). When the value is found in that reading, the field follows its group's `reread`
calibration curve (config/confidence.yaml), fitted on fields that were read alike twice; when it is not,
its `not found again` curve (the fields left once the ones found again are taken out are wrong more often
than their group's curve says), and it stays in review. No value is changed. Only the `reread.groups` of
config/settings.yaml are read again. An amount is found again as a clean number of its line; its Thai-digit
numbers are read glyph by glyph (tasks/digits.py: the `tha` model lacks ๔ ๖ ๗ ๘ ๙), and a table cell, where
Tesseract reads nothing but the rulings, is read glyph by glyph whole. An amount in Arabic digits is also
read by the Latin model (`ocr.latin_lang`), whose errors are not the `tha` model's: the amount as one whole
number of that reading is found again too.

A number in Arabic digits that holds a digit the `tha` model often reads for another (6 for 4, 1 for 7:
`reread.latin_slips`) is read by the Latin model even when its score leaves it unflagged
(`reread.latin_fields`): when that reading gives the same number with such slips only, the field goes to
review with the other reading in its reasons.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models.extract import ExtractionResult
from models.pipeline import OcrLine, PageResult
from models.records import FieldValue
from models.settings import DigitSettings, RereadSettings, Settings
from tasks.clean import binarise, flatten_background, rotate, turn
from tasks.digits import prototypes, read_number, reread_lines
from tasks.ocr import OcrEngine, reread_latin
from tasks.rasterise import rasterise_page
from tasks.thai_text import clean, normalize
from tasks.validate import (
    CONFIRMED_REREAD_REASON,
    CORRECTIONS_REASON,
    LATIN_DIGITS_REASON,
    LISTED_REREAD,
    REREAD_MISSED_REASON,
    REREAD_REASON,
    calibrate,
    field_group,
    follow_sources,
    forced_review,
    load_calibration,
)
from tasks.values import fold_digits, parse_money


def page_grey(pdf: Path, page: PageResult, work_dir: Path) -> np.ndarray:
    """The page rendered again, grey, upright and deskewed like the page the first reading's boxes are on."""
    image = rasterise_page(pdf, page.image.source, page.image.page, page.image.dpi, work_dir)
    grey = cv2.imread(str(image.path), cv2.IMREAD_GRAYSCALE)
    image.path.unlink(missing_ok=True)
    if grey is None:
        raise RuntimeError(f"page {page.image.page}: the rendered image could not be read")
    grey = turn(grey, page.cleaned.rotation)
    return rotate(grey, page.cleaned.skew) if page.cleaned.skew else grey


def line_crop(grey: np.ndarray, bbox: list[float], pad: int) -> np.ndarray | None:
    """The field's box (fractions of the page) with `pad` pixels around it; None when it is empty."""
    h, w = grey.shape
    x0, y0 = max(0, int(bbox[0] * w) - pad), max(0, int(bbox[1] * h) - pad)
    x1, y1 = min(w, int(bbox[2] * w) + pad), min(h, int(bbox[3] * h) + pad)
    return np.ascontiguousarray(grey[y0:y1, x0:x1]) if x1 > x0 and y1 > y0 else None


_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
# a character no name, office or person holds: OCR noise, which both readings may share
_NOISE = re.compile(r"[^\u0e01-\u0e4e\u0e50-\u0e590-9A-Za-z\s.()/\-]")
MIN_LETTERS = 4  # a value shorter than this is found in almost any line


def _letters(text: str) -> tuple[str, list[bool]]:
    """The text without spaces, and for each of its characters whether a space followed it. A line break
    is no space: a Thai value wrapped onto the next line is one run of letters (tasks.extract joins it so)."""
    chars: list[str] = []
    spaced: list[bool] = []
    for ch in unicodedata.normalize("NFC", "".join(line.strip() for line in text.splitlines())):
        if ch.isspace():
            if spaced:
                spaced[-1] = True
        else:
            chars.append(ch)
            spaced.append(False)
    return "".join(chars), spaced


def _thai_pair(text: str, i: int) -> bool:
    return bool(_THAI_LETTER.match(text[i]) and _THAI_LETTER.match(text[i + 1]))


def found_in(value: Any, text: str) -> bool:
    """Whether a text value stands as it is in another reading of its line: the same letters in order,
    a space between two Thai letters where the value has one and nowhere else (a space lost or added
    inside a name is its commonest misreading), not cut short (the other reading does not go on with a
    Thai letter glued to its last one, nor close a bracket the value leaves open), and neither too short
    to tell nor holding characters only noise makes."""
    if not isinstance(value, str) or _NOISE.search(value):
        return False
    want, want_spaced = _letters(value)
    seen, seen_spaced = _letters(text)
    at = seen.find(want)
    if len(want) < MIN_LETTERS or at < 0:
        return False
    end = at + len(want)
    if any(want_spaced[i] != seen_spaced[at + i] for i in range(len(want) - 1) if _thai_pair(want, i)):
        return False
    if end < len(seen) and not seen_spaced[end - 1] and _thai_pair(seen, end - 1):
        return False
    return not (want.count("(") > want.count(")") and ")" in seen[end:])


_AMOUNT_TOKEN = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?")
MIN_AMOUNT_AMONG = 1000  # a smaller amount among other numbers (a row's number, a count) is no evidence


def amount_found_in(value: Any, text: str) -> bool:
    """Whether an amount is a number of another reading of its line, read there with no repair: its one
    number, or, from 1,000 up, one of its numbers (a table row's crop holds the row's other cells)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    tokens = _AMOUNT_TOKEN.findall(fold_digits(text))
    if len(tokens) > 1 and value >= MIN_AMOUNT_AMONG:
        return any(amount_found_in(value, token) for token in tokens)
    if len(tokens) != 1:
        return False
    again = parse_money(text, "table")
    return again.value is not None and again.confidence >= 1.0 and abs(again.value - float(value)) < 0.005


def without_rulings(binary: np.ndarray) -> np.ndarray:
    """A crop without the table rulings it took in: ink running across most of its width or down most of
    its height (the crop pads a line of text, so no glyph of it is that long). Not tasks.clean.find_rulings:
    that keeps only grids of rulings longer than a cell's crop is tall."""
    ink = 255 - binary
    h, w = binary.shape
    rulings = np.zeros_like(ink)
    for kernel in ((max(3, int(0.6 * w)), 1), (1, max(3, int(0.7 * h)))):
        rulings |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    out = binary.copy()
    out[cv2.dilate(rulings, np.ones((5, 5), np.uint8)) > 0] = 255  # and the blurred edge beside them
    return out


def amount_read_again(
    value: Any, crop: np.ndarray, lines: list[OcrLine], digits: DigitSettings, kernel: int, least: float
) -> bool:
    """Whether an amount is found in Tesseract's reading of its crop (`lines`) with the Thai-digit numbers
    read glyph by glyph, or else in a glyph reading of the whole crop (a table cell: Tesseract cannot read
    ๘๘๐,๗๐๐ and gives nothing). The crop is binarised as the cleaner binarises a page (`kernel`). A glyph
    reading counts only with every digit at least `least` sure (0-100): the page's own reading used the
    same reader, so a digit it was unsure of is often misread alike twice."""
    binary = binarise(flatten_background(crop, kernel))
    if amount_found_in(
        value, clean("\n".join(line.text for line in reread_lines(binary, lines, digits, least))).text
    ):
        return True
    protos = prototypes(tuple(digits.fonts), tuple(digits.sizes), digits.strokes)
    read = read_number(without_rulings(binary), protos, digits, printed="")  # no loose reading: no guess
    return read is not None and read[2] >= least and amount_found_in(value, read[0])


def candidates(
    result: ExtractionResult, settings: RereadSettings, calibration: dict[str, Any]
) -> list[tuple[str, FieldValue]]:
    """(name, field) of the fields in the groups read again that their calibrated score alone sends to
    review."""
    return [
        (name, fv)
        for p in result.projects
        for name, fv in p.fields.items()
        if fv.needs_review
        and fv.page is not None
        and fv.bbox
        and not forced_review(fv)
        and field_group(name, calibration) in settings.groups
    ]


# a number as the Latin model reads it in a field's box: digits with separators, a space or "-" inside
_LATIN_NUMBER = re.compile(r"\d(?:[\d,]|[.\- ](?=\d))*")
_THAI_DIGIT = re.compile("[๐-๙]")


def _digits_of(value: Any) -> str | None:
    """The digits a whole amount or a code is printed with ("50333900-3769": 503339003769)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value:
        return re.sub(r"\D", "", value) or None
    return None


def latin_contradiction(value: Any, slips: dict[str, str], text: str) -> str | None:
    """The digits another model's reading `text` of a field's box gives for a number whose digits differ
    from the value's only by `slips` (a digit of the value and the printed digits the page's reading takes
    it for: 455100 for 655100, 287700 for 287100), or None when it holds the value's own digits or nothing
    comparable. Junk before the number (Thai letters read as digits, "จำนวน" as "131") is passed over: the
    number is the end of a run. A value whose first digit is a slip's and which the other reading gives
    without it, after a label's colon or a space, began with a speck read as that digit (640,200 for a
    printed 40,200); glued to a letter or sign the other reading misread the digit ("t60,400" for 160,400)."""
    digits = _digits_of(value)
    if digits is None or not any(d in slips for d in digits):
        return None
    runs = [re.sub(r"\D", "", run) for run in _LATIN_NUMBER.findall(text)]
    if any(digits in run for run in runs):
        return None
    for run in (run for run in runs if len(run) >= len(digits)):
        tail = run[-len(digits) :]
        differ = [k for k, (a, b) in enumerate(zip(tail, digits, strict=True)) if a != b]
        if all(tail[k] in slips.get(digits[k], "") for k in differ):  # not empty: no run holds the value
            return tail
    if digits[0] in slips and len(digits) > 2:
        for m in _LATIN_NUMBER.finditer(text):
            if re.sub(r"\D", "", m.group()) == digits[1:] and (m.start() == 0 or text[m.start() - 1] in " :"):
                return digits[1:]
    return None


def latin_reads(value: Any, text: str) -> bool:
    """Whether another model's reading `text` of a field's box holds the value's digits as one whole number:
    not the tail of a longer one ("96.400" holds 6,400's digits, and 96,400 was printed)."""
    digits = _digits_of(value)
    return digits is not None and digits in (re.sub(r"\D", "", run) for run in _LATIN_NUMBER.findall(text))


def _arabic(fv: FieldValue) -> bool:
    return not _THAI_DIGIT.search(fv.text or "")


def latin_candidates(result: ExtractionResult, settings: RereadSettings) -> list[tuple[str, FieldValue]]:
    """(name, field) of the unflagged `latin_fields` printed in Arabic digits that hold a digit of
    `latin_slips`."""
    return [
        (name, fv)
        for p in result.projects
        for name, fv in p.fields.items()
        if name in settings.latin_fields
        and not fv.needs_review
        and fv.page is not None
        and fv.bbox
        and _arabic(fv)
        and any(d in settings.latin_slips for d in _digits_of(fv.value) or "")
    ]


def _read_text(engine: OcrEngine, crop: np.ndarray, dpi: int, one_line: bool, lang: str) -> str:
    return " ".join(line.text for line in engine.read_block(crop, dpi, single_line=one_line, lang=lang))


def read_again(
    result: ExtractionResult,
    pdf: Path,
    pages: list[PageResult],
    engine: OcrEngine,
    all_settings: Settings,
) -> ExtractionResult:
    """Read each candidate's line again and rescore the fields found in it (changed in place, returned)."""
    settings = all_settings.reread
    if not settings.enabled:
        return result
    calibration = load_calibration()
    threshold = calibration.get("review_threshold", 1.0)
    by_page: dict[int, list[tuple[str, FieldValue, bool]]] = {}  # (name, field, read by the Latin model)
    for name, fv in candidates(result, settings, calibration):
        by_page.setdefault(fv.page, []).append((name, fv, False))  # type: ignore[arg-type]  # have a page
    for name, fv in latin_candidates(result, settings):
        by_page.setdefault(fv.page, []).append((name, fv, True))  # type: ignore[arg-type]  # have a page
    latin_lang = all_settings.ocr.latin_lang
    with tempfile.TemporaryDirectory(prefix="reportocr-reread-") as work:
        for number, fields in sorted(by_page.items()):
            page = pages[number - 1]
            grey = page_grey(pdf, page, Path(work))
            dpi = page.image.dpi
            kernel = round(all_settings.clean.background_kernel * dpi / 300) | 1
            for name, fv, latin in fields:
                box: list[float] = fv.bbox  # type: ignore[assignment]  # candidates have a box
                crop = line_crop(grey, box, round(settings.pad * dpi / 300))
                if crop is None:
                    continue
                one_line = (box[3] - box[1]) * grey.shape[0] < settings.max_line_height * dpi / 300
                if latin:
                    other = latin_contradiction(
                        fv.value, settings.latin_slips, _read_text(engine, crop, dpi, one_line, latin_lang)
                    )
                    if other is not None:
                        fv.reasons.append(f"{LATIN_DIGITS_REASON} {other}")
                        fv.needs_review = True
                    continue
                lines = engine.read_block(crop, dpi, single_line=one_line)
                if field_group(name, calibration) == "amount":
                    found = amount_read_again(
                        fv.value, crop, lines, all_settings.digits, kernel, settings.min_digit_confidence
                    )
                    if _arabic(fv):
                        # the Latin model's errors are not the `tha` model's: its reading finds the amount
                        # again, or contradicts a slip the page's reading and this one share
                        latin = _read_text(engine, crop, dpi, one_line, latin_lang)
                        other = latin_contradiction(fv.value, settings.latin_slips, latin)
                        if other is not None:
                            fv.reasons.append(f"{LATIN_DIGITS_REASON} {other}")
                        found = other is None and (found or latin_reads(fv.value, latin))
                else:
                    # read as the page was: a Latin acronym amid Thai again by the Latin model ("กระบวนการ
                    # 060" is PLC), on the crop binarised as the cleaner binarises a page
                    binary = binarise(flatten_background(crop, kernel))
                    lines = reread_latin(lines, binary, dpi, engine, all_settings.ocr)
                    text = "\n".join(line.text for line in lines)
                    found = found_in(fv.value, clean(text).text)
                    # letters the dictionary chose for a misreading, read so unaided: the two readings
                    # agree where the first one alone was a guess
                    confirmed = (
                        found
                        and any(r.endswith(CORRECTIONS_REASON) for r in fv.reasons)
                        and found_in(fv.value, normalize(text))
                    )
                    if confirmed:
                        fv.reasons.append(CONFIRMED_REREAD_REASON)
                fv.reasons.append(REREAD_REASON if found else REREAD_MISSED_REASON)
                group = field_group(name, calibration, fv)
                mapping = calibration.get("fields", {}).get(group)
                if mapping is None:  # not fitted yet: the reason is kept for the fit, the score stays
                    continue
                raw = (fv.model_extra or {}).get("raw_confidence", fv.confidence)
                fv.confidence = round(calibrate(raw, mapping), 4)
                # not found again: review, whatever the curve, unless the value's list vouches for it
                fv.needs_review = fv.confidence < threshold or not (found or group.endswith(LISTED_REREAD))
    return follow_sources(result)  # a derived value follows the flags this reading changed
