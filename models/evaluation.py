"""The accuracy harness's report (`reportocr evaluate`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Score(BaseModel):
    right: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, right: bool) -> None:
        self.total += 1
        self.right += int(right)


class Scores(BaseModel):
    """One group of documents (a family, or all)."""

    documents: int = 0
    text_errors: int = 0  # edit operations, whitespace-free, capped at each document's length
    text_chars: int = 0
    header_lines_left: int = 0  # repeated header/footer lines still in the cleaned text
    header_lines_total: int = 0  # how many were printed (one per page per repeated string)
    fields: Score = Field(default_factory=Score)
    fields_by_name: dict[str, Score] = Field(default_factory=dict)
    progress_rows: Score = Field(default_factory=Score)
    table_cells: Score = Field(default_factory=Score)
    wrong_fields: int = 0
    wrong_flagged: int = 0  # wrong fields marked needs_review
    flagged: int = 0
    unflagged: int = 0
    unflagged_right: int = 0

    @property
    def cer(self) -> float | None:
        return self.text_errors / self.text_chars if self.text_chars else None


class EvaluationReport(BaseModel):
    overall: Scores
    families: dict[str, Scores]
    documents: dict[str, float | None]  # CER per truth document
