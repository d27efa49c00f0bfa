"""Label Studio export: tasks that point at copied page views, with regions in percent of the image."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models.review import ReviewItem
from tasks.label_studio import export_label_studio
from tasks.store import view_path

SHA = "0123456789abcdef" + "f" * 48
WIDTH, HEIGHT = 600, 800


def _view(out: Path, sha256: str = SHA, page: int = 1) -> Path:
    """A real grey JPEG where the pipeline keeps the page's view."""
    path = view_path(out, sha256, page)
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.full((HEIGHT, WIDTH), 255, dtype=np.uint8)
    pixels[100:140, 60:300] = 0
    Image.fromarray(pixels, mode="L").save(path, format="JPEG")
    return path


def _item(field: str, value: object, confidence: float, **kw: object) -> ReviewItem:
    base = {"source": "เขต/รายงาน.pdf", "sha256": SHA, "doc_type": "bma_project_form", "project_index": 0,
            "project": "โครงการปรับปรุงถนน", "page": 1, "bbox": [0.1, 0.125, 0.5, 0.175]}  # fmt: skip
    return ReviewItem(**{**base, "field": field, "value": value, "text": str(value), "confidence": confidence,
                         "reasons": ["low OCR confidence"], **kw})  # fmt: skip


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, list[dict], ET.Element]:
    view = _view(tmp_path)
    items = [
        _item("budget_allocated", 1500000.0, 0.62),
        _item("agency", "สำนักการโยธา", 0.48, bbox=[0.2, 0.3, 0.6, 0.34]),
        _item("status", "in_progress", 0.4, bbox=None),  # no box: skipped
        _item("end_date", "2024-09-30", 0.3, sha256="9" * 64),  # its page view is missing: skipped
    ]
    path = export_label_studio(tmp_path, items)
    assert path == tmp_path / "review" / "label_studio" / "tasks.json"
    copy = tmp_path / "review" / "label_studio" / "images" / f"{SHA[:16]}-p00001.jpg"
    assert copy.read_bytes() == view.read_bytes()
    config = ET.fromstring((path.parent / "config.xml").read_text(encoding="utf-8"))
    return path, json.loads(path.read_text(encoding="utf-8")), config


def test_one_task_per_page_with_data_and_fields(exported: tuple[Path, list[dict], ET.Element]) -> None:
    path, tasks, _ = exported
    assert "สำนักการโยธา" in path.read_text(encoding="utf-8")  # Thai kept as text, not \\u escapes
    [task] = tasks
    data = task["data"]
    assert data["image"] == f"/data/local-files/?d=review/label_studio/images/{SHA[:16]}-p00001.jpg"
    assert (data["source"], data["page"], data["sha256"]) == ("เขต/รายงาน.pdf", 1, SHA)
    assert [f["field"] for f in data["fields"]] == ["budget_allocated", "agency"]
    agency = data["fields"][1]
    assert agency["value"] == "สำนักการโยธา" and agency["confidence"] == 0.48
    assert agency["reasons"] == ["low OCR confidence"]


def test_prediction_regions_in_percent(exported: tuple[Path, list[dict], ET.Element]) -> None:
    _, [task], _ = exported
    [prediction] = task["predictions"]
    assert prediction["model_version"] and prediction["score"] == 0.48  # the least confident region
    result = prediction["result"]
    by_type = {}
    for r in result:
        assert (r["original_width"], r["original_height"], r["image_rotation"]) == (WIDTH, HEIGHT, 0)
        by_type.setdefault(r["type"], []).append(r)
    rect, agency_rect = by_type["rectangle"]
    assert rect["value"] == pytest.approx({"x": 10.0, "y": 12.5, "width": 40.0, "height": 5.0, "rotation": 0})
    assert agency_rect["value"] == pytest.approx({"x": 20.0, "y": 30.0, "width": 40.0, "height": 4.0,
                                                  "rotation": 0})  # fmt: skip
    budget_text, agency_text = by_type["textarea"]
    assert budget_text["value"]["text"] == ["1500000"]
    assert agency_text["value"]["text"] == ["สำนักการโยธา"]
    assert budget_text["id"] == rect["id"] != agency_rect["id"] == agency_text["id"]  # one region per field
    assert {r["value"]["labels"][0]: r["id"] for r in by_type["labels"]} == {
        "budget_allocated": rect["id"], "agency": agency_rect["id"]}  # fmt: skip
    assert (rect["score"], agency_rect["score"]) == (0.62, 0.48)


def test_config_names_match_the_results(exported: tuple[Path, list[dict], ET.Element]) -> None:
    _, [task], config = exported
    [image] = config.iter("Image")
    assert image.get("value") == "$image"
    controls = {el.get("name"): el for el in config if el.get("toName")}
    assert controls["bbox"].tag == "Rectangle"
    text = controls["transcription"]
    assert text.tag == "TextArea" and text.get("perRegion") == "true" and text.get("editable") == "true"
    labels = {label.get("value") for label in controls["field"].iter("Label")}
    for r in task["predictions"][0]["result"]:
        assert r["from_name"] in controls
        assert r["to_name"] == image.get("name") == controls[r["from_name"]].get("toName")
        if r["type"] == "labels":
            assert set(r["value"]["labels"]) <= labels


def test_stale_images_are_dropped_and_prefix_is_used(tmp_path: Path) -> None:
    _view(tmp_path)
    _view(tmp_path, page=2)
    export_label_studio(tmp_path, [_item("agency", "ก", 0.5), _item("agency", "ข", 0.5, page=2)])
    images = tmp_path / "review" / "label_studio" / "images"
    assert sorted(p.name for p in images.iterdir()) == [f"{SHA[:16]}-p00001.jpg", f"{SHA[:16]}-p00002.jpg"]

    path = export_label_studio(tmp_path, [_item("agency", "ข", 0.5, page=2)], image_url_prefix="http://h/")
    assert [p.name for p in images.iterdir()] == [f"{SHA[:16]}-p00002.jpg"]
    [task] = json.loads(path.read_text(encoding="utf-8"))
    assert task["data"]["image"] == f"http://h/review/label_studio/images/{SHA[:16]}-p00002.jpg"


def test_nothing_to_export_gives_an_empty_task_list(tmp_path: Path) -> None:
    path = export_label_studio(tmp_path, [_item("agency", "ก", 0.5, page=None)])
    assert json.loads(path.read_text(encoding="utf-8")) == []
    ET.fromstring((path.parent / "config.xml").read_text(encoding="utf-8"))
