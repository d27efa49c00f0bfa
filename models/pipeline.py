"""Typed records passed between pipeline stages: discover -> rasterise -> OCR -> emit."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

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


class OcrWord(BaseModel):
    text: str
    bbox: tuple[int, int, int, int]  # pixels: x0, y0, x1, y1
    confidence: float  # 0-100 as Tesseract reports it


class OcrLine(BaseModel):
    text: str
    bbox: tuple[int, int, int, int]
    confidence: float  # mean of the line's word confidences, 0-100
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


class DocumentResult(BaseModel):
    """Everything one input file produced; the emit stage writes it out atomically."""

    document: DocumentRecord
    pages: list[OcrPage] = Field(default_factory=list)
