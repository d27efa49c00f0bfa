"""Detect: which report family a document is, from the titles and labels on its first pages.

Each template lists its family's titles (weight 2) and labels (weight 1); a family's score is the
weighted share of them found (fuzzily, so OCR damage still counts, at the match's similarity). The best
family wins when its score reaches `detection.min_score` in config/rules.yaml; otherwise "unknown".
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from models.extract import Detection, Template
from models.layout import DocumentLayout, PageLayout
from tasks.labels import find_label
from tasks.thai_text import normalize_line
from tasks.validate import load_rules


@cache
def load_templates() -> dict[str, Template]:
    """Every config/templates/*.yaml, by family: a new family is a new file there."""
    folder = files("config").joinpath("templates")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            template = Template.model_validate(yaml.safe_load(entry.read_text(encoding="utf-8")))
            out[template.family] = template
    return out


def _best(lines: list[str], text: str, min_score: float) -> float:
    label = normalize_line(text)
    scores = [m.score for line in lines if (m := find_label(line, label, min_score)) is not None]
    return max(scores, default=0.0)


def detect(pages: list[PageLayout], layout: DocumentLayout) -> Detection:
    settings = load_rules()["detection"]
    lines = [normalize_line(h) for h in layout.headers]
    lines += [normalize_line(ln.text) for page in pages[: settings["pages"]] for ln in page.lines]
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for family, template in load_templates().items():
        weighted = [(t, 2.0) for t in template.detect.titles] + [(lb, 1.0) for lb in template.detect.labels]
        got, total, found = 0.0, 0.0, []
        for text, weight in weighted:
            score = _best(lines, text, settings["min_label"])
            got += weight * score
            total += weight
            if score:
                found.append(f"{text} ({score:.2f})")
        scores[family] = round(got / total, 4) if total else 0.0
        evidence[family] = found
    best = max(scores, key=lambda f: scores[f], default=None)
    if best is None or scores[best] < settings["min_score"]:
        return Detection(
            family="unknown",
            confidence=round(1 - max(scores.values(), default=0.0), 4),
            evidence=[],
            scores=scores,
        )
    return Detection(family=best, confidence=scores[best], evidence=evidence[best], scores=scores)  # type: ignore[arg-type]
