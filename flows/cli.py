"""`reportocr` command line (also `python -m flows.cli`)."""

from __future__ import annotations

import os

# Before any PyThaiNLP import: it must use only what its wheel ships, never download.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
# Several Tesseract processes run side by side; each must use one thread or they fight over the cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


class ExitCode(IntEnum):
    OK = 0  # every document processed
    SOME_QUARANTINED = 1  # the run finished; some files were quarantined or failed (see documents.jsonl)
    RUN_FAILED = 2  # the run itself could not complete (bad arguments, missing input folder, ...)


@app.command()
def run(
    input: Annotated[Path, typer.Option("--input", "-i", help="folder of PDFs (searched recursively)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="folder for records, text and reports")],
) -> None:
    """Process every PDF under INPUT into OUTPUT."""
    from flows.pipeline import run_pipeline

    if not input.is_dir():
        typer.echo(f"reportocr: input folder not found: {input}", err=True)
        raise typer.Exit(ExitCode.RUN_FAILED)
    output.mkdir(parents=True, exist_ok=True)
    results = run_pipeline(input, output)
    bad = [r.document for r in results if r.document.status != "ok"]
    pages = sum(r.document.pages for r in results)
    typer.echo(f"reportocr: {len(results)} documents, {pages} pages, {len(bad)} not ok -> {output}")
    for d in bad:
        typer.echo(f"  {d.status}: {d.source}: {d.error}")
    raise typer.Exit(ExitCode.SOME_QUARANTINED if bad else ExitCode.OK)


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


if __name__ == "__main__":
    app()
