"""Speed and accuracy side by side, same PDFs, same dpi (300), same cores, one run, systems alternating:

  bare       pdftoppm + the tesseract CLI (`-l tha --psm 3`), two processes
  ocrmypdf   OCRmyPDF `-l tha --sidecar --jobs 2 --output-type none`, installed for the benchmark only
             into .venv-bench/ocrmypdf (pinned) unless --ocrmypdf names one; --ocrmypdf none skips it
  reportocr  the full `reportocr run` (all stages, records and reports)

    .venv/bin/python -m benchmarks.throughput [--folder DIR] [--rounds 2] [--ocrmypdf BIN|none] [--append]

Without --folder it makes one sample-factory document per family (office preset, seed 501).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.common import arguments, record
from benchmarks.samples import default_set
from tasks.discover import discover
from tasks.emit import text_path, write_atomic
from tasks.evaluate import evaluate
from tasks.preflight import inspect_pdf

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHAINLP_OFFLINE": "1"}


def bare(folder: Path, out: Path) -> None:
    def ocr(image: Path) -> str:
        cmd = ["tesseract", str(image), "-", "-l", "tha", "--psm", "3"]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, env=ENV).stdout

    for src in discover(folder):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-r", "300", "-gray", str(src.path), f"{tmp}/p"], check=True)
            with ThreadPoolExecutor(2) as pool:
                pages = list(pool.map(ocr, sorted(Path(tmp).glob("p-*.pgm"))))
        write_atomic(text_path(out, src.source), "\f".join(pages))


def ocrmypdf(binary: str) -> Callable[[Path, Path], None]:
    def run(folder: Path, out: Path) -> None:
        for src in discover(folder):
            sidecar = text_path(out, src.source)
            sidecar.parent.mkdir(parents=True, exist_ok=True)
            cmd = [binary, "-l", "tha", "--sidecar", str(sidecar), "--jobs", "2", "--output-type", "none",
                   "--quiet", str(src.path), "-"]  # fmt: skip
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)

    return run


OCRMYPDF_PIN = "ocrmypdf==17.13.0"


def ensure_ocrmypdf() -> str:
    """OCRmyPDF in its own virtual environment, so it never touches the project's pinned one."""
    venv = ROOT / ".venv-bench" / "ocrmypdf"
    binary = venv / "bin" / "ocrmypdf"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", OCRMYPDF_PIN], check=True)
    return str(binary)


def reportocr(folder: Path, out: Path) -> None:
    cmd = [
        str(ROOT / ".venv" / "bin" / "reportocr"),
        "run",
        "-i",
        str(folder),
        "-o",
        str(out),
        "--settle-seconds",
        "0",
    ]
    subprocess.run(cmd, check=False, capture_output=True, env=ENV)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--ocrmypdf", default="auto", help="an ocrmypdf executable, 'auto' or 'none'")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or default_set(Path(tmp) / "in")
        pages = sum(len(inspect_pdf(s.path, 300, 1e9).pages) for s in discover(folder))
        systems: dict[str, Callable[[Path, Path], None]] = {"bare": bare}
        if args.ocrmypdf != "none":
            systems["ocrmypdf"] = ocrmypdf(ensure_ocrmypdf() if args.ocrmypdf == "auto" else args.ocrmypdf)
        systems["reportocr"] = reportocr
        seconds: dict[str, list[float]] = {name: [] for name in systems}
        scores = {}
        for _ in range(args.rounds):
            for name, run in systems.items():  # alternating, so drift in machine load hits all alike
                out = Path(tmp) / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                t0 = time.perf_counter()
                run(folder, out)
                seconds[name].append(time.perf_counter() - t0)
                scores[name] = evaluate(out, folder).overall
    base = pages / statistics.median(seconds["bare"])
    head = "system       seconds  pages/s  vs bare  text CER  fields  progress"
    lines = [f"{pages} pages, {args.rounds} rounds, median of rounds", head]
    for name, times in seconds.items():
        s, rate = scores[name], pages / statistics.median(times)
        fields = "n/a" if not s.fields.right else f"{100 * s.fields.rate:.1f}%"
        progress = "n/a" if not s.progress_rows.right else f"{100 * s.progress_rows.rate:.1f}%"
        lines.append(f"{name:<11}{statistics.median(times):>9.1f}{rate:>9.3f}{rate / base:>8.2f}x"
                     f"{100 * (s.cer or 0):>9.1f}%{fields:>8}{progress:>10}")  # fmt: skip
    if "ocrmypdf" in seconds:
        ratio = statistics.median(seconds["ocrmypdf"]) / statistics.median(seconds["reportocr"])
        lines.append(f"reportocr vs ocrmypdf: {ratio:.2f}x")
    record("Throughput and accuracy: bare Tesseract, OCRmyPDF, reportocr", "\n".join(lines),
           time.perf_counter() - started, args.append)  # fmt: skip


if __name__ == "__main__":
    main()
