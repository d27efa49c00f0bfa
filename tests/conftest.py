"""Shared fixtures. The suite fails loudly, never skips, when a system dependency is missing."""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

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


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server (Debian's) started for the session on loopback, torn down after."""
    import socket
    import tempfile

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        pytest.fail("PostgreSQL is not installed: run `bash scripts/bootstrap.sh --test`")
    bindir = bins[-1].parent
    root = Path(tempfile.mkdtemp(prefix="reportocr-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        root.chmod(0o755)
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"
    initdb = [bindir / "initdb", "-D", data, "-U", "reportocr", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*as_postgres, *initdb], check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    start = [bindir / "pg_ctl", "-D", data, "-o", options, "-w", "-l", root / "log", "start"]
    subprocess.run([*as_postgres, *start], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://reportocr@127.0.0.1:{port}/postgres"
    finally:
        stop = [bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"]
        subprocess.run([*as_postgres, *stop], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
