"""Shared fixtures. The suite fails loudly, never skips, when a system dependency is missing."""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import shutil
import subprocess
from pathlib import Path

import pytest


def _missing_system_dependencies() -> list[str]:
    missing = [tool for tool in ("tesseract", "pdftoppm", "pdfinfo") if shutil.which(tool) is None]
    if shutil.which("tesseract"):
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
        missing += [f"tesseract language '{lang}'" for lang in ("tha", "osd") if lang not in langs]
    return missing


def pytest_sessionstart(session: pytest.Session) -> None:
    missing = _missing_system_dependencies()
    if missing:
        pytest.exit(
            f"missing system dependencies: {', '.join(missing)} — run `bash scripts/bootstrap.sh` "
            "(or ./dev.sh test, which runs it first)",
            returncode=3,
        )


@pytest.fixture(scope="session")
def prefect_harness():
    """One throwaway Prefect backend for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def clean_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clean document of each family (seed 101), rendered once per session."""
    from factory.build import make_samples

    out = tmp_path_factory.mktemp("samples-clean")
    make_samples(out, seed=101, count=1, preset="clean")
    return out
