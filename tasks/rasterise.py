"""Rasterise: one PDF page at a time to a grey image in a work folder; memory does not grow with pages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image

from models.pipeline import PageImage, SourceFile
from tasks.preflight import BadDocument


def scan_ppi(pdf: Path, page: int) -> float | None:
    """Resolution of the largest image on the page (`pdfimages -list`), None when it has none."""
    out = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    best: tuple[int, float] | None = None
    for row in out.splitlines()[2:]:
        cols = row.split()
        if len(cols) >= 14 and cols[2] == "image":
            area, ppi = int(cols[3]) * int(cols[4]), min(float(cols[12]), float(cols[13]))
            best = max(best or (area, ppi), (area, ppi))
    return best[1] if best else None


def rasterise_page(pdf: Path, source: SourceFile | str, page: int, dpi: int, work_dir: Path) -> PageImage:
    """Render page `page` (1-based) of `pdf` as an 8-bit greyscale image under `work_dir`.

    pdftoppm honours the page's /Rotate and its own size, so mixed page sizes and turned pages come out
    as a viewer shows them. A scan coarser than `dpi` is upsampled by the rendering and flagged.
    PGM, not PNG: compressing a noisy 300-dpi scan to PNG took longer than rendering it.
    """
    name = source.source if isinstance(source, SourceFile) else source
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        paths = convert_from_path(
            str(pdf),
            dpi=dpi,
            first_page=page,
            last_page=page,
            output_folder=str(work_dir),
            fmt="ppm",
            grayscale=True,
            paths_only=True,
            output_file=f"p{page:05d}",
            single_file=True,
        )
    except (PDFPageCountError, PDFSyntaxError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else "no detail"
        raise BadDocument(f"page {page} could not be rendered ({detail})") from exc
    if not paths:
        raise BadDocument(f"page {page} could not be rendered")
    path = Path(paths[0])
    with Image.open(path) as img:
        width, height = img.size
    ppi = scan_ppi(pdf, page)
    return PageImage(
        source=name, page=page, path=path, width=width, height=height, dpi=dpi,
        source_ppi=ppi, upsampled=ppi is not None and ppi < 0.9 * dpi,
    )  # fmt: skip
