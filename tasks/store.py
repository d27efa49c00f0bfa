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
from models.review import Review
from tasks.emit import write_atomic, write_jsonl


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


def view_path(output_dir: Path, sha256: str, page: int) -> Path:
    """The page as a person reads it (upright grey JPEG), kept for the reviewer's crops."""
    return output_dir / ".state" / "views" / sha256 / f"p{page:05d}.jpg"


def keep_view(output_dir: Path, sha256: str, page: PageResult) -> PageResult:
    """Move the page's view from the run's temporary work folder into the output's store."""
    if page.cleaned.view_path is None:
        return page
    dest = view_path(output_dir, sha256, page.image.page)
    write_atomic(dest, page.cleaned.view_path.read_bytes())
    page.cleaned.view_path.unlink()
    return page.model_copy(update={"cleaned": page.cleaned.model_copy(update={"view_path": dest})})


def drop_page_checkpoints(output_dir: Path, sha256: str) -> None:
    """Once the document's result is stored, its page checkpoints are redundant."""
    shutil.rmtree(output_dir / ".state" / "pages" / sha256, ignore_errors=True)


def reviews_path(output_dir: Path) -> Path:
    """The reviewers' decisions: people's work, so kept beside the report, not in the rebuildable state."""
    return output_dir / "review" / "reviews.jsonl"


def load_reviews(output_dir: Path) -> list[Review]:
    path = reviews_path(output_dir)
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Review.model_validate_json(line) for line in lines if line.strip()]


def save_reviews(output_dir: Path, reviews: list[Review]) -> None:
    write_jsonl(reviews_path(output_dir), reviews)
