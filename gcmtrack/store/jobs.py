"""The render queue and the rendered reports, as the store keeps them.

Claiming is one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so two workers never take the same job; a finished job's reports replace the old
ones in one transaction, so a set is never half-published. The worker itself (what renders)
is gcmtrack.service.rendering.
"""

from __future__ import annotations

import datetime as dt

from gcmtrack.store.api import Store, utc_now
from gcmtrack.store.events import Action, JobState
from gcmtrack.store.models import RenderedReport, RenderJob


def create_job(store: Store, process_id: str, cycle: int, langs: tuple[str, ...], *, publish: bool,
               accepted_only: bool, actor: str) -> RenderJob:
    """Queue a render job (and audit the request)."""
    with store.transaction():
        job = RenderJob.objects.using(store.alias).create(
            process=process_id, cycle=cycle, langs=list(langs), publish=publish, accepted_only=accepted_only,
            total=len(langs), requested_by=actor, created_at=utc_now())
        store.record(actor, Action.RENDER_REQUEST, object_type="job", object_id=job.id, process=process_id,
                     cycle=cycle, detail={"publish": publish, "accepted_only": accepted_only})
    return job


def claim(store: Store, worker: str) -> RenderJob | None:
    """Take the oldest queued job, or None."""
    with store.transaction():
        queued = RenderJob.objects.using(store.alias).filter(status=JobState.QUEUED).order_by("id")
        if store.vendor == "postgresql":
            queued = queued.select_for_update(skip_locked=True)
        job = queued.first()
        if job is None:
            return None
        job.status, job.worker, job.started_at = JobState.RUNNING.value, worker, utc_now()
        job.save(using=store.alias, update_fields=["status", "worker", "started_at"])
    return job


def one_more_done(store: Store, job: RenderJob) -> None:
    """A job's progress: one more of its reports is rendered."""
    RenderJob.objects.using(store.alias).filter(pk=job.pk).update(done=job.done + 1)
    job.done += 1


def finish_job(store: Store, job: RenderJob, rendered: list[tuple[str, bytes, bytes, int | None, str]],
               data: bytes) -> None:
    """Keep every rendered report of a job (lang, pdf, html, pages, digest) with the dataset
    it was made from, publish them when the job asks, and mark it done: one transaction."""
    now = utc_now()
    with store.transaction():
        for lang, pdf, html, pages, digest in rendered:
            RenderedReport.objects.using(store.alias).update_or_create(
                process=job.process, cycle=job.cycle, lang=lang,
                defaults={"pdf": pdf, "html": html, "data": data, "pages": pages, "digest": digest,
                          "rendered_at": now, "job": job,
                          "published_at": now if job.publish else None})
        RenderJob.objects.using(store.alias).filter(pk=job.pk).update(status=JobState.DONE, finished_at=now,
                                                                       done=len(rendered))
        store.record(job.requested_by or "worker", Action.RENDER, object_type="job", object_id=job.id,
                     process=job.process, cycle=job.cycle,
                     detail={"langs": job.langs, "published": job.publish, "worker": job.worker})


def fail_job(store: Store, job: RenderJob, error: str) -> None:
    RenderJob.objects.using(store.alias).filter(pk=job.pk).update(
        status=JobState.FAILED, error=error[:2000], finished_at=utc_now())


def fail_stale(store: Store, started_before: dt.datetime) -> int:
    """Fail the jobs still running that started before a moment (their worker died)."""
    with store.transaction():
        return RenderJob.objects.using(store.alias).filter(
            status=JobState.RUNNING, started_at__lt=started_before).update(
            status=JobState.FAILED, error="the worker stopped before finishing", finished_at=utc_now())


def get_job(store: Store, job_id: int) -> RenderJob | None:
    return RenderJob.objects.using(store.alias).filter(id=job_id).first()


def recent_jobs(store: Store, process_id: str, cycle: int, count: int = 5) -> list[RenderJob]:
    """A process's latest render jobs for a cycle, newest first."""
    return list(RenderJob.objects.using(store.alias).filter(process=process_id, cycle=cycle).order_by("-id")[:count])


def publish_report(store: Store, process_id: str, cycle: int, lang: str, *, pdf: bytes, html: bytes, data: bytes,
                   digest: str, pages: int | None = None, at: dt.datetime | None = None) -> None:
    """Keep one report, published `at` (now by default): the demo's reports, rendered outside a job."""
    now = at or utc_now()
    with store.transaction():
        RenderedReport.objects.using(store.alias).update_or_create(
            process=process_id, cycle=cycle, lang=lang,
            defaults={"pdf": pdf, "html": html, "data": data, "pages": pages, "digest": digest,
                      "rendered_at": now, "published_at": now})


def published_reports(store: Store) -> list[RenderedReport]:
    """Every published report (without its files), by process, newest cycle first, language."""
    rows = RenderedReport.objects.using(store.alias).filter(published_at__isnull=False).defer("pdf", "html", "data")
    return list(rows.order_by("process", "-cycle", "lang"))


def published_report(store: Store, process_id: str, cycle: int, lang: str) -> RenderedReport | None:
    return RenderedReport.objects.using(store.alias).filter(process=process_id, cycle=int(cycle), lang=lang,
                                                            published_at__isnull=False).first()
