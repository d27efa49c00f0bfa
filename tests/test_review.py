"""The reviewer's loop: reading a filled-in queue, merging decisions into records, keeping them across runs,
and the report's crops."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from factory.build import make_sample
from flows.cli import ExitCode, app
from models.records import DocumentRecord, FieldValue, ProjectRecord
from models.review import Review, ReviewItem
from tasks.report import NO_BOX, NO_VIEW, crop_field, report_html
from tasks.review import (
    QUEUE_COLUMNS,
    apply_reviews,
    coerce,
    merge_reviews,
    queue_rows,
    read_queue,
    review_items,
)

SHA, OTHER_SHA = "a" * 64, "b" * 64
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def project(**values: tuple[object, float]) -> ProjectRecord:
    fields = {
        name: FieldValue(value=v, text=str(v), confidence=c, page=1, bbox=[0.1, 0.1, 0.3, 0.12],
                         needs_review=c < 0.9, reasons=[] if c >= 0.9 else ["low OCR confidence"])
        for name, (v, c) in values.items()
    }  # fmt: skip
    return ProjectRecord(source="a.pdf", doc_type="bma_project_form", fields=fields)


def the_project() -> ProjectRecord:
    return project(
        project_code=("10010000-0001", 0.99),
        project_name=("โครงการพัฒนาคุณภาพการศึกษา", 0.5),
        budget_allocated=(1500000.0, 0.4),
        responsible_person=("นายสมชาย ใจดี", 0.7),
    )


def queue_text(rows: list[dict[str, object]]) -> str:
    """A queue as the run writes it, then edited the way a reviewer would in a spreadsheet."""
    items = review_items([(DocumentRecord(source="a.pdf", sha256=SHA, status="ok"), [the_project()])])
    table = [dict(zip(QUEUE_COLUMNS, map(str, r), strict=True)) for r in queue_rows(items)]
    for edit in rows:
        row = next(r for r in table if r["field"] == edit["field"])
        row.update({k: str(v) for k, v in edit.items()})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, QUEUE_COLUMNS)
    writer.writeheader()
    writer.writerows(table)
    return "\ufeff" + buf.getvalue()


def current() -> dict[tuple[str, int, str], tuple[str, ProjectRecord]]:
    p = the_project()
    return {(SHA, 0, name): ("a.pdf", p) for name in p.fields}


def test_items_are_the_flagged_fields_least_confident_first() -> None:
    items = review_items([(DocumentRecord(source="a.pdf", sha256=SHA, status="ok"), [the_project()])])
    assert [i.field for i in items] == ["budget_allocated", "project_name", "responsible_person"]
    assert items[0].project == "10010000-0001" and items[0].sha256 == SHA and items[0].project_index == 0


def test_a_filled_queue_gives_one_review_per_decided_row() -> None:
    text = queue_text([
        {"field": "budget_allocated", "status": "correct", "corrected_value": "1,250,000 บาท"},
        {"field": "project_name", "status": "accept", "reviewer": "สมหญิง"},
        {"field": "responsible_person", "status": ""},
    ])  # fmt: skip
    reading = read_queue(text, current(), "clerk", NOW)
    assert not reading.errors and reading.unreviewed == 1
    by_field = {r.field: r for r in reading.reviews}
    assert by_field["budget_allocated"].value == 1250000.0
    assert by_field["budget_allocated"].extracted == 1500000.0
    assert by_field["budget_allocated"].reviewer == "clerk"
    assert by_field["project_name"].value == "โครงการพัฒนาคุณภาพการศึกษา"
    assert by_field["project_name"].reviewer == "สมหญิง"
    assert by_field["project_name"].reviewed_at == "2026-11-23T09:00:00+00:00"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"status": "maybe"}, "status 'maybe' is not one of accept, correct, reject"),
        ({"status": "correct", "corrected_value": ""}, "needs a corrected_value"),
        ({"status": "correct", "corrected_value": "หนึ่งล้าน"}, "is not a money"),
        ({"status": "accept", "sha256": OTHER_SHA}, "no such field in the current records"),
        ({"status": "accept", "project_index": "x"}, "project_index 'x' is not a number"),
        ({"status": "accept", "value": "999"}, "the records now read '1500000', not '999'"),
    ],
)
def test_rows_that_do_not_match_are_refused_with_their_line(edit: dict[str, str], message: str) -> None:
    reading = read_queue(queue_text([{"field": "budget_allocated", **edit}]), current(), "clerk", NOW)
    assert reading.reviews == []
    [error] = reading.errors
    assert error.row == 2 and message in error.message and "a.pdf" in error.message


def test_a_spreadsheet_rewriting_numbers_is_not_a_changed_value() -> None:
    text = queue_text([{"field": "budget_allocated", "status": "accept", "value": "1,500,000.00"}])
    assert read_queue(text, current(), "clerk", NOW).reviews[0].value == 1500000.0


def test_a_file_that_is_not_a_queue_is_refused() -> None:
    reading = read_queue("name,age\nx,1\n", current(), "clerk", NOW)
    assert reading.errors[0].row == 1 and "not a review queue" in reading.errors[0].message


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("budget_spent", "๑๒,๕๐๐ บาท", 12500.0),
        ("start_date", "1 ต.ค. 2566", "2023-10-01"),
        ("progress_percent", "45.5 %", 45.5),
        ("fiscal_year", "พ.ศ. 2567", 2567),
        ("status", "completed", "completed"),
        ("agency", "  สำนักงานเขตบางรัก ", "สำนักงานเขตบางรัก"),
    ],
)
def test_corrected_values_are_typed_like_the_pipeline(field: str, text: str, value: object) -> None:
    assert coerce(field, text) == value


def test_a_status_outside_the_contract_is_refused() -> None:
    with pytest.raises(ValueError, match="not a status"):
        coerce("status", "done")


def review(field: str, status: str, value: object, sha: str = SHA) -> Review:
    return Review.model_validate({
        "source": "a.pdf", "sha256": sha, "project_index": 0, "project": "10010000-0001", "field": field,
        "status": status, "value": value, "reviewer": "clerk", "reviewed_at": "2026-11-23T09:00:00+00:00",
    })  # fmt: skip


def test_reviews_replace_only_their_fields() -> None:
    before = the_project()
    [after] = apply_reviews("a.pdf", SHA, [before], [review("budget_allocated", "correct", 1250000.0),
                                                      review("project_name", "reject", None)])  # fmt: skip
    budget = after.fields["budget_allocated"]
    assert (budget.value, budget.confidence, budget.needs_review) == (1250000.0, 1.0, False)
    assert budget.review is not None and budget.review.reviewer == "clerk"
    assert (
        after.fields["project_name"].value is None and after.fields["project_name"].review.status == "reject"
    )
    for name in ("project_code", "responsible_person"):
        assert after.fields[name] == before.fields[name]


def test_a_changed_file_shows_the_old_review_beside_the_new_value() -> None:
    [after] = apply_reviews("a.pdf", OTHER_SHA, [the_project()], [review("budget_allocated", "correct", 1.0)])
    budget = after.fields["budget_allocated"]
    assert budget.value == 1500000.0 and budget.needs_review and budget.review is None
    assert budget.previous_review is not None and budget.previous_review.value == 1.0


def test_a_newer_decision_replaces_the_older_one() -> None:
    merged = merge_reviews([review("budget_allocated", "accept", 1.0), review("project_name", "accept", "x")],
                           [review("budget_allocated", "correct", 2.0)])  # fmt: skip
    assert sorted((r.field, r.value) for r in merged) == [("budget_allocated", 2.0), ("project_name", "x")]


def test_a_crop_is_the_box_with_its_margin_and_the_box_outlined() -> None:
    view = np.full((1000, 800), 255, np.uint8)
    jpeg = crop_field(view, [0.25, 0.5, 0.5, 0.55], margin=0.05, quality=90)
    crop = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert abs(crop.shape[1] - 0.35 * 800) <= 2 and abs(crop.shape[0] - 0.15 * 1000) <= 2
    b, g, r = crop[50, 60]  # on the box's top edge: 0.5*1000 - 450 = 50 down, 0.25*800 - 160 = 40 across
    assert r > 150 and g < 100 and b < 100


@pytest.mark.parametrize("bbox", [[1.2, 0.1, 1.3, 0.2], [0.5, 0.5, 0.5, 0.6]])
def test_a_box_off_the_page_or_empty_gives_no_crop(bbox: list[float]) -> None:
    assert crop_field(np.full((100, 80), 255, np.uint8), bbox, margin=0.05, quality=90) is None


def test_a_box_at_the_page_edge_keeps_its_outline_inside_the_crop() -> None:
    jpeg = crop_field(np.full((1000, 800), 255, np.uint8), [0.9, 0.9, 1.0, 1.0], margin=0.05, quality=90)
    assert jpeg is not None
    crop = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    _, g, r = crop[-5:, :].reshape(-1, 3).mean(axis=0)  # the bottom edge line is drawn, not cut off
    assert r > g + 40


def test_the_report_escapes_text_and_notes_what_it_left_out() -> None:
    items = [ReviewItem(source="<a>.pdf", sha256=SHA, doc_type="unknown", project_index=0, field="agency",
                        value="<script>", confidence=c) for c in (0.1, 0.2, 0.3)]  # fmt: skip
    page = report_html(items, [NO_BOX, NO_VIEW], total_fields=10, documents=1, limit=2)
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;a&gt;.pdf" in page
    assert page.count('class="item"') == 2 and 'id="truncated"' in page
    assert f"no crop: {NO_BOX}" in page and f"no crop: {NO_VIEW}" in page
    assert '<span id="count-flagged">3</span>' in page and '<span id="count-fields">10</span>' in page


def records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "projects.jsonl").read_text(encoding="utf-8").splitlines()]


def fill(queue: Path, decisions: dict[int, dict[str, str]]) -> None:
    """Edit rows of the queue in place (0-based data rows), as a reviewer does in a spreadsheet."""
    header, *rows = list(csv.reader(io.StringIO(queue.read_text(encoding="utf-8-sig"))))
    for index, changes in decisions.items():
        for column, value in changes.items():
            rows[index][header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    queue.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")


@pytest.mark.e2e
def test_run_edit_apply_rerun_keeps_the_reviewed_values(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    pdf = make_sample(inbox, "bma_project_form", 6202, "fax")  # three flagged fields (seed 6 two, now)
    run = ["run", "-i", str(inbox), "-o", str(out), "--settle-seconds", "0"]
    assert CliRunner().invoke(app, run).exit_code == ExitCode.OK
    before = records(out)
    queue = out / "review" / "review_queue.csv"
    header, *rows = list(csv.reader(io.StringIO(queue.read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 3, "the sample should have at least three flagged fields"
    text_fields = ("project_name", "agency", "division", "responsible_person", "coordinator")
    text_row = next(i for i, r in enumerate(rows) if r[header.index("field")] in text_fields)
    accept_row, reject_row = [i for i in range(len(rows)) if i != text_row][:2]
    edited = tmp_path / "คิวตรวจ.csv"
    edited.write_bytes(queue.read_bytes())
    fill(edited, {
        text_row: {"status": "correct", "corrected_value": "ค่าที่ผู้ตรวจแก้", "reviewer": "สมหญิง"},
        accept_row: {"status": "accept"},
        reject_row: {"status": "reject"},
    })  # fmt: skip
    with edited.open("a", encoding="utf-8") as fh:  # a row for a field that does not exist
        fh.write(f"{pdf.name},{'c' * 64},bma_project_form,0,,budget_spent,1,,0.1,1,,,,accept,\n")

    result = CliRunner().invoke(app, ["review", "apply", str(edited), "-o", str(out), "--reviewer", "clerk"])
    assert result.exit_code == ExitCode.SOME_QUARANTINED, result.output
    assert "3 decisions applied (1 accepted, 1 corrected, 1 rejected)" in result.output
    assert f"line {len(rows) + 2}" in result.output and "no such field" in result.output

    def check(out_records: list[dict]) -> None:
        fields = out_records[0]["fields"]
        wanted = {rows[i][header.index("field")]: i for i in (text_row, accept_row, reject_row)}
        for name, i in wanted.items():
            f = fields[name]
            assert f["confidence"] == 1.0 and not f["needs_review"] and f["review"]["reviewed_at"]
            if i == text_row:
                assert f["value"] == "ค่าที่ผู้ตรวจแก้" and f["review"]["reviewer"] == "สมหญิง"
            elif i == reject_row:
                assert f["value"] is None and f["review"]["status"] == "reject"
            else:
                assert f["review"]["reviewer"] == "clerk"
        for name, f in before[0]["fields"].items():  # nothing else moved
            if name not in wanted:
                assert fields[name] == f

    check(records(out))
    queue_after = queue.read_text(encoding="utf-8-sig")
    assert len(queue_after.splitlines()) == len(rows) + 1 - 3

    assert CliRunner().invoke(app, run).exit_code == ExitCode.OK  # nothing changed: rebuilt from store
    check(records(out))
    reprocess = ["reprocess", "-i", str(inbox), "-o", str(out), "--force", "--settle-seconds", "0"]
    assert CliRunner().invoke(app, reprocess).exit_code == ExitCode.OK  # same content, processed again
    check(records(out))

    with pdf.open("ab") as fh:  # a new version of the file (same pages, different bytes)
        fh.write(b"\n% re-scanned\n")
    assert CliRunner().invoke(app, run).exit_code == ExitCode.OK
    fields = records(out)[0]["fields"]
    corrected = fields[rows[text_row][header.index("field")]]
    assert corrected["review"] is None and corrected["previous_review"]["value"] == "ค่าที่ผู้ตรวจแก้"
    assert corrected["value"] == before[0]["fields"][rows[text_row][header.index("field")]]["value"]


@pytest.mark.e2e
def test_debug_drawings_and_label_studio_tasks_come_from_a_run(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    pdf = make_sample(inbox, "bma_project_page", 7, "fax")  # has fields for review (seed 6 no longer has)
    assert (
        CliRunner().invoke(app, ["run", "-i", str(inbox), "-o", str(out), "--settle-seconds", "0"]).exit_code
        == 0
    )
    pages = json.loads((out / "documents.jsonl").read_text(encoding="utf-8"))["pages"]

    result = CliRunner().invoke(app, ["debug", "-o", str(out)])
    assert result.exit_code == 0 and f"{pages} page drawings" in result.output, result.output
    drawing = cv2.imread(str(out / "debug" / pdf.stem / "p00001.png"))
    assert drawing is not None and drawing.shape[0] > 500

    result = CliRunner().invoke(app, ["review", "export-label-studio", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tasks = json.loads((out / "review" / "label_studio" / "tasks.json").read_text(encoding="utf-8"))
    queue = csv.DictReader(io.StringIO((out / "review" / "review_queue.csv").read_text(encoding="utf-8-sig")))
    flagged = sum(1 for row in queue if row["bbox"])  # a field with no box on the page has nothing to draw
    assert flagged, "the sample must put fields with a box in the queue for the export to draw them"
    regions = [r for t in tasks for r in t["predictions"][0]["result"] if r["type"] == "rectangle"]
    assert tasks and len(regions) == flagged
    assert all(t["data"]["source"] == pdf.name for t in tasks)


def test_review_commands_refuse_a_folder_that_is_not_an_output(tmp_path: Path) -> None:
    for args in (
        ["review", "apply", str(tmp_path / "q.csv"), "-o", str(tmp_path)],
        ["debug", "-o", str(tmp_path)],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == ExitCode.RUN_FAILED and "not a reportocr output folder" in result.output
