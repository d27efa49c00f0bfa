"""Shared by the benchmark scripts: the machine description and appending a result to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def tesseract_version() -> str:
    return subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]


def record(title: str, body: str, seconds: float, append: bool) -> None:
    """Print the result; with `append`, add it to docs/benchmarks.md with date, machine and command."""
    main = sys.modules["__main__"]
    spec = getattr(main, "__spec__", None)
    script = f"-m {spec.name}" if spec else sys.argv[0]  # as it was invoked: `python -m benchmarks.NAME`
    command = f".venv/bin/python {script} " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    text = (
        f"\n### {title} — {date.today().isoformat()}\n\n"
        f"- machine: {os.cpu_count()} cores, {cpu_model()}; {tesseract_version()}\n"
        f"- command: `{command}` ({seconds:.0f} s)\n\n```\n{body}\n```\n"
    )
    print(text)
    if append:
        with BENCHMARKS_MD.open("a", encoding="utf-8") as fh:
            fh.write(text)


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's command line: its docstring as help, and --append."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--append", action="store_true", help="append the result to docs/benchmarks.md")
    return parser
