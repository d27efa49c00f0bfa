"""Extraction accuracy on real OCR output, without re-running OCR: re-extracts every document stored by a
`reportocr run` (OUT/.state/<sha256>.json, a models.pipeline.DocumentResult) with the current templates
and rules, writes projects.jsonl/progress.jsonl (plus the run's text/ and tables.jsonl) into a scratch
folder and scores it with tasks.evaluate. Usage:

    .venv/bin/reportocr run --input IN --output RUN --settle-seconds 0          # OCR once
    PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/extraction_on_ocr.py IN RUN [SCRATCH] [--wrong N]
        [--also IN2 RUN2 ...] [--fit-calibration config/confidence.yaml [--unflagged-accuracy 0.9965]]
        [--no-reread]

Prints the evaluation table (with the reliability table) and the first N wrong fields and rows.
`--also IN RUN` (repeatable) pools further sets into one evaluation: their truth files are linked into
one folder per preset (SCRATCH/truth) and their stored results read as one run.
The flagged text fields are read again from the PDFs beside the truth files (tasks.reread), as a run
does; `--no-reread` leaves that out. `--fit-calibration PATH` fits the raw-score -> probability mapping
on these documents and writes it (tasks.evaluate.fit_calibration); use it on a development set only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from models.extract import ExtractionResult
from models.pipeline import DocumentResult
from models.settings import load_settings
from tasks.emit import write_jsonl
from tasks.evaluate import (
    PROGRESS_KEYS,
    evaluate,
    fit_calibration,
    format_report,
    load_truths,
    match_projects,
    match_rows,
    values_equal,
)
from tasks.extract import extract_document
from tasks.ocr import TesseractEngine
from tasks.reread import read_again


def load_results(run: Path) -> list[DocumentResult]:
    return [
        DocumentResult.model_validate_json(p.read_text(encoding="utf-8"))
        for p in sorted((run / ".state").glob("*.json"))
    ]


def pool_truths(truth_dirs: list[Path], target: Path) -> Path:
    """One truth folder for several sets: each truth file (and its PDF) linked under the same relative path
    (office/..., fax/...), so sources match the runs' relative paths. File names carry the seed: no clash."""
    shutil.rmtree(target, ignore_errors=True)
    for truth_dir in truth_dirs:
        for path in truth_dir.rglob("*"):
            if path.is_file():
                link = target / path.relative_to(truth_dir)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(path.resolve())
    return target


