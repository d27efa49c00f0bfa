"""Nightly runs: incremental manifest, still-copying files, quarantine report, the run lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factory.layout import Para, font_face, render
from flows.cli import ExitCode, app
from tasks.lock import RunLock, RunLocked
from tasks.manifest import Manifest, sqlite_url


def one_page_pdf(path: Path, text: str) -> Path:
    """A real one-page scan-like PDF: the cheapest document Tesseract can be run on."""
    doc = render([Para(text)], font_face("Sarabun", 0), path.name, "หัวกระดาษ", lambda n, t: f"{n}/{t}")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.images[0].save(path, "PDF", resolution=300)
    return path


def run(inbox: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = ["run", "-i", str(inbox), "-o", str(out), "--settle-seconds", "0", *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def documents(out: Path) -> dict[str, dict]:
    return {d["source"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}


@pytest.mark.e2e
def test_second_run_processes_nothing_and_a_changed_file_is_redone(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    one_page_pdf(inbox / "a.pdf", "รายงานความก้าวหน้าโครงการ ก")
    one_page_pdf(inbox / "รายงาน ข.pdf", "รายงานความก้าวหน้าโครงการ ข")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n")

    code, output = run(inbox, out)
    assert code == ExitCode.SOME_QUARANTINED, output
    assert "3 processed" in output
    first = (out / "documents.jsonl").read_text()

    started = time.perf_counter()
    code, output = run(inbox, out)
    assert "0 processed" in output and "3 unchanged" in output, output
    assert time.perf_counter() - started < 30
    assert (out / "documents.jsonl").read_text() == first  # rebuilt from stored results, identical

    one_page_pdf(inbox / "a.pdf", "รายงานความก้าวหน้าโครงการ ค")  # same path, new content
    code, output = run(inbox, out)
    assert "1 processed" in output, output
    docs = documents(out)
    assert set(docs) == {"a.pdf", "รายงาน ข.pdf", "broken.pdf"}  # no duplicates
    assert docs["broken.pdf"]["status"] == "quarantined"
    assert "ค" in (out / "text" / "a.txt").read_text(encoding="utf-8")
    report = (out / "quarantine.csv").read_text(encoding="utf-8-sig").splitlines()
    assert report[0] == "source,status,reason,sha256" and report[1].startswith("broken.pdf,quarantined,")
    assert len(Manifest(sqlite_url(out)).entries()) == 3


@pytest.mark.e2e
def test_a_document_whose_records_fail_keeps_its_pages_and_text(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an extractor error once failed a whole fax report with 0 pages ("270.100.7", held-out 6101)
    import flows.pipeline

    def broken(*args: object) -> None:
        raise ValueError("could not convert string to float: '270.100.7'")

    monkeypatch.setattr(flows.pipeline, "extract_document", broken)
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    one_page_pdf(inbox / "รายงาน ก.pdf", "รายงานความก้าวหน้าโครงการ ก")
    code, output = run(inbox, out)
    assert code == ExitCode.SOME_QUARANTINED, output
    doc = documents(out)["รายงาน ก.pdf"]
    assert doc["status"] == "failed" and doc["pages"] == 1
    assert doc["error"] == "extraction: ValueError: could not convert string to float: '270.100.7'"
    assert "รายงาน" in (out / "text" / "รายงาน ก.txt").read_text(encoding="utf-8")
    report = (out / "quarantine.csv").read_text(encoding="utf-8-sig").splitlines()
    assert report[1].startswith("รายงาน ก.pdf,failed,extraction: ValueError")


def test_a_file_still_being_copied_waits_for_the_next_run(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "copying.pdf").write_bytes(b"%PDF-1.4 partial")
    code, output = run(inbox, out, "--settle-seconds", "3600")
    assert code == ExitCode.OK and "1 still copying" in output and "0 processed" in output, output


def test_reprocess_by_glob_with_force(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    for year in ("2565", "2566"):
        (inbox / year).mkdir(parents=True)
        (inbox / year / "x.pdf").write_text("not a pdf", encoding="utf-8")
    assert "2 processed" in run(inbox, out)[1]
    args = ["reprocess", "-i", str(inbox), "-o", str(out), "--glob", "2565/*", "--settle-seconds", "0"]
    assert "0 processed" in CliRunner().invoke(app, args).output  # unchanged without --force
    result = CliRunner().invoke(app, [*args, "--force"])
    assert "1 processed" in result.output, result.output


def test_a_second_run_on_the_same_output_is_refused(prefect_harness, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    with RunLock(out):
        code, output = run(inbox, out)
        with pytest.raises(RunLocked, match="another run"), RunLock(out):
            pass
    assert code == ExitCode.RUN_FAILED and "another run is using" in output


def test_a_lock_left_by_a_killed_run_is_cleared(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from pathlib import Path; from tasks.lock import RunLock;"
         f"lock = RunLock(Path({str(tmp_path)!r})); lock.__enter__();"
         "print('locked', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(RunLocked), RunLock(tmp_path):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with RunLock(tmp_path) as lock:
        assert lock.stale_holder is not None and lock.stale_holder["pid"] == holder.pid


def test_a_full_disk_stops_the_run_with_a_reason_and_loses_nothing(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for name in ("a.pdf", "b.pdf"):
        (inbox / name).write_text("not a pdf", encoding="utf-8")
    real_mkstemp = tempfile.mkstemp
    state_writes = []

    def disk_fills_on_second_result(*args, **kwargs):
        if ".state" in str(kwargs.get("dir", "")):
            state_writes.append(kwargs["dir"])
            if len(state_writes) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", disk_fills_on_second_result)
    code, output = run(inbox, out)
    assert code == ExitCode.RUN_FAILED and "no space left on the disk" in output, output
    monkeypatch.undo()
    code, output = run(inbox, out)
    assert "1 processed" in output and "1 unchanged" in output, output  # the first file was kept
    assert set(documents(out)) == {"a.pdf", "b.pdf"}


def test_the_nightly_deployment_runs_at_two_in_bangkok(tmp_path: Path) -> None:
    from flows.inbox import nightly_deployment

    deployment = nightly_deployment(tmp_path / "share", tmp_path / "out")
    assert deployment.name == "nightly"
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 2 * * *" and schedule.schedule.timezone == "Asia/Bangkok"
    assert deployment.parameters["input_dir"] == str((tmp_path / "share").resolve())


@pytest.mark.e2e
def test_each_file_is_a_subflow_and_all_share_one_pool_of_page_workers(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId
    from prefect.client.schemas.sorting import FlowRunSort, TaskRunSort
    from prefect.task_runners import ProcessPoolTaskRunner

    from flows.inbox import process_inbox

    pool_starts: list[int] = []
    start_pool = ProcessPoolTaskRunner.__enter__

    def counting_start(runner: ProcessPoolTaskRunner) -> ProcessPoolTaskRunner:
        pool_starts.append(1)
        return start_pool(runner)

    monkeypatch.setattr(ProcessPoolTaskRunner, "__enter__", counting_start)
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    one_page_pdf(inbox / "a.pdf", "รายงานความก้าวหน้าโครงการ ก")
    one_page_pdf(inbox / "ข.pdf", "รายงานความก้าวหน้าโครงการ ข")
    state = process_inbox(inbox, out, settle_seconds=0, return_state=True)
    assert pool_starts == [1]

    with get_client(sync_client=True) as client:
        run_flow = client.read_flow_run(state.state_details.flow_run_id)
        children = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_flow.id])),
            sort=FlowRunSort.NAME_ASC, limit=10,
        )  # fmt: skip
        assert [c.name for c in children] == ["a.pdf", "ข.pdf"]
        for child in children:
            assert child.state is not None and child.state.is_completed()
            mine = FlowRunFilter(id={"any_": [child.id]})
            pages = client.read_task_runs(flow_run_filter=mine, sort=TaskRunSort.NAME_ASC, limit=10)
            assert [t.name.split("-")[0:2] for t in pages] == [["process", "page"]]
