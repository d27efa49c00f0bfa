"""Nightly re-run cost: a first `reportocr run` over N small PDFs, then a second over the unchanged files.

The second run must only hash, consult the manifest and rebuild the run files (goal: <= 30 s for 1,000).

    .venv/bin/python -m benchmarks.incremental [--count 1000] [--append]
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from benchmarks.common import arguments, record
from factory.layout import Layout, font_face

REPORTOCR = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "reportocr"


def small_pdf(path: Path, text: str) -> None:
    """A one-line, 3 x 1 inch scan: real OCR work, but little of it."""
    img = Image.new("L", (900, 300), 255)
    ImageDraw.Draw(img).text((40, 100), text, font=Layout(font_face("Sarabun", 0)).font(), fill=0)
    img.save(path, "PDF", resolution=300)


def timed_run(inbox: Path, out: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [str(REPORTOCR), "run", "-i", str(inbox), "-o", str(out), "--settle-seconds", "0"],
        capture_output=True, text=True,
    )  # fmt: skip
    summary = next(
        (line for line in proc.stdout.splitlines() if line.startswith("reportocr:")), proc.stderr[-300:]
    )
    return time.perf_counter() - started, summary


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        for i in range(args.count):
            folder = inbox / f"ปี {2560 + i % 8}"
            folder.mkdir(parents=True, exist_ok=True)
            small_pdf(folder / f"รายงาน {i:05d}.pdf", f"รายงานความก้าวหน้าโครงการ ครั้งที่ {i}")
        first, first_summary = timed_run(inbox, out)
        second, second_summary = timed_run(inbox, out)
    body = (
        f"{'run':<8}{'seconds':>10}  summary\n"
        f"{'first':<8}{first:>10.1f}  {first_summary}\n"
        f"{'second':<8}{second:>10.1f}  {second_summary}\n"
        f"second run over {args.count} unchanged PDFs: {second:.1f} s (goal <= 30 s)"
    )
    record(
        f"Incremental nightly run over {args.count} small PDFs",
        body,
        time.perf_counter() - started,
        args.append,
    )


if __name__ == "__main__":
    main()
