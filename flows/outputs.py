"""The run-level output files, rebuilt whole from the stored per-document results and the reviews."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from models.pipeline import DocumentResult
from models.records import RunRecords
from models.settings import Settings
from tasks.emit import collect, emit_run, write_quarantine_report
from tasks.manifest import Manifest
from tasks.parquet import write_parquet_copies
from tasks.report import write_report
from tasks.store import load_result, load_reviews, view_path


def report_path(output_dir: Path) -> Path:
    return output_dir / "review" / "report.html"


def stored_results(output_dir: Path, manifest: Manifest) -> list[DocumentResult]:
    """The latest result of every file the manifest knows, labelled with the file's current path."""
    return [r for source, sha in manifest.entries() if (r := load_result(output_dir, source, sha))]


def rebuild_outputs(output_dir: Path, results: list[DocumentResult], settings: Settings) -> RunRecords:
    records = collect(results, load_reviews(output_dir))
    emit_run(output_dir, records)
    write_parquet_copies(output_dir, records.documents, records.projects, records.progress, records.tables)
    write_report(report_path(output_dir), records.review, records.field_count, len(records.documents),
                 partial(view_path, output_dir), settings.review)  # fmt: skip
    write_quarantine_report(output_dir, results)
    return records
