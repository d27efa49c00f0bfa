"""Peak resident memory of `reportocr run` on one long document and on many short ones (should be flat).

GNU time's maximum RSS is that of the largest single process: the run or one of its page workers.

    .venv/bin/python -m benchmarks.memory [--pages 200] [--append]
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import arguments, record
from factory.build import make_sample
from tasks.discover import discover

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, pages: int, per_document: int, stock: Path) -> None:
    """`pages` pages in documents of `per_document` pages, cut from sample-factory documents (pdfunite);
    the factory's documents and single pages go to `stock`."""
    seed, pool = 700, []
    while len(pool) < pages:
        pdf = make_sample(stock, "obec_followup_report", seed, "office")
        n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout)[1])  # fmt: skip
        for page in range(1, n + 1):
            one = stock / f"{pdf.stem}-{page}.pdf"
            subprocess.run(["pdfseparate", "-f", str(page), "-l", str(page), str(pdf), str(one)], check=True)
            pool.append(one)
        seed += 1
    pool = pool[:pages]
    folder.mkdir(parents=True)
    for k, start in enumerate(range(0, pages, per_document)):
        parts = [str(p) for p in pool[start : start + per_document]]
        subprocess.run(["pdfunite", *parts, str(folder / f"doc{k:03d}.pdf")], check=True)


def peak_rss(folder: Path, out: Path) -> tuple[float, float, str]:
    cmd = ["/usr/bin/time", "-v", str(ROOT / ".venv" / "bin" / "reportocr"), "run", "-i", str(folder),
           "-o", str(out), "--settle-seconds", "0"]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    summary = next((x for x in proc.stdout.splitlines() if x.startswith("reportocr:")), "")
    report = out / "quarantine.csv"
    if report.is_file() and len(report.read_text(encoding="utf-8-sig").splitlines()) > 1:
        summary += " | " + " ".join(report.read_text(encoding="utf-8-sig").splitlines()[1:])
    return kb / 1024, time.perf_counter() - t0, summary


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, per_doc in ((f"1 document of {args.pages} pages", args.pages),
                               (f"{-(-args.pages // 10)} documents of <= 10 pages", 10)):  # fmt: skip
            folder = Path(tmp) / f"in-{per_doc}"
            build(folder, args.pages, per_doc, Path(tmp) / f"stock-{per_doc}")
            assert len(discover(folder)) == -(-args.pages // per_doc)
            mb, seconds, summary = peak_rss(folder, Path(tmp) / f"out-{per_doc}")
            rows.append(f"{label:<28}{mb:>10.1f} MB{seconds:>9.0f} s  {summary}")
    body = f"{'input':<28}{'peak RSS':>13}{'time':>11}\n" + "\n".join(rows)
    record("Peak memory of reportocr run", body, time.perf_counter() - started, args.append)


if __name__ == "__main__":
    main()
