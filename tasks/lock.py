"""One run at a time per output folder.

An advisory `flock` on OUTPUT/.reportocr.lock: the kernel drops it when the holder dies, so a lock
left by a killed run is stale by construction and the next run takes it over (and says so).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class RunLocked(Exception):
    """Another run holds the output folder."""


class RunLock:
    def __init__(self, output_dir: Path):
        self.path = output_dir / ".reportocr.lock"
        self._fh: IO[str] | None = None
        self.stale_holder: dict | None = None  # the previous holder's details, if it died holding the lock

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown holder"
            fh.close()
            message = f"another run is using {self.path.parent} ({holder}); try again when it ends"
            raise RunLocked(message) from None
        fh.seek(0)
        previous = fh.read().strip()
        if previous:  # the file outlived its holder: that run was killed
            self.stale_holder = json.loads(previous)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "started": datetime.now(UTC).isoformat(timespec="seconds")}))  # fmt: skip
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()  # empty = released cleanly
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
