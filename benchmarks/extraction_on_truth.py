"""Extraction accuracy on truth-derived layouts (perfect OCR): projects.jsonl/progress.jsonl scored by
tasks.evaluate against the same truth files. Usage:

    PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/extraction_on_truth.py TRUTH_DIR [OUT_DIR]

TRUTH_DIR holds `reportocr samples` output; OUT_DIR (default: a temporary folder) receives the records.
Prints the evaluation table, the detection confusion and every wrong field (at most 40).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from factory.oracle import truth_layouts
from tasks.emit import write_jsonl
from tasks.evaluate import (
    evaluate,
    format_report,
    load_truths,
    match_projects,  # the harness's own pairing
    values_equal,
)
from tasks.extract import extract_document


def main(truth_dir: Path, out: Path) -> None:
    truths = load_truths(truth_dir)
    projects, progress, detections = [], [], Counter()
    started = time.perf_counter()
    for truth in truths:
        pages, layout = truth_layouts(truth)
        result = extract_document(truth.source, pages, layout)
        detections[(truth.family, result.detection.family)] += 1
        projects += result.projects
        progress += result.progress
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "projects.jsonl", projects)
    write_jsonl(out / "progress.jsonl", progress)
    report = evaluate(out, truth_dir)
    print(format_report(report))
    print(f"\n{len(truths)} documents in {seconds:.1f} s; detection (truth -> detected): {dict(detections)}")
    for name, score in sorted(report.overall.fields_by_name.items()):
        print(f"  {name:<20} {score.right}/{score.total}")
    shown = 0
    for truth in truths:
        mine = [p for p in projects if p.source == truth.source]
        for want, got in zip(truth.projects, match_projects(truth.projects, mine), strict=True):
            for fname, fv in want.fields.items():
                out_fv = got.fields.get(fname) if got else None
                if shown < 40 and (out_fv is None or not values_equal(out_fv.value, fv.value)):
                    shown += 1
                    print(
                        f"WRONG {truth.source} {str(want.fields['project_name'].value)[:30]} {fname}: "
                        f"want {fv.value!r} got {out_fv.value if out_fv else None!r}"
                    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()))
