"""One document through the stages: preflight -> pages (rasterise, clean, OCR, page layout) -> document
layout -> Thai text -> extraction (detect, extract, validate) -> second reading of flagged text fields.
Orchestration only; stages live in tasks/."""

from __future__ import annotations

import errno
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import State

from models.pipeline import DocumentResult, PageResult, SourceFile
from models.records import DocumentRecord
from models.settings import Settings
from tasks.extract import extract_document
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.preflight import BadDocument, inspect_pdf
from tasks.reread import read_again
from tasks.store import keep_view, load_page, page_checkpoint, save_page, settings_digest
from tasks.thai_text import clean_page_text, clean_table

# A share or a busy worker can fail a read for a moment; a bad page fails the same way every time.
TRANSIENT_ERRNOS = frozenset(
    {errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.EIO, errno.ETIMEDOUT, errno.ESTALE}
)


def is_transient(task: object, task_run: object, state: State) -> bool:
    """Retry a page only for a transient OS error, never for what the page itself caused."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, OSError) and exc.errno in TRANSIENT_ERRNOS


@task(name="process-page", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5,
      retry_condition_fn=is_transient)  # fmt: skip
def page_task(
    src: SourceFile, page: int, settings: Settings, work: Path, output_dir: Path, checkpoint: Path
) -> PageResult:
    result = process_page(src.path, src, page, settings, work, TesseractEngine(settings.ocr))
    result = keep_view(output_dir, src.sha256, result)
    save_page(checkpoint, result)
    return result


@flow(name="process-document", flow_run_name="{src.source}")
def process_document(
    src: SourceFile, settings: Settings, work_root: Path, output_dir: Path
) -> DocumentResult:
    """One file, as a subflow of the run: its pages fanned out over the task runner's workers (pages
    finished by a killed run are taken from their checkpoints), then the document-level stages."""
    try:
        info = inspect_pdf(src.path, settings.dpi, settings.max_megapixels)
        work = work_root / src.sha256[:16]
        digest = settings_digest(settings)
        pending: dict[int, PageResult | PrefectFuture[PageResult]] = {}
        for page in info.pages:
            checkpoint = page_checkpoint(output_dir, src.sha256, page.number, digest)
            pending[page.number] = load_page(checkpoint) or page_task.submit(
                src, page.number, settings, work, output_dir, checkpoint
            )
        pages = [p if isinstance(p, PageResult) else p.result() for p in pending.values()]
        layout = document_layout(pages, settings.layout)
        text = [clean_page_text(page_text) for page_text in layout.page_texts]
        layout = layout.model_copy(update={"tables": [clean_table(t) for t in layout.tables]})
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
        source=src.source, sha256=src.sha256, pages=len(pages), status="ok",
        mean_confidence=round(sum(confs) / len(confs) / 100, 4) if confs else None,
    )  # fmt: skip
    try:
        extraction = extract_document(src.source, [p.layout for p in pages], layout)
        extraction = read_again(extraction, src.path, pages, TesseractEngine(settings.ocr), settings)
    except Exception as exc:  # the records failed, not the pages: their text and tables are kept
        error = f"extraction: {type(exc).__name__}: {exc}"
        failed = doc.model_copy(update={"status": "failed", "error": error})
        return DocumentResult(document=failed, pages=pages, layout=layout, text=text)
    doc = doc.model_copy(update={"doc_type": extraction.doc_type})
    return DocumentResult(document=doc, pages=pages, layout=layout, text=text, extraction=extraction)
