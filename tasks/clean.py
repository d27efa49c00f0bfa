"""Clean: make a scanned page easy for Tesseract — upright, straight, flat background, black on white,
no ruling lines. The rulings are returned as geometry so the layout stage can rebuild the table grid.

Each step and default was measured on the sample factory's presets (docs/ocr_core.md); table pages
gain most, because grid lines are otherwise read as text.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np
import pytesseract
from PIL import Image

from models.layout import Box, Ruling
from models.settings import CleanSettings

_TURN = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


class Cleaned(NamedTuple):
    image: np.ndarray  # uint8, 0 = ink, 255 = paper, rulings erased
    rotation: int  # degrees clockwise applied to make the page upright
    skew: float  # degrees counter-clockwise applied to straighten the text lines
    rulings: list[Ruling]  # in the coordinates of `image`
    dashes: list[Box]  # dash-shaped marks: Tesseract drops lone "-" and rows of "-----", layout restores them
    view: np.ndarray  # the upright, straightened grey page in the coordinates of `image`, for people to read


def flatten_background(grey: np.ndarray, kernel: int) -> np.ndarray:
    """Divide by the paper's own brightness (a max filter wider than any stroke), so shading goes white."""
    paper = cv2.dilate(grey, cv2.getStructuringElement(cv2.MORPH_RECT, (kernel, kernel)))
    paper = cv2.blur(paper, (kernel, kernel))
    flat = grey.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0) * 255.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Otsu's global threshold: on a flattened page it beat adaptive thresholding (thin strokes broke)."""
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


def detect_orientation(binary: np.ndarray, min_confidence: float) -> int:
    """Clockwise turn (0/90/180/270) that makes the page upright, from Tesseract OSD on a half-size copy."""
    small = cv2.resize(binary, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    try:
        osd = pytesseract.image_to_osd(
            Image.fromarray(small), config="--psm 0 --dpi 150", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError:  # too few characters to decide: a near-blank page
        return 0
    rotate = int(osd["rotate"]) % 360
    return rotate if rotate in _TURN and float(osd["orientation_conf"]) >= min_confidence else 0


def turn(image: np.ndarray, degrees: int) -> np.ndarray:
    return cv2.rotate(image, _TURN[degrees]) if degrees in _TURN else image


def estimate_skew(binary: np.ndarray, max_skew: float) -> float:
    """Angle (degrees, counter-clockwise positive) whose rotation makes text rows sharpest.

    Projection-profile search on a quarter-size ink map: the right angle maximises the variance of
    the row sums, because text rows and the gaps between them then line up with pixel rows.
    """
    ink = cv2.resize(255 - binary, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        return float(cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1).var())

    coarse = np.arange(-max_skew, max_skew + 1e-6, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05)
    return round(float(max(fine, key=sharpness)), 2)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _segments(mask: np.ndarray, orientation: str, max_thickness: int) -> list[Ruling]:
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:]:
        if (h if orientation == "h" else w) <= max_thickness:
            out.append(Ruling(orientation=orientation, x0=int(x), y0=int(y), x1=int(x + w), y1=int(y + h)))
    return out


def _touch(a: Ruling, b: Ruling, tol: int) -> bool:
    return a.x0 - tol <= b.x1 and b.x0 - tol <= a.x1 and a.y0 - tol <= b.y1 and b.y0 - tol <= a.y1


def group_rulings(segments: list[Ruling], tol: int = 10) -> list[list[Ruling]]:
    """Rulings that touch one another, grouped; only groups with two or more lines each way are grids.

    A free-standing line (an underline, a row of dashes) is text the reader should keep.
    """
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if a.orientation != segments[j].orientation and _touch(a, segments[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Ruling]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(find(i), []).append(seg)
    return [
        group
        for group in groups.values()
        if sum(s.orientation == "h" for s in group) >= 2 and sum(s.orientation == "v" for s in group) >= 2
    ]


def find_rulings(binary: np.ndarray, min_length: int, max_thickness: int) -> list[Ruling]:
    """Horizontal and vertical ink runs at least `min_length` long that form table grids."""
    ink = 255 - binary
    found = []
    for orientation, bridge, run in (("h", (9, 1), (min_length, 1)), ("v", (1, 9), (1, min_length))):
        # Bridge the small breaks a noisy scan leaves in a line, then keep only long straight runs.
        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        lines = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run))
        found += _segments(lines, orientation, max_thickness)
    return [seg for group in group_rulings(found) for seg in group]


