"""Per-document results kept between runs (OUTPUT/.state/<sha256>.json).

The run-level files are rebuilt from these at the end of every run, so a run killed half way never
leaves a duplicate, a half line, or a record without its document.
"""

from __future__ import annotations

from pathlib import Path

from models.pipeline import DocumentResult
from tasks.emit import write_atomic


def state_path(output_dir: Path, sha256: str) -> Path:
    return output_dir / ".state" / f"{sha256}.json"


def save_result(output_dir: Path, result: DocumentResult) -> None:
    write_atomic(state_path(output_dir, result.document.sha256), result.model_dump_json())


def load_result(output_dir: Path, source: str, sha256: str) -> DocumentResult | None:
    """The stored result for this content, relabelled with `source` (one content may sit at two paths)."""
    path = state_path(output_dir, sha256)
    if not path.is_file():
        return None
    result = DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
    result.document.source = source
    return result
