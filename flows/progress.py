"""What a person watching a run sees: documents done of all, pages done, pages/s and the time left.

On a terminal it is a live bar; otherwise (cron, CI, Prefect workers) one log line per document.
"""

from __future__ import annotations

import logging
import sys
import time

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from models.records import DocumentRecord


class RunProgress:
    def __init__(self, documents: int, log: logging.LoggerAdapter, live: bool | None = None):
        self.documents, self.log = documents, log
        self.done_documents = self.done_pages = 0
        self.started = time.perf_counter()
        self._bar: Progress | None = None
        if documents and (sys.stderr.isatty() if live is None else live):
            self._bar = Progress(
                TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[pages]}"), TimeRemainingColumn(),
            )  # fmt: skip
            self._task = self._bar.add_task("documents", total=documents, pages="")

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, doc: DocumentRecord) -> None:
        self.done_documents += 1
        self.done_pages += doc.pages
        elapsed = time.perf_counter() - self.started
        rate = self.done_pages / elapsed if elapsed else 0.0
        left = elapsed / self.done_documents * (self.documents - self.done_documents)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, pages=f"{self.done_pages} pages, {rate:.2f} pages/s")
        reason = f" ({doc.error})" if doc.error else ""
        self.log.info(
            "[%d/%d] %s: %s, %d pages%s | %.2f pages/s, about %.0f s left",
            self.done_documents, self.documents, doc.source, doc.status, doc.pages, reason, rate, left,
        )  # fmt: skip