def by_preset(truth_dir: Path, out: Path, projects: list, progress: list) -> None:
    """One line per sub-folder of TRUTH_DIR (e.g. office/, fax/): its documents scored on their own."""
    for sub in sorted(p for p in truth_dir.iterdir() if p.is_dir() and any(p.rglob("*.truth.json"))):
        prefix = f"{sub.name}/"
        part = out / "by_preset" / sub.name
        part.mkdir(parents=True, exist_ok=True)

        def mine(records: list, prefix: str = prefix) -> list:
            return [
                r.model_copy(update={"source": r.source.removeprefix(prefix)})
                for r in records
                if r.source.startswith(prefix)
            ]

        write_jsonl(part / "projects.jsonl", mine(projects))
        write_jsonl(part / "progress.jsonl", mine(progress))
        s = evaluate(part, sub).overall
        wrong_flagged = s.wrong_flagged / s.wrong_fields if s.wrong_fields else None
        unflagged_right = s.unflagged_right / s.unflagged if s.unflagged else None
        print(
            f"preset {sub.name:<10} docs {s.documents:>3}  fields {_pct(s.fields.rate)} ({s.fields.right}/"
            f"{s.fields.total})  progress rows {_pct(s.progress_rows.rate)} ({s.progress_rows.right}/"
            f"{s.progress_rows.total})  wrong flagged {_pct(wrong_flagged)}  unflagged right "
            f"{_pct(unflagged_right)}  flagged {_pct(s.flagged / s.fields.total if s.fields.total else None)}"
        )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("truth_dir", type=Path)
    ap.add_argument("run", type=Path)
    ap.add_argument("scratch", type=Path, nargs="?")
    ap.add_argument("--wrong", type=int, default=40)
    ap.add_argument("--fit-calibration", type=Path, default=None)
    # the review threshold's target on cross-fitted scores: 99.5 % there left 99.0 % unflagged right on two
    # other sets (1501-1604), 99.55 % left 99.5 %; in the tenth session 99.55 % left 99.3 % on sets
    # 1801-1904 and 99.65 % left 99.9 / 99.7 % (docs/extraction.md)
    ap.add_argument("--unflagged-accuracy", type=float, default=0.9965)
    ap.add_argument("--no-reread", action="store_true", help="leave out the second reading (tasks.reread)")
    ap.add_argument("--also", nargs=2, type=Path, action="append", default=[], metavar=("IN", "RUN"))
    args = ap.parse_args()
    out: Path = args.scratch or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    sets = [(args.truth_dir, args.run), *map(tuple, args.also)]
    if args.also:
        args.truth_dir = pool_truths([truth for truth, _ in sets], out / "truth")
    results = [doc for _, run in sets for doc in load_results(run)]
    settings = load_settings()
    engine = TesseractEngine(settings.ocr)
    reread = settings.reread.model_copy(update={"enabled": settings.reread.enabled and not args.no_reread})
    settings = settings.model_copy(update={"reread": reread})

    def extract(doc: DocumentResult) -> ExtractionResult:
        result = extract_document(doc.document.source, [p.layout for p in doc.pages], doc.layout)
        # the second reading needs the PDF: the truth folder holds it under the run's relative path
        return read_again(result, args.truth_dir / doc.document.source, doc.pages, engine, settings)

    projects, progress = [], []
    started = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # the second readings wait on tesseract processes
        for result in pool.map(extract, [doc for doc in results if doc.layout is not None]):
            projects += result.projects
            progress += result.progress
    seconds = time.perf_counter() - started
    write_jsonl(out / "projects.jsonl", projects)
    write_jsonl(out / "progress.jsonl", progress)
    with (out / "tables.jsonl").open("w", encoding="utf-8") as tables:
        for _, run in sets:
            if (run / "tables.jsonl").is_file():
                tables.write((run / "tables.jsonl").read_text(encoding="utf-8"))
    for _, run in sets:
        if (run / "text").is_dir():
            shutil.copytree(run / "text", out / "text", dirs_exist_ok=True)
    if args.fit_calibration:
        fit_calibration(out, args.truth_dir, args.fit_calibration, args.unflagged_accuracy)
        print(f"calibration written to {args.fit_calibration}")
    report = evaluate(out, args.truth_dir)
    print(format_report(report))
    by_preset(args.truth_dir, out, projects, progress)
    print(f"\n{len(results)} documents re-extracted in {seconds:.1f} s")
    for name, score in sorted(report.overall.fields_by_name.items()):
        print(f"  {name:<20} {score.right}/{score.total}")
    shown = 0
    for truth in load_truths(args.truth_dir):
        mine = [p for p in projects if p.source == truth.source]
        matched = match_projects(truth.projects, mine)
        for want, got in zip(truth.projects, matched, strict=True):
            for fname, fv in want.fields.items():
                out_fv = got.fields.get(fname) if got else None
                if shown < args.wrong and (out_fv is None or not values_equal(out_fv.value, fv.value)):
                    shown += 1
                    conf = f"{out_fv.confidence:.2f}{'*' if out_fv.needs_review else ''}" if out_fv else "-"
                    print(
                        f"WRONG {truth.source} {str(want.fields['project_name'].value)[:25]} {fname}: "
                        f"want {fv.value!r} got {out_fv.value if out_fv else None!r} [{conf}] "
                        f"{out_fv.text[:60] if out_fv and out_fv.text else ''!r}"
                    )
        rows = [r for r in progress if r.source == truth.source]
        for want, got in zip(
            truth.progress, match_rows(truth.projects, matched, truth.progress, rows), strict=True
        ):
            bad = [
                k
                for k in PROGRESS_KEYS
                if getattr(want, k) is not None
                and (got is None or not values_equal(getattr(got, k), getattr(want, k)))
            ]
            if bad and shown < args.wrong:
                shown += 1
                print(
                    f"ROW {truth.source} seq {want.seq}: "
                    + ", ".join(
                        f"{k} want {getattr(want, k)!r} got {getattr(got, k) if got else None!r}" for k in bad
                    )
                )


if __name__ == "__main__":
    main()
