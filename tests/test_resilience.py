"""A run killed mid-document resumes to the same outputs as a clean run; Dask gives the same records."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factory.build import make_sample
from tests.test_inbox import one_page_pdf

RECORD_FILES = ("documents.jsonl", "projects.jsonl", "progress.jsonl", "tables.jsonl")
ROOT = Path(__file__).resolve().parents[1]


def outputs(out: Path) -> dict[str, bytes]:
    files = {name: (out / name).read_bytes() for name in RECORD_FILES}
    files.update({str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "text").rglob("*.txt"))})
    return files


def cli_run(inbox: Path, out: Path, **popen) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "flows.cli", "run", "-i", str(inbox), "-o", str(out)]
    cmd += ["--settle-seconds", "0"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)


@pytest.mark.e2e
def test_a_run_killed_mid_document_resumes_to_the_clean_result(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for i in range(4):
        one_page_pdf(inbox / f"doc{i}.pdf", f"รายงานความก้าวหน้าโครงการ ครั้งที่ {i}")
    (inbox / "bad.pdf").write_text("not a pdf", encoding="utf-8")

    clean = tmp_path / "clean"
    assert cli_run(inbox, clean).wait(timeout=600) == 1  # 1: the bad file is quarantined

    killed = tmp_path / "killed"
    proc = cli_run(inbox, killed, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list((killed / ".state").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run, its Prefect server and its page workers, mid-run
    proc.wait()
    finished = len(list((killed / ".state").glob("*.json")))
    assert 1 <= finished < 5, "the kill must land after the first document and before the last"

    assert cli_run(inbox, killed).wait(timeout=600) in (0, 1)  # 1 if the bad file was left for this run
    assert outputs(killed) == outputs(clean)
    assert (killed / "documents.jsonl").read_text().count("\n") == 5  # no duplicates, nothing lost


@pytest.mark.e2e
def test_a_local_dask_cluster_gives_byte_identical_records(prefect_harness, tmp_path: Path) -> None:
    from prefect_dask import DaskTaskRunner

    from flows.inbox import process_inbox

    inbox = tmp_path / "inbox"
    make_sample(inbox, "bma_project_page", 5, "office")
    shutil.copy(inbox / "bma_project_page_00005_office.truth.json", tmp_path)  # not a PDF: ignored anyway
    default, dask = tmp_path / "default", tmp_path / "dask"
    process_inbox(inbox, default, settle_seconds=0)
    cluster = {"n_workers": 2, "threads_per_worker": 1, "processes": True}
    on_dask = process_inbox.with_options(task_runner=DaskTaskRunner(cluster_kwargs=cluster))
    on_dask(inbox, dask, settle_seconds=0)
    assert outputs(dask) == outputs(default)
    assert b'"status":"ok"' in outputs(dask)["documents.jsonl"]


@pytest.mark.e2e
def test_pages_finished_before_a_crash_are_not_redone(prefect_harness, tmp_path: Path) -> None:
    """A page checkpoint (keyed by the PDF's sha256, the page and the settings) is used instead of OCR."""
    from flows.pipeline import process_document
    from models.settings import load_settings
    from tasks.discover import discover
    from tasks.ocr import TesseractEngine
    from tasks.page import process_page
    from tasks.store import page_checkpoint, save_page, settings_digest

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    one_page_pdf(inbox / "a.pdf", "รายงานความก้าวหน้าโครงการ")
    src = discover(inbox)[0]
    settings = load_settings()
    done = process_page(src.path, src, 1, settings, tmp_path / "work", TesseractEngine(settings.ocr))
    done.ocr.lines[0].text = "หน้านี้มาจากจุดพัก"  # a marker no OCR of this page would produce
    save_page(page_checkpoint(out, src.sha256, 1, settings_digest(settings)), done)

    result = process_document(src, settings, tmp_path / "work2", out)
    assert result.pages[0].ocr.lines[0].text == "หน้านี้มาจากจุดพัก"


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _cmdline(pid: int) -> bytes:
    """The process's command line; empty once it has gone (a short-lived child: pdftoppm, tesseract)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.e2e
def test_page_workers_leave_when_their_run_is_killed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for i in range(3):
        one_page_pdf(inbox / f"doc{i}.pdf", f"รายงานความก้าวหน้าโครงการ ครั้งที่ {i}")
    proc = cli_run(inbox, tmp_path / "out", start_new_session=True)
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:  # the pool starts a worker per waiting page
        workers = [c for c in _children(proc.pid) if b"spawn_main" in _cmdline(c)]
        time.sleep(0.2)
    assert workers, "the run started no page workers"
    os.kill(proc.pid, signal.SIGKILL)  # only the run: its workers are orphaned
    proc.wait()
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [w for w in workers if _alive(w)]
    with contextlib.suppress(ProcessLookupError):  # the rest of the run's session (its Prefect server)
        os.killpg(proc.pid, signal.SIGKILL)
    assert not left, "orphaned page workers outlived their run"
