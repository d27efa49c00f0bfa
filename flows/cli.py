"""`reportocr` command line (also `python -m flows.cli`)."""

from __future__ import annotations

import os

# Before any PyThaiNLP import: it must use only what its wheel ships, never download.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
# Several Tesseract processes run side by side; each must use one thread or they fight over the cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Government documents: the embedded Prefect server must not try to send usage telemetry anywhere.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer

from models.inbox import RunSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


class ExitCode(IntEnum):
    OK = 0  # every document processed
    SOME_QUARANTINED = 1  # the run finished; some files were quarantined or failed (see documents.jsonl)
    RUN_FAILED = 2  # the run could not complete (missing input folder, another run holds the output, ...)


def _run_and_report(call: Callable[[], RunSummary], output: Path) -> None:
    """Run a flow, then say what happened and exit with the documented code."""
    from tasks.emit import DiskFull
    from tasks.lock import RunLocked

    try:
        summary = call()
    except (RunLocked, DiskFull) as exc:
        typer.echo(f"reportocr: {exc}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED) from exc
    typer.echo(
        f"reportocr: {summary.found} PDFs, {summary.processed} processed ({summary.pages} pages, "
        f"{summary.pages_per_second:.2f} pages/s), {summary.unchanged} unchanged, "
        f"{summary.still_copying} still copying, {summary.quarantined} quarantined, {summary.failed} failed"
        f" -> {output}"
    )
    if summary.quarantined or summary.failed:
        typer.echo(f"  reasons: {output / 'quarantine.csv'}")
        raise typer.Exit(ExitCode.SOME_QUARANTINED)
    raise typer.Exit(ExitCode.OK)


def _check_input(input: Path) -> None:
    if not input.is_dir():
        typer.echo(f"reportocr: input folder not found: {input}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED)


SettleOption = Annotated[
    float | None,
    typer.Option(help="skip files changed in the last N seconds (still copying); default: config/inbox.yaml"),
]

ManifestOption = Annotated[
    str | None,
    typer.Option(
        help="SQLAlchemy URL of a shared manifest, e.g. postgresql+psycopg://user@host/db; "
        "default: config/inbox.yaml, else OUTPUT/manifest.sqlite"
    ),
]


@app.command()
def run(
    input: Annotated[Path, typer.Option("--input", "-i", help="folder of PDFs (searched recursively)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="folder for records, text and reports")],
    settle_seconds: SettleOption = None,
    manifest_url: ManifestOption = None,
    workers: Annotated[int | None, typer.Option(help="page workers; default: config/settings.yaml")] = None,
) -> None:
    """Process the PDFs under INPUT that are new or changed since the last run into OUTPUT."""
    from flows.inbox import process_inbox
    from flows.runners import page_task_runner
    from models.inbox import load_inbox_settings
    from models.settings import load_settings

    _check_input(input)
    flow = process_inbox
    if workers:
        settings = load_settings().model_copy(update={"workers": workers})
        flow = process_inbox.with_options(task_runner=page_task_runner(settings, load_inbox_settings()))
    _run_and_report(lambda: flow(input, output, settle_seconds, manifest_url), output)


@app.command()
def reprocess(
    input: Annotated[Path, typer.Option("--input", "-i", help="the archive folder")],
    output: Annotated[Path, typer.Option("--output", "-o", help="its output folder")],
    glob: Annotated[str | None, typer.Option(help="only paths under INPUT like this, e.g. '2565/*'")] = None,
    force: Annotated[bool, typer.Option(help="redo files already in the manifest")] = False,
    settle_seconds: SettleOption = None,
    manifest_url: ManifestOption = None,
) -> None:
    """Re-run part of an archive, e.g. a fiscal year's folder after a template or model change."""
    from flows.inbox import reprocess_archive

    _check_input(input)
    _run_and_report(
        lambda: reprocess_archive(input, output, glob, force, settle_seconds, manifest_url), output
    )


@app.command()
def serve(
    input: Annotated[Path, typer.Option("--input", "-i", help="the shared folder to watch")],
    output: Annotated[Path, typer.Option("--output", "-o", help="its output folder")],
) -> None:
    """Serve the nightly deployment (cron and time zone from config/inbox.yaml) to a Prefect server."""
    from prefect import serve as serve_deployments

    from flows.inbox import nightly_deployment
    from models.inbox import load_inbox_settings

    _check_input(input)
    schedule = load_inbox_settings().schedule
    typer.echo(f"serving 'nightly' on {schedule.cron} ({schedule.timezone}); Ctrl-C stops")
    serve_deployments(nightly_deployment(input, output))


@app.command()
def samples(
    out: Annotated[Path, typer.Option("--out", help="folder to write PDFs and truth files into")],
    seed: Annotated[int, typer.Option(help="first seed; documents use seed, seed+1, ...")] = 1,
    count: Annotated[int, typer.Option(help="documents per family")] = 1,
    preset: Annotated[str, typer.Option(help="clean | office | photocopy | fax")] = "office",
    family: Annotated[list[str] | None, typer.Option(help="limit to these families (repeatable)")] = None,
    font: Annotated[
        str | None, typer.Option(help="Sarabun | Laksaman | Garuda (default: seeded choice)")
    ] = None,
) -> None:
    """Make image-only scan-like PDFs of the four report families, each with <name>.truth.json beside it."""
    from factory.build import make_samples

    try:
        made = make_samples(out, seed, count, preset, family, font)
    except ValueError as exc:
        typer.echo(f"reportocr samples: {exc}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED) from exc
    for pdf in made:
        typer.echo(pdf)


@app.command()
def evaluate(
    output: Annotated[Path, typer.Option("--output", "-o", help="a `reportocr run` output folder")],
    truth: Annotated[Path, typer.Option("--truth", "-t", help="folder holding *.truth.json files")],
    json_out: Annotated[Path | None, typer.Option("--json", help="where to write the JSON summary")] = None,
) -> None:
    """Score OUTPUT against the truth files: text CER, fields, progress rows, table cells, review."""
    from tasks.evaluate import evaluate as run_evaluation
    from tasks.evaluate import format_report

    if not truth.is_dir() or not any(truth.rglob("*.truth.json")):
        typer.echo(f"reportocr evaluate: no *.truth.json files under {truth}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED)
    report = run_evaluation(output, truth)
    typer.echo(format_report(report))
    target = json_out or output / "evaluation.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report.model_dump_json(indent=1), encoding="utf-8")
    typer.echo(f"summary written to {target}")


review_app = typer.Typer(no_args_is_help=True, help="The reviewer's loop on a run's output folder.")
app.add_typer(review_app, name="review")
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="a `reportocr run` output folder")]


def _check_output(output: Path) -> None:
    if not (output / "documents.jsonl").is_file():
        typer.echo(f"reportocr: {output} is not a reportocr output folder (no documents.jsonl)", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED)


@review_app.command("apply")
def review_apply(
    queue: Annotated[Path, typer.Argument(help="a filled-in review/review_queue.csv")],
    output: OutputOption,
    reviewer: Annotated[str | None, typer.Option(help="who reviewed rows that name no reviewer")] = None,
    manifest_url: ManifestOption = None,
) -> None:
    """Merge the reviewer's decisions (accept / correct / reject) into the records and rebuild the files."""
    from flows.review import apply_queue
    from models.review import REVIEW_STATUSES
    from tasks.lock import RunLocked

    _check_output(output)
    if not queue.is_file():
        typer.echo(f"reportocr review apply: queue file not found: {queue}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED)
    who = reviewer or os.environ.get("USER") or "unknown"
    try:
        reading = apply_queue(output, queue, who, manifest_url)
    except (RunLocked, UnicodeDecodeError) as exc:
        typer.echo(f"reportocr review apply: {queue}: {exc}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED) from exc
    accepted, corrected, rejected = (sum(r.status == s for r in reading.reviews) for s in REVIEW_STATUSES)
    typer.echo(
        f"reportocr review apply: {len(reading.reviews)} decisions applied ({accepted} accepted, "
        f"{corrected} corrected, {rejected} rejected), {reading.unreviewed} rows not reviewed yet, "
        f"{len(reading.errors)} rows refused -> {output}"
    )
    for error in reading.errors:
        typer.echo(f"  {queue.name} line {error.row}: {error.message}", err=True)
    raise typer.Exit(ExitCode.SOME_QUARANTINED if reading.errors else ExitCode.OK)


@review_app.command("export-label-studio")
def review_export_label_studio(
    output: OutputOption,
    image_url_prefix: Annotated[
        str, typer.Option(help="how Label Studio reaches OUTPUT's files (local-files storage by default)")
    ] = "/data/local-files/?d=",
    manifest_url: ManifestOption = None,
) -> None:
    """Write the flagged fields as Label Studio tasks (page image, box, editable text, score)."""
    from flows.review import label_studio_export

    _check_output(output)
    tasks_file, count = label_studio_export(output, image_url_prefix, manifest_url)
    typer.echo(f"reportocr review export-label-studio: {count} fields -> {tasks_file}")


@app.command()
def debug(
    output: OutputOption,
    source: Annotated[str | None, typer.Option(help="only sources like this glob, e.g. '2567/*'")] = None,
    manifest_url: ManifestOption = None,
) -> None:
    """Draw what the OCR saw on each page (lines, words coloured by confidence, table cells) into
    OUTPUT/debug/<source>/p00001.png."""
    from flows.review import debug_drawings

    _check_output(output)
    written = debug_drawings(output, source, manifest_url)
    typer.echo(f"reportocr debug: {len(written)} page drawings under {output / 'debug'}")


if __name__ == "__main__":
    app()
