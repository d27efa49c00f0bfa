"""Where page tasks run: a process per core here, or an existing Dask cluster for several machines."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from models.inbox import InboxSettings
from models.settings import Settings


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


def exit_with_run(run_pid: int) -> None:
    """Page-worker initializer: leave when the run that started this worker is gone. A run killed with
    SIGKILL (or by the OOM killer) cannot stop its pool, and the orphaned workers were seen living on
    for minutes, holding their memory and running Tesseract for nobody."""

    def watch() -> None:
        while os.getppid() == run_pid:
            time.sleep(2)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-run", daemon=True).start()


def page_task_runner(settings: Settings, inbox: InboxSettings) -> TaskRunner:
    workers = worker_count(settings)
    if inbox.page_runner == "threads":
        return ThreadPoolTaskRunner(max_workers=workers)
    if inbox.page_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if inbox.dask_address:
            return DaskTaskRunner(address=inbox.dask_address)
        # One single-threaded process per worker: Tesseract and OpenCV get a core each.
        cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True}
        return DaskTaskRunner(cluster_kwargs=cluster)
    return ProcessPoolTaskRunner(max_workers=workers, initializer=exit_with_run, initargs=(os.getpid(),))


class BorrowedTaskRunner(TaskRunner):
    """The task runner of a per-file subflow: it submits to the run flow's runner, which is already started.

    Prefect gives every flow run a fresh duplicate of its runner, so a subflow per file would otherwise
    start (and tear down) a process pool or a local Dask cluster per file. The lender's life is its
    owner's: entering and leaving this runner does not start or stop it.
    """

    def __init__(self, lender: TaskRunner) -> None:
        super().__init__()
        self.lender = lender

    def duplicate(self) -> BorrowedTaskRunner:
        return type(self)(self.lender)

    def __getstate__(self) -> dict[str, Any]:
        # Page tasks ship their flow (and so this runner) to the workers; a worker never submits, and the
        # lender (a pool with its queues, a Dask client) cannot be pickled.
        return {**self.__dict__, "lender": None}

    def submit(  # type: ignore[override]  # one signature for the sync tasks we submit
        self, task: Any, parameters: dict[str, Any], wait_for: Iterable[Any] | None = None,
        dependencies: dict[str, set[Any]] | None = None,
    ) -> Any:  # fmt: skip
        if isinstance(self.lender, ProcessPoolTaskRunner):
            # Prefect 3.8 serialises the run context once per pool start; a shared pool serves many flow
            # runs, so the context (which says whose task run this is) is taken afresh for each page.
            self.lender._cached_context = None
        return self.lender.submit(task, parameters, wait_for, dependencies)
