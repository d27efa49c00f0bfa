"""The accuracy harness's report (`reportocr evaluate`)."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field


class Score(BaseModel):
    right: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, right: bool) -> None:
        self.total += 1
        self.right += int(right)


# Upper edges of the reliability table's bins of predicted confidence (the last bin holds exactly 1.0).
RELIABILITY_EDGES: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.98, 0.995, 1.0)


class ReliabilityBin(BaseModel):
    """Fields whose predicted confidence fell in [low, high): how many, how many right, mean confidence."""

    low: float
    high: float
    total: int = 0
    right: int = 0
    confidence_sum: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        return self.right / self.total if self.total else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mean_confidence(self) -> float | None:
        return self.confidence_sum / self.total if self.total else None


def _bins() -> list[ReliabilityBin]:
    lows = (0.0, *RELIABILITY_EDGES[:-1], 1.0)
    highs = (*RELIABILITY_EDGES[:-1], 1.0, 1.0)
    return [ReliabilityBin(low=lo, high=hi) for lo, hi in zip(lows, highs, strict=True)]


def reliability_bin(bins: list[ReliabilityBin], confidence: float) -> ReliabilityBin:
    if confidence >= 1.0:
        return bins[-1]
    return next(b for b in bins[:-1] if confidence < b.high or b is bins[-2])


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
    table_cells: Score = Field(default_factory=Score)  # cells of ruled tables
    aligned_cells: Score = Field(default_factory=Score)  # cells of tables printed without lines
    wrong_fields: int = 0
    wrong_flagged: int = 0  # wrong fields marked needs_review
    flagged: int = 0
    unflagged: int = 0
    unflagged_right: int = 0
    reliability: list[ReliabilityBin] = Field(default_factory=_bins)  # output fields by confidence
    # every truth field as (review order, right): 0.0 for one reviewed whatever its score (missing, or a
    # rule forced it), else 1 + its confidence; for the flagging curve, not written out
    ranked: list[tuple[float, bool]] = Field(default_factory=list, exclude=True)

    @property
    def cer(self) -> float | None:
        return self.text_errors / self.text_chars if self.text_chars else None


class EvaluationReport(BaseModel):
    overall: Scores
    families: dict[str, Scores]
    documents: dict[str, float | None]  # CER per truth document
