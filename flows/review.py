"""The reviewer's loop on an output folder: merge a filled-in queue, export it for Label Studio, draw what
the OCR saw. Orchestration only: reading, merging and drawing live in tasks/."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from flows.outputs import rebuild_outputs, stored_results
from models.inbox import load_inbox_settings
from models.pipeline import DocumentResult
from models.records import ProjectRecord
from models.settings import load_settings
from tasks.debug import write_debug_images
from tasks.emit import collect
from tasks.label_studio import export_label_studio
from tasks.lock import RunLock
from tasks.manifest import Manifest, sqlite_url
from tasks.review import QueueReading, merge_reviews, read_queue
from tasks.store import load_reviews, save_reviews


def _results(output_dir: Path, manifest_url: str | None) -> list[DocumentResult]:
    manifest = Manifest(manifest_url or load_inbox_settings().manifest_url or sqlite_url(output_dir))
    try:
        return stored_results(output_dir, manifest)
    finally:
        manifest.close()


def apply_queue(
    output_dir: Path, queue: Path, reviewer: str, manifest_url: str | None = None
) -> QueueReading:
    """Merge the decisions in `queue` into OUTPUT's records and rebuild its files. Rows that match no
    current field are refused (returned with their reasons); nothing else in the records changes."""
    with RunLock(output_dir):
        results = _results(output_dir, manifest_url)
        reviews = load_reviews(output_dir)
        records = collect(results, reviews)
        current: dict[tuple[str, int, str], tuple[str, ProjectRecord]] = {}
        for r in results:
            projects = [p for p in records.projects if p.source == r.document.source]
            for index, project in enumerate(projects):
                for name in project.fields:
                    current[(r.document.sha256, index, name)] = (r.document.source, project)
        reading = read_queue(queue.read_text(encoding="utf-8-sig"), current, reviewer)
        if reading.reviews:
            save_reviews(output_dir, merge_reviews(reviews, reading.reviews))
            rebuild_outputs(output_dir, results, load_settings())
    return reading


def label_studio_export(
    output_dir: Path, image_url_prefix: str, manifest_url: str | None = None
) -> tuple[Path, int]:
    records = collect(_results(output_dir, manifest_url), load_reviews(output_dir))
    return export_label_studio(output_dir, records.review, image_url_prefix), len(records.review)


def debug_drawings(output_dir: Path, pattern: str | None, manifest_url: str | None = None) -> list[Path]:
    written: list[Path] = []
    for result in _results(output_dir, manifest_url):
        if pattern is None or fnmatch.fnmatch(result.document.source, pattern):
            dest = output_dir / "debug" / Path(result.document.source).with_suffix("")
            written += write_debug_images(output_dir, result, dest)
    return written
