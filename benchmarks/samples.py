"""The default benchmark input: one sample-factory document per family (about 15 pages)."""

from __future__ import annotations

from pathlib import Path

from factory.build import make_samples


def default_set(out: Path, seed: int = 501, preset: str = "office") -> Path:
    make_samples(out, seed=seed, count=1, preset=preset)
    return out
