"""Administration (issue 19, items 3 and 5): API tokens with a scope, an expiry and revocation
one by one; account management by admins and (for their states' submitters) staff; the audit
view with filters, pages and a CSV export safe against formulas; refused accesses counted
instead of written one row each; rejected uploads kept within a quota and a retention period."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.portal_fixtures import workbook


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _multipart(data: bytes, name: str = "w.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile(name, data)}


# ---------------------------------------------------------------------------- tokens


def test_token_scopes_expiry_and_revocation_in_the_api(portal):
    from django.test import Client

    from gcmtrack.store.accounts import list_tokens, new_token, revoke_token
    from gcmtrack.store.models import ApiToken

    store = portal.store
    read = new_token(store, "jam@gov.jm", scope="read", expires=dt.date.today() + dt.timedelta(days=3))
    upload = new_token(store, "jam@gov.jm", scope="upload")
    client = Client()
    assert client.get("/api/v1/me", **_bearer(read)).status_code == 200
    refused = client.post("/api/v1/submissions", _multipart(workbook("JAM", measures="r")), **_bearer(read))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "token-scope"
    stored = client.post("/api/v1/submissions", _multipart(workbook("JAM", measures="u")), **_bearer(upload))
    assert stored.status_code == 201, stored.content
    sid = stored.json()["submission_id"]
    # an upload token sends workbooks but takes no decision, not even a withdrawal
    decided = client.post(f"/api/v1/submissions/{sid}/review", json.dumps({"decision": "withdraw"}),
                          content_type="application/json", **_bearer(upload))
    assert decided.status_code == 403 and decided.json()["error"]["code"] == "token-scope"
    assert store.get(sid).review_state == "submitted"
    # hashed only: neither token is in the table
    assert not ApiToken.objects.using(store.alias).filter(key_hash__in=[read, upload]).exists()
    # expired: 401 token-expired
    rows = list_tokens(store, "jam@gov.jm")
    read_id = next(r["id"] for r in rows if r["scope"] == "read")
    ApiToken.objects.using(store.alias).filter(pk=read_id).update(
        expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))
    expired = client.get("/api/v1/me", **_bearer(read))
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token-expired"
    assert "invalid_token" in expired["WWW-Authenticate"]
    # revoked one by one: the other token goes on working
    upload_id = next(r["id"] for r in rows if r["scope"] == "upload")
    revoke_token(store, upload_id, actor="admin@iom.int")
    gone = client.get("/api/v1/me", **_bearer(upload))
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "token-revoked"
    other = new_token(store, "jam@gov.jm", scope="read")
    assert client.get("/api/v1/me", **_bearer(other)).status_code == 200
    statuses = {r["id"]: r["status"] for r in list_tokens(store, "jam@gov.jm")}
    assert statuses[read_id] == "expired" and statuses[upload_id] == "revoked"
    actions = [e.action for e in store.audit_log()]
    assert "token-revoke" in actions
    # an unknown token is 401 token-unknown, a POST too (before any CSRF check)
    unknown = client.post("/api/v1/submissions", {}, **_bearer("gcm_nothing"))
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "token-unknown"


def test_token_expiry_is_checked(portal):
    from gcmtrack.store.accounts import AccountError, new_token

    with pytest.raises(AccountError, match="passed"):
        new_token(portal.store, "jam@gov.jm", expires=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(AccountError, match="at most"):
        new_token(portal.store, "jam@gov.jm", expires=dt.date.today() + dt.timedelta(days=800))
    with pytest.raises(AccountError, match="scope"):
        new_token(portal.store, "jam@gov.jm", scope="everything")


def test_tokens_cli(portal, tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    runner = CliRunner()
    made = runner.invoke(main, ["tokens", "create", "jam@gov.jm", "--scope", "read", "--label", "=cmd|' /C calc'!A0",
                                "--db", portal.location])
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    assert token.startswith("gcm_") and "\n" not in token
    listed = runner.invoke(main, ["tokens", "list", "jam@gov.jm", "--json", "--db", portal.location])
    [row] = json.loads(listed.output)["tokens"]
    assert row["scope"] == "read" and row["status"] == "active" and row["expires_at"]
    assert token not in listed.output
    revoked = runner.invoke(main, ["tokens", "revoke", str(row["id"]), "--db", portal.location])
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    again = runner.invoke(main, ["tokens", "revoke", str(row["id"]), "--db", portal.location])
    assert again.exit_code != 0 and "revoked already" in again.output
    late = runner.invoke(main, ["tokens", "create", "jam@gov.jm", "--expires", "2001-01-01", "--db", portal.location])
    assert late.exit_code != 0 and "passed" in late.output and "Traceback" not in late.output


def test_users_change_cli(portal):
    from click.testing import CliRunner

    from gcmtrack.cli import main
    from gcmtrack.store.accounts import get_account

    runner = CliRunner()
    changed = runner.invoke(main, ["users", "change", "rcm@iom.int", "--role", "staff", "--process", "RCM",
                                   "--process", "CMC", "--db", portal.location])
    assert changed.exit_code == 0, changed.output
    assert get_account(portal.store, "rcm@iom.int").processes == ["CMC", "RCM"]
    wrong = runner.invoke(main, ["users", "change", "rcm@iom.int", "--role", "submitter", "--db", portal.location])
    assert wrong.exit_code != 0 and "state" in wrong.output


# ---------------------------------------------------------------------------- refused accesses


def test_refused_accesses_are_counted_not_written_each(portal):
    from gcmtrack.store.audit import AuditFilter, audit_csv, audit_page

    jam = portal.ids["jam"]
    client = portal.client("mex@sre.gob.mx")
    before = len(portal.store.audit_log())
    for _ in range(30):
        assert client.get(f"/submissions/{jam}/").status_code == 404
    assert client.get(f"/submissions/{jam}/file/").status_code == 404
    refused = [e for e in portal.store.audit_log()[before:] if e.action == "refused"]
    assert len(refused) == 2  # one row per path and hour
    page = audit_page(portal.store, AuditFilter(action="refused"))
    counts = {page.entries[i].detail["path"]: n for i, n in page.counts.items()}
    assert counts == {f"/submissions/{jam}/": 30, f"/submissions/{jam}/file/": 1}
    data, cut = audit_csv(portal.store, AuditFilter(action="refused"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert not cut and sorted(int(r["count"]) for r in rows) == [1, 30]


def test_audit_filters_pages_and_csv_neutralised(portal):
    from gcmtrack.store.audit import AuditFilter, audit_csv, audit_page

    store = portal.store
    for i in range(60):
        store.audit("=HYPERLINK(\"http://x\")" if i == 0 else f"bot{i}@x.org", "signin-failed",
                    object_type="account", object_id="\r=1+1", state="JAM" if i % 2 else None)
    page = audit_page(store, AuditFilter(action="signin-failed"), page=1, size=25)
    assert page.total == 60 and page.pages == 3 and len(page.entries) == 25
    assert page.entries[0].actor == "bot59@x.org"  # newest first
    assert audit_page(store, AuditFilter(action="signin-failed"), page=9, size=25).page == 3
    assert audit_page(store, AuditFilter(actor="BOT1", action="signin-failed")).total == 11  # 1, 10-19
    assert audit_page(store, AuditFilter(state="jam", action="signin-failed")).total == 30
    today = dt.datetime.now(dt.timezone.utc).date()
    assert audit_page(store, AuditFilter(action="signin-failed", since=today, until=today)).total == 60
    assert audit_page(store, AuditFilter(action="signin-failed", until=today - dt.timedelta(days=1))).total == 0
    data, _ = audit_csv(store, AuditFilter(action="signin-failed"))
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 61
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\r", "\t")), cell
    assert "'=HYPERLINK" in text and "'\r=1+1" in text
    assert "\r=1+1\"" in text  # the CR stays inside its quoted field


def test_audit_scope_for_staff(portal):
    from gcmtrack.store.accounts import get_account, scope_of
    from gcmtrack.store.audit import AuditFilter, audit_page

    s = scope_of(get_account(portal.store, "cmc@iom.int"))
    seen = audit_page(portal.store, AuditFilter(states=s.states, processes=s.processes), size=500)
    assert seen.total > 0
    assert all(e.state in s.states or e.process in s.processes for e in seen.entries)
    assert not any(e.state == "MEX" for e in seen.entries)


# ---------------------------------------------------------------------------- rejected uploads


def test_rejected_uploads_within_quota_and_retention(portal, settings_for_tests, monkeypatch):
    from gcmtrack.store.accounts import get_account
    from gcmtrack.store.checks import checks_usage, find_check, keep_check
    from gcmtrack.store.models import UploadCheck

    monkeypatch.setattr(settings_for_tests, "GCMTRACK_CHECK_QUOTA_MB", 1, raising=False)
    store = portal.store
    account = get_account(store, "jam@gov.jm")
    tokens = [keep_check(store, account, f"{i}.xlsx", bytes([i]) * 400_000, "en", []) for i in range(5)]
    count, size = checks_usage(store, account)
    assert size <= 1024 * 1024 and count == 2  # the oldest went first
    assert find_check(store, tokens[-1], account) is not None and find_check(store, tokens[0], account) is None
    assert keep_check(store, account, "huge.xlsx", b"x" * (2 * 1024 * 1024), "en", []) is None
    other = get_account(store, "mex@sre.gob.mx")
    assert keep_check(store, other, "m.xlsx", b"m" * 10, "en", []) is not None  # a quota per account
    # retention: an old check is neither found nor kept
    monkeypatch.setattr(settings_for_tests, "GCMTRACK_CHECK_RETENTION_HOURS", 1, raising=False)
    UploadCheck.objects.using(store.alias).filter(token=tokens[-1]).update(
        created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2))
    assert find_check(store, tokens[-1], account) is None
    keep_check(store, other, "m2.xlsx", b"m" * 10, "en", [])
    assert not UploadCheck.objects.using(store.alias).filter(token=tokens[-1]).exists()


def test_random_bytes_are_not_kept(portal):
    import os

    from gcmtrack.store.models import UploadCheck

    client = portal.client("jam@gov.jm")
    before = UploadCheck.objects.using(portal.store.alias).count()
    answer = client.post("/upload/", _multipart(os.urandom(200_000), "noise.xlsx"), follow=True)
    assert answer.status_code == 422  # the answer, shown after the redirect that follows the POST
    assert UploadCheck.objects.using(portal.store.alias).count() == before
    assert b"/annotated/" not in answer.content


# ---------------------------------------------------------------------------- the pages


def test_admin_invites_changes_disables_and_enables_through_the_pages(portal):
    from gcmtrack.store.accounts import get_account

    client = portal.client("admin@iom.int")
    client.handler.enforce_csrf_checks = True  # signed in; from now on every POST needs its token
    page = client.get("/admin/accounts/")
    assert page.status_code == 200 and b"jam@gov.jm" in page.content
    token = client.cookies["gcmtrack_csrf"].value
    refused = client.post("/admin/accounts/", {"email": "x@y.org", "role": "submitter", "state": "JAM"})
    assert refused.status_code == 403  # CSRF on every POST
    made = client.post("/admin/accounts/", {"email": "new@gov.jm", "role": "submitter", "state": "Jamaica",
                                            "lang": "fr", "csrfmiddlewaretoken": token})
    assert made.status_code == 200 and b"/invite/" in made.content
    account = get_account(portal.store, "new@gov.jm")
    assert account.state == "JAM" and account.lang == "fr" and not account.has_usable_password()
    again = client.post("/admin/accounts/", {"email": "new@gov.jm", "role": "submitter", "state": "JAM",
                                             "csrfmiddlewaretoken": token})
    assert again.status_code == 400 and "existe" not in again.content.decode()  # English page, located error
    assert b"exists already" in again.content
    bad = client.post("/admin/accounts/", {"email": "s@iom.int", "role": "staff", "process": ["NOPE"],
                                           "csrfmiddlewaretoken": token})
    assert bad.status_code == 400 and b"Traceback" not in bad.content
    url = f"/admin/accounts/{account.pk}/"
    assert client.get(url).status_code == 200
    changed = client.post(url + "role/", {"role": "reviewer", "process": ["CMC"], "csrfmiddlewaretoken": token})
    assert changed.status_code == 200 and get_account(portal.store, "new@gov.jm").role == "reviewer"
    client.post(url + "disable/", {"confirm": "1", "csrfmiddlewaretoken": token})
    assert not get_account(portal.store, "new@gov.jm").is_active
    client.post(url + "enable/", {"csrfmiddlewaretoken": token})
    assert get_account(portal.store, "new@gov.jm").is_active
    made = client.post(url + "token/", {"scope": "read", "expires": (dt.date.today() + dt.timedelta(days=5)).isoformat(),
                                        "label": "robot", "csrfmiddlewaretoken": token})
    assert made.status_code == 200 and b"gcm_" in made.content
    own = portal.store  # the admin cannot disable itself by a slip
    me = get_account(own, "admin@iom.int")
    assert client.post(f"/admin/accounts/{me.pk}/disable/", {"confirm": "1", "csrfmiddlewaretoken": token}).status_code == 400
    assert get_account(own, "admin@iom.int").is_active
    actions = [e.action for e in portal.store.audit_log() if e.actor == "admin@iom.int"]
    for action in ("account-add", "account-change", "account-disable", "account-enable", "token-create"):
        assert action in actions


def test_staff_manage_their_states_submitters_only(portal):
    from gcmtrack.store.accounts import get_account

    client = portal.client("cmc@iom.int")
    listing = client.get("/admin/accounts/").content.decode()
    assert "jam@gov.jm" in listing and "mex@sre.gob.mx" not in listing and "rcm@iom.int" not in listing
    jam = get_account(portal.store, "jam@gov.jm")
    mex = get_account(portal.store, "mex@sre.gob.mx")
    assert client.get(f"/admin/accounts/{jam.pk}/").status_code == 200
    assert client.get(f"/admin/accounts/{mex.pk}/").status_code == 404
    assert client.post(f"/admin/accounts/{jam.pk}/role/", {"role": "admin"}).status_code == 404
    assert get_account(portal.store, "jam@gov.jm").role == "submitter"
    # staff invite submitters of their states only
    assert client.post("/admin/accounts/", {"email": "z@iom.int", "role": "admin"}).status_code == 404
    assert client.post("/admin/accounts/", {"email": "z@sre.gob.mx", "role": "submitter",
                                            "state": "MEX"}).status_code == 404
    ok = client.post("/admin/accounts/", {"email": "second@gov.jm", "role": "submitter", "state": "JAM"})
    assert ok.status_code == 200 and get_account(portal.store, "second@gov.jm").state == "JAM"
    audit = client.get("/admin/audit/").content.decode()
    assert "second@gov.jm" in audit and "mex@sre.gob.mx" not in audit


def test_everyone_manages_their_own_tokens(portal):
    from django.test import Client

    from gcmtrack.store.accounts import list_tokens, new_token

    client = portal.client("jam@gov.jm")
    page = client.post("/tokens/", {"scope": "upload", "expires": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                                    "label": "<script>x</script>"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<script>x" not in body and "&lt;script&gt;" in body
    [row] = list_tokens(portal.store, "jam@gov.jm")
    assert row["scope"] == "upload" and row["expires_at"].startswith(
        (dt.date.today() + dt.timedelta(days=30)).isoformat())
    assert client.post("/tokens/", {"scope": "read", "expires": "2001-01-01"}).status_code == 400
    assert client.post("/tokens/", {"scope": "read", "expires": "soon"}).status_code == 400
    # someone else's token: 404
    other = new_token(portal.store, "mex@sre.gob.mx", scope="read")
    [mex_row] = list_tokens(portal.store, "mex@sre.gob.mx")
    assert client.post(f"/tokens/{mex_row['id']}/revoke/").status_code == 404
    assert Client().get("/api/v1/me", **_bearer(other)).status_code == 200
    assert client.post(f"/tokens/{row['id']}/revoke/").status_code == 302
    assert list_tokens(portal.store, "jam@gov.jm")[0]["status"] == "revoked"


def test_audit_page_filters_and_csv(portal):
    jam = portal.ids["jam"]
    mex = portal.client("mex@sre.gob.mx")
    for _ in range(3):
        mex.get(f"/submissions/{jam}/")
    client = portal.client("admin@iom.int")
    page = client.get("/admin/audit/?action=refused&actor=mex")
    body = page.content.decode()
    assert page.status_code == 200 and "×3" in body and f"/submissions/{jam}/" in body
    assert client.get("/admin/audit/?since=nonsense&page=-4").status_code == 200
    data = client.get("/admin/audit.csv?action=refused")
    assert data.status_code == 200 and data["Content-Type"].startswith("text/csv")
    assert "attachment" in data["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert rows and all(r["action"] == "refused" for r in rows)
