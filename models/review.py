"""Typed records of the reviewer's loop: the fields to check, and the decisions a reviewer made."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ReviewStatus = Literal["accept", "correct", "reject"]
REVIEW_STATUSES: tuple[str, ...] = ReviewStatus.__args__  # type: ignore[attr-defined]


class ReviewItem(BaseModel):
    """One field that needs a person: where it is, what was read, and why it was flagged."""

    source: str
    sha256: str
    doc_type: str
    project_index: int  # 0-based position of the project in its document's records
    project: str | None = None  # the project's code or name, for people
    field: str
    value: Any = None
    text: str = ""  # the OCR text the value was read from
    confidence: float
    page: int | None = None  # 1-based
    bbox: list[float] | None = None  # [x0, y0, x1, y1] as fractions of the page
    reasons: list[str] = Field(default_factory=list)


class Review(BaseModel):
    """A reviewer's decision on one field of one version (sha256) of a file; kept in review/reviews.jsonl."""

    source: str
    sha256: str
    project_index: int
    project: str | None = None
    field: str
    extracted: Any = None  # the value the pipeline had read when the reviewer looked
    status: ReviewStatus
    value: Any = None  # accept: the extracted value; correct: the reviewer's; reject: none
    reviewer: str
    reviewed_at: str  # ISO 8601, UTC


class ReviewMark(BaseModel):
    """Carried on a record's field: who reviewed it, when, and what the pipeline had read."""

    status: ReviewStatus
    reviewer: str
    reviewed_at: str
    extracted: Any = None
    value: Any = None  # on `previous_review`: the value the reviewer settled on for the older file
