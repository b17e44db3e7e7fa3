"""A portal on a fresh store (SQLite or PostgreSQL, from the `db` fixture), with the accounts
of two States, staff of two processes, a reviewer and an admin, and Django's test client."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.builders import build_workbook

PASSWORD = "correct horse battery staple"


def workbook(state="JAM", measures="m", status="Planned", date=None, cycle=2026):
    return build_workbook(state=state, cycle=cycle,
                          objectives=[(n, status, f"{measures} {n}") for n in range(1, 24)],
                          labels={"date": date} if date else None)


@dataclass
class Portal:
    store: object
    location: str
    ids: dict = field(default_factory=dict)

    def client(self, email: str | None = None, *, csrf: bool = False):
        from django.test import Client

        client = Client(enforce_csrf_checks=csrf)
        if email:
            response = client.post("/signin/", {"email": email, "password": PASSWORD})
            assert response.status_code == 302, response.content[:500]
        return client


def open_cycles(store, *cycles, late="accept", due=None):
    """Open `cycles` for uploads in every process (a portal refuses a cycle never opened)."""
    import datetime as dt

    from gcmtrack.reference.processes import processes
    from gcmtrack.store.deadlines import set_deadline

    for cycle in cycles:
        for pid in processes():
            set_deadline(store, pid, cycle, due or dt.date(cycle + 1, 12, 31), True, late=late, actor="test")


@pytest.fixture
def portal(db, settings_for_tests):
    from django.core import mail

    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.portal.settings import setup
    from gcmtrack.store.accounts import add_account

    store = setup(db)
    mail.outbox = []
    add_account(store, "jam@gov.jm", "submitter", state="JAM", password=PASSWORD, lang="en")
    add_account(store, "mex@sre.gob.mx", "submitter", state="MEX", password=PASSWORD, lang="es")
    add_account(store, "cmc@iom.int", "staff", process_ids=["CMC"], password=PASSWORD)
    add_account(store, "rcm@iom.int", "staff", process_ids=["RCM"], password=PASSWORD)
    add_account(store, "reader@iom.int", "reviewer", process_ids=["CMC"], password=PASSWORD)
    add_account(store, "admin@iom.int", "admin", password=PASSWORD)
    open_cycles(store, 2026)
    p = Portal(store, db)
    p.ids["jam"] = ingest_bytes(store, workbook("JAM"), "jam.xlsx").outcome.submission_id
    p.ids["mex"] = ingest_bytes(store, workbook("MEX"), "mex.xlsx").outcome.submission_id
    yield p
    store.close()


@pytest.fixture
def settings_for_tests():
    from django.conf import settings

    from gcmtrack.store.database import ensure_django

    ensure_django()
    saved = (list(settings.ALLOWED_HOSTS), settings.EMAIL_BACKEND)
    settings.ALLOWED_HOSTS = saved[0] + ["testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield settings
    settings.ALLOWED_HOSTS, settings.EMAIL_BACKEND = saved
