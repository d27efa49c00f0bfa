"""The manifest: which file (by path and sha256) was processed, when, and how it ended.

A real database so a crashed or repeated run knows what is done: SQLite in the output folder by
default; any SQLAlchemy URL (e.g. PostgreSQL) when several machines share one archive. Same schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, delete, insert, select

from models.pipeline import SourceFile
from models.records import DocumentRecord

metadata = MetaData()
documents = Table(
    "documents",
    metadata,
    Column("source", String(1024), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("pages", Integer, nullable=False),
    Column("processed_at", String(32), nullable=False),
)


def sqlite_url(output_dir: Path) -> str:
    return f"sqlite:///{(output_dir / 'manifest.sqlite').resolve()}"


class Manifest:
    def __init__(self, url: str):
        self.engine = create_engine(url)
        metadata.create_all(self.engine)

    def known(self) -> dict[str, str]:
        """source -> sha256 of every file already processed."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.source, documents.c.sha256))
            return {row.source: row.sha256 for row in rows}

    def pending(self, sources: list[SourceFile], force: bool = False) -> list[SourceFile]:
        """The files that are new or whose content changed since they were processed."""
        if force:
            return list(sources)
        known = self.known()
        return [s for s in sources if known.get(s.source) != s.sha256]

    def record(self, doc: DocumentRecord) -> None:
        row = dict(source=doc.source, sha256=doc.sha256, status=doc.status, error=doc.error, pages=doc.pages,
                   processed_at=datetime.now(UTC).isoformat(timespec="seconds"))  # fmt: skip
        with self.engine.begin() as conn:  # delete + insert: one portable upsert for SQLite and PostgreSQL
            conn.execute(delete(documents).where(documents.c.source == doc.source))
            conn.execute(insert(documents).values(**row))

    def entries(self) -> list[tuple[str, str]]:
        """(source, sha256) of every processed file, in source order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.source, documents.c.sha256).order_by(documents.c.source))
            return [(r.source, r.sha256) for r in rows]

    def close(self) -> None:
        self.engine.dispose()
