"""Preflight: decide from the file and `pdfinfo` whether a PDF can be processed, before rasterising it.

Every refusal is a BadDocument whose reason a clerk can act on: empty, not a PDF, damaged,
password-protected, no pages, a page too large to rasterise, unreadable.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from models.preflight import PageGeometry, PdfInfo


class BadDocument(Exception):
    """The file cannot be processed; `reason` says why in words a person understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_PAGE = re.compile(r"^Page\s+(\d+)\s+(size|rot):\s+(.*)$")
_SIZE = re.compile(r"([\d.]+)\s+x\s+([\d.]+)\s+pts")


def _what_it_is(head: bytes) -> str:
    low = head.lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if low.startswith(b"pk\x03\x04"):
        return "a ZIP or Office file"
    if head.startswith((b"\xff\xd8", b"\x89png", b"II*\x00", b"MM\x00*")):
        return "an image"
    return "not a PDF"


def _pdfinfo_refusal(stderr: str) -> str:
    low = stderr.lower()
    if "incorrect password" in low:
        return "the PDF is password-protected; ask the sender for an unprotected copy"
    if "couldn't find trailer" in low or "xref" in low or "damaged" in low or "couldn't read" in low:
        return "the PDF is damaged or truncated (pdfinfo could not read its structure)"
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "no detail"
    return f"the PDF could not be opened ({last})"


def inspect_pdf(path: Path, dpi: int, max_megapixels: float, timeout: float = 60) -> PdfInfo:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except PermissionError as exc:
        raise BadDocument("the file cannot be read (permission denied)") from exc
    except OSError as exc:
        raise BadDocument(f"the file cannot be read ({exc.strerror})") from exc
    if not head:
        raise BadDocument("the file is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise BadDocument(f"the file is {_what_it_is(head)}, not a PDF, although its name ends in .pdf")
    proc = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1000000", str(path)], capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise BadDocument(_pdfinfo_refusal(proc.stderr))
    lines = proc.stdout.splitlines()
    info = dict(line.split(":", 1) for line in lines if ":" in line and not _PAGE.match(line))
    sizes: dict[int, tuple[float, float]] = {}
    rotations: dict[int, int] = {}
    for line in lines:
        if m := _PAGE.match(line):
            n, kind, value = int(m[1]), m[2], m[3]
            if kind == "size" and (s := _SIZE.search(value)):
                sizes[n] = (float(s[1]), float(s[2]))
            elif kind == "rot":
                rotations[n] = int(value.strip() or 0)
    if int(info.get("Pages", "0").strip() or 0) == 0 or not sizes:
        raise BadDocument("the PDF has no pages")
    pages = [PageGeometry(number=n, width_pt=w, height_pt=h, rotation=rotations.get(n, 0))
             for n, (w, h) in sorted(sizes.items())]  # fmt: skip
    for page in pages:
        wpx, hpx = page.width_pt / 72 * dpi, page.height_pt / 72 * dpi
        if wpx * hpx / 1e6 > max_megapixels:
            raise BadDocument(
                f"page {page.number} would be {wpx:,.0f} x {hpx:,.0f} px at {dpi} dpi "
                f"({wpx * hpx / 1e6:,.0f} megapixels), over the limit of {max_megapixels:g}"
            )
    return PdfInfo(pages=pages, encrypted=info.get("Encrypted", "no").strip().startswith("yes"))
