"""Render jobs: staff ask for a process's reports; a worker (in `gcmtrack serve` on one
machine, `gcmtrack worker` on a shared database) claims the oldest queued job, renders the
reports in each language, keeps them in the store and, when asked, publishes them.

Claiming is one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so two workers never take the same job; a job whose worker died is failed, never
half-published: its reports replace the old ones only when all of them are rendered
(gcmtrack.store.jobs keeps the queue).

Why not Django's task framework (the django-tasks backport, whose database backend is the
separate django-tasks-db since 0.12): its worker marks a task failed only from inside the
dying process (`except BaseException`), so a killed worker's task stays "running" for ever
(no timeout or stale-task recovery; `fail_stale` here does it); a task has no progress (its
TaskResult holds status, times, arguments, errors and worker ids), so RenderJob's done/total
would stay beside it; and its results are read and written on Django's "default" connection,
not the store's alias. Claiming (select_for_update(skip_locked=True) in an exclusive transaction)
would hold, as here.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import tempfile
import time
from pathlib import Path

from gcmtrack.common.languages import LANGS
from gcmtrack.store import jobs
from gcmtrack.store.api import Store, utc_now

STALE_AFTER = dt.timedelta(hours=1)


def request_render(store: Store, process_id: str, cycle: int, *, publish: bool, accepted_only: bool = False,
                   langs: tuple[str, ...] = LANGS, actor: str):
    """Queue a job that renders (and, with `publish`, publishes) a process's reports."""
    return jobs.create_job(store, process_id, cycle, langs, publish=publish, accepted_only=accepted_only,
                           actor=actor)


def claim(store: Store, worker: str):
    """Take the oldest queued job, or None."""
    return jobs.claim(store, worker)


def run_job(store: Store, job) -> None:
    from gcmtrack.export import export_dataset
    from gcmtrack.report.batch import render_reports

    def progress(_result) -> None:
        jobs.one_more_done(store, job)

    try:
        with tempfile.TemporaryDirectory(prefix="gcmtrack-job-") as folder:
            out = Path(folder)
            results = render_reports(store, [job.process], job.cycle, job.langs, out, force=True, workers=1,
                                     accepted_only=job.accepted_only, on_done=progress)
            export_dataset(store, job.cycle, job.process, out / "data.csv", accepted_only=job.accepted_only)
            data = (out / "data.csv").read_bytes()
            rendered = [(r.lang, r.pdf.read_bytes(), r.html.read_bytes(), r.pages, r.digest) for r in results]
        jobs.finish_job(store, job, rendered, data)
    except Exception as exc:  # noqa: BLE001 - the job fails with its reason; the worker goes on
        jobs.fail_job(store, job, f"{type(exc).__name__}: {exc}")


def fail_stale(store: Store) -> int:
    """Jobs left running by a worker that died are failed (they can be asked for again)."""
    return jobs.fail_stale(store, utc_now() - STALE_AFTER)


def run_worker(store: Store, *, once: bool = False, poll_s: float = 1.0, stop=lambda: False) -> int:
    """Run jobs until stopped (or, with `once`, until none is queued). Returns jobs run."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    ran = 0
    fail_stale(store)
    while not stop():
        job = claim(store, name)
        if job is None:
            if once:
                return ran
            time.sleep(poll_s)
            continue
        run_job(store, job)
        ran += 1
    return ran
