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
from models.records import PROJECT_FIELDS, DocumentRecord, ProgressRecord, ProjectRecord, RunRecords
from models.review import Review
from tasks.review import QUEUE_COLUMNS, apply_reviews, queue_rows, review_items

R = TypeVar("R", bound=BaseModel)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


SHARED_FILE_MODE = 0o666 & ~_umask()  # what open() would have given a new file


class DiskFull(Exception):
    """The output folder's disk is full: the run stops; what it recorded so far stays valid."""


def write_atomic(path: Path, data: str | bytes) -> None:
    """Text is written as UTF-8 with the newlines as given."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.fchmod(fd, SHARED_FILE_MODE)  # mkstemp makes 0600: colleagues on the share could not read outputs
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
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
    """The document's cleaned text without running headers and page numbers, pages separated by form feed."""
    return "\f".join(result.text)


def emit_document(output_dir: Path, result: DocumentResult) -> None:
    """The document's text, also when only its records failed."""
    if result.layout is not None:
        write_atomic(text_path(output_dir, result.document.source), document_text(result))


def _relabelled(records: Iterable[R], source: str) -> list[R]:
    """Stored results are keyed by content; one content may sit at a new path since it was processed."""
    return [r.model_copy(update={"source": source}) for r in records]


def collect(results: list[DocumentResult], reviews: list[Review]) -> RunRecords:
    """The run's records from the per-document results, with the reviewers' decisions merged in."""
    records = RunRecords(documents=[r.document for r in results])
    reviewed: list[tuple[DocumentRecord, list[ProjectRecord]]] = []
    for r in results:
        source = r.document.source
        if r.layout is not None:
            records.tables += _relabelled(r.layout.tables, source)
        if r.extraction is not None:
            projects = apply_reviews(
                source, r.document.sha256, _relabelled(r.extraction.projects, source), reviews
            )
            reviewed.append((r.document, projects))
            records.projects += projects
            records.progress += _relabelled(r.extraction.progress, source)
    records.review = review_items(reviewed)
    return records


def emit_run(output_dir: Path, records: RunRecords) -> None:
    """The run-level record files and the review queue, each replaced whole."""
    write_jsonl(output_dir / "documents.jsonl", records.documents)
    write_jsonl(output_dir / "tables.jsonl", records.tables)
    write_jsonl(output_dir / "projects.jsonl", records.projects)
    write_jsonl(output_dir / "progress.jsonl", records.progress)
    write_csv(output_dir / "projects.csv", *_project_rows(records.projects))
    write_csv(output_dir / "progress.csv", *_progress_rows(records.progress))
    write_csv(output_dir / "review" / "review_queue.csv", QUEUE_COLUMNS, queue_rows(records.review))


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
