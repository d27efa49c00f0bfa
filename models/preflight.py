"""What the preflight check learnt about a PDF before any page is rasterised."""

from __future__ import annotations

from pydantic import BaseModel


class PageGeometry(BaseModel):
    number: int  # 1-based
    width_pt: float
    height_pt: float
    rotation: int  # degrees, as the PDF asks the viewer to turn the page


class PdfInfo(BaseModel):
    pages: list[PageGeometry]
    encrypted: bool  # encrypted but openable (no user password): processed, noted
