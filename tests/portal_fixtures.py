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
            if response["Location"] == "/signin/code/":  # staff and admins: the second step
                response = client.post("/signin/code/", {"code": totp_now(self.store, email)})
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
def enrol(store, email: str) -> list[str]:
    """Enrol an authenticator for an account as a person would (a first right code); returns
    the recovery codes."""
    from gcmtrack.store.accounts import get_account
    from gcmtrack.store.mfa import confirm_enrolment, start_enrolment

    account = get_account(store, email)
    started = start_enrolment(store, account)
    return confirm_enrolment(store, account, started.device_id, totp_now(store, email, confirmed=False))


def totp_now(store, email: str, *, confirmed: bool = True) -> str:
    """The authenticator's code now (RFC 6238), as the person's phone computes it. The device's
    replay guard is reset first, so that a test may sign in twice within 30 s."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    rows = TOTPDevice.objects.using(store.alias).filter(user__email=email, confirmed=confirmed)
    rows.update(last_t=-1)
    device = rows.get()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


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
    for email in ("cmc@iom.int", "rcm@iom.int", "admin@iom.int"):
        enrol(store, email)  # staff and admins sign in in two steps
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
