"""Render jobs under hostile and racing conditions (issue 19, item 8): a draft render never
unpublishes what reviewers have; a dead worker's job is failed and queued again within a
minute (a heartbeat, no "stale after an hour"); `serve` restarts its dead render worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.portal_fixtures import workbook

ROOT = Path(__file__).resolve().parent.parent


def _rendered(tag: bytes):
    return [(lang, b"%PDF-1.7 " + tag, b"<html>" + tag + b"</html>", 3, tag.decode()) for lang in ("en", "es", "fr")]


def _job(store, publish: bool):
    from gcmtrack.store import jobs

    job = jobs.create_job(store, "CMC", 2026, ("en", "es", "fr"), publish=publish, accepted_only=False,
                          actor="cmc@iom.int")
    return jobs.claim(store, "test:1")


def test_a_draft_render_never_unpublishes_what_reviewers_have(portal):
    from gcmtrack.store import jobs

    jobs.finish_job(portal.store, _job(portal.store, publish=True), _rendered(b"published"), b"JAM")
    jobs.finish_job(portal.store, _job(portal.store, publish=False), _rendered(b"draft"), b"JAM")
    reader = portal.client("reader@iom.int")
    for lang in ("en", "es", "fr"):
        row = jobs.published_report(portal.store, "CMC", 2026, lang)
        assert row is not None and bytes(row.pdf) == b"%PDF-1.7 published"
    assert [(r.process, r.lang) for r in jobs.published_reports(portal.store)] == \
        [("CMC", "en"), ("CMC", "es"), ("CMC", "fr")]
    pdf = reader.get("/reports/CMC/2026/en.pdf")
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 published"
    # a second draft replaces the first draft only; a publishing render replaces the set
    jobs.finish_job(portal.store, _job(portal.store, publish=False), _rendered(b"draft2"), b"JAM")
    assert bytes(jobs.published_report(portal.store, "CMC", 2026, "en").pdf) == b"%PDF-1.7 published"
    jobs.finish_job(portal.store, _job(portal.store, publish=True), _rendered(b"new"), b"JAM")
    assert bytes(jobs.published_report(portal.store, "CMC", 2026, "en").pdf) == b"%PDF-1.7 new"
    from gcmtrack.store.models import RenderedReport
    assert RenderedReport.objects.using(portal.store.alias).filter(draft=True).count() == 0


def test_a_job_whose_worker_stopped_beating_is_failed_and_queued_again_once(db):
    from gcmtrack.store import Store, jobs
    from gcmtrack.store.events import JobState
    from gcmtrack.store.models import RenderJob

    with Store(db) as store:
        job = _job(store, publish=True)
        alive = _job(store, publish=False)
        now = jobs.utc_now()
        assert jobs.fail_lost(store, now) == []  # just claimed: alive
        RenderJob.objects.using(store.alias).filter(pk=job.pk).update(heartbeat_at=now - dt.timedelta(seconds=31))
        RenderJob.objects.using(store.alias).filter(pk=alive.pk).update(heartbeat_at=now - dt.timedelta(seconds=5))
        [(failed, retry)] = jobs.fail_lost(store, now)
        assert failed.id == job.id and retry is not None
        failed = jobs.get_job(store, job.id)
        assert failed.status == JobState.FAILED and f"queued again as job {retry.id}" in failed.error
        assert "test:1 stopped" in failed.error
        assert (retry.status, retry.attempt, retry.publish, retry.langs) == ("queued", 2, True, ["en", "es", "fr"])
        assert jobs.get_job(store, alive.id).status == JobState.RUNNING
        # the retry's worker dies too: failed, not queued a third time
        second = jobs.claim(store, "test:2")
        assert second.id == retry.id
        RenderJob.objects.using(store.alias).filter(pk=second.pk).update(heartbeat_at=now - dt.timedelta(minutes=5))
        [(lost, none)] = jobs.fail_lost(store, now)
        assert lost.id == retry.id and none is None
        assert "not retried again" in jobs.get_job(store, retry.id).error
        assert [e.action for e in store.audit_log()].count("render-lost") == 2


def test_a_running_job_beats(db, monkeypatch):
    from gcmtrack.service import rendering
    from gcmtrack.store import Store, jobs

    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", dt.timedelta(seconds=0.2))
    seen = []

    def slow(store, job, progress):
        first = jobs.get_job(store, job.id).heartbeat_at
        time.sleep(1.6)  # times are kept to the second
        seen.append((first, jobs.get_job(store, job.id).heartbeat_at))
        jobs.fail_job(store, job, "stopped by the test")

    monkeypatch.setattr(rendering, "_run", slow)
    with Store(db) as store:
        job = _job(store, publish=False)
        rendering.run_job(store, job)
    [(first, later)] = seen
    assert later > first


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_named(parent: int, word: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and word.encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_serve_restarts_a_dead_render_worker_and_its_job_is_retried_within_a_minute(db, tmp_path):
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store, jobs

    with Store(db) as store:
        ingest_bytes(store, workbook("JAM"), "jam.xlsx")
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gcmtrack", "serve", "--db", db, "--port", str(_free_port()),
                             "--workers", "1"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        deadline = time.monotonic() + 60
        while not _children_named(proc.pid, "worker") and time.monotonic() < deadline:
            time.sleep(0.2)
        [first] = _children_named(proc.pid, "worker")
        # a dead worker is replaced
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and [p for p in _children_named(proc.pid, "worker") if p != first] == []:
            time.sleep(0.2)
        [second] = [p for p in _children_named(proc.pid, "worker") if p != first]
        # a worker killed while it renders: its job is failed and queued again within a minute
        with Store(db) as store:
            job = jobs.create_job(store, "CMC", 2026, ("en", "es", "fr"), publish=True, accepted_only=False,
                                  actor="cmc@iom.int")
        deadline = time.monotonic() + 60
        with Store(db) as store:
            while jobs.get_job(store, job.id).status == "queued" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert jobs.get_job(store, job.id).worker.endswith(f":{second}")
        os.kill(second, signal.SIGKILL)
        killed_at = time.monotonic()
        with Store(db) as store:
            while jobs.get_job(store, job.id).status == "running" and time.monotonic() < killed_at + 90:
                time.sleep(0.5)
            failed = jobs.get_job(store, job.id)
            assert failed.status == "failed" and time.monotonic() - killed_at < 60, failed.error
            retry_id = int(failed.error.rsplit("job ", 1)[1])
            while jobs.get_job(store, retry_id).status == "queued" and time.monotonic() < killed_at + 90:
                time.sleep(0.5)
            retried = jobs.get_job(store, retry_id)
            assert retried.status in ("running", "done") and retried.attempt == 2
            assert not retried.worker.endswith(f":{second}")  # a third worker, started by serve
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
        log.close()
    assert "starting another" in (tmp_path / "serve.log").read_text()
