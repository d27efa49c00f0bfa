from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from factory.build import make_sample, truth_path
from factory.degrade import PRESETS
from models.records import FAMILIES, PROJECT_FIELDS
from models.settings import load_settings
from models.truth import Truth
from tasks.ocr import TesseractEngine
from tasks.preflight import inspect_pdf
from tasks.rasterise import rasterise_page

THAI_DIGIT = re.compile("[๐-๙]")


def _truth(pdf: Path) -> Truth:
    return Truth.model_validate_json(truth_path(pdf).read_text(encoding="utf-8"))


@pytest.mark.parametrize("family", FAMILIES)
def test_truth_describes_the_document(clean_samples: Path, family: str) -> None:
    pdf = next(clean_samples.glob(f"{family}_*.pdf"))
    truth = _truth(pdf)
    assert truth.family == family and truth.source == pdf.name
    assert len(truth.pages) == len(inspect_pdf(pdf, 300, 150).pages)
    assert all(page.header == truth.repeated_strings for page in truth.pages)
    assert len({page.footer[0] for page in truth.pages}) == len(truth.pages)  # page numbers differ
    assert truth.projects, "every family yields at least one project"
    for project in truth.projects:
        assert set(project.fields) <= set(PROJECT_FIELDS)
        for fv in project.fields.values():
            assert fv.confidence == 1.0 and not fv.needs_review
            assert fv.page is None or 1 <= fv.page <= len(truth.pages)
    body = truth.body_text()
    for project in truth.projects:  # every truth name is printed somewhere
        assert str(project.fields["project_name"].value) in body


def test_family_specific_layout(clean_samples: Path) -> None:
    form = _truth(next(clean_samples.glob("bma_project_form_*.pdf")))
    assert 2 <= len(form.progress) <= 12
    assert [r.seq for r in form.progress] == list(range(1, len(form.progress) + 1))
    percents = [r.progress_percent for r in form.progress]
    assert percents == sorted(percents)
    assert re.fullmatch(r"\d{8}-\d{4}", form.projects[0].fields["project_code"].value)

    summary = _truth(next(clean_samples.glob("obec_progress_summary_*.pdf")))
    assert summary.digits == "thai" and THAI_DIGIT.search(summary.body_text())
    assert summary.tables and summary.tables[-1].rows[-1][1] == "รวม"  # a total row

    followup = _truth(next(clean_samples.glob("obec_followup_report_*.pdf")))
    titles = [t.title or "" for t in followup.tables]
    assert any(t.startswith("ตารางที่ 1") for t in titles) and any(t.startswith("ตารางที่ 3") for t in titles)
    merged = followup.tables[0].header
    assert len(merged) == 2 and merged[0][4] == ""  # a merged header cell leaves its other slots empty
    assert "....." in followup.body_text() or "..." in followup.body_text()  # dotted leaders in the forms
    for project in followup.projects:
        f = project.fields
        if "budget_remaining" in f:
            assert f["budget_allocated"].value - f["budget_spent"].value == f["budget_remaining"].value


def test_same_seed_same_document_other_seed_other_values(tmp_path: Path) -> None:
    a = _truth(make_sample(tmp_path / "a", "bma_project_page", 7, "clean"))
    b = _truth(make_sample(tmp_path / "b", "bma_project_page", 7, "clean"))
    c = _truth(make_sample(tmp_path / "c", "bma_project_page", 8, "clean"))
    assert a == b
    assert a.projects[0].fields != c.projects[0].fields


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_makes_an_image_only_pdf(tmp_path: Path, preset: str) -> None:
    pdf = make_sample(tmp_path, "bma_project_form", 3, preset)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert len(inspect_pdf(pdf, 300, 150).pages) == len(_truth(pdf).pages)
    # Values do not depend on the preset, so presets are comparable document for document.
    clean = make_sample(tmp_path / "clean", "bma_project_form", 3, "clean")
    assert [p.fields for p in _truth(pdf).projects] == [p.fields for p in _truth(clean).projects]


def test_unknown_family_or_preset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown family"):
        make_sample(tmp_path, "tax_return", 1, "clean")
    with pytest.raises(ValueError, match="unknown preset"):
        make_sample(tmp_path, "bma_project_form", 1, "polaroid")


@pytest.mark.e2e
@pytest.mark.parametrize("family", FAMILIES)
def test_tesseract_reads_the_title_back(clean_samples: Path, tmp_path: Path, family: str) -> None:
    """Proves the Thai shaping is real: marks stacked wrongly would not OCR back to the same text."""
    pdf = next(clean_samples.glob(f"{family}_*.pdf"))
    truth = _truth(pdf)
    page = TesseractEngine(load_settings().ocr).recognise(rasterise_page(pdf, pdf.name, 1, 300, tmp_path))
    first_line = page.lines[0].text
    title = truth.repeated_strings[0].replace(" ", "")
    assert fuzz.ratio(first_line.replace(" ", ""), title) >= 90, first_line
