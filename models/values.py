"""Typed results of the Thai text stage: tokens, corrections, parsed values and label matches."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TokenKind = Literal["thai", "number", "latin", "space", "punct"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Token(_Frozen):
    text: str
    start: int  # character offsets into the text that was tokenised
    end: int
    kind: TokenKind
    known: bool = True  # False for a Thai token missing from the dictionary


class Correction(_Frozen):
    before: str
    after: str
    reason: str
    score: float = Field(ge=0.0, le=1.0)  # confidence that `after` is right
    start: int  # offsets of `before` in the line it was found in
    end: int
    line: int = 0  # 0-based line number in the corrected text


class Flag(_Frozen):
    """Something the corrector saw but deliberately left alone (a name, a number, an unknown word)."""

    text: str
    reason: str
    start: int
    end: int
    line: int = 0


class CorrectedText(_Frozen):
    text: str
    corrections: list[Correction] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)


class ParsedValue(_Frozen):
    value: Any = None  # None when nothing could be read
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    text: str = ""  # the input the value was read from

    @property
    def ok(self) -> bool:
        return self.value is not None


class LabelMatch(_Frozen):
    label: str  # canonical label text from config/dictionary/labels.yaml
    family: str
    score: float = Field(ge=0.0, le=1.0)
    start: int  # span of the label as printed in the line
    end: int
    value_start: int  # span of the remainder after the label and any ":" / "..." separators
    value_end: int
    value: str
