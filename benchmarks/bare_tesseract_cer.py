"""Text CER of bare Tesseract on a folder of sample-factory PDFs: the baseline every stage must beat.

Bare means: `pdftoppm -r 300 -gray` then the `tesseract` CLI with `-l tha --psm 3`, nothing else.
The text goes where `reportocr run` writes it, so `reportocr evaluate` scores both the same way.

    .venv/bin/python -m benchmarks.bare_tesseract_cer data/raw [--append]
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import arguments, record
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
                check=True,
                capture_output=True,
                text=True,
            )
            pages.append(out.stdout)
    return "\f".join(pages)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("folder", type=Path, help="PDFs with *.truth.json beside them")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        out_dir = Path(out)
        for src in discover(args.folder):
            write_atomic(text_path(out_dir, src.source), bare_tesseract(src.path))
        table = format_report(evaluate(out_dir, args.folder))
    seconds = time.perf_counter() - started
    title = f"Bare Tesseract text CER on `{args.folder}` (`-l tha --psm 3`, 300 dpi)"
    record(title, table, seconds, args.append)


if __name__ == "__main__":
    main()
