"""Emit: write results so that no reader ever sees a half-written file (temp file + rename)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from models.pipeline import DocumentResult


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, records: Iterable[BaseModel]) -> None:
    write_atomic(path, "".join(r.model_dump_json() + "\n" for r in records))


def text_path(output_dir: Path, source: str) -> Path:
    """`text/<source without .pdf>.txt`, keeping the input's sub-folders so equal stems cannot collide."""
    return output_dir / "text" / Path(source).with_suffix(".txt")


def document_text(result: DocumentResult) -> str:
    """The document's text without running headers and page numbers, pages separated by form feed."""
    if result.layout is not None:
        return "\f".join(result.layout.page_texts)
    return "\f".join(page.ocr.text for page in result.pages)


def emit_document(output_dir: Path, result: DocumentResult) -> None:
    if result.document.status == "ok":
        write_atomic(text_path(output_dir, result.document.source), document_text(result))


def emit_run(output_dir: Path, results: list[DocumentResult]) -> None:
    """The run-level files, rebuilt whole from the per-document results."""
    write_jsonl(output_dir / "documents.jsonl", [r.document for r in results])
    tables = [  # relabelled: one stored content may sit at a new path
        t.model_copy(update={"source": r.document.source})
        for r in results
        if r.layout is not None
        for t in r.layout.tables
    ]
    write_jsonl(output_dir / "tables.jsonl", tables)


def write_quarantine_report(output_dir: Path, results: list[DocumentResult]) -> None:
    """quarantine.csv: every file that was not processed, and why (UTF-8 with BOM so Excel shows Thai)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["source", "status", "reason", "sha256"])
    for r in results:
        d = r.document
        if d.status != "ok":
            writer.writerow([d.source, d.status, d.error, d.sha256])
    write_atomic(output_dir / "quarantine.csv", "\ufeff" + buf.getvalue())
