"""Parquet copies: typed columns that read back as written, Thai text intact, loud errors on bad values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from models.records import (
    PROJECT_FIELDS,
    DocumentRecord,
    FieldValue,
    ProgressRecord,
    ProjectRecord,
    TableRecord,
)
from models.review import ReviewMark
from tasks.parquet import ParquetValueError, write_parquet_copies

FILES = ("documents.parquet", "projects.parquet", "progress.parquet", "tables.parquet")


def _project() -> ProjectRecord:
    mark = ReviewMark(status="correct", reviewer="somchai", reviewed_at="2024-05-01T00:00:00Z", value=2567)
    return ProjectRecord(
        source="เขต/รายงาน.pdf",
        doc_type="bma_project_form",
        fields={
            "project_name": FieldValue(value="โครงการปรับปรุงถนน", confidence=0.91, needs_review=False),
            "fiscal_year": FieldValue(value=2567, confidence=1.0, needs_review=False, review=mark),
            "start_date": FieldValue(value="2024-01-15", confidence=0.8),
            "budget_allocated": FieldValue(value=1500000, confidence=0.7),
            "progress_percent": FieldValue(value=42.5, confidence=0.6),
            "status": FieldValue(value=None, confidence=0.0),
        },
    )


def _write_sample(out: Path) -> None:
    documents = [
        DocumentRecord(source="เขต/รายงาน.pdf", sha256="ab" * 32, doc_type="bma_project_form", pages=3,
                       status="ok", mean_confidence=0.83),
        DocumentRecord(source="bad.pdf", sha256="cd" * 32, status="failed", error="ไฟล์เสีย"),
    ]  # fmt: skip
    progress = [
        ProgressRecord(source="obec.pdf", project_name="อบรมครู", seq=1, report_date="2024-03-31",
                       progress_percent=50.0, disbursed=1200.5, on_plan=True, on_target=None,
                       problems="ไม่มี", confidence=0.9, needs_review=False),
    ]  # fmt: skip
    tables = [
        TableRecord(source="obec.pdf", page=2, table_index=0, title="ตารางที่ 1",
                    header=[["ลำดับ", "รายการ"]], rows=[["1", "ก"], ["2", ""]], confidence=0.75),
    ]  # fmt: skip
    write_parquet_copies(out, documents, [_project()], progress, tables)


def test_round_trip_keeps_values_types_and_thai(tmp_path: Path) -> None:
    _write_sample(tmp_path)

    docs = pq.read_table(tmp_path / "documents.parquet")
    assert docs.schema.field("pages").type == pa.int64()
    assert docs.schema.field("mean_confidence").type == pa.float64()
    assert docs.to_pylist() == [
        {"source": "เขต/รายงาน.pdf", "sha256": "ab" * 32, "doc_type": "bma_project_form", "pages": 3,
         "status": "ok", "error": None, "mean_confidence": 0.83},
        {"source": "bad.pdf", "sha256": "cd" * 32, "doc_type": "unknown", "pages": 0, "status": "failed",
         "error": "ไฟล์เสีย", "mean_confidence": None},
    ]  # fmt: skip

    projects = pq.read_table(tmp_path / "projects.parquet")
    schema = projects.schema
    assert schema.names[:2] == ["source", "doc_type"]
    assert len(schema.names) == 2 + 4 * len(PROJECT_FIELDS)
    assert schema.field("fiscal_year").type == pa.int64()
    assert schema.field("budget_allocated").type == pa.float64()
    assert schema.field("start_date").type == pa.date32()
    assert schema.field("project_name").type == pa.string()
    assert schema.field("status_confidence").type == pa.float64()
    assert schema.field("status_needs_review").type == pa.bool_()
    assert schema.field("fiscal_year_reviewed").type == pa.bool_()
    [row] = projects.to_pylist()
    assert row["source"] == "เขต/รายงาน.pdf"
    assert row["project_name"] == "โครงการปรับปรุงถนน"
    assert row["fiscal_year"] == 2567 and row["fiscal_year_reviewed"] is True
    assert row["project_name_reviewed"] is False and row["project_name_needs_review"] is False
    assert row["start_date"] == dt.date(2024, 1, 15)
    assert row["budget_allocated"] == 1500000.0 and isinstance(row["budget_allocated"], float)
    assert row["progress_percent"] == 42.5 and row["progress_percent_confidence"] == 0.6
    assert row["status"] is None and row["status_confidence"] == 0.0 and row["status_needs_review"] is True
    # a field the record does not have is null in every one of its columns
    assert row["end_date"] is None and row["end_date_confidence"] is None and row["end_date_reviewed"] is None

    [prog] = pq.read_table(tmp_path / "progress.parquet").to_pylist()
    assert prog["report_date"] == dt.date(2024, 3, 31)
    assert prog["seq"] == 1 and prog["disbursed"] == 1200.5
    assert prog["on_plan"] is True and prog["on_target"] is None
    assert prog["project_name"] == "อบรมครู" and prog["problems"] == "ไม่มี"

    tables = pq.read_table(tmp_path / "tables.parquet")
    assert tables.schema.field("rows").type == pa.list_(pa.list_(pa.string()))
    [table] = tables.to_pylist()
    assert table == {
        "source": "obec.pdf", "page": 2, "table_index": 0, "title": "ตารางที่ 1",
        "header": [["ลำดับ", "รายการ"]], "rows": [["1", "ก"], ["2", ""]], "confidence": 0.75,
        "ruled": True,
    }  # fmt: skip


def test_empty_input_gives_valid_files_with_the_schema(tmp_path: Path) -> None:
    write_parquet_copies(tmp_path, [], [], [], [])
    for name in FILES:
        table = pq.read_table(tmp_path / name)
        assert table.num_rows == 0
        assert "source" in table.schema.names
    assert pq.read_table(tmp_path / "projects.parquet").schema.field("as_of_date").type == pa.date32()
    assert pq.read_table(tmp_path / "progress.parquet").schema.field("on_plan").type == pa.bool_()
    assert not list(tmp_path.glob(".*.part"))  # no temp files left behind


@pytest.mark.parametrize(
    ("field", "value"),
    [("fiscal_year", "๒๕๖๗"), ("budget_spent", "1,000"), ("end_date", "31/12/2567"), ("agency", 12)],
)
def test_a_value_that_does_not_fit_raises_naming_source_and_field(
    tmp_path: Path, field: str, value: object
) -> None:
    project = _project()
    project.fields[field] = FieldValue(value=value, confidence=0.5)
    with pytest.raises(ParquetValueError, match=rf"เขต/รายงาน\.pdf: field '{field}'"):
        write_parquet_copies(tmp_path, [], [project], [], [])
    assert not list(tmp_path.iterdir())  # nothing written: the tables are all built before any write


def test_a_bad_progress_date_raises(tmp_path: Path) -> None:
    row = ProgressRecord(source="obec.pdf", seq=1, report_date="2024-13-40")
    with pytest.raises(ParquetValueError, match=r"obec\.pdf: field 'report_date'"):
        write_parquet_copies(tmp_path, [], [], [row], [])
