"""Debug drawings: boxes at the view's scale, in the right colours; only pages with a view are drawn."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from models.layout import PageLayout, Table, TableCell
from models.pipeline import CleanedPage, DocumentResult, OcrLine, OcrPage, OcrWord, PageImage, PageResult
from models.records import DocumentRecord
from tasks.debug import CELL_COLOUR, LEGEND_HEIGHT, LINE_COLOUR, LINE_PAD, RED, draw_page, write_debug_images
from tasks.store import load_result, save_result, view_path

W, H = 400, 200  # the page OCR read
VW, VH = 200, 100  # its view: half the size
SHA = "ab" * 32
LOW = (20, 20, 100, 60)  # -> view (10, 10, 50, 30)
HIGH = (120, 20, 200, 60)  # -> view (60, 10, 100, 30)
DOUBT = (220, 20, 300, 60)  # good on average, one bad character -> view (110, 10, 150, 30)
CELL = (40, 100, 240, 180)  # -> view (20, 50, 120, 90)


def make_page(number: int = 1) -> PageResult:
    words = [
        OcrWord(text="ผิด", bbox=LOW, confidence=40.0, min_confidence=20.0),
        OcrWord(text="ถูก", bbox=HIGH, confidence=95.0, min_confidence=92.0, space_before=True),
        OcrWord(text="2567", bbox=DOUBT, confidence=90.0, min_confidence=30.0, space_before=True),
    ]
    line = OcrLine(text="ผิด ถูก 2567", bbox=(20, 20, 300, 60), confidence=75.0, words=words)
    table = Table(
        box=CELL, n_rows=1, n_cols=1, header_rows=0, cells=[TableCell(row=0, col=0, box=CELL, text="x")]
    )
    return PageResult(
        image=PageImage(source="a.pdf", page=number, path=Path("a.png"), width=W, height=H, dpi=300),
        cleaned=CleanedPage(path=Path("a-clean.png"), width=W, height=H),
        ocr=OcrPage(source="a.pdf", page=number, width=W, height=H, engine="test", seconds=0.0, lines=[line]),
        layout=PageLayout(width=W, height=H, tables=[table]),
    )


def white_view() -> np.ndarray:
    return np.full((VH, VW), 255, np.uint8)


def region(img: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """Mean BGR of a view-space rectangle of a drawing (below its legend)."""
    return img[LEGEND_HEIGHT + y0 : LEGEND_HEIGHT + y1, x0:x1].reshape(-1, 3).mean(axis=0)


def is_reddish(bgr: np.ndarray) -> bool:
    b, g, r = bgr
    return r > g + 50 and r > b + 50


def is_greenish(bgr: np.ndarray) -> bool:
    b, g, r = bgr
    return g > r + 40 and g > b + 40


def pixel(img: np.ndarray, x: int, y: int) -> tuple[int, ...]:
    return tuple(int(v) for v in img[LEGEND_HEIGHT + y, x])


def test_size_is_view_plus_legend():
    out = draw_page(white_view(), make_page())
    assert out.shape == (VH + LEGEND_HEIGHT, VW, 3)
    assert out.dtype == np.uint8


def test_words_coloured_by_confidence_at_scaled_boxes():
    out = draw_page(white_view(), make_page())
    assert is_reddish(region(out, 12, 12, 48, 28))  # low-confidence word, inside its scaled box
    assert is_greenish(region(out, 62, 12, 98, 28))  # high-confidence word
    assert is_greenish(region(out, 112, 12, 148, 28))  # good on average ...
    assert pixel(out, 130, 10) == RED  # ... but its weakest character gives it a red edge
    assert pixel(out, 52, 20) == (255, 255, 255)  # between the words, inside the line: untouched
    assert pixel(out, 60, 40) == (255, 255, 255)  # where the low word would be unscaled: untouched


def test_line_outline_sits_just_outside_its_scaled_box():
    out = draw_page(white_view(), make_page())
    assert pixel(out, 30, 10 - LINE_PAD) == LINE_COLOUR  # top edge
    assert pixel(out, 10 - LINE_PAD, 20) == LINE_COLOUR  # left edge


def test_table_cell_outline_at_scaled_position():
    out = draw_page(white_view(), make_page())
    assert pixel(out, 70, 50) == CELL_COLOUR  # top edge
    assert pixel(out, 70, 89) == CELL_COLOUR  # bottom edge (box end is exclusive)
    assert pixel(out, 20, 70) == CELL_COLOUR  # left edge
    assert pixel(out, 119, 70) == CELL_COLOUR  # right edge
    assert pixel(out, 70, 51) == (255, 255, 255)  # thin: the inside stays clear
    assert pixel(out, 70, 70) == (255, 255, 255)


def test_colour_view_gives_the_same_drawing_and_is_not_changed():
    grey = white_view()
    bgr = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    out = draw_page(bgr, make_page())
    assert np.array_equal(out, draw_page(grey, make_page()))
    assert (bgr == 255).all()


def test_page_without_ocr_is_just_the_view_under_a_legend():
    page = make_page()
    page = page.model_copy(
        update={"ocr": page.ocr.model_copy(update={"lines": []}), "layout": PageLayout(width=W, height=H)}
    )
    out = draw_page(white_view(), page)
    assert (out[LEGEND_HEIGHT:] == 255).all()
    assert (out[: LEGEND_HEIGHT - 1] != 255).any()  # the legend has something in it


def test_write_debug_images_draws_stored_pages_with_a_view(tmp_path: Path):
    output = tmp_path / "out"
    result = DocumentResult(
        document=DocumentRecord(source="a.pdf", sha256=SHA, pages=2, status="ok"),
        pages=[make_page(1), make_page(2)],
    )
    save_result(output, result)
    view = view_path(output, SHA, 1)
    view.parent.mkdir(parents=True)
    assert cv2.imwrite(str(view), white_view(), [cv2.IMWRITE_JPEG_QUALITY, 80])  # page 2 has no view

    stored = load_result(output, "moved/a.pdf", SHA)
    assert stored is not None
    dest = tmp_path / "debug"
    written = write_debug_images(output, stored, dest)

    assert written == [dest / "p00001.png"]
    assert sorted(p.name for p in dest.iterdir()) == ["p00001.png"]  # no p00002, no leftover temp file
    out = cv2.imread(str(written[0]), cv2.IMREAD_COLOR)
    assert out.shape == (VH + LEGEND_HEIGHT, VW, 3)
    assert is_reddish(region(out, 12, 12, 48, 28))
    assert is_greenish(region(out, 62, 12, 98, 28))


def test_write_debug_images_without_any_view_writes_nothing(tmp_path: Path):
    result = DocumentResult(
        document=DocumentRecord(source="a.pdf", sha256=SHA, pages=1, status="ok"), pages=[make_page(1)]
    )
    assert write_debug_images(tmp_path, result, tmp_path / "debug") == []
    assert not (tmp_path / "debug").exists()
