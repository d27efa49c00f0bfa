"""Make a clean rendered page look scanned: one preset per kind of office scanner."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

PRESETS = ("clean", "office", "photocopy", "fax")


def _rotate(img: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _gradient(rng: np.random.Generator, shape: tuple[int, int], low: float, high: float) -> np.ndarray:
    """A smooth uneven background, brighter at one corner than the opposite one."""
    h, w = shape
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    a, b = rng.uniform(-1, 1, size=2)
    g = a * gx / w + b * gy / h
    g = (g - g.min()) / (np.ptp(g) + 1e-6)
    return low + (high - low) * g


def _speckle(rng: np.random.Generator, img: np.ndarray, count: int, value: int) -> None:
    h, w = img.shape
    ys, xs = rng.integers(0, h, count), rng.integers(0, w, count)
    for y, x, r in zip(ys, xs, rng.integers(1, 4, count), strict=True):
        cv2.circle(img, (int(x), int(y)), int(r), value, -1)


def degrade(page: Image.Image, preset: str, rng: np.random.Generator) -> Image.Image:
    """Return the page as it would come out of a scanner of the given preset."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    ink = np.asarray(page.convert("L"), dtype=np.float32) / 255.0  # 1 = paper, 0 = ink
    if preset == "clean":
        return page.convert("L")
    if preset == "fax":
        # Fax "fine" mode samples at about 200 x 200 dpi and sends one bit per pixel.
        h, w = ink.shape
        small = cv2.resize(ink, (w * 2 // 3, h * 2 // 3), interpolation=cv2.INTER_AREA)
        small = small + rng.normal(0, 0.12, small.shape).astype(np.float32)
        bw = np.where(small > 0.55, 255, 0).astype(np.uint8)
        _speckle(rng, bw, 400, 0)
        bw = cv2.resize(bw, (w, h), interpolation=cv2.INTER_NEAREST)
        bw = _rotate(bw, rng.uniform(-0.8, 0.8), 255)
        return Image.fromarray(np.where(bw > 127, 255, 0).astype(np.uint8)).convert("1")
    if preset == "office":
        angle, blur, noise, paper, ink_level = rng.uniform(-1.0, 1.0), 0.7, 3.0, (225, 252), 35
    else:  # photocopy: darker, greyer, dirtier, more skew
        angle, blur, noise, paper, ink_level = rng.uniform(-2.0, 2.0), 1.1, 9.0, (195, 235), 70
    bg = _gradient(rng, ink.shape, *paper)
    img = ink_level + (bg - ink_level) * ink
    img = cv2.GaussianBlur(img, (0, 0), blur)
    img = img + rng.normal(0, noise, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if preset == "photocopy":
        _speckle(rng, img, 1500, 60)
        edge = rng.integers(20, 60)
        img[:, :edge] = np.minimum(img[:, :edge], 90)  # the copier lid's dark edge
    img = _rotate(img, angle, int(paper[1]))
    quality = 60 if preset == "office" else 50
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("L")
