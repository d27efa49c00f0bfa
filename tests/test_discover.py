from __future__ import annotations

import hashlib
from pathlib import Path

from tasks.discover import discover


def test_finds_pdfs_in_any_case_under_thai_and_spaced_names(tmp_path: Path) -> None:
    (tmp_path / "ปี 2565" / "ไตรมาส 1").mkdir(parents=True)
    files = {
        "ปี 2565/ไตรมาส 1/รายงาน โครงการ.PDF": b"%PDF-1.4 a",
        "b.pdf": b"%PDF-1.4 b",
        "notes.txt": b"not a pdf",
        "scan.Pdf": b"%PDF-1.4 c",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)  # a symlink loop on a shared drive
    found = discover(tmp_path)
    assert [f.source for f in found] == ["b.pdf", "scan.Pdf", "ปี 2565/ไตรมาส 1/รายงาน โครงการ.PDF"]
    assert found[0].sha256 == hashlib.sha256(b"%PDF-1.4 b").hexdigest()
