"""The render queue and the rendered reports, as the store keeps them.

Claiming is one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so two workers never take the same job; a finished job's reports replace the old
ones in one transaction, so a set is never half-published. The worker itself (what renders)
is gcmtrack.service.rendering.

A report has two editions (review.md): the `review`, which staff publish to reviewers (a draft
is kept beside the published one, never over it), and the `staff` edition, the named
scoreboard, which is never published: each render replaces it, and only the process's staff
(and admins) read it.
"""

from __future__ import annotations

import datetime as dt

from gcmtrack.store.api import Store, utc_now
from gcmtrack.store.events import Action, JobState
from gcmtrack.store.models import RenderedReport, RenderJob


# A running job's worker writes its heartbeat every HEARTBEAT_EVERY; a running job whose
# heartbeat is older than HEARTBEAT_LOST lost its worker (killed, out of memory, machine gone):
# the next worker (every poll) fails it, and queues it again once.
HEARTBEAT_EVERY = dt.timedelta(seconds=5)
HEARTBEAT_LOST = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 2

REVIEW, STAFF = "review", "staff"
EDITIONS = (REVIEW, STAFF)  # a job renders both, each language once per edition
DATA_PACKAGE, DATASET = "zip", "csv"  # a report's data: its edition's data package, or (before) the dataset


def create_job(store: Store, process_id: str, cycle: int, langs: tuple[str, ...], *, publish: bool,
               accepted_only: bool, actor: str, attempt: int = 1) -> RenderJob:
    """Queue a render job (and audit the request)."""
    with store.transaction():
        job = RenderJob.objects.using(store.alias).create(
            process=process_id, cycle=cycle, langs=list(langs), publish=publish, accepted_only=accepted_only,
            total=len(langs) * len(EDITIONS), requested_by=actor, created_at=utc_now(), attempt=attempt)
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
        job.heartbeat_at = job.started_at
        job.save(using=store.alias, update_fields=["status", "worker", "started_at", "heartbeat_at"])
    return job


def beat(store: Store, job: RenderJob) -> None:
    """The job's worker is alive (written by its heartbeat thread)."""
    RenderJob.objects.using(store.alias).filter(pk=job.pk, status=JobState.RUNNING).update(heartbeat_at=utc_now())


def fail_lost(store: Store, now: dt.datetime | None = None) -> list[tuple[RenderJob, RenderJob | None]]:
    """Fail every running job whose worker stopped beating, and queue each again once (a job
    publishes only in its last transaction, so running it again is safe). Returns (failed,
    retry or None) pairs."""
    from django.db.models import Q

    now = now or utc_now()
    limit = now - HEARTBEAT_LOST
    stale = Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    if not RenderJob.objects.using(store.alias).filter(stale, status=JobState.RUNNING).exists():
        return []  # the common case, read without taking the write lock
    done = []
    with store.transaction():
        running = RenderJob.objects.using(store.alias).filter(status=JobState.RUNNING)
        if store.vendor == "postgresql":
            running = running.select_for_update(skip_locked=True)
        lost = [j for j in running if (j.heartbeat_at or j.started_at or j.created_at) < limit]
        for job in lost:
            retry = None
            if job.attempt < MAX_ATTEMPTS:
                retry = RenderJob.objects.using(store.alias).create(
                    process=job.process, cycle=job.cycle, langs=job.langs, publish=job.publish,
                    accepted_only=job.accepted_only, total=job.total, requested_by=job.requested_by,
                    created_at=now, attempt=job.attempt + 1)
            since = (job.heartbeat_at or job.started_at or job.created_at).strftime("%Y-%m-%dT%H:%M:%SZ")
            error = f"the worker {job.worker or '?'} stopped (no heartbeat since {since})"
            error += f"; queued again as job {retry.id}" if retry else "; not retried again"
            RenderJob.objects.using(store.alias).filter(pk=job.pk).update(
                status=JobState.FAILED, error=error, finished_at=now)
            store.record("worker", Action.RENDER_LOST, object_type="job", object_id=job.id, process=job.process,
                         cycle=job.cycle, detail={"worker": job.worker, "retry": retry.id if retry else None})
            done.append((job, retry))
    return done


