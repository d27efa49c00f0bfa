"""Spaces OCR puts between glyphs against the printed ones, on sample-factory PDFs.

Each page is rendered and cleaned as the pipeline does and read by Tesseract (`--psm 3`); each OCR line is
aligned to its page's printed lines (*.truth.json), and every glyph boundary inside an aligned stretch is
counted: a printed space the rule leaves out is lost, a space it puts where none is printed is added.
Both rules of `ocr.space_rule`, with their settings: "boxes" (gaps between Tesseract's glyph boxes) and
"paper" (runs of paper across the line).

    .venv/bin/python -m benchmarks.ocr_spacing FOLDER [--append]
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from difflib import SequenceMatcher
from pathlib import Path

import cv2
import pytesseract

from benchmarks.common import arguments, record
from models.settings import load_settings
from tasks.clean import clean_page
from tasks.discover import discover
from tasks.extract import spaced_compact
from tasks.ocr import _join, box_spaces, glyphs_from_tsv, page_ink, paper_spaces
from tasks.rasterise import rasterise_page

_THAI = re.compile("[\u0e01-\u0e4e]")


def page_counts(pdf: Path, page: dict) -> Counter[str]:
    """Counts keyed "kind rule outcome": kind thai (Thai letters both sides) or other, outcome printed /
    lost / added."""
    settings = load_settings()
    text, printed = spaced_compact(page.get("header", []) + page.get("body", []) + page.get("footer", []))
    with tempfile.TemporaryDirectory() as tmp:
        image = rasterise_page(pdf, pdf.name, page["number"], settings.dpi, Path(tmp))
        grey = cv2.imread(str(image.path), cv2.IMREAD_GRAYSCALE)
    cleaned = clean_page(grey, settings.clean, settings.dpi).image
    config = f"--psm {settings.ocr.psm} --oem {settings.ocr.oem} --dpi {settings.dpi}"
    data = pytesseract.image_to_data(cleaned, lang=settings.ocr.lang, config=config, output_type="dict")
    ink, ocr = page_ink(cleaned), settings.ocr
    counts: Counter[str] = Counter()
    for glyphs in glyphs_from_tsv(data):
        rules = {
            "boxes": box_spaces(glyphs, ocr.space_gap),
            "paper": paper_spaces(glyphs, ink, ocr.paper_gap, ocr.paper_over_usual),
        }
        line, owners = _join(glyphs, set())  # ํ + า composed, as the printed text has it
        for a, b, n in SequenceMatcher(None, line, text, autojunk=False).get_matching_blocks():
            for k in range(a + 2, a + n - 1):  # a boundary with two matched letters each side
                glyph = owners[k]
                if glyph == owners[k - 1]:
                    continue
                kind = "thai" if _THAI.match(line[k - 1]) and _THAI.match(line[k]) else "other"
                is_printed = (b + k - a) in printed
                counts[f"{kind} printed"] += is_printed
                counts[f"{kind} boundaries"] += 1
                for rule, spaced in rules.items():
                    counts[f"{kind} {rule} lost"] += is_printed and glyph not in spaced
                    counts[f"{kind} {rule} added"] += not is_printed and glyph in spaced
    return counts


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("folder", type=Path, help="PDFs with *.truth.json beside them")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    jobs = []
    for src in discover(args.folder):
        truth = json.loads(src.path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        jobs += [(truth["preset"], src.path, page) for page in truth["pages"]]
    by_preset: dict[str, Counter[str]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [(preset, pool.submit(page_counts, pdf, page)) for preset, pdf, page in jobs]
        for preset, future in futures:
            by_preset.setdefault(preset, Counter()).update(future.result())
    rows = ["preset     kind   boundaries  printed  boxes lost/added  paper lost/added"]
    for preset, c in sorted(by_preset.items()):
        for kind in ("thai", "other"):
            boxes = f"{c[f'{kind} boxes lost']:8d} / {c[f'{kind} boxes added']:<6d}"
            paper = f"{c[f'{kind} paper lost']:6d} / {c[f'{kind} paper added']}"
            counted = f"{c[f'{kind} boundaries']:10d} {c[f'{kind} printed']:8d}"
            rows.append(f"{preset:10s} {kind:6s} {counted}  {boxes} {paper}")
    title = f"OCR spaces against printed ones on `{args.folder}` ({len(jobs)} pages)"
    record(title, "\n".join(rows), time.perf_counter() - started, args.append)


if __name__ == "__main__":
    main()
