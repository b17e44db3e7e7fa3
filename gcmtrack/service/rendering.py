"""Render jobs: staff ask for a process's reports; a worker (in `gcmtrack serve` on one
machine, `gcmtrack worker` on a shared database) claims the oldest queued job, renders the
reports in each language and both editions, keeps them in the store and, when asked,
publishes the review edition (the staff edition is kept for staff, never published).

Claiming is one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so two workers never take the same job; a job whose worker died is failed, never
half-published: its reports replace the old ones only when all of them are rendered
(gcmtrack.store.jobs keeps the queue).

Why not Django's task framework (the django-tasks backport, whose database backend is the
separate django-tasks-db since 0.12): its worker marks a task failed only from inside the
dying process (`except BaseException`), so a killed worker's task stays "running" for ever
(no timeout or stale-task recovery; here a heartbeat does it, see below); a task has no progress (its
TaskResult holds status, times, arguments, errors and worker ids), so RenderJob's done/total
would stay beside it; and its results are read and written on Django's "default" connection,
not the store's alias. Claiming (select_for_update(skip_locked=True) in an exclusive transaction)
would hold, as here.

A running job carries a heartbeat, written every few seconds by a thread of its worker. Every
worker, at each poll, fails the running jobs whose heartbeat stopped (jobs.HEARTBEAT_LOST, half
a minute: a worker that was killed, ran out of memory or lost its machine) and queues each
again once; so a dead worker's job is failed and retried within a minute, never left
"running". `gcmtrack serve` restarts its render worker when it dies.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

from gcmtrack.common.languages import LANGS
from gcmtrack.store import jobs
from gcmtrack.store.api import Store


def report_languages(process) -> tuple[str, ...]:
    """The languages a process's review is offered in: its working languages (`languages`, then
    `other_languages`, processes/*.yaml) that gcmtrack speaks, in that order; every language
    gcmtrack speaks for a process that names none of them."""
    working = (*process.languages, *process.other_languages)
    return tuple(dict.fromkeys(lang for lang in working if lang in LANGS)) or LANGS


def request_render(store: Store, process_id: str, cycle: int, *, publish: bool, accepted_only: bool = False,
                   langs: tuple[str, ...] | None = None, actor: str):
    """Queue a job that renders (and, with `publish`, publishes) a process's reports, in `langs`
    (default: the process's working languages, report_languages)."""
    if not langs:
        from gcmtrack.reference.processes import get_process

        langs = report_languages(get_process(process_id))
    return jobs.create_job(store, process_id, cycle, langs, publish=publish, accepted_only=accepted_only,
                           actor=actor)


def claim(store: Store, worker: str):
    """Take the oldest queued job, or None."""
    return jobs.claim(store, worker)


def run_job(store: Store, job) -> None:
    def progress(_result) -> None:
        jobs.one_more_done(store, job)

    with _heartbeat(store, job):
        _run(store, job, progress)


class _heartbeat:
    """A thread that writes the job's heartbeat while it runs (on its own connection)."""

    def __init__(self, store: Store, job):
        self.store, self.job, self.stop = store, job, threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.id}", daemon=True)

    def _beat(self) -> None:
        from django.db import connections

        try:
            while not self.stop.wait(jobs.HEARTBEAT_EVERY.total_seconds()):
                try:
                    jobs.beat(self.store, self.job)
                except Exception:  # noqa: BLE001 - a missed beat is retried; the job goes on
                    pass
        finally:
            connections[self.store.alias].close()  # this thread's own connection

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(30)


def _run(store: Store, job, progress) -> None:
    from gcmtrack.report.batch import render_reports
    from gcmtrack.report.datapackage import package_archive, package_folder

    try:
        with tempfile.TemporaryDirectory(prefix="gcmtrack-job-") as folder:
            out = Path(folder)
            results = render_reports(store, [job.process], job.cycle, job.langs, out, force=True, workers=1,
                                     accepted_only=job.accepted_only, on_done=progress, editions=jobs.EDITIONS)
            rendered = {edition: [(r.lang, r.pdf.read_bytes(), r.html.read_bytes(), r.pages, r.digest)
                                  for r in results if r.edition == edition] for edition in jobs.EDITIONS}
            # each edition's data is its Frictionless Data Package (the review's follows the
            # process's disclosure; the staff's names every state's scores), kept as one ZIP
            data = {edition: package_archive(package_folder(out, job.process, job.cycle, edition))
                    for edition in jobs.EDITIONS}
        jobs.finish_job(store, job, rendered[jobs.REVIEW], data[jobs.REVIEW], staff=rendered[jobs.STAFF],
                        staff_data=data[jobs.STAFF], data_format=jobs.DATA_PACKAGE)
    except Exception as exc:  # noqa: BLE001 - the job fails with its reason; the worker goes on
        jobs.fail_job(store, job, f"{type(exc).__name__}: {exc}")


def fail_lost(store: Store) -> list:
    """Jobs whose worker stopped beating are failed and queued again once (jobs.fail_lost)."""
    return jobs.fail_lost(store)


def run_worker(store: Store, *, once: bool = False, poll_s: float = 1.0, stop=lambda: False) -> int:
    """Run jobs until stopped (or, with `once`, until none is queued). Returns jobs run."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    ran = 0
    while not stop():
        fail_lost(store)
        job = claim(store, name)
        if job is None:
            if once:
                return ran
            time.sleep(poll_s)
            continue
        run_job(store, job)
        ran += 1
    return ran
