"""Seconds per page in each stage, measured in one process with cProfile (wall clock), and the pipeline's
overhead over OCR alone (the time inside Tesseract processes).

    .venv/bin/python -m benchmarks.profile_stages [--folder DIR] [--append]
"""

from __future__ import annotations

import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from benchmarks.common import arguments, record
from benchmarks.samples import default_set
from flows.outputs import rebuild_outputs
from models.pipeline import DocumentResult
from models.records import DocumentRecord
from models.settings import load_settings
from tasks.discover import discover
from tasks.emit import emit_document
from tasks.extract import extract_document
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.preflight import inspect_pdf
from tasks.store import keep_view
from tasks.thai_text import clean_page_text

# stage -> (module file, function) whose cumulative time is the stage's
STAGES = {
    "preflight": ("tasks/preflight.py", "inspect_pdf"),
    "rasterise": ("tasks/rasterise.py", "rasterise_page"),
    "clean": ("tasks/clean.py", "clean_page"),
    "OCR (page)": ("tasks/ocr.py", "recognise"),
    "OCR (tables, marks)": ("tasks/ocr.py", "read_block"),
    "page layout": ("tasks/layout.py", "page_layout"),
    "document layout": ("tasks/layout.py", "document_layout"),
    "Thai text (document text)": ("tasks/thai_text.py", "clean_page_text"),
    "extract (Thai text, values)": ("tasks/extract.py", "extract_document"),
    "emit (records, Parquet, review report)": ("flows/outputs.py", "rebuild_outputs"),
}
TESSERACT = ("pytesseract/pytesseract.py", "run_tesseract")


def run_all(folder: Path, out: Path) -> int:
    settings = load_settings()
    engine = TesseractEngine(settings.ocr)
    results, pages_done = [], 0
    for src in discover(folder):
        info = inspect_pdf(src.path, settings.dpi, settings.max_megapixels)
        work = out / "work" / src.sha256[:16]
        pages = [
            keep_view(out, src.sha256, process_page(src.path, src, p.number, settings, work, engine))
            for p in info.pages
        ]
        layout = document_layout(pages, settings.layout)
        text = [clean_page_text(t) for t in layout.page_texts]
        extraction = extract_document(src.source, [p.layout for p in pages], layout)
        doc = DocumentRecord(source=src.source, sha256=src.sha256, pages=len(pages), status="ok")
        result = DocumentResult(document=doc, pages=pages, layout=layout, text=text, extraction=extraction)
        emit_document(out, result)
        results.append(result)
        pages_done += len(pages)
    rebuild_outputs(out, results, settings)
    return pages_done


def cumulative(stats: pstats.Stats, where: tuple[str, str]) -> float:
    return sum(
        v[3] for (file, _, name), v in stats.stats.items() if file.endswith(where[0]) and name == where[1]
    )


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or default_set(Path(tmp) / "in")
        profile = cProfile.Profile()
        t0 = time.perf_counter()
        pages = profile.runcall(run_all, folder, Path(tmp) / "out")
        total = time.perf_counter() - t0
    stats = pstats.Stats(profile)
    lines = [f"{pages} pages, one process; seconds per page", f"{'stage':<30}{'s/page':>8}{'share':>8}"]
    for stage, where in STAGES.items():
        t = cumulative(stats, where)
        lines.append(f"{stage:<30}{t / pages:>8.3f}{100 * t / total:>7.1f}%")
    ocr = cumulative(stats, TESSERACT)
    lines += [
        f"{'total':<30}{total / pages:>8.3f}{100.0:>7.1f}%",
        f"{'inside tesseract processes':<30}{ocr / pages:>8.3f}{100 * ocr / total:>7.1f}%",
        f"overhead over OCR alone: {100 * (total - ocr) / ocr:.0f}% (goal <= 5%)",
    ]
    record("Stage profile", "\n".join(lines), time.perf_counter() - started, args.append)


if __name__ == "__main__":
    main()
