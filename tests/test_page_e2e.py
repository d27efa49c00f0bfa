"""Rendered factory pages through the real page pipeline: rasterise -> clean -> Tesseract -> layout."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import pytest
from PIL import Image
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from factory.build import make_sample, truth_path
from models.settings import load_settings
from models.truth import Truth
from tasks.clean import clean_page
from tasks.evaluate import normalise_text, values_equal
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.preflight import inspect_pdf
from tasks.rasterise import rasterise_page

pytestmark = pytest.mark.e2e


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalise_text(text))


def _pages(pdf: Path, tmp_path: Path, only: int | None = None) -> list:
    settings = load_settings()
    engine = TesseractEngine(settings.ocr)
    numbers = [only] if only else range(1, len(inspect_pdf(pdf, 300, 150).pages) + 1)
    return [process_page(pdf, pdf.name, n, settings, tmp_path / "work", engine) for n in numbers]


def test_table_page_gives_a_merged_header_grid_and_cell_text(tmp_path: Path) -> None:
    pdf = make_sample(tmp_path, "obec_followup_report", 7, "office")
    want = Truth.model_validate_json(truth_path(pdf).read_text(encoding="utf-8")).tables[0]
    (page,) = _pages(pdf, tmp_path, only=want.page)
    table = page.layout.tables[0]
    assert (table.header_rows, table.n_cols) == (len(want.header), len(want.header[0]))
    got = table.grid(range(table.n_rows))
    cells = [(g, w) for grow, wrow in zip(got, want.header + want.rows, strict=True)
             for g, w in zip(grow, wrow, strict=True)]  # fmt: skip
    right = sum(values_equal(g, w) for g, w in cells)
    assert right / len(cells) >= 0.85, [(g, w) for g, w in cells if not values_equal(g, w)]
    assert page.cleaned.rulings and not any("|" in line.text for line in page.layout.lines)


def test_a_wrapped_word_tesseract_merged_into_the_next_line_is_read_again(tmp_path: Path) -> None:
    # seed 1204 wraps the note of entry 3 after "...ดำเนินการจัด": Tesseract's page segmentation takes the
    # short "อบรม" and the next line for one 1.6x-tall line and prints only the longer
    pdf = make_sample(tmp_path, "bma_project_form", 1204, "office")
    (page,) = _pages(pdf, tmp_path, only=2)
    texts = [_compact(line.text) for line in page.ocr.lines]
    at = next(k for k, t in enumerate(texts) if "31/01/2567" in t)
    assert texts[at].endswith("ดำเนินการจัด") and "อบรม" in texts[at + 1]


def test_a_word_tesseract_cut_into_two_lines_side_by_side_is_read_again_as_one(tmp_path: Path) -> None:
    # held-out 6901: page 2 prints "จัดทำคำสั่งผู้เข้าอบรม" in four notes; Tesseract cut each after จัดท
    pdf = make_sample(tmp_path, "bma_project_form", 6903, "office")
    (page,) = _pages(pdf, tmp_path, only=2)
    texts = [_compact(line.text) for line in page.ocr.lines]
    assert sum(t == "จัดทำคำสั่งผู้เข้าอบรม" for t in texts) == 4, [t for t in texts if "สั" in t]


def test_bma_form_progress_rows_printed_without_lines_come_out_as_one_row_each(tmp_path: Path) -> None:
    pdf = make_sample(tmp_path, "bma_project_form", 1, "office")
    truth = Truth.model_validate_json(truth_path(pdf).read_text(encoding="utf-8"))
    want = next(t for t in truth.tables if not t.ruled and len(t.rows) >= 3)
    (page,) = _pages(pdf, tmp_path, only=want.page)
    (table,) = [t for t in page.layout.tables if not t.ruled]
    assert (table.n_rows, table.n_cols) == (len(want.rows), 4)
    got = table.grid(range(table.n_rows))
    number = [re.sub(r"\D", "", r[0]) for r in got]  # รายงานครั้งที่N (its marks may be misread)
    assert number == [re.sub(r"\D", "", r[0]) for r in want.rows]
    assert all(r[0].startswith("รายงาน") for r in got)
    pairs = list(zip(got, want.rows, strict=True))
    verdicts = [(g, w) for grow, wrow in pairs for g, w in zip(grow[2:], wrow[2:], strict=True)]
    same = [_compact(g).strip(":") == _compact(w).strip(":") for g, w in verdicts]  # OCR adds and drops ":"
    assert sum(same) >= 0.9 * len(verdicts), verdicts
    for grow, wrow in pairs:  # both printed lines of the report in one cell
        assert fuzz.ratio(_compact(grow[1]), _compact(wrow[1])) >= 90, (grow[1], wrow[1])
    assert all(line.role == "body" for line in page.layout.lines)  # its lines stay in the text as printed


def test_document_text_loses_its_running_header_and_page_numbers(tmp_path: Path) -> None:
    pdf = make_sample(tmp_path, "bma_project_page", 7, "office")
    truth = Truth.model_validate_json(truth_path(pdf).read_text(encoding="utf-8"))
    pages = _pages(pdf, tmp_path)
    layout = document_layout(pages, load_settings().layout)
    header = truth.repeated_strings[0]
    lines = [ln for text in layout.page_texts for ln in text.splitlines()]
    assert not any(fuzz.ratio(normalise_text(ln), header) >= 85 for ln in lines)
    assert all(n is not None for n in layout.page_numbers) and all(layout.removed)
    got, want = _compact("\f".join(layout.page_texts)), _compact(truth.body_text())
    assert Levenshtein.distance(got, want) / len(want) < 0.08
    assert all(w.min_confidence is not None for p in pages for ln in p.ocr.lines for w in ln.words)


def test_upside_down_and_sideways_pages_are_turned_upright(tmp_path: Path) -> None:
    pdf = make_sample(tmp_path, "bma_project_form", 7, "clean")
    grey = cv2.imread(str(rasterise_page(pdf, pdf.name, 1, 300, tmp_path).path), cv2.IMREAD_GRAYSCALE)
    settings = load_settings().clean
    assert clean_page(cv2.rotate(grey, cv2.ROTATE_180), settings, 300).rotation == 180
    assert clean_page(cv2.rotate(grey, cv2.ROTATE_90_CLOCKWISE), settings, 300).rotation == 270


def test_a_coarse_scan_is_rendered_at_full_resolution_and_flagged(tmp_path: Path) -> None:
    pdf = tmp_path / "fax150.pdf"
    Image.new("L", (1240, 1754), 255).save(pdf, "PDF", resolution=150)  # A4 scanned at 150 dpi
    page = rasterise_page(pdf, pdf.name, 1, 300, tmp_path)
    assert (page.width, page.height) == (2480, 3508)
    assert page.source_ppi == 150 and page.upsampled


def test_a_page_with_rotate_90_is_rendered_turned(tmp_path: Path) -> None:
    pdf = tmp_path / "turned.pdf"
    Image.new("L", (600, 300), 255).save(pdf, "PDF", resolution=100)
    # Pillow cannot set /Rotate; add it to the page dictionary (poppler rebuilds the shifted xref).
    pdf.write_bytes(pdf.read_bytes().replace(b"/Type /Page\n", b"/Type /Page\n/Rotate 90\n", 1))
    page = rasterise_page(pdf, pdf.name, 1, 100, tmp_path)
    assert (page.width, page.height) == (300, 600)
