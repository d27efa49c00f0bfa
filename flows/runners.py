"""Where page tasks run: a process per core here, or an existing Dask cluster for several machines."""

from __future__ import annotations

import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from models.inbox import InboxSettings
from models.settings import Settings


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


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
    return ProcessPoolTaskRunner(max_workers=workers)