def erase_rulings(binary: np.ndarray, rulings: list[Ruling], pad: int) -> np.ndarray:
    out = binary.copy()
    h, w = out.shape
    for r in rulings:
        out[max(r.y0 - pad, 0) : min(r.y1 + pad, h), max(r.x0 - pad, 0) : min(r.x1 + pad, w)] = 255
    return out


def _dash_like(stats: np.ndarray, max_height: int) -> np.ndarray:
    """Per connected component (cv2 stats rows): flat, solid and short, as a printed hyphen is."""
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    return (h >= 2) & (h <= max_height) & (w >= 1.5 * h) & (w <= 8 * h) & (area >= 0.6 * w * h)


def despeckle(
    binary: np.ndarray, max_area: int, isolation: int, min_count: int, dash_height: int
) -> np.ndarray:
    """On a dusty page, remove the ink specks of at most `max_area` pixels that sit alone.

    Alone means no larger ink within `isolation` pixels: a full stop or a tone mark has its letters
    near, dust does not. Colons between spaces are alone too, so a page is only cleaned when it has at
    least `min_count` lone specks (factory pages: clean/office 5-145, fax 360-480, photocopy 850-1060).
    Dash-shaped marks are never specks: a lone "-" is a table's "nothing" cell.
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(255 - binary, connectivity=8)
    small = np.zeros(n, bool)
    small[1:] = (stats[1:, cv2.CC_STAT_AREA] <= max_area) & ~_dash_like(stats[1:], dash_height)
    big = ((labels > 0) & ~small[labels]).astype(np.uint8)
    near = cv2.dilate(big, np.ones((2 * isolation + 1, 2 * isolation + 1), np.uint8))
    lone = small & (np.bincount(labels.ravel(), weights=near.ravel(), minlength=n) == 0)
    if lone.sum() < min_count:
        return binary
    out = binary.copy()
    out[lone[labels]] = 255
    return out


def stroke_width(binary: np.ndarray) -> float:
    """Mean ink stroke width in pixels: twice the ink area over its edge pixels."""
    ink = (binary < 128).astype(np.uint8)
    edge = int(ink.sum()) - int(cv2.erode(ink, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))).sum())
    return 2 * float(ink.sum()) / edge if edge else 0.0


def thicken(binary: np.ndarray, min_stroke: float) -> np.ndarray:
    """Grow thin strokes by a pixel at a time (at most twice) until they are `min_stroke` wide.

    On crisp pages with thin strokes Tesseract split Thai upper marks off into a line of their own,
    losing the tone marks and adding a line of noise; one pixel more ink kept them with their letters.
    """
    for _ in range(2):
        if stroke_width(binary) >= min_stroke:
            break
        binary = cv2.erode(binary, np.ones((2, 2), np.uint8))  # erode the paper: the ink grows
    return binary


def find_dashes(binary: np.ndarray, max_height: int) -> list[Box]:
    """Boxes of flat, solid, short ink marks: what a printed hyphen or dash looks like."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(255 - binary, connectivity=8)
    stats = stats[1:]
    return [
        (int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[_dash_like(stats, max_height)]
    ]


def clean_page(grey: np.ndarray, settings: CleanSettings, dpi: int) -> Cleaned:
    """One greyscale page -> upright, deskewed binary page without rulings, and the rulings' geometry."""
    scale = dpi / 300

    def px(value: int) -> int:
        return max(1, round(value * scale))

    kernel = px(settings.background_kernel) | 1
    flat = flatten_background(grey, kernel)
    binary = binarise(flat)
    rotation = detect_orientation(binary, settings.orientation_min_confidence) if settings.orientation else 0
    if rotation:
        flat, binary = turn(flat, rotation), turn(binary, rotation)
    skew = estimate_skew(binary, settings.max_skew) if settings.max_skew > 0 else 0.0
    if abs(skew) >= settings.min_skew:
        flat = rotate(flat, skew)
        binary = binarise(flat)  # rotate the grey page, then threshold: no jagged edges
    else:
        skew = 0.0
    rulings = find_rulings(binary, px(settings.ruling_min_length), px(settings.ruling_max_thickness))
    image = erase_rulings(binary, rulings, px(settings.ruling_pad))
    image = thicken(
        despeckle(
            image,
            round(settings.speckle_max_area * scale * scale),
            px(settings.speckle_isolation),
            settings.speckle_min_count,
            px(settings.dash_max_height),
        ),
        settings.min_stroke * scale,
    )
    dashes = find_dashes(image, px(settings.dash_max_height))
    return Cleaned(image, rotation, skew, rulings, dashes, flat)
