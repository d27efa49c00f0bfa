"""Ground truth written beside every sample-factory PDF (`<name>.truth.json`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from models.records import DocType, ProgressRecord, ProjectRecord, TableRecord


class TruthPage(BaseModel):
    number: int  # 1-based
    header: list[str] = Field(default_factory=list)  # repeated strings drawn at the top of this page
    footer: list[str] = Field(default_factory=list)  # page number and other bottom strings
    body: list[str] = Field(default_factory=list)  # body lines in reading order, as drawn


class Truth(BaseModel):
    source: str  # PDF file name, relative to the folder the truth file sits in
    family: DocType
    seed: int
    preset: str
    digits: str  # "thai" or "arabic": the numerals the document was printed with
    repeated_strings: list[str] = Field(default_factory=list)  # header/footer strings that repeat per page
    pages: list[TruthPage] = Field(default_factory=list)
    projects: list[ProjectRecord] = Field(default_factory=list)
    progress: list[ProgressRecord] = Field(default_factory=list)
    tables: list[TableRecord] = Field(default_factory=list)

    def body_text(self) -> str:
        """Cleaned text as the contract's `text/<stem>.txt` should hold it: pages split by form feed."""
        return "\f".join("\n".join(page.body) for page in self.pages)
