"""Render jobs: staff ask for a process's reports; a worker (in `gcmtrack serve` on one
machine, `gcmtrack worker` on a shared database) claims the oldest queued job, renders the
reports in each language, keeps them in the store and, when asked, publishes them.

Claiming is one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so two workers never take the same job; a job whose worker died is failed, never
half-published: its reports replace the old ones only when all of them are rendered.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import tempfile
import time
from pathlib import Path

from gcmtrack.common.languages import LANGS
from gcmtrack.store.api import Store, utc_now
from gcmtrack.store.models import RenderedReport, RenderJob

STALE_AFTER = dt.timedelta(hours=1)


def request_render(store: Store, process_id: str, cycle: int, *, publish: bool, accepted_only: bool = False,
                   langs: tuple[str, ...] = LANGS, actor: str) -> RenderJob:
    with store._write():
        job = RenderJob.objects.using(store.alias).create(
            process=process_id, cycle=cycle, langs=list(langs), publish=publish, accepted_only=accepted_only,
            total=len(langs), requested_by=actor, created_at=utc_now())
        store._record(actor, "render-request", object_type="job", object_id=job.id, process=process_id,
                      cycle=cycle, detail={"publish": publish, "accepted_only": accepted_only})
    return job


def claim(store: Store, worker: str) -> RenderJob | None:
    """Take the oldest queued job, or None."""
    with store._write():
        queued = RenderJob.objects.using(store.alias).filter(status="queued").order_by("id")
        if store.vendor == "postgresql":
            queued = queued.select_for_update(skip_locked=True)
        job = queued.first()
        if job is None:
            return None
        job.status, job.worker, job.started_at = "running", worker, utc_now()
        job.save(using=store.alias, update_fields=["status", "worker", "started_at"])
    return job


def run_job(store: Store, job: RenderJob) -> None:
    from gcmtrack.export import export_dataset
    from gcmtrack.report.batch import render_reports

    def progress(_result) -> None:
        RenderJob.objects.using(store.alias).filter(pk=job.pk).update(done=job.done + 1)
        job.done += 1

    try:
        with tempfile.TemporaryDirectory(prefix="gcmtrack-job-") as folder:
            out = Path(folder)
            results = render_reports(store, [job.process], job.cycle, job.langs, out, force=True, workers=1,
                                     accepted_only=job.accepted_only, on_done=progress)
            export_dataset(store, job.cycle, job.process, out / "data.csv", accepted_only=job.accepted_only)
            data = (out / "data.csv").read_bytes()
            rendered = [(r.lang, r.pdf.read_bytes(), r.html.read_bytes(), r.pages, r.digest) for r in results]
        now = utc_now()
        with store._write():
            for lang, pdf, html, pages, digest in rendered:
                RenderedReport.objects.using(store.alias).update_or_create(
                    process=job.process, cycle=job.cycle, lang=lang,
                    defaults={"pdf": pdf, "html": html, "data": data, "pages": pages, "digest": digest,
                              "rendered_at": now, "job": job,
                              "published_at": now if job.publish else None})
            RenderJob.objects.using(store.alias).filter(pk=job.pk).update(status="done", finished_at=now,
                                                                           done=len(rendered))
            store._record(job.requested_by or "worker", "render", object_type="job", object_id=job.id,
                          process=job.process, cycle=job.cycle,
                          detail={"langs": job.langs, "published": job.publish, "worker": job.worker})
    except Exception as exc:  # noqa: BLE001 - the job fails with its reason; the worker goes on
        RenderJob.objects.using(store.alias).filter(pk=job.pk).update(
            status="failed", error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=utc_now())


def fail_stale(store: Store) -> int:
    """Jobs left running by a worker that died are failed (they can be asked for again)."""
    limit = utc_now() - STALE_AFTER
    with store._write():
        return RenderJob.objects.using(store.alias).filter(status="running", started_at__lt=limit).update(
            status="failed", error="the worker stopped before finishing", finished_at=utc_now())


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
