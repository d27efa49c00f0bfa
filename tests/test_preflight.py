"""The malformed-file corpus: every kind of bad input is refused with a reason a person understands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tasks.preflight import BadDocument, inspect_pdf

DPI, MAX_MP = 300, 150.0


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.pdf"
    Image.new("L", (850, 1100), 255).save(path, "PDF", resolution=100)  # one US-letter page
    return path


def refusal(path: Path) -> str:
    with pytest.raises(BadDocument) as info:
        inspect_pdf(path, DPI, MAX_MP)
    return info.value.reason


def test_a_good_pdf_passes_with_its_geometry(good_pdf: Path) -> None:
    info = inspect_pdf(good_pdf, DPI, MAX_MP)
    assert len(info.pages) == 1 and not info.encrypted
    assert info.pages[0].width_pt == pytest.approx(612) and info.pages[0].rotation == 0


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.pdf").write_bytes(b"")
    assert refusal(tmp_path / "e.pdf") == "the file is empty (0 bytes)"


def test_html_renamed_to_pdf(tmp_path: Path) -> None:
    (tmp_path / "h.pdf").write_text("<!DOCTYPE html><html><body>ระบบ</body></html>", encoding="utf-8")
    assert "an HTML page, not a PDF" in refusal(tmp_path / "h.pdf")


def test_truncated(good_pdf: Path, tmp_path: Path) -> None:
    (tmp_path / "t.pdf").write_bytes(good_pdf.read_bytes()[:300])
    assert "damaged or truncated" in refusal(tmp_path / "t.pdf")


def test_bit_flipped(good_pdf: Path, tmp_path: Path) -> None:
    data = bytearray(good_pdf.read_bytes())
    for i in range(len(data) - 400, len(data), 7):  # wreck the xref table and trailer
        data[i] ^= 0xFF
    (tmp_path / "b.pdf").write_bytes(bytes(data))
    reason = refusal(tmp_path / "b.pdf")
    assert "damaged" in reason or "could not be opened" in reason


def test_password_protected(good_pdf: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    qpdf = ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(good_pdf), str(locked)]
    subprocess.run(qpdf, check=True)
    assert "password-protected" in refusal(locked)


def test_owner_password_only_is_processed(good_pdf: Path, tmp_path: Path) -> None:
    """No user password: anyone can open it, so it is processed and noted as encrypted."""
    soft = tmp_path / "soft.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--", str(good_pdf), str(soft)], check=True)
    assert inspect_pdf(soft, DPI, MAX_MP).encrypted


def test_zero_pages(tmp_path: Path) -> None:
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip
    (tmp_path / "z.pdf").write_bytes(pdf)
    reason = refusal(tmp_path / "z.pdf")
    assert "no pages" in reason or "damaged" in reason


def test_a_20000_px_page_is_refused_before_rasterising(tmp_path: Path) -> None:
    huge = tmp_path / "huge.pdf"
    Image.new("L", (200, 200), 255).save(huge, "PDF", resolution=3)  # 66.7 in square: 20,000 px at 300 dpi
    reason = refusal(huge)
    assert "20,000 x 20,000 px" in reason and "megapixels" in reason


def test_unreadable_file(good_pdf: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder.pdf"
    folder.mkdir()  # a directory named like a PDF: reading it fails like an unreadable share entry
    assert refusal(folder).startswith("the file cannot be read")


def test_only_transient_os_errors_are_retried() -> None:
    import errno

    from prefect.states import Failed

    from flows.pipeline import is_transient

    assert is_transient(None, None, Failed(data=OSError(errno.EIO, "i/o error on the share")))
    assert not is_transient(None, None, Failed(data=OSError(errno.ENOSPC, "disk full")))
    assert not is_transient(None, None, Failed(data=RuntimeError("Tesseract process timeout")))
