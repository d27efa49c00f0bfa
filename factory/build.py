"""`reportocr samples`: write image-only PDFs of the four report families with a truth file beside each."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from factory.degrade import PRESETS, degrade
from factory.families import BUILDERS
from factory.layout import DPI, font_face, render
from models.records import FAMILIES
from models.truth import Truth


def truth_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + ".truth.json")


def make_sample(out: Path, family: str, seed: int, preset: str, font: str | None = None) -> Path:
    """Render one document; return the PDF path. Same arguments, same bytes of truth."""
    if family not in BUILDERS:
        raise ValueError(f"unknown family {family!r}; choose from {', '.join(FAMILIES)}")
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
    name = f"{family}_{seed:05d}_{preset}.pdf"
    rng = random.Random(f"{family}:{seed}")  # values do not depend on the preset: presets are comparable
    plan = BUILDERS[family](rng, name)
    face = font_face(font, rng.randrange(1000))
    doc = render(plan.blocks, face, name, plan.header, plan.footer)
    noise = np.random.default_rng([seed, FAMILIES.index(family), PRESETS.index(preset)])
    scans = [degrade(img, preset, noise) for img in doc.images]
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / name
    tmp = pdf.with_suffix(".pdf.part")
    scans[0].save(tmp, "PDF", save_all=True, append_images=scans[1:], resolution=DPI)
    tmp.replace(pdf)
    truth = Truth(
        source=name,
        family=family,
        seed=seed,
        preset=preset,
        digits=plan.digits,  # type: ignore[arg-type]
        repeated_strings=[plan.header],
        pages=doc.pages,
        projects=plan.projects,
        progress=plan.progress,
        tables=doc.tables,
    )
    truth_path(pdf).write_text(truth.model_dump_json(indent=1), encoding="utf-8")
    return pdf


def make_samples(
    out: Path, seed: int, count: int, preset: str, families: list[str] | None = None, font: str | None = None
) -> list[Path]:
    """`count` documents per family, seeds seed, seed+1, ..."""
    made = []
    for family in families or list(FAMILIES):
        for k in range(count):
            made.append(make_sample(out, family, seed + k, preset, font))
    return made
