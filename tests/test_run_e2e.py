"""`reportocr run` end to end: real PDFs through pdftoppm and Tesseract, and files to quarantine."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from factory.build import make_sample
from flows.cli import ExitCode, app


@pytest.mark.e2e
def test_run_processes_good_files_and_quarantines_bad_ones(prefect_harness, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    good = make_sample(inbox, "bma_project_form", 21, "office")
    thai_named = inbox / "ส่งแล้ว" / "รายงาน ไตรมาส 2.pdf"
    thai_named.parent.mkdir()
    shutil.copy(good, thai_named)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "page.pdf").write_text("<html><body>not a pdf</body></html>", encoding="utf-8")
    (inbox / "truncated.pdf").write_bytes(good.read_bytes()[:2000])
    flipped = bytearray(good.read_bytes())
    for i in range(len(flipped) - 600, len(flipped), 5):  # the cross-reference table and trailer
        flipped[i] ^= 0xFF
    (inbox / "bit-flipped.pdf").write_bytes(bytes(flipped))
    qpdf = ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(good), str(inbox / "locked.pdf")]
    subprocess.run(qpdf, check=True)
    Image.new("L", (200, 200), 255).save(inbox / "huge.pdf", "PDF", resolution=3)  # 20,000 px at 300 dpi
    out = tmp_path / "out"

    args = ["run", "--input", str(inbox), "--output", str(out), "--settle-seconds", "0"]
    result = CliRunner().invoke(app, args)

    assert result.exit_code == ExitCode.SOME_QUARANTINED, result.output
    docs = {d["source"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    bad = {"empty.pdf", "page.pdf", "truncated.pdf", "bit-flipped.pdf", "locked.pdf", "huge.pdf"}
    assert set(docs) == {good.name, "ส่งแล้ว/รายงาน ไตรมาส 2.pdf", *bad}
    for name in bad:
        assert docs[name]["status"] == "quarantined" and docs[name]["error"], docs[name]
    assert "not a PDF" in docs["page.pdf"]["error"]
    assert "password-protected" in docs["locked.pdf"]["error"]
    assert "megapixels" in docs["huge.pdf"]["error"]
    report = (out / "quarantine.csv").read_text(encoding="utf-8-sig")
    assert all(name in report for name in bad)
    queue = (out / "review" / "review_queue.csv").read_bytes()
    assert queue.startswith(b"\xef\xbb\xbf")  # a BOM: Excel shows the Thai
    header, *rows = csv.reader(io.StringIO(queue.decode("utf-8-sig")))
    assert header[-3:] == ["corrected_value", "status", "reviewer"]
    flagged = [(name, f) for p in map(json.loads, (out / "projects.jsonl").read_text().splitlines())
               for name, f in p["fields"].items() if f["needs_review"]]  # fmt: skip
    assert len(rows) == len(flagged)
    for name in (good.name, "ส่งแล้ว/รายงาน ไตรมาส 2.pdf"):
        assert docs[name]["status"] == "ok" and docs[name]["pages"] == 2
        assert 0 < docs[name]["mean_confidence"] <= 1
    text = (out / "text" / "ส่งแล้ว" / "รายงาน ไตรมาส 2.txt").read_text(encoding="utf-8")
    assert text.count("\f") == 1 and "รหัสโครงการ" in text.replace(" ", "")


def test_run_refuses_a_missing_input_folder(tmp_path: Path) -> None:
    args = ["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == ExitCode.RUN_FAILED
    assert "input folder not found" in result.output
