"""Text CER of bare Tesseract on a folder of sample-factory PDFs: the baseline every stage must beat.

Bare means: `pdftoppm -r 300 -gray` then the `tesseract` CLI with `-l tha --psm 3`, nothing else.
The text goes where `reportocr run` writes it, so `reportocr evaluate` scores both the same way.

    .venv/bin/python benchmarks/bare_tesseract_cer.py data/raw [--append docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tasks.discover import discover
from tasks.emit import text_path, write_atomic
from tasks.evaluate import evaluate, format_report


def bare_tesseract(pdf: Path, dpi: int = 300) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{tmp}/p"], check=True)
        pages = []
        for image in sorted(Path(tmp).glob("p-*.pgm")):
            out = subprocess.run(
                ["tesseract", str(image), "-", "-l", "tha", "--psm", "3"],
                check=True, capture_output=True, text=True,
            )
            pages.append(out.stdout)
    return "\f".join(pages)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="PDFs with *.truth.json beside them")
    parser.add_argument("--append", type=Path, help="append the table to this markdown file")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        out_dir = Path(out)
        for src in discover(args.folder):
            write_atomic(text_path(out_dir, src.source), bare_tesseract(src.path))
        table = format_report(evaluate(out_dir, args.folder))
    seconds = time.perf_counter() - started
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    command = "python " + " ".join(shlex.quote(a) for a in sys.argv)
    text = (
        f"\n### Bare Tesseract text CER on `{args.folder}` — {date.today().isoformat()}\n\n"
        f"- machine: {os.cpu_count()} cores, {cpu_model()}; {version}, `-l tha --psm 3`, 300 dpi\n"
        f"- command: `{command}` ({seconds:.0f} s)\n\n```\n{table}\n```\n"
    )
    print(text)
    if args.append:
        with args.append.open("a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
