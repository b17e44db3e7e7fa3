"""Administration in Chromium (issue 19, item 3): an admin invites a submitter, changes an
account's role, disables and enables it, makes it an API token that the API takes and then
refuses once revoked; a submitter makes and revokes its own token; the audit view filtered,
paged and exported. axe checks every page; with GCMTRACK_SCREENSHOTS=DIR each page is
photographed at 1280 and 320 px wide."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from tests.portal_fixtures import PASSWORD, enrol
from tests.test_browser import browser, screenshot_dir, server  # noqa: F401
from tests.test_browser_accounts import Person

pytestmark = pytest.mark.slow


def _api_me(server: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(server + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _click(person, selector: str) -> None:
    person.page.click(selector)
    person.page.wait_for_load_state()


def test_an_admin_manages_accounts_tokens_and_reads_the_audit(server, browser, db):  # noqa: F811
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account, get_account

    with Store(db) as store:
        add_account(store, "root@iom.int", "admin", password=PASSWORD)
        enrol(store, "root@iom.int")
    admin = Person(browser, server, "en-GB", screenshot_dir(), "admin")
    admin.sign_in("root@iom.int", db)
    _click(admin, "header nav >> text=Accounts")
    admin.check("accounts")
    assert "jam@gov.jm" in admin.page.inner_text("main table")
    admin.page.fill("#email", "second@gov.jm")
    admin.page.select_option("#role", "submitter")
    admin.page.fill("#state", "JAM")
    _click(admin, "main form button[type=submit].primary")
    assert "/invite/" in admin.page.input_value("#invite-link")
    admin.check("accounts-invited")
    _click(admin, "main table >> text=second@gov.jm")
    admin.check("account")
    # role and scope
    admin.page.select_option("#role", "reviewer")
    admin.page.fill("#state", "")
    admin.page.check("input[name=process][value=CMC]")
    _click(admin, "text=Save the role and scope")
    assert "are saved" in admin.page.inner_text("[role=status]")
    with Store(db) as store:
        assert get_account(store, "second@gov.jm").role == "reviewer"
    # disable (a confirmation first), enable
    admin.page.check("input[name=confirm]")
    _click(admin, "text=Disable the account")
    assert "is disabled" in admin.page.inner_text("[role=status]")
    admin.check("account-disabled")
    _click(admin, "text=Enable the account again")
    assert "is enabled again" in admin.page.inner_text("[role=status]")
    # a token for the account: shown once, taken by the API, refused once revoked
    admin.page.check("input[name=scope][value=read]")
    admin.page.fill("#expires", (dt.date.today() + dt.timedelta(days=7)).isoformat())
    admin.page.fill("#label", "weekly report")
    _click(admin, "text=Create the token")
    token = admin.page.input_value("#new-token")
    admin.check("account-token")
    assert _api_me(server, token) == (200, {"email": "second@gov.jm", "role": "reviewer", "state": None,
                                            "processes": ["CMC"]})
    _click(admin, "main table button:has-text('Revoke')")
    assert "revoked" in admin.page.inner_text("main table")
    status, body = _api_me(server, token)
    assert status == 401 and body["error"]["code"] == "token-revoked"
    # the audit view: filters, the CSV
    _click(admin, "header nav >> text=Audit log")
    admin.check("audit")
    admin.page.select_option("#f-action", "account-disable")
    _click(admin, "text=Show")
    rows = admin.page.locator("main table.audit tbody tr")
    assert rows.count() == 1 and "second@gov.jm" in rows.inner_text()
    admin.check("audit-filtered")
    with admin.page.expect_download() as download:
        admin.page.click("text=Download as CSV")
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert len(lines) == 2 and "account-disable" in lines[1]


def test_a_submitter_makes_and_revokes_its_own_token_and_cannot_see_admin_pages(server, browser):  # noqa: F811
    person = Person(browser, server, "es-ES", screenshot_dir(), "tokens")
    person.sign_in("jam@gov.jm")
    assert person.page.locator("header nav >> text=Cuentas").count() == 0
    _click(person, "header nav >> text=Tokens de la API")
    person.check("tokens-empty")
    person.page.check("input[name=scope][value=upload]")
    _click(person, "text=Crear el token")
    token = person.page.input_value("#new-token")
    person.check("tokens-new")
    assert _api_me(server, token)[0] == 200
    _click(person, "main table button:has-text('Revocar')")
    assert "revocado" in person.page.inner_text("main table")
    assert _api_me(server, token)[0] == 401
    for path in ("/admin/accounts/", "/admin/audit/", "/admin/audit.csv"):
        answer = person.page.goto(server + path)
        assert answer.status == 404, path


def test_a_5000_practice_version_in_the_browser(server, browser, db):  # noqa: F811
    """The decisions are within the first screens of a 5,000-practice version's page, at 1280
    and at 320 px, and the page passes axe."""
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store
    from tests.builders import build_workbook

    practices = [{"title": f"Practice {i} on labour migration", "status": "Implemented",
                  "objectives": f"{1 + i % 23}", "description": f"What was done, step {i}. " * 4}
                 for i in range(5000)]
    data = build_workbook(state="JAM", objectives=[(n, "Planned", f"m {n}") for n in range(1, 24)],
                          practices=practices)
    with Store(db) as store:
        sid = ingest_bytes(store, data, "jam-5000.xlsx").outcome.submission_id
    staff = Person(browser, server, "en-GB", screenshot_dir(), "big")
    staff.sign_in("cmc@iom.int", db)
    staff.go(f"/submissions/{sid}/", "submission-5000")
    for width in (1280, 320):
        staff.page.set_viewport_size({"width": width, "height": 900})
        accept = staff.page.locator("button:has-text('Accept')")
        box = accept.bounding_box()
        assert box is not None and box["y"] < (1600 if width == 1280 else 3200), (width, box)
        height = staff.page.evaluate("document.documentElement.scrollHeight")
        assert height < (12_000 if width == 1280 else 30_000), (width, height)
