"""One page, start to finish: rasterise -> clean -> OCR -> page layout, returning a typed PageResult.

Page-synchronous like OCRmyPDF's `_pipelines/ocr.py`: only this page's images are ever in memory, so a
document's peak memory does not grow with its page count.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from models.pipeline import CleanedPage, PageImage, PageResult, SourceFile
from models.settings import ReviewSettings, Settings
from tasks.clean import clean_page
from tasks.digits import reread_lines, reread_table
from tasks.layout import page_layout, page_tables, stack_cells, unstack_words
from tasks.ocr import OcrEngine, rejoin_marks, rejoin_pieces, reread_latin, reread_tall_lines
from tasks.rasterise import rasterise_page

INSET, GAP = 12, 30  # px: cell edge left out (erased ruling's margin), white between stacked cells


def write_view(grey: np.ndarray, path: Path, dpi: int, settings: ReviewSettings) -> Path:
    """The page as a person reads it, small: crops for the reviewer and debug drawings are cut from it.
    Field boxes are fractions of the page, so its lower resolution needs no other bookkeeping."""
    scale = min(1.0, settings.view_dpi / dpi)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    if not cv2.imwrite(str(path), small, [cv2.IMWRITE_JPEG_QUALITY, settings.view_quality]):
        raise OSError(f"could not write the page view {path}")
    return path


def process_page(
    pdf: Path, source: SourceFile | str, page: int, settings: Settings, work_dir: Path, engine: OcrEngine
) -> PageResult:
    """Page `page` (1-based) of `pdf`; its images live in `work_dir` (the cleaned one stays, ~100 kB)."""
    image = rasterise_page(pdf, source, page, settings.dpi, work_dir)
    grey = cv2.imread(str(image.path), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        raise RuntimeError(f"page {page}: the rendered image {image.path} could not be read")
    started = time.perf_counter()
    cleaned = clean_page(grey, settings.clean, image.dpi)
    seconds = round(time.perf_counter() - started, 3)
    del grey
    clean_path = image.path.with_name(f"{image.path.stem}-clean.png")  # binary: PNG is small and quick
    cv2.imwrite(str(clean_path), cleaned.image)
    view_path = write_view(cleaned.view, image.path.with_name(f"{image.path.stem}-view.jpg"), image.dpi,
                           settings.review)  # fmt: skip
    image.path.unlink()  # the raw render is no longer needed; the work folder stays small
    h, w = cleaned.image.shape
    ocr_input = PageImage(source=image.source, page=page, path=clean_path, width=w, height=h, dpi=image.dpi)
    ocr = engine.recognise(ocr_input)
    lines = rejoin_marks(ocr.lines, cleaned.image, image.dpi, engine)
    lines = rejoin_pieces(lines, cleaned.image, image.dpi, engine)  # "จดท" beside "าคำสั่ง": จัดทำคำสั่ง
    lines = reread_tall_lines(lines, cleaned.image, image.dpi, engine, settings.ocr)  # "อบรม" over a line
    lines = reread_latin(lines, cleaned.image, image.dpi, engine, settings.ocr)  # "กระบวนการ 066": PLC
    ocr = ocr.model_copy(update={"lines": reread_lines(cleaned.image, lines, settings.digits)})  # ๒๕๖๖
    tables = page_tables(cleaned.rulings)
    table_words = []
    for table in tables:  # cells re-read on their own: page segmentation drops lone digits in a grid
        sheet, offsets = stack_cells(cleaned.image, table, INSET, GAP)
        lines = engine.read_block(sheet, image.dpi, settings.ocr.table_upscale) if offsets else []
        lines = rejoin_marks(lines, sheet, image.dpi, engine)
        lines = reread_latin(lines, sheet, image.dpi, engine, settings.ocr)
        words = unstack_words(lines, table, offsets, INSET, GAP)
        table_words.append(reread_table(cleaned.image, table, words, settings.digits, INSET))  # ๔ ๖ ๗ ๘ ๙
    return PageResult(
        image=image,
        cleaned=CleanedPage(
            path=clean_path,
            width=w,
            height=h,
            rotation=cleaned.rotation,
            skew=cleaned.skew,
            rulings=cleaned.rulings,
            dashes=cleaned.dashes,
            view_path=view_path,
            seconds=seconds,
        ),
        ocr=ocr,
        layout=page_layout(ocr, tables, table_words, cleaned.dashes, settings.layout, cleaned.image),
    )
