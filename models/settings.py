"""Typed view of config/settings.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel


class OcrSettings(BaseModel):
    lang: str
    psm: int
    oem: int
    timeout_seconds: float
    table_upscale: float
    latin_lang: str  # model re-reading a short non-Thai word amid Thai ("PLC" the Thai model reads 066)
    latin_max_confidence: float  # words the Thai model read at least this surely are left alone
    latin_min_confidence: float  # the Latin model's reading is taken at this confidence or more
    tall_line: float  # a line this many times the usual height may be two lines read as one
    tall_line_slack: float  # confidence points a block re-reading's lines may fall below the line's
    space_rule: Literal["boxes", "paper"]  # where a line's spaces are: gaps between glyph boxes or paper
    space_gap: float  # "boxes": a gap between glyph boxes wider than this many median glyph widths
    paper_gap: float  # "paper": a run of paper across the line at least this many median glyph widths...
    paper_over_usual: float  # ...and this many times the line's median run between glyphs wide


class CleanSettings(BaseModel):
    orientation: bool
    orientation_min_confidence: float
    max_skew: float
    min_skew: float
    background_kernel: int
    ruling_min_length: int
    ruling_max_thickness: int
    ruling_pad: int
    dash_max_height: int
    min_stroke: float
    speckle_max_area: int
    speckle_isolation: int
    speckle_min_count: int


class LayoutSettings(BaseModel):
    header_band: float
    footer_band: float
    repeat_fraction: float
    similarity: float
    dash_confidence: float
    cell_margin: int
    column_gap: float
    column_tolerance: float
    row_gap: float
    min_table_rows: int
    min_table_columns: int
    min_full_rows: float
    overread: float


class ReviewSettings(BaseModel):
    view_dpi: int
    view_quality: int
    report_limit: int
    crop_margin: float


class DigitSettings(BaseModel):
    fonts: list[str]
    sizes: list[int]
    strokes: int
    min_score: float
    loose_min_score: float
    loose_factor: float
    speck_ratio: float
    sure_margin: float
    min_speck: float
    lookalikes: str


class RereadSettings(BaseModel):
    enabled: bool
    # calibration groups (config/confidence.yaml `groups`) whose flagged fields are read again
    groups: list[str]
    pad: int  # px at 300 dpi around the field's box
    max_line_height: int  # px at 300 dpi: a taller box holds several lines and is read as a block
    min_digit_confidence: float  # 0-100: a Thai-digit amount read glyph by glyph counts only this sure
    # unflagged fields in Arabic digits read again by the Latin model when they hold a digit of latin_slips
    latin_fields: list[str]
    # a digit the `tha` model reads for others -> the printed digits the Latin model may read there instead
    latin_slips: dict[str, str]


class Settings(BaseModel):
    dpi: int
    max_megapixels: float
    workers: int  # 0 = one per core
    ocr: OcrSettings
    clean: CleanSettings
    layout: LayoutSettings
    review: ReviewSettings
    digits: DigitSettings
    reread: RereadSettings


@cache
def load_settings() -> Settings:
    text = resources.files("config").joinpath("settings.yaml").read_text(encoding="utf-8")
    return Settings.model_validate(yaml.safe_load(text))
