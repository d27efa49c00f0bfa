"""The manifest behaves the same on SQLite (the default) and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.pipeline import SourceFile
from models.records import DocumentRecord
from tasks.manifest import Manifest, sqlite_url


def _source(name: str, sha: str) -> SourceFile:
    return SourceFile(path=Path(name), source=name, sha256=sha * 64, size=1)


@pytest.fixture(params=["sqlite", "postgresql"])
def manifest(request: pytest.FixtureRequest, tmp_path: Path):
    url = sqlite_url(tmp_path) if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    m = Manifest(url)
    yield m
    from tasks.manifest import documents

    with m.engine.begin() as conn:  # the PostgreSQL server lives for the session: leave it empty
        conn.execute(documents.delete())
    m.close()


def test_new_and_changed_files_are_pending(manifest: Manifest) -> None:
    a, b = _source("ปี 2565/a.pdf", "a"), _source("b.pdf", "b")
    assert manifest.pending([a, b]) == [a, b]
    manifest.record(DocumentRecord(source=a.source, sha256=a.sha256, status="ok", pages=3))
    manifest.record(DocumentRecord(source=b.source, sha256=b.sha256, status="quarantined", error="empty"))
    assert manifest.pending([a, b]) == []
    changed = _source("b.pdf", "c")
    assert manifest.pending([a, changed]) == [changed]
    assert manifest.pending([a, b], force=True) == [a, b]


def test_recording_twice_keeps_one_row(manifest: Manifest) -> None:
    a = _source("a.pdf", "a")
    manifest.record(DocumentRecord(source="a.pdf", sha256="0" * 64, status="failed", error="x"))
    manifest.record(DocumentRecord(source="a.pdf", sha256=a.sha256, status="ok", pages=1))
    assert manifest.entries() == [("a.pdf", a.sha256)]


def test_a_run_can_share_a_postgresql_manifest(prefect_harness, postgres_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "not-a-pdf.pdf").write_text("hello", encoding="utf-8")
    args = ["run", "-i", str(inbox), "-o", str(tmp_path / "out"), "--settle-seconds", "0",
            "--manifest-url", postgres_url]  # fmt: skip
    assert "1 processed" in CliRunner().invoke(app, args).output
    assert "0 processed" in CliRunner().invoke(app, args).output
    assert not (tmp_path / "out" / "manifest.sqlite").exists()
    with Manifest(postgres_url).engine.begin() as conn:
        from tasks.manifest import documents

        conn.execute(documents.delete())
