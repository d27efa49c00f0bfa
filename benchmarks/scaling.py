"""Pages per second of `reportocr run` with 1 and with 2 page workers on the same PDFs (goal: efficiency
>= 0.9, i.e. 2 workers at least 1.8x one worker).

    .venv/bin/python -m benchmarks.scaling [--folder DIR] [--append]
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import arguments, record
from benchmarks.samples import default_set
from tasks.discover import discover
from tasks.preflight import inspect_pdf

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or default_set(Path(tmp) / "in")
        pages = sum(len(inspect_pdf(s.path, 300, 1e9).pages) for s in discover(folder))
        for workers in (1, 2):
            out = Path(tmp) / f"out{workers}"
            cmd = [str(ROOT / ".venv" / "bin" / "reportocr"), "run", "-i", str(folder), "-o", str(out),
                   "--settle-seconds", "0", "--workers", str(workers)]  # fmt: skip
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            rates[workers] = pages / (time.perf_counter() - t0)
    body = (
        f"{pages} pages\n"
        f"1 worker : {rates[1]:.3f} pages/s\n2 workers: {rates[2]:.3f} pages/s\n"
        f"efficiency: {rates[2] / (2 * rates[1]):.2f} (goal >= 0.9)"
    )
    record("Scaling from 1 to 2 page workers", body, time.perf_counter() - started, args.append)


if __name__ == "__main__":
    main()
