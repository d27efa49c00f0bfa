"""One document through the page stages: rasterise -> OCR. Orchestration only; stages live in tasks/."""

from __future__ import annotations

import os
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from models.pipeline import DocumentResult, PageResult, SourceFile
from models.records import DocumentRecord
from models.settings import Settings
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.rasterise import BadDocument, page_count


@task(name="process-page", cache_policy=NO_CACHE)
def page_task(src: SourceFile, page: int, settings: Settings, work: Path) -> PageResult:
    return process_page(src.path, src, page, settings, work, TesseractEngine(settings.ocr))


def process_document(src: SourceFile, settings: Settings, work_root: Path) -> DocumentResult:
    """One file: its pages (rasterise, clean, OCR) fanned out over the task runner's workers, then the
    document layout (running headers, page texts, tables) across them."""
    try:
        n_pages = page_count(src.path)
        work = work_root / src.sha256[:16]
        futures = [page_task.submit(src, page, settings, work) for page in range(1, n_pages + 1)]
        pages = [f.result() for f in futures]
        layout = document_layout(pages, settings.layout)
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
        source=src.source,
        sha256=src.sha256,
        pages=n_pages,
        status="ok",
        mean_confidence=round(sum(confs) / len(confs) / 100, 4) if confs else None,
    )
    return DocumentResult(document=doc, pages=pages, layout=layout)


def workers(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1
