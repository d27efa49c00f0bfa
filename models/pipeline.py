"""Typed records passed between pipeline stages: discover -> rasterise -> clean -> OCR -> layout -> emit."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from models.extract import ExtractionResult
from models.layout import Box, DocumentLayout, PageLayout, Ruling
from models.records import DocumentRecord


class SourceFile(BaseModel):
    path: Path
    source: str  # relative to the input folder, POSIX separators
    sha256: str
    size: int


class PageImage(BaseModel):
    source: str
    page: int  # 1-based
    path: Path
    width: int
    height: int
    dpi: int
    source_ppi: float | None = None  # resolution of the scan embedded in the PDF page, when there is one
    upsampled: bool = False  # the embedded scan was coarser than `dpi`: detail below its resolution is lost


class CleanedPage(BaseModel):
    """The page as sent to OCR: upright, deskewed, binarised, ruling lines removed (kept in `rulings`)."""

    path: Path
    width: int
    height: int
    rotation: int = 0  # degrees clockwise the page was turned to make it upright (0/90/180/270)
    skew: float = 0.0  # degrees the page was rotated to straighten its text lines
    rulings: list[Ruling] = Field(default_factory=list)
    dashes: list[Box] = Field(default_factory=list)  # dash-shaped marks, for text Tesseract drops
    view_path: Path | None = None  # upright grey page (JPEG at review.view_dpi) the review crops come from
    seconds: float = 0.0


class OcrWord(BaseModel):
    text: str
    bbox: Box  # union of its characters' boxes
    confidence: float  # mean of its characters' confidences, 0-100 as Tesseract reports them
    min_confidence: float | None = None  # its least confident character
    space_before: bool = False  # a space separated it from the previous word of its line


class OcrLine(BaseModel):
    text: str
    bbox: Box
    confidence: float  # mean of the line's character confidences, 0-100
    words: list[OcrWord] = Field(default_factory=list)


class OcrPage(BaseModel):
    source: str
    page: int
    width: int
    height: int
    engine: str
    seconds: float
    lines: list[OcrLine] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def mean_confidence(self) -> float | None:
        confs = [w.confidence for line in self.lines for w in line.words]
        return sum(confs) / len(confs) if confs else None


class PageResult(BaseModel):
    """Everything one page produced (rasterise -> clean -> OCR -> page layout), inspectable on its own."""

    image: PageImage
    cleaned: CleanedPage
    ocr: OcrPage
    layout: PageLayout

    @property
    def mean_confidence(self) -> float | None:
        return self.ocr.mean_confidence


class DocumentResult(BaseModel):
    """Everything one input file produced; the emit stage writes it out atomically."""

    document: DocumentRecord
    pages: list[PageResult] = Field(default_factory=list)
    layout: DocumentLayout | None = None
    text: list[str] = Field(default_factory=list)  # each page's body text after the Thai text stage
    extraction: ExtractionResult | None = None
