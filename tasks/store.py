"""Results kept between runs: per document (OUTPUT/.state/<sha256>.json) and, while a document is in
progress, per page (OUTPUT/.state/pages/<sha256>/), so a killed run does not redo finished pages.

The run-level files are rebuilt from these at the end of every run, so a run killed half way never
leaves a duplicate, a half line, or a record without its document.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from pydantic import BaseModel

from models.pipeline import DocumentResult, PageResult
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


def settings_digest(settings: BaseModel) -> str:
    """Page results are reusable only under the settings that made them."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()[:12]


def page_checkpoint(output_dir: Path, sha256: str, page: int, digest: str) -> Path:
    """Keyed by the PDF's content, the page and the settings, never by path: a moved file still resumes."""
    return output_dir / ".state" / "pages" / sha256 / f"{page:05d}-{digest}.json"


def save_page(path: Path, page: PageResult) -> None:
    write_atomic(path, page.model_dump_json())


def load_page(path: Path) -> PageResult | None:
    if not path.is_file():
        return None
    return PageResult.model_validate_json(path.read_text(encoding="utf-8"))


def drop_page_checkpoints(output_dir: Path, sha256: str) -> None:
    """Once the document's result is stored, its page checkpoints are redundant."""
    shutil.rmtree(output_dir / ".state" / "pages" / sha256, ignore_errors=True)