def one_more_done(store: Store, job: RenderJob) -> None:
    """A job's progress: one more of its reports is rendered."""
    RenderJob.objects.using(store.alias).filter(pk=job.pk).update(done=job.done + 1)
    job.done += 1


def finish_job(store: Store, job: RenderJob, rendered: list[tuple[str, bytes, bytes, int | None, str]],
               data: bytes, *, staff: list[tuple[str, bytes, bytes, int | None, str]] = (),
               staff_data: bytes | None = None, data_format: str = DATASET) -> None:
    """Keep every rendered report of a job (lang, pdf, html, pages, digest) with the data it
    was made from (`data_format` DATA_PACKAGE or DATASET), publish the review edition (`rendered`)
    when the job asks, keep the staff edition (`staff`, with `staff_data`, else `data`) as the
    latest, and mark the job done: one
    transaction. A review draft (a job without publish) is kept beside the published report,
    never over it, so that reviewers keep what was published; a published render replaces both.
    The staff edition is never published: every render replaces it."""
    now = utc_now()
    with store.transaction():
        reports = RenderedReport.objects.using(store.alias)
        for lang, pdf, html, pages, digest in rendered:
            where = {"process": job.process, "cycle": job.cycle, "lang": lang, "edition": REVIEW}
            if job.publish:
                reports.filter(**where, draft=True).delete()  # the published set is the newest
            reports.update_or_create(
                **where, draft=not job.publish,
                defaults={"pdf": pdf, "html": html, "data": data, "data_format": data_format, "pages": pages,
                          "digest": digest, "rendered_at": now, "job": job,
                          "published_at": now if job.publish else None})
        for lang, pdf, html, pages, digest in staff:
            _keep_staff(store, job.process, job.cycle, lang, pdf=pdf, html=html, pages=pages, digest=digest,
                        data=data if staff_data is None else staff_data, data_format=data_format, at=now, job=job)
        RenderJob.objects.using(store.alias).filter(pk=job.pk).update(status=JobState.DONE, finished_at=now,
                                                                       done=len(rendered) + len(staff))
        store.record(job.requested_by or "worker", Action.RENDER, object_type="job", object_id=job.id,
                     process=job.process, cycle=job.cycle,
                     detail={"langs": job.langs, "published": job.publish, "worker": job.worker,
                             "editions": [REVIEW] + ([STAFF] if staff else [])})


def fail_job(store: Store, job: RenderJob, error: str) -> None:
    RenderJob.objects.using(store.alias).filter(pk=job.pk).update(
        status=JobState.FAILED, error=error[:2000], finished_at=utc_now())


def get_job(store: Store, job_id: int) -> RenderJob | None:
    return RenderJob.objects.using(store.alias).filter(id=job_id).first()


def recent_jobs(store: Store, process_id: str, cycle: int, count: int = 5) -> list[RenderJob]:
    """A process's latest render jobs for a cycle, newest first."""
    return list(RenderJob.objects.using(store.alias).filter(process=process_id, cycle=cycle).order_by("-id")[:count])


def publish_report(store: Store, process_id: str, cycle: int, lang: str, *, pdf: bytes, html: bytes, data: bytes,
                   digest: str, pages: int | None = None, at: dt.datetime | None = None,
                   data_format: str = DATASET) -> None:
    """Keep one review edition, published `at` (now by default): the demo's reports, rendered
    outside a job."""
    now = at or utc_now()
    with store.transaction():
        RenderedReport.objects.using(store.alias).update_or_create(
            process=process_id, cycle=cycle, lang=lang, edition=REVIEW, draft=False,
            defaults={"pdf": pdf, "html": html, "data": data, "data_format": data_format, "pages": pages,
                      "digest": digest, "rendered_at": now, "published_at": now})


