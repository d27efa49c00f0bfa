"""Nightly and archive runs: what to process, in what order, and what to rebuild. No stage logic here."""

from __future__ import annotations

import fnmatch
import shutil
import tempfile
import time
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_link_artifact, create_table_artifact
from prefect.context import FlowRunContext
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.outputs import rebuild_outputs, report_path, stored_results
from flows.pipeline import process_document
from flows.progress import RunProgress
from flows.runners import BorrowedTaskRunner, page_task_runner
from models.inbox import RunSummary, load_inbox_settings
from models.settings import load_settings
from tasks.discover import discover, is_settled
from tasks.emit import emit_document
from tasks.lock import RunLock
from tasks.manifest import Manifest, sqlite_url
from tasks.store import drop_page_checkpoints, save_result


def _run(
    input_dir: Path,
    output_dir: Path,
    force: bool,
    pattern: str | None,
    settle_seconds: float | None,
    manifest_url: str | None,
) -> RunSummary:
    logger = get_run_logger()
    settings, inbox = load_settings(), load_inbox_settings()
    started = time.perf_counter()
    summary = RunSummary()
    with RunLock(output_dir) as lock:
        if lock.stale_holder:
            logger.warning("cleared a stale lock left by a killed run: %s", lock.stale_holder)
        manifest = Manifest(manifest_url or inbox.manifest_url or sqlite_url(output_dir))
        sources = discover(input_dir)
        if pattern:
            sources = [s for s in sources if fnmatch.fnmatch(s.source, pattern)]
        summary.found = len(sources)
        settle = inbox.settle_seconds if settle_seconds is None else settle_seconds
        settled = [s for s in sources if is_settled(s.path, settle)]
        summary.still_copying = len(sources) - len(settled)
        todo = manifest.pending(settled, force)
        summary.unchanged = len(settled) - len(todo)
        logger.info("%d PDFs: %d to process, %d unchanged, %d still being copied",
                    summary.found, len(todo), summary.unchanged, summary.still_copying)  # fmt: skip
        work_root = Path(tempfile.mkdtemp(prefix="reportocr-"))
        run_context = FlowRunContext.get()
        assert run_context is not None and run_context.task_runner is not None
        # Each file is its own subflow run, and all of them share this run's pool of page workers.
        document_flow = process_document.with_options(task_runner=BorrowedTaskRunner(run_context.task_runner))
        try:
            with RunProgress(len(todo), logger) as progress:
                for src in todo:
                    result = document_flow(src, settings, work_root, output_dir)
                    emit_document(output_dir, result)
                    save_result(output_dir, result)
                    manifest.record(result.document)  # last: a crash before this redoes the file next run
                    drop_page_checkpoints(output_dir, src.sha256)
                    d = result.document
                    summary.processed += 1
                    summary.pages += d.pages
                    summary.quarantined += d.status == "quarantined"
                    summary.failed += d.status == "failed"
                    progress.advance(d)
        finally:
            shutil.rmtree(work_root, ignore_errors=True)
        results = stored_results(output_dir, manifest)
        manifest.close()
        records = rebuild_outputs(output_dir, results, settings)
    summary.fields_flagged = len(records.review)
    summary.seconds = round(time.perf_counter() - started, 2)
    create_table_artifact(
        key="reportocr-run",
        table=[{**summary.model_dump(), "pages_per_second": round(summary.pages_per_second, 3)}],
        description=f"reportocr run of {input_dir} into {output_dir}",
    )
    create_link_artifact(
        key="reportocr-review", link=report_path(output_dir).resolve().as_uri(), link_text="review report"
    )
    return summary


PAGE_RUNNER = page_task_runner(load_settings(), load_inbox_settings())


@flow(name="process-inbox", task_runner=PAGE_RUNNER)
def process_inbox(
    input_dir: Path, output_dir: Path, settle_seconds: float | None = None, manifest_url: str | None = None
) -> RunSummary:
    """The nightly job: only files that are new or changed since the last run."""
    return _run(input_dir, output_dir, False, None, settle_seconds, manifest_url)


@flow(name="reprocess-archive", task_runner=PAGE_RUNNER)
def reprocess_archive(
    input_dir: Path,
    output_dir: Path,
    pattern: str | None = None,
    force: bool = False,
    settle_seconds: float | None = None,
    manifest_url: str | None = None,
) -> RunSummary:
    """Re-run part of an archive (a glob over paths under the input folder), e.g. after a template change."""
    return _run(input_dir, output_dir, force, pattern, settle_seconds, manifest_url)


def nightly_deployment(input_dir: Path, output_dir: Path) -> RunnerDeployment:
    """The `process_inbox` deployment that `reportocr serve` serves, on the schedule in config/inbox.yaml."""
    schedule = load_inbox_settings().schedule
    return process_inbox.to_deployment(
        name="nightly",
        schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
        parameters={"input_dir": str(input_dir.resolve()), "output_dir": str(output_dir.resolve())},
    )
