"""Emit: write results so that no reader ever sees a half-written file (temp file + rename)."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from models.pipeline import DocumentResult
from models.records import PROJECT_FIELDS, ProgressRecord, ProjectRecord, TableRecord

R = TypeVar("R", bound=BaseModel)


class DiskFull(Exception):
    """The output folder's disk is full: the run stops; what it recorded so far stays valid."""


def write_atomic(path: Path, text: str) -> None:
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(
                f"no space left on the disk of {path.parent} while writing {path.name}; free some space and "
                "run again: documents already recorded are kept and the rest are processed then"
            ) from exc
        raise


def write_jsonl(path: Path, records: Iterable[BaseModel]) -> None:
    write_atomic(path, "".join(r.model_dump_json() + "\n" for r in records))


def text_path(output_dir: Path, source: str) -> Path:
    """`text/<source without .pdf>.txt`, keeping the input's sub-folders so equal stems cannot collide."""
    return output_dir / "text" / Path(source).with_suffix(".txt")


def document_text(result: DocumentResult) -> str:
    """The document's text without running headers and page numbers, pages separated by form feed."""
    if result.layout is not None:
        return "\f".join(result.layout.page_texts)
    return "\f".join(page.ocr.text for page in result.pages)


def emit_document(output_dir: Path, result: DocumentResult) -> None:
    if result.document.status == "ok":
        write_atomic(text_path(output_dir, result.document.source), document_text(result))


def _relabelled(records: Iterable[R], source: str) -> list[R]:
    """Stored results are keyed by content; one content may sit at a new path since it was processed."""
    return [r.model_copy(update={"source": source}) for r in records]


def emit_run(output_dir: Path, results: list[DocumentResult]) -> None:
    """The run-level files, rebuilt whole from the per-document results."""
    write_jsonl(output_dir / "documents.jsonl", [r.document for r in results])
    tables: list[TableRecord] = []
    projects: list[ProjectRecord] = []
    progress: list[ProgressRecord] = []
    for r in results:
        source = r.document.source
        if r.layout is not None:
            tables += _relabelled(r.layout.tables, source)
        if r.extraction is not None:
            projects += _relabelled(r.extraction.projects, source)
            progress += _relabelled(r.extraction.progress, source)
    write_jsonl(output_dir / "tables.jsonl", tables)
    write_jsonl(output_dir / "projects.jsonl", projects)
    write_jsonl(output_dir / "progress.jsonl", progress)
    write_csv(output_dir / "projects.csv", *_project_rows(projects))
    write_csv(output_dir / "progress.csv", *_progress_rows(progress))
    write_csv(output_dir / "review" / "review_queue.csv", *_review_rows(projects))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """UTF-8 with a BOM, so Excel opens Thai text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    write_atomic(path, "\ufeff" + buf.getvalue())


def _project_rows(projects: list[ProjectRecord]) -> tuple[list[str], list[list[object]]]:
    header = ["source", "doc_type", *PROJECT_FIELDS, "min_confidence", "needs_review"]
    rows = []
    for p in projects:
        values = [p.fields[name].value if name in p.fields else None for name in PROJECT_FIELDS]
        confs = [f.confidence for f in p.fields.values()]
        review = any(f.needs_review for f in p.fields.values())
        rows.append([p.source, p.doc_type, *values, round(min(confs), 4) if confs else None, review])
    return header, rows


REVIEW_COLUMNS = ["source", "doc_type", "project", "field", "value", "ocr_text", "confidence", "page", "bbox",
                  "reasons", "corrected_value", "status"]  # fmt: skip


def _review_rows(projects: list[ProjectRecord]) -> tuple[list[str], list[list[object]]]:
    """Every field flagged needs_review, least confident first. A reviewer fills `corrected_value` and
    `status` (accept / correct / reject)."""
    flagged = [
        (fv.confidence, p, name, fv)
        for p in projects
        for name, fv in p.fields.items()
        if fv.needs_review
    ]
    rows = []
    for confidence, p, name, fv in sorted(flagged, key=lambda item: item[0]):
        project = p.fields["project_name"].value if "project_name" in p.fields else None
        bbox = " ".join(f"{x:.4f}" for x in fv.bbox) if fv.bbox else None
        rows.append([p.source, p.doc_type, project, name, fv.value, fv.text, round(confidence, 4), fv.page,
                     bbox, "; ".join(fv.reasons), "", ""])  # fmt: skip
    return REVIEW_COLUMNS, rows


PROGRESS_COLUMNS = ("source", "project_code", "project_name", "seq", "report_date", "progress_percent",
                    "disbursed", "note", "on_plan", "on_target", "problems", "obstacles")  # fmt: skip


def _progress_rows(progress: list[ProgressRecord]) -> tuple[list[str], list[list[object]]]:
    header = [*PROGRESS_COLUMNS, "min_confidence", "needs_review"]
    rows = [[getattr(r, c) for c in PROGRESS_COLUMNS] + [r.confidence, r.needs_review] for r in progress]
    return header, rows


def write_quarantine_report(output_dir: Path, results: list[DocumentResult]) -> None:
    """quarantine.csv: every file that was not processed, and why."""
    bad = [r.document for r in results if r.document.status != "ok"]
    write_csv(output_dir / "quarantine.csv", ["source", "status", "reason", "sha256"],
              [[d.source, d.status, d.error, d.sha256] for d in bad])  # fmt: skip
