"""Page cleaning on synthetic images: background, skew, ruling lines (removed, kept as geometry), dashes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from models.settings import load_settings
from tasks.clean import (
    binarise,
    clean_page,
    erase_rulings,
    estimate_skew,
    find_dashes,
    find_rulings,
    flatten_background,
    rotate,
)


def _page(h: int = 1200, w: int = 1000) -> np.ndarray:
    return np.full((h, w), 255, np.uint8)


def _text_rows(img: np.ndarray, top: int, rows: int, step: int = 60) -> None:
    """Blocks of short ink marks standing in for lines of glyphs."""
    for r in range(rows):
        for x in range(100, 800, 30):
            cv2.rectangle(img, (x, top + r * step), (x + 18, top + r * step + 25), 0, -1)


def _grid(img: np.ndarray, x0: int, y0: int, xs: list[int], ys: list[int]) -> None:
    for y in ys:
        cv2.line(img, (x0, y), (xs[-1], y), 0, 3)
    for x in xs:
        cv2.line(img, (x, y0), (x, ys[-1]), 0, 3)


def test_grid_rulings_are_found_and_erased_but_text_and_free_lines_stay() -> None:
    img = _page()
    xs, ys = [100, 400, 700, 900], [500, 600, 700, 800]
    _grid(img, 100, 500, xs, ys)
    cv2.rectangle(img, (150, 530), (170, 560), 0, -1)  # a glyph inside a cell
    cv2.line(img, (100, 300), (800, 300), 0, 3)  # an underline, not part of any grid
    rulings = find_rulings(img, min_length=120, max_thickness=12)
    assert len([r for r in rulings if r.orientation == "h"]) == len(ys)
    assert len([r for r in rulings if r.orientation == "v"]) == len(xs)
    assert all(abs(r.pos - 300) > 20 for r in rulings if r.orientation == "h")
    cleaned = erase_rulings(img, rulings, pad=2)
    assert (cleaned[500:801, 100:901] < 128).sum() == (img[530:561, 150:171] < 128).sum()  # only the glyph
    assert (cleaned[298:303, 100:800] < 128).all()  # the underline is still there


def test_flattened_shaded_page_binarises_to_white_paper_and_black_ink() -> None:
    gx = np.mgrid[0:600, 0:600][1].astype(np.float32)
    img = (150 + 100 * gx / 600).astype(np.uint8)  # paper from dark grey to white
    cv2.rectangle(img, (300, 300), (320, 340), 40, -1)
    binary = binarise(flatten_background(img, 61))
    assert (binary[:250, :] == 255).mean() > 0.99
    assert (binary[305:335, 305:315] == 0).all()


@pytest.mark.parametrize("angle", [-2.0, 1.3])
def test_skew_is_measured_within_a_tenth_of_a_degree(angle: float) -> None:
    img = _page()
    _text_rows(img, 200, 12)
    est = estimate_skew(binarise(rotate(img, angle)), max_skew=5.0)
    assert abs(est + angle) <= 0.1


def test_dashes_are_flat_solid_marks() -> None:
    img = _page(200, 400)
    cv2.rectangle(img, (20, 50), (40, 55), 0, -1)  # a hyphen
    cv2.rectangle(img, (100, 40), (110, 80), 0, -1)  # a tall stroke
    cv2.rectangle(img, (200, 40), (240, 80), 0, -1)  # a block
    assert find_dashes(img, max_height=10) == [(20, 50, 41, 56)]


def test_clean_page_straightens_and_returns_the_grid() -> None:
    img = _page(1600, 1200)
    _text_rows(img, 150, 5)
    _grid(img, 100, 700, [100, 500, 900, 1100], [700, 800, 900, 1000])
    settings = load_settings().clean.model_copy(update={"orientation": False})
    cleaned = clean_page(rotate(img, 1.5), settings, dpi=300)
    assert abs(cleaned.skew + 1.5) <= 0.1
    assert len([r for r in cleaned.rulings if r.orientation == "v"]) == 4
    assert cleaned.image.shape == img.shape
