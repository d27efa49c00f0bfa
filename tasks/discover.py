"""Discover: find the PDFs under an input folder and fingerprint them."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from models.pipeline import SourceFile


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def discover(input_dir: Path) -> list[SourceFile]:
    """Every `*.pdf` (any case) under `input_dir`, in a stable order; symlinked folders are not followed."""
    found = []
    for root, dirs, files in os.walk(input_dir):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() != ".pdf" or not path.is_file():
                continue
            found.append(
                SourceFile(
                    path=path,
                    source=path.relative_to(input_dir).as_posix(),
                    sha256=sha256_file(path),
                    size=path.stat().st_size,
                )
            )
    return found


def is_settled(path: Path, settle_seconds: float) -> bool:
    """False while the file may still be copying onto the share: modified within the last `settle_seconds`."""
    return time.time() - path.stat().st_mtime >= settle_seconds