def keep_staff_report(store: Store, process_id: str, cycle: int, lang: str, *, pdf: bytes, html: bytes, data: bytes,
                      digest: str, pages: int | None = None, at: dt.datetime | None = None,
                      data_format: str = DATASET) -> None:
    """Keep one staff edition (never published) as the latest: the demo's, rendered outside a job."""
    with store.transaction():
        _keep_staff(store, process_id, cycle, lang, pdf=pdf, html=html, data=data, data_format=data_format,
                    digest=digest, pages=pages, at=at or utc_now(), job=None)


def _keep_staff(store: Store, process_id: str, cycle: int, lang: str, *, pdf: bytes, html: bytes, data: bytes,
                data_format: str, digest: str, pages: int | None, at: dt.datetime, job: RenderJob | None) -> None:
    RenderedReport.objects.using(store.alias).update_or_create(
        process=process_id, cycle=int(cycle), lang=lang, edition=STAFF, draft=False,
        defaults={"pdf": pdf, "html": html, "data": data, "data_format": data_format, "pages": pages,
                  "digest": digest, "rendered_at": at, "job": job, "published_at": None})


def published_reports(store: Store) -> list[RenderedReport]:
    """Every published review (without its files), by process, newest cycle first, language."""
    rows = RenderedReport.objects.using(store.alias).filter(edition=REVIEW, draft=False, published_at__isnull=False)
    rows = rows.defer("pdf", "html", "data")
    return list(rows.order_by("process", "-cycle", "lang"))


def published_report(store: Store, process_id: str, cycle: int, lang: str) -> RenderedReport | None:
    """A published review edition (the only reports reviewers read), or None."""
    return RenderedReport.objects.using(store.alias).filter(process=process_id, cycle=int(cycle), lang=lang,
                                                            edition=REVIEW, draft=False,
                                                            published_at__isnull=False).first()


def cycle_reports(store: Store, process_id: str, cycle: int) -> list[RenderedReport]:
    """A process's reports of a cycle, drafts and published (without their files), by language."""
    rows = RenderedReport.objects.using(store.alias).filter(process=process_id, cycle=int(cycle), edition=REVIEW)
    return list(rows.defer("pdf", "html", "data").order_by("lang", "draft"))


def draft_report(store: Store, process_id: str, cycle: int, lang: str) -> RenderedReport | None:
    """The draft of a report (rendered without publishing), for staff to preview."""
    return RenderedReport.objects.using(store.alias).filter(process=process_id, cycle=int(cycle), lang=lang,
                                                            edition=REVIEW, draft=True).first()


def unpublish(store: Store, process_id: str, cycle: int, *, actor: str) -> int:
    """Take a process's published reports of a cycle back from reviewers (one transaction): each
    becomes a draft again (or is dropped when a newer draft exists). Returns how many."""
    with store.transaction():
        reports = RenderedReport.objects.using(store.alias)
        published = list(reports.filter(process=process_id, cycle=int(cycle), edition=REVIEW, draft=False))
        for row in published:
            if reports.filter(process=process_id, cycle=int(cycle), lang=row.lang, edition=REVIEW,
                              draft=True).exists():
                row.delete()
            else:
                reports.filter(pk=row.pk).update(draft=True, published_at=None)
        store.record(actor, Action.UNPUBLISH, object_type="process", object_id=process_id, process=process_id,
                     cycle=int(cycle), detail={"langs": sorted(r.lang for r in published)})
    return len(published)


def staff_reports(store: Store) -> list[RenderedReport]:
    """Every staff edition (without its files), by process, newest cycle first, language: for
    the portal to filter by the caller's processes."""
    rows = RenderedReport.objects.using(store.alias).filter(edition=STAFF).defer("pdf", "html", "data")
    return list(rows.order_by("process", "-cycle", "lang"))


def staff_report(store: Store, process_id: str, cycle: int, lang: str) -> RenderedReport | None:
    """The latest staff edition of a process's report, or None."""
    return RenderedReport.objects.using(store.alias).filter(process=process_id, cycle=int(cycle), lang=lang,
                                                            edition=STAFF).first()
