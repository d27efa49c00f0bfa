"""One document through the stages: preflight -> pages (rasterise, clean, OCR, page layout) -> document
layout -> extraction (detect, extract, validate). Orchestration only; every stage lives in tasks/."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from models.pipeline import DocumentResult, PageResult, SourceFile
from models.records import DocumentRecord
from models.settings import Settings
from tasks.extract import extract_document
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.preflight import BadDocument, inspect_pdf


@task(name="process-page", cache_policy=NO_CACHE)
def page_task(src: SourceFile, page: int, settings: Settings, work: Path) -> PageResult:
    return process_page(src.path, src, page, settings, work, TesseractEngine(settings.ocr))


def process_document(src: SourceFile, settings: Settings, work_root: Path) -> DocumentResult:
    """One file: its pages fanned out over the task runner's workers, then the document-level stages."""
    try:
        info = inspect_pdf(src.path, settings.dpi, settings.max_megapixels)
        work = work_root / src.sha256[:16]
        futures = [page_task.submit(src, page.number, settings, work) for page in info.pages]
        pages = [f.result() for f in futures]
        layout = document_layout(pages, settings.layout)
        extraction = extract_document(src.source, [p.layout for p in pages], layout)
    except BadDocument as exc:
        doc = DocumentRecord(source=src.source, sha256=src.sha256, status="quarantined", error=exc.reason)
        return DocumentResult(document=doc)
    except Exception as exc:  # one bad file must never stop the run; its record says what went wrong
        doc = DocumentRecord(
            source=src.source, sha256=src.sha256, status="failed", error=f"{type(exc).__name__}: {exc}"
        )
        return DocumentResult(document=doc)
    confs = [c for p in pages if (c := p.mean_confidence) is not None]
    doc = DocumentRecord(
        source=src.source, sha256=src.sha256, doc_type=extraction.doc_type, pages=len(pages), status="ok",
        mean_confidence=round(sum(confs) / len(confs) / 100, 4) if confs else None,
    )  # fmt: skip
    return DocumentResult(document=doc, pages=pages, layout=layout, extraction=extraction)
