"""Parquet copies of the record files, for analysts who load them into pandas, DuckDB or a BI tool.

Columns are typed (ints, floats, dates, bools, nested lists), so nobody has to re-parse the JSONL's values.
Each file is serialized in memory and written with `write_atomic`, so a killed run never leaves half a file.
Extra fields a record may carry (the contract allows them) stay in the JSONL only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from models.records import (
    FIELD_PARSERS,
    PROJECT_FIELDS,
    DocumentRecord,
    ProgressRecord,
    ProjectRecord,
    TableRecord,
)
from tasks.emit import write_atomic


class ParquetValueError(ValueError):
    """A record's value does not fit its Parquet column: a bug upstream, never silently dropped."""


DOCUMENT_SCHEMA = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("sha256", pa.string(), nullable=False),
    pa.field("doc_type", pa.string(), nullable=False),
    pa.field("pages", pa.int64(), nullable=False),
    pa.field("status", pa.string(), nullable=False),
    pa.field("error", pa.string()),
    pa.field("mean_confidence", pa.float64()),
])  # fmt: skip

PROGRESS_SCHEMA = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("project_code", pa.string()),
    pa.field("project_name", pa.string()),
    pa.field("seq", pa.int64(), nullable=False),
    pa.field("report_date", pa.date32()),
    pa.field("progress_percent", pa.float64()),
    pa.field("disbursed", pa.float64()),
    pa.field("note", pa.string()),
    pa.field("on_plan", pa.bool_()),
    pa.field("on_target", pa.bool_()),
    pa.field("problems", pa.string()),
    pa.field("obstacles", pa.string()),
    pa.field("confidence", pa.float64(), nullable=False),
    pa.field("needs_review", pa.bool_(), nullable=False),
])  # fmt: skip

_CELLS = pa.list_(pa.list_(pa.string()))
TABLE_SCHEMA = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("page", pa.int64(), nullable=False),
    pa.field("table_index", pa.int64(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("header", _CELLS),
    pa.field("rows", _CELLS),
    pa.field("confidence", pa.float64(), nullable=False),
    pa.field("ruled", pa.bool_(), nullable=False),
])  # fmt: skip

# Column type by the parser that types a project field (models.records.FIELD_PARSERS); the rest are strings.
_PARSER_TYPES: dict[str, pa.DataType] = {
    "fiscal_year": pa.int64(),
    "money": pa.float64(),
    "percent": pa.float64(),
    "date": pa.date32(),
}
PROJECT_VALUE_TYPES: dict[str, pa.DataType] = {
    name: _PARSER_TYPES[parser] for name, parser in FIELD_PARSERS.items() if parser in _PARSER_TYPES
}


def _project_schema() -> pa.Schema:
    """Flat: source, doc_type, then per field its value, confidence, needs_review and reviewed columns."""
    fields = [
        pa.field("source", pa.string(), nullable=False),
        pa.field("doc_type", pa.string(), nullable=False),
    ]
    for name in PROJECT_FIELDS:
        fields += [
            pa.field(name, PROJECT_VALUE_TYPES.get(name, pa.string())),
            pa.field(f"{name}_confidence", pa.float64()),
            pa.field(f"{name}_needs_review", pa.bool_()),
            pa.field(f"{name}_reviewed", pa.bool_()),
        ]
    return pa.schema(fields)


PROJECT_SCHEMA = _project_schema()


def _as_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not an integer")
    if isinstance(value, float) and not value.is_integer():
        raise TypeError("not a whole number")
    return int(value)


def _as_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def _as_date(value: Any) -> dt.date:
    """The records hold dates as ISO yyyy-mm-dd strings; a datetime is not a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError("not an ISO date string")
    return dt.date.fromisoformat(value)


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


_CONVERTERS: dict[pa.DataType, Callable[[Any], Any]] = {
    pa.int64(): _as_int,
    pa.float64(): _as_float,
    pa.date32(): _as_date,
    pa.string(): _as_str,
    pa.bool_(): _as_bool,
}


def _convert(value: Any, type_: pa.DataType, source: str, field: str, nullable: bool = True) -> Any:
    """None stays None where the column allows it; anything else must fit the column, or the error names
    the record and field (pyarrow itself would not check a required column)."""
    if value is None:
        if not nullable:
            raise ParquetValueError(f"{source}: field '{field}' is empty but its Parquet column is required")
        return None
    try:
        return _CONVERTERS[type_](value)
    except (TypeError, ValueError) as exc:
        raise ParquetValueError(
            f"{source}: field '{field}' has value {value!r} ({type(value).__name__}), which does not fit "
            f"its Parquet column type {type_}: {exc}"
        ) from exc


def _project_row(record: ProjectRecord) -> dict[str, Any]:
    row: dict[str, Any] = {"source": record.source, "doc_type": record.doc_type}
    for name in PROJECT_FIELDS:
        fv = record.fields.get(name)
        if fv is None:
            continue  # absent columns read back as null
        row[name] = _convert(fv.value, PROJECT_VALUE_TYPES.get(name, pa.string()), record.source, name)
        row[f"{name}_confidence"] = fv.confidence
        row[f"{name}_needs_review"] = fv.needs_review
        row[f"{name}_reviewed"] = fv.review is not None
    return row


def _model_row(record: BaseModel, schema: pa.Schema) -> dict[str, Any]:
    """One row of a record whose fields map one to one onto the schema's columns."""
    source = str(getattr(record, "source", "?"))
    row = {}
    for f in schema:
        value = getattr(record, f.name)
        row[f.name] = (
            value if pa.types.is_list(f.type) else _convert(value, f.type, source, f.name, f.nullable)
        )
    return row


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """An empty list still gives a table with every column, so readers always see the schema."""
    table = pa.Table.from_pylist(rows, schema=schema)
    table.validate(full=True)
    return table


def parquet_bytes(table: pa.Table) -> bytes:
    """Serialized in memory, so the file on disk is replaced whole or not at all."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def write_parquet_copies(
    output_dir: Path,
    documents: list[DocumentRecord],
    projects: list[ProjectRecord],
    progress: list[ProgressRecord],
    tables: list[TableRecord],
) -> None:
    """documents/projects/progress/tables.parquet next to the JSONL files they copy. Every table is built
    before any file is written, so a value that does not fit leaves the previous copies all in place."""
    files = {
        "documents.parquet": _table([_model_row(d, DOCUMENT_SCHEMA) for d in documents], DOCUMENT_SCHEMA),
        "projects.parquet": _table([_project_row(p) for p in projects], PROJECT_SCHEMA),
        "progress.parquet": _table([_model_row(r, PROGRESS_SCHEMA) for r in progress], PROGRESS_SCHEMA),
        "tables.parquet": _table([_model_row(t, TABLE_SCHEMA) for t in tables], TABLE_SCHEMA),
    }
    for name, table in files.items():
        write_atomic(output_dir / name, parquet_bytes(table))
