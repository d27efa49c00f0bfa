"""Debug drawings: each page's stored view with what OCR saw drawn on it (table cells, lines, words by
confidence), so a person can see why a value came out wrong without re-running anything.

Drawn after the fact from what a run keeps: the page's view (`store.view_path`, the upright deskewed grey
page at a lower resolution) and the stored `DocumentResult`. Boxes are in the pixels of the page OCR
read (`PageResult.cleaned`); the view has the same geometry, only smaller, so each axis is scaled.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from models.layout import Box
from models.pipeline import DocumentResult, PageResult
from tasks.emit import write_atomic
from tasks.store import view_path

log = logging.getLogger(__name__)

# Word confidence bands (Tesseract's 0-100 character confidence). Below ~60 a word is more often misread
# than not; 60-85 is usually right but worth a glance (Thai tone marks and look-alike digits land here);
# from 85 up the reading is reliably right. Colours are BGR.
LOW_CONFIDENCE = 60.0
FAIR_CONFIDENCE = 85.0
RED = (0, 0, 255)
ORANGE = (0, 165, 255)
GREEN = (0, 170, 0)
LINE_COLOUR = (255, 128, 0)  # blue: OCR text lines, outlined just outside their words
CELL_COLOUR = (255, 0, 255)  # magenta: table cells
WORD_ALPHA = 0.4  # word fill opacity: the ink under it stays readable
LINE_PAD = 2  # view px a line's outline sits outside its box, so word edges do not hide it
LEGEND_HEIGHT = 24  # px strip added above the page


def confidence_colour(confidence: float) -> tuple[int, int, int]:
    if confidence < LOW_CONFIDENCE:
        return RED
    if confidence < FAIR_CONFIDENCE:
        return ORANGE
    return GREEN


def _scaled(
    box: Box, sx: float, sy: float, size: tuple[int, int], pad: int = 0
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Corners (inclusive, as cv2 draws them) of `box` (x1, y1 exclusive) in the view, kept on it."""
    w, h = size
    x0 = round(box[0] * sx) - pad
    y0 = round(box[1] * sy) - pad
    x1 = max(x0, round(box[2] * sx) - 1 + pad)
    y1 = max(y0, round(box[3] * sy) - 1 + pad)
    return (min(max(x0, 0), w - 1), min(max(y0, 0), h - 1)), (min(max(x1, 0), w - 1), min(max(y1, 0), h - 1))


def _legend(width: int) -> np.ndarray:
    strip = np.full((LEGEND_HEIGHT, width, 3), 255, np.uint8)
    lo, fair = f"{LOW_CONFIDENCE:g}", f"{FAIR_CONFIDENCE:g}"
    items = [
        (RED, True, f"word < {lo}"),
        (ORANGE, True, f"{lo}-{fair}"),
        (GREEN, True, f">= {fair}"),
        (LINE_COLOUR, False, "line"),
        (CELL_COLOUR, False, "table cell"),
    ]
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, 0.4
    x, top, bottom = 4, 6, LEGEND_HEIGHT - 7
    for colour, filled, label in items:
        cv2.rectangle(strip, (x, top), (x + 14, bottom), colour, cv2.FILLED if filled else 1)
        x += 18
        cv2.putText(strip, label, (x, bottom), font, scale, (0, 0, 0), 1, cv2.LINE_AA)
        x += cv2.getTextSize(label, font, scale, 1)[0][0] + 12
    cv2.putText(strip, "(fill: word mean, edge: weakest char)", (x, bottom), font, scale, (90, 90, 90), 1,
                cv2.LINE_AA)  # fmt: skip
    cv2.line(strip, (0, LEGEND_HEIGHT - 1), (width - 1, LEGEND_HEIGHT - 1), (0, 0, 0), 1)
    return strip


def draw_page(view: np.ndarray, page: PageResult) -> np.ndarray:
    """`view` (grey or BGR) with `page`'s table cells, OCR lines and words drawn on it, and a legend
    strip of LEGEND_HEIGHT px above it. A word is filled by its mean confidence band and outlined by its
    least confident character's, so one doubtful character in a good word shows as a red or orange edge.
    """
    img = cv2.cvtColor(view, cv2.COLOR_GRAY2BGR) if view.ndim == 2 else view[:, :, :3].copy()
    h, w = img.shape[:2]
    sx = w / page.cleaned.width if page.cleaned.width > 0 else 1.0
    sy = h / page.cleaned.height if page.cleaned.height > 0 else 1.0
    words = [word for line in page.ocr.lines for word in line.words]

    overlay = img.copy()
    for word in words:
        p0, p1 = _scaled(word.bbox, sx, sy, (w, h))
        cv2.rectangle(overlay, p0, p1, confidence_colour(word.confidence), cv2.FILLED)
    img = cv2.addWeighted(overlay, WORD_ALPHA, img, 1 - WORD_ALPHA, 0)

    for table in page.layout.tables:
        for cell in table.cells:
            cv2.rectangle(img, *_scaled(cell.box, sx, sy, (w, h)), CELL_COLOUR, 1)
    for line in page.ocr.lines:
        cv2.rectangle(img, *_scaled(line.bbox, sx, sy, (w, h), LINE_PAD), LINE_COLOUR, 1)
    for word in words:
        weakest = word.confidence if word.min_confidence is None else word.min_confidence
        cv2.rectangle(img, *_scaled(word.bbox, sx, sy, (w, h)), confidence_colour(weakest), 1)

    return np.vstack([_legend(w), img])


def debug_image_path(dest: Path, page: int) -> Path:
    return dest / f"p{page:05d}.png"


def write_debug_images(output_dir: Path, result: DocumentResult, dest: Path) -> list[Path]:
    """One drawing per page of `result` whose view is stored under `output_dir`, written to
    `dest/p00001.png` ...; pages without a (readable) view are skipped. Returns the files written."""
    written = []
    for page in result.pages:
        number = page.image.page
        vp = view_path(output_dir, result.document.sha256, number)
        view = cv2.imread(str(vp), cv2.IMREAD_GRAYSCALE) if vp.is_file() else None
        if view is None:
            log.warning(
                "%s page %d: no readable view at %s; no debug image", result.document.source, number, vp
            )
            continue
        ok, png = cv2.imencode(".png", draw_page(view, page))
        if not ok:
            raise OSError(f"could not encode the debug image of page {number}")
        path = debug_image_path(dest, number)
        write_atomic(path, png.tobytes())
        written.append(path)
    return written
