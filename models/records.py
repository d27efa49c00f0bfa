"""Output contract v1: the records `reportocr run` writes (see README, "Output contract")."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.review import ReviewItem, ReviewMark

DocType = Literal[
    "bma_project_form", "bma_project_page", "obec_progress_summary", "obec_followup_report", "unknown"
]
DOC_TYPES: tuple[str, ...] = DocType.__args__  # type: ignore[attr-defined]
FAMILIES: tuple[str, ...] = tuple(t for t in DOC_TYPES if t != "unknown")

DocumentStatus = Literal["ok", "failed", "quarantined"]
ProjectStatus = Literal["not_started", "in_progress", "completed", "cancelled", "not_reported"]
PROJECT_STATUSES: tuple[str, ...] = ProjectStatus.__args__  # type: ignore[attr-defined]

# Field names of a project record, in contract order.
PROJECT_FIELDS: tuple[str, ...] = (
    "project_name",
    "project_code",
    "fiscal_year",
    "agency",
    "division",
    "responsible_person",
    "coordinator",
    "start_date",
    "end_date",
    "as_of_date",
    "budget_allocated",
    "budget_spent",
    "budget_remaining",
    "status",
    "progress_percent",
)

# How a field's value is typed (tasks/values parsers); fields not listed are text.
FIELD_PARSERS: dict[str, str] = {
    "project_code": "project_code",
    "fiscal_year": "fiscal_year",
    "start_date": "date",
    "end_date": "date",
    "as_of_date": "date",
    "budget_allocated": "money",
    "budget_spent": "money",
    "budget_remaining": "money",
    "progress_percent": "percent",
    "status": "status",
}


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")  # the contract says "add fields freely"


class FieldValue(Record):
    value: Any = None  # typed: str, int, float, ISO date string, or null
    text: str = ""  # the OCR text the value was read from
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    page: int | None = None  # 1-based
    bbox: list[float] | None = None  # [x0, y0, x1, y1] as fractions of the page
    needs_review: bool = True
    reasons: list[str] = Field(default_factory=list)
    review: ReviewMark | None = None  # a person checked this value (confidence is then 1.0)
    previous_review: ReviewMark | None = None  # a person checked this field on an earlier version of the file


class ProjectRecord(Record):
    source: str
    doc_type: DocType
    fields: dict[str, FieldValue] = Field(default_factory=dict)


class ProgressRecord(Record):
    source: str
    project_code: str | None = None
    project_name: str | None = None
    seq: int
    report_date: str | None = None  # ISO yyyy-mm-dd, Gregorian
    progress_percent: float | None = None
    disbursed: float | None = None
    note: str | None = None
    on_plan: bool | None = None
    on_target: bool | None = None
    problems: str | None = None
    obstacles: str | None = None
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    needs_review: bool = True


class TableRecord(Record):
    source: str
    page: int
    table_index: int  # 0-based, in reading order within the page
    title: str | None = None
    header: list[list[str]] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    ruled: bool = True  # False: no ruling lines on paper; rows and columns were found from text alignment


class DocumentRecord(Record):
    source: str  # path relative to the input folder, POSIX separators
    sha256: str
    doc_type: DocType = "unknown"
    pages: int = 0
    status: DocumentStatus
    error: str | None = None
    mean_confidence: float | None = None


class RunRecords(BaseModel):
    """Everything a run's output files are written from: rebuilt whole from the per-document results."""

    documents: list[DocumentRecord] = Field(default_factory=list)
    projects: list[ProjectRecord] = Field(default_factory=list)
    progress: list[ProgressRecord] = Field(default_factory=list)
    tables: list[TableRecord] = Field(default_factory=list)
    review: list[ReviewItem] = Field(default_factory=list)  # flagged fields, least confident first

    @property
    def field_count(self) -> int:
        return sum(len(p.fields) for p in self.projects)
