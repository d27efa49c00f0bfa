"""Typed page and document layout: ruling lines, table grids, reading-order lines, running headers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from models.records import TableRecord

Box = tuple[int, int, int, int]  # pixels: x0, y0, x1, y1


class Ruling(BaseModel):
    """A straight ruling line found on the cleaned page; removed before OCR, kept for table segmentation."""

    orientation: Literal["h", "v"]
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def pos(self) -> float:
        """The line's position across its length: y of a horizontal line, x of a vertical one."""
        return (self.y0 + self.y1) / 2 if self.orientation == "h" else (self.x0 + self.x1) / 2


class TableCell(BaseModel):
    row: int  # grid slot of the top-left corner
    col: int
    rowspan: int = 1
    colspan: int = 1
    box: Box
    text: str = ""
    confidence: float | None = None  # mean character confidence, 0-100; None for an empty cell
    # offsets in `text` where two of its printed lines were joined without a space: Thai wraps between words
    # without one, so whether a space was printed at the break is unknown
    breaks: list[int] = Field(default_factory=list)


class Table(BaseModel):
    box: Box
    n_rows: int
    n_cols: int
    header_rows: int  # leading grid rows that are the table's header
    cells: list[TableCell] = Field(default_factory=list)
    ruled: bool = True  # False: printed without lines, its columns found from the alignment of its text

    def grid(self, rows: range) -> list[list[str]]:
        """Rows of the full grid; a merged cell's text sits in its top-left slot, '' elsewhere."""
        out = [["" for _ in range(self.n_cols)] for _ in rows]
        for cell in self.cells:
            if cell.row in rows:
                out[cell.row - rows.start][cell.col] = cell.text
        return out

    def row_texts(self) -> list[str]:
        """Each grid row's non-empty cells joined by a space: the table as reading-order text lines."""
        return [" ".join(c for c in row if c) for row in self.grid(range(self.n_rows))]


LineRole = Literal["body", "header", "footer", "table"]


class LayoutLine(BaseModel):
    text: str
    box: Box
    confidence: float | None  # mean character confidence, 0-100
    role: LineRole = "body"
    table: int | None = None  # index into PageLayout.tables for role "table"


class LayoutBlock(BaseModel):
    """Consecutive lines printed as one unit: a paragraph, or one table."""

    role: Literal["body", "table"]
    box: Box
    lines: list[int]  # indices into PageLayout.lines


class PageLayout(BaseModel):
    """One page's lines in reading order (table rows in place of their table), blocks and tables."""

    width: int
    height: int
    lines: list[LayoutLine] = Field(default_factory=list)
    blocks: list[LayoutBlock] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)


class DocumentLayout(BaseModel):
    """What the document-level layout pass decided across all pages."""

    headers: list[str] = Field(default_factory=list)  # running header/footer text, one per repeated group
    page_numbers: list[str | None] = Field(default_factory=list)  # printed page label per page, as read
    page_texts: list[str] = Field(default_factory=list)  # body text per page, headers and footers removed
    removed: list[list[int]] = Field(default_factory=list)  # per page: indices of PageLayout.lines removed
    tables: list[TableRecord] = Field(default_factory=list)
