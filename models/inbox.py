"""Typed settings and summaries of inbox runs."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel


class ScheduleSettings(BaseModel):
    cron: str
    timezone: str


class InboxSettings(BaseModel):
    settle_seconds: float
    manifest_url: str | None
    schedule: ScheduleSettings
    page_runner: Literal["processes", "threads", "dask"]
    dask_address: str | None


@cache
def load_inbox_settings() -> InboxSettings:
    text = resources.files("config").joinpath("inbox.yaml").read_text(encoding="utf-8")
    return InboxSettings.model_validate(yaml.safe_load(text))


class RunSummary(BaseModel):
    found: int = 0  # PDFs under the input folder
    processed: int = 0
    unchanged: int = 0  # already in the manifest with the same sha256: skipped
    still_copying: int = 0  # modified within settle_seconds: left for the next run
    quarantined: int = 0
    failed: int = 0
    pages: int = 0
    fields_flagged: int = 0  # fields in the output that need a person (review/report.html)
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0
