"""Typed view of config/settings.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel


class OcrSettings(BaseModel):
    lang: str
    psm: int
    oem: int
    timeout_seconds: float


class Settings(BaseModel):
    dpi: int
    max_megapixels: float
    workers: int  # 0 = one per core
    ocr: OcrSettings


@cache
def load_settings() -> Settings:
    text = resources.files("config").joinpath("settings.yaml").read_text(encoding="utf-8")
    return Settings.model_validate(yaml.safe_load(text))
