"""The portal's pages and HTTP API on both databases: sign-in, upload and the answer at once,
review decisions with reasons, e-mail, deadlines, exports, render jobs and published reports."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from django.core import mail

from tests.builders import build_workbook
from tests.portal_fixtures import PASSWORD, workbook


def upload(client, data, name="upload.xlsx", path="/upload/", **extra):
    return client.post(path, {"file": _file(data, name)}, **extra)


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_signin_failure_and_throttle(portal):
    client = portal.client()
    assert client.get("/state/").status_code == 302  # to the sign-in page
    for _ in range(5):
        assert client.post("/signin/", {"email": "jam@gov.jm", "password": "wrong"}).status_code == 401
    # the sixth attempt is refused even with the right password
    refused = client.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD})
    assert refused.status_code == 401
    actions = [e.action for e in portal.store.audit_log()]
    assert actions.count("signin-failed") == 5 and "signin-throttled" in actions and "signin" not in actions


def test_signin_renews_the_session_and_signout_ends_it(portal):
    client = portal.client()
    client.get("/signin/")
    before = client.cookies.get("gcmtrack_session")
    client.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD})
    after = client.cookies["gcmtrack_session"].value
    assert before is None or before.value != after
    assert client.get("/state/").status_code == 200
    cookie = client.cookies["gcmtrack_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    client.post("/signout/")
    assert client.get("/state/").status_code == 302
    stale = portal.client()
    stale.cookies["gcmtrack_session"] = after
    assert stale.get("/state/").status_code == 302


def test_disabling_and_password_change_end_sessions(portal):
    from gcmtrack.store.accounts import disable_account, get_account, set_password

    first = portal.client("jam@gov.jm")
    second = portal.client("jam@gov.jm")
    set_password(portal.store, get_account(portal.store, "jam@gov.jm"), "a brand new passphrase 77")
    assert first.get("/state/").status_code == 302 and second.get("/state/").status_code == 302
    staff = portal.client("cmc@iom.int")
    assert staff.get("/review/").status_code == 200
    disable_account(portal.store, "cmc@iom.int")
    assert staff.get("/review/").status_code == 302


def test_security_headers(portal):
    response = portal.client("jam@gov.jm").get("/state/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def test_every_form_needs_its_csrf_token(portal):
    client = portal.client(csrf=True)
    assert client.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD}).status_code == 403
    client.get("/signin/")
    token = client.cookies["gcmtrack_csrf"].value
    assert client.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD,
                                    "csrfmiddlewaretoken": token}).status_code == 302
    assert client.post("/upload/", {"file": _file(workbook("JAM"), "x.xlsx")}).status_code == 403
    assert client.post(f"/submissions/{portal.ids['jam']}/decide/", {"decision": "withdraw"}).status_code == 403
    assert client.post("/signout/").status_code == 403


def test_submitter_uploads_a_workbook_with_a_typo_then_the_fix(portal):
    client = portal.client("jam@gov.jm")
    home = client.get("/state/")
    assert home.status_code == 200 and b"/template/2026/es/" in home.content
    template = client.get("/template/2026/es/")
    assert template.status_code == 200 and template["Content-Disposition"] == 'attachment; filename="jam-2026-es.xlsx"'
    bad = build_workbook(state="JAM", objectives=[(1, "Implementd", "m")] + [(n, "Planned", "m") for n in range(2, 24)])
    posted = upload(client, bad, "jam 2026 (draft).xlsx")
    assert posted.status_code == 303 and posted["Location"] == "/upload/"  # the answer after a redirect
    answer = client.get("/upload/")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "B2" in page and "unknown-status" in page
    assert portal.store.submissions(state="JAM")[-1].id == portal.ids["jam"]  # nothing stored
    link = page.split('href="/checks/')[1].split('"')[0]
    annotated = client.get(f"/checks/{link}")
    assert annotated.status_code == 200
    assert annotated["Content-Disposition"] == 'attachment; filename="jam_2026_draft_-checked.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(annotated.content))
    assert book["Objectives"]["B2"].comment is not None
    corrected = workbook("JAM", measures="fixed")
    fixed = upload(client, corrected, "jam 2026.xlsx")
    assert fixed.status_code == 302 and "uploaded=1" in fixed["Location"]
    latest = portal.store.latest(2026)["JAM"]
    assert latest.version == 2 and latest.filename == "jam 2026.xlsx"
    detail = client.get(fixed["Location"])
    assert detail.status_code == 200
    again = upload(client, corrected, "copy.xlsx")
    assert "duplicate=1" in again["Location"]
    # staff of the process hear of the upload, once, of the version as it was stored
    assert [m.to for m in mail.outbox] == [["cmc@iom.int"]]
    notice = mail.outbox[0].body
    assert f"sent version 2 of the workbook of Jamaica for 2026 ({len(latest.problems)} warning(s))" in notice
    assert f"/submissions/{latest.id}/" in notice


def test_a_file_the_reader_refuses_gets_no_annotated_copy(portal):
    from tests import hostile

    client = portal.client("jam@gov.jm")
    for refused in (b"not a workbook at all", hostile.zip_bomb()):
        answer = upload(client, refused, "jam-2026.xlsx", follow=True)
        assert answer.status_code == 422
        assert 'href="/checks/' not in answer.content.decode()



def test_a_submitter_cannot_upload_another_states_workbook(portal):
    client = portal.client("jam@gov.jm")
    answer = upload(client, workbook("MEX", measures="other"), "mex.xlsx", follow=True)
    assert answer.status_code == 403
    assert len(portal.store.submissions(state="MEX")) == 1


def test_the_upload_size_is_bounded_before_reading(portal, monkeypatch):
    import gcmtrack.portal.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    client = portal.client("jam@gov.jm")
    assert upload(client, b"x" * 5000, "big.xlsx").status_code == 413
    token = _token(portal, "jam@gov.jm")
    answer = upload(client, b"x" * 5000, "big.xlsx", path="/api/v1/submissions", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "file-too-large"
    # declared larger than the limit: refused from the header alone
    assert client.post("/upload/", data=b"", content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(10**9)).status_code == 413


def test_staff_return_with_a_reason_and_the_submitter_reads_it(portal):
    staff = portal.client("cmc@iom.int")
    jam = portal.ids["jam"]
    refused = staff.post(f"/submissions/{jam}/decide/", {"decision": "return"})
    assert refused.status_code == 400 and 'id="return-failed"' in refused.content.decode()
    assert "A reason is needed" in refused.content.decode() and portal.store.get(jam).review_state == "submitted"
    assert staff.post(f"/submissions/{jam}/decide/", {"decision": "return",
                                                      "reason": "Objective 7: add the evidence"}).status_code == 302
    assert portal.store.get(jam).review_state == "returned"
    home = portal.client("jam@gov.jm").get("/state/").content.decode()
    assert "Objective 7: add the evidence" in home
    assert [m.to for m in mail.outbox] == [["jam@gov.jm"]] and "Objective 7: add the evidence" in mail.outbox[0].body
    # the Mexican submitter reads Spanish e-mail
    rcm = portal.client("rcm@iom.int")
    rcm.post(f"/submissions/{portal.ids['mex']}/decide/", {"decision": "accept"})
    assert mail.outbox[-1].to == ["mex@sre.gob.mx"] and "aceptado" in mail.outbox[-1].subject


def test_submitter_withdraws_but_cannot_accept(portal):
    client = portal.client("jam@gov.jm")
    jam = portal.ids["jam"]
    assert client.post(f"/submissions/{jam}/decide/", {"decision": "accept"}).status_code == 404
    assert portal.store.get(jam).review_state == "submitted"
    assert client.post(f"/submissions/{jam}/decide/", {"decision": "withdraw"}).status_code == 302
    assert portal.store.get(jam).review_state == "withdrawn"


def test_staff_dashboard_deadline_export_and_render_job(portal, tmp_path):
    from gcmtrack.service.rendering import run_worker

    staff = portal.client("cmc@iom.int")
    assert staff.post("/review/CMC/2026/deadline/", {"due": "2026-03-31", "open": "1"}).status_code == 302
    board = staff.get("/review/CMC/2026/")
    page = board.content.decode()
    assert board.status_code == 200 and "2026-03-31" in page and "Jamaica" in page
    export = staff.get("/review/CMC/2026/export.csv")
    assert export.status_code == 200 and "JAM" in export.content.decode("utf-8-sig")
    practices = staff.get("/review/CMC/2026/export.practices.csv")
    assert practices.status_code == 200 and practices["Content-Disposition"].endswith('cmc-2026-practices.csv"')
    assert practices.content.decode("utf-8-sig").splitlines()[0].startswith('"cycle","state"')  # every field quoted
    assert staff.get("/review/CMC/2026/export.pdf").status_code == 404
    job = staff.post("/review/CMC/2026/render/", {"publish": "1"})
    assert job.status_code == 302
    run_worker(portal.store, once=True)
    status = staff.get(job["Location"]).content.decode()
    assert "6 of 6" in status and 'href="/reports/#staff-h"' in status  # three languages, two editions
    reviewer = portal.client("reader@iom.int")
    listing = reviewer.get("/reports/").content.decode()
    assert "/reports/CMC/2026/en.pdf" in listing
    pdf = reviewer.get("/reports/CMC/2026/fr.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = reviewer.get("/reports/CMC/2026/es.html")
    assert html.status_code == 200 and b'lang="es"' in html.content and "sandbox" in html["Content-Security-Policy"]
    data = reviewer.get("/reports/CMC/2026/en.zip")  # the review's data package (aggregate: no score per state)
    assert data.status_code == 200 and data["Content-Disposition"].endswith('cmc-2026-data.zip"')
    with zipfile.ZipFile(io.BytesIO(data.content)) as package:
        assert "datapackage.json" in package.namelist() and "state_scores.csv" not in package.namelist()
        assert b"JAM" in package.read("participation.csv")
    assert reviewer.get("/reports/CMC/2026/en.csv").status_code == 404  # a new report's data is its package
    assert 'href="/reports/CMC/2026/en.zip"' in listing
    assert reviewer.get("/reports/RCM/2026/en.pdf").status_code == 404
    assert reviewer.get("/reports/CMC/2026/staff/en.pdf").status_code == 404
    assert "/staff/" not in listing
    staff_pdf = staff.get("/reports/CMC/2026/staff/en.pdf")  # the named scoreboard, rendered by the same job
    assert staff_pdf.status_code == 200 and staff_pdf.content.startswith(b"%PDF") and staff_pdf.content != \
        reviewer.get("/reports/CMC/2026/en.pdf").content
    staff_data = staff.get("/reports/CMC/2026/staff/en.zip")
    assert staff_data["Content-Disposition"].endswith('cmc-2026-staff-data.zip"')
    with zipfile.ZipFile(io.BytesIO(staff_data.content)) as package:
        assert b"JAM" in package.read("state_scores.csv")  # the staff edition names every state's scores
    frictionless = pytest.importorskip("frictionless")
    for name, content in (("review", data.content), ("staff", staff_data.content)):
        archive = tmp_path / f"{name}.zip"
        archive.write_bytes(content)
        report = frictionless.validate(str(archive))
        assert report.valid, (name, report.flatten(["type", "note"])[:5])
    assert "/reports/CMC/2026/staff/fr.html" in staff.get("/reports/").content.decode()
    assert "render" in [e.action for e in portal.store.audit_log()]


test_staff_dashboard_deadline_export_and_render_job = pytest.mark.slow(test_staff_dashboard_deadline_export_and_render_job)


def test_language_follows_the_browser_and_the_switch(portal):
    client = portal.client()
    page = client.get("/signin/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert b'<html lang="fr" dir="ltr">' in page.content and "Connexion".encode() in page.content
    client.post("/language/", {"language": "es", "next": "/signin/"})
    assert b'<html lang="es" dir="ltr">' in client.get("/signin/", HTTP_ACCEPT_LANGUAGE="fr").content


def test_invitation_sets_a_password_once(portal):
    from django.test import Client

    from gcmtrack.service.invitations import invitation_token
    from gcmtrack.store.accounts import add_account

    account = add_account(portal.store, "new@gov.jm", "submitter", state="JAM")
    token = invitation_token(portal.store, account)
    client = Client()
    assert client.get(f"/invite/{token}/").status_code == 200
    assert client.post(f"/invite/{token}/", {"new": "a long enough passphrase", "repeat": "a long enough passphrase"}).status_code == 302
    assert client.get(f"/invite/{token}/").status_code == 404  # used
    assert client.post("/signin/", {"email": "new@gov.jm", "password": "a long enough passphrase"}).status_code == 302


# ---------------------------------------------------------------------------- the HTTP API


def _token(portal, email):
    from gcmtrack.store.accounts import new_token

    return new_token(portal.store, email)


def api(portal, email, method, path, **kwargs):
    from django.test import Client

    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(portal, email)}"} if email else {}
    return getattr(Client(enforce_csrf_checks=True), method)(path, **kwargs, **headers)


def test_api_needs_credentials(portal):
    response = api(portal, None, "get", "/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not-authenticated"
    bad = portal.client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer gcm_nope")
    assert bad.status_code == 401


def test_api_me_and_listing(portal):
    assert api(portal, "cmc@iom.int", "get", "/api/v1/me").json() == \
        {"email": "cmc@iom.int", "role": "staff", "state": None, "processes": ["CMC"]}
    listing = api(portal, "cmc@iom.int", "get", "/api/v1/submissions?cycle=2026").json()["submissions"]
    assert [s["state"] for s in listing] == ["JAM"]
    assert set(listing[0]) == {"id", "state", "cycle", "version", "review_state", "stored_at", "workbook_date",
                               "filename", "sha256", "warnings", "kind"}
    detail = api(portal, "jam@gov.jm", "get", f"/api/v1/submissions/{portal.ids['jam']}").json()
    assert detail["problems"] == detail["warnings"] and detail["events"][0]["action"] == "ingest"


def test_api_upload_codes(portal):
    token = _token(portal, "jam@gov.jm")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = portal.client(csrf=True)
    data = workbook("JAM", measures="api")
    created = client.post("/api/v1/submissions", {"file": _file(data, "api.xlsx")}, **auth)
    assert created.status_code == 201
    body = created.json()
    assert (body["accepted"], body["duplicate"], body["version"], body["state"]) == (True, False, 2, "JAM")
    assert set(body) >= {"path", "valid", "state", "cycle", "problems", "accepted", "submission_id", "duplicate", "version"}
    same = client.post("/api/v1/submissions", {"file": _file(data, "again.xlsx")}, **auth)
    assert same.status_code == 200 and same.json()["duplicate"] is True
    bad = build_workbook(state="JAM", objectives=[(1, "Done-ish", "m")])
    rejected = client.post("/api/v1/submissions", {"file": _file(bad, "bad.xlsx")}, **auth)
    assert rejected.status_code == 422 and rejected.json()["accepted"] is False
    assert ("unknown-status", "B2") in [(p["code"], p["cell"]) for p in rejected.json()["problems"]]
    other = client.post("/api/v1/submissions", {"file": _file(workbook("MEX", measures="x"), "m.xlsx")}, **auth)
    assert other.status_code == 403 and other.json()["error"]["code"] == "state-mismatch"
    assert len(portal.store.submissions()) == 3


def test_api_validate_and_annotate(portal):
    token = _token(portal, "jam@gov.jm")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = portal.client(csrf=True)
    bad = build_workbook(state="JAM", objectives=[(1, "Done-ish", "m")])
    checked = client.post("/api/v1/validate", {"file": _file(bad, "b.xlsx")}, **auth).json()
    assert checked["valid"] is False and checked["files"][0]["state"] == "JAM"
    annotated = client.post("/api/v1/validate", {"file": _file(bad, "b.xlsx"), "annotate": "1"}, **auth)
    assert annotated.status_code == 200 and annotated["Content-Disposition"].startswith("attachment")
    assert len(portal.store.submissions()) == 2


def test_api_review_rules(portal):
    jam = portal.ids["jam"]
    path = f"/api/v1/submissions/{jam}/review"
    kind = "application/json"
    assert api(portal, "jam@gov.jm", "post", path, data=json.dumps({"decision": "accept"}),
               content_type=kind).status_code == 403
    assert api(portal, "cmc@iom.int", "post", path, data=json.dumps({"decision": "return"}),
               content_type=kind).json()["error"]["code"] == "reason-required"
    done = api(portal, "cmc@iom.int", "post", path, data=json.dumps({"decision": "return", "reason": "why"}),
               content_type=kind)
    assert done.status_code == 200 and done.json()["review_state"] == "returned"
    assert api(portal, "cmc@iom.int", "post", path, data="not json", content_type=kind).status_code == 400
    assert api(portal, "rcm@iom.int", "post", path, data=json.dumps({"decision": "accept"}),
               content_type=kind).status_code == 404


def test_api_session_calls_need_csrf(portal):
    client = portal.client("jam@gov.jm", csrf=False)
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    path = f"/api/v1/submissions/{portal.ids['jam']}/review"
    refused = strict.post(path, data=json.dumps({"decision": "withdraw"}), content_type="application/json")
    assert refused.status_code == 403
    strict.get("/state/")
    token = strict.cookies["gcmtrack_csrf"].value
    ok = strict.post(path, data=json.dumps({"decision": "withdraw"}), content_type="application/json",
                     HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok.json()["review_state"] == "withdrawn"
    assert strict.get("/api/v1/me").json()["email"] == "jam@gov.jm"


def test_api_score(portal):
    data = api(portal, "cmc@iom.int", "get", "/api/v1/processes/CMC/cycles/2026/score").json()
    assert data["process"] == "CMC" and data["submitted"] == ["JAM"]
    assert api(portal, "jam@gov.jm", "get", "/api/v1/processes/CMC/cycles/2026/score").status_code == 404
    assert api(portal, "cmc@iom.int", "get", "/api/v1/processes/RCM/cycles/2026/score").status_code == 404


def test_demo_serve_prepares_accounts_deadlines_and_published_reports(db, tmp_path):
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.service.demo import DEMO_ACCOUNTS, prepare
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import get_account, list_accounts
    from gcmtrack.store.deadlines import list_deadlines
    from gcmtrack.store.models import RenderedReport

    with Store(db) as store:
        ingest_bytes(store, workbook("JAM", cycle=2022), "jam-2022.xlsx")
        ingest_bytes(store, workbook("JAM"), "jam.xlsx")
    (tmp_path / "cmc-2026-en.pdf").write_bytes(b"%PDF-1.7 rendered by the demo")
    (tmp_path / "cmc-2026-en.html").write_bytes(b"<html lang='en'></html>")
    (tmp_path / "cmc-2026-staff-en.pdf").write_bytes(b"%PDF-1.7 the staff edition")
    (tmp_path / "cmc-2026-staff-en.html").write_bytes(b"<html lang='en'>staff</html>")
    (tmp_path / "cmc-2026-staff-data").mkdir()
    (tmp_path / "cmc-2026-staff-data" / "datapackage.json").write_text("{}")
    accounts = prepare(db, tmp_path)
    assert [a[0] for a in accounts] == [a[0] for a in DEMO_ACCOUNTS]
    with Store(db) as store:
        assert {a["role"] for a in list_accounts(store)} == {"submitter", "staff", "reviewer", "admin"}
        email, _role, password, _hint = accounts[0]
        assert get_account(store, email).check_password(password)
        assert len({a[2] for a in accounts}) == len(accounts)  # a password per account
        deadlines = list_deadlines(store)
        assert {d["process"] for d in deadlines} >= {"CMC"}
        # the demo's dates follow its clock: the latest cycle open and not yet due (nobody late),
        # the earlier one closed (never listed as open)
        import datetime as dt

        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        assert all(d["open"] and d["due"] > today for d in deadlines if d["cycle"] == 2026)
        assert [d for d in deadlines if d["cycle"] == 2022] and not any(d["open"] for d in deadlines if d["cycle"] == 2022)
        published = RenderedReport.objects.using(store.alias).filter(published_at__isnull=False)
        assert [(r.process, r.lang, r.edition) for r in published] == [("CMC", "en", "review")]
        assert b"JAM" in bytes(published[0].data)
        from gcmtrack.store.jobs import staff_reports
        [staff] = staff_reports(store)  # kept for CMC's staff, never published
        assert (staff.process, staff.lang, staff.published_at) == ("CMC", "en", None)
        assert (published[0].data_format, staff.data_format) == ("csv", "zip")  # the package, when it was written
        assert bytes(RenderedReport.objects.using(store.alias).get(pk=staff.pk).pdf) == b"%PDF-1.7 the staff edition"


def test_remind_and_deadline_commands(portal):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    def run(*args):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    set_it = run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--json", "--db", portal.location)
    assert set_it.exit_code == 0
    assert {"process": "RCM", "cycle": 2026, "due": "2026-03-31", "open": True,
            "late": "accept", "certification": False} in json.loads(set_it.stdout)["deadlines"]
    assert run("deadline", "--process", "RCM", "--db", portal.location).exit_code == 2
    warn = run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--late", "warn", "--json",
               "--db", portal.location)
    assert {"process": "RCM", "cycle": 2026, "due": "2026-03-31", "open": True,
            "late": "warn", "certification": False} in json.loads(warn.stdout)["deadlines"]
    kept = run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--json", "--db", portal.location)
    assert {"process": "RCM", "cycle": 2026, "due": "2026-03-31", "open": True,
            "late": "warn", "certification": False} in json.loads(kept.stdout)["deadlines"]  # the policy is kept
    # the certification step (issue 19 item 4): set, listed, and kept when not given
    cert = run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--certification", "--json",
               "--db", portal.location)
    assert {"process": "RCM", "cycle": 2026, "due": "2026-03-31", "open": True,
            "late": "warn", "certification": True} in json.loads(cert.stdout)["deadlines"]
    kept = run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--json", "--db", portal.location)
    assert {"process": "RCM", "cycle": 2026, "due": "2026-03-31", "open": True,
            "late": "warn", "certification": True} in json.loads(kept.stdout)["deadlines"]
    assert run("deadline", "--process", "RCM", "--cycle", 2026, "--due", "2026-03-31", "--late", "never",
               "--db", portal.location).exit_code == 2
    from gcmtrack.store.accounts import add_account
    add_account(portal.store, "gtm@minex.gob.gt", "submitter", state="GTM", password=PASSWORD, lang="es")
    dry = json.loads(run("remind", "--process", "RCM", "--cycle", 2026, "--dry-run", "--json", "--db", portal.location).stdout)
    reminded = {r["state"]: r["to"] for r in dry["reminded"]}
    assert "MEX" not in reminded and reminded["GTM"] == ["gtm@minex.gob.gt"]
    assert mail.outbox == []
    assert run("remind", "--process", "RCM", "--cycle", 2026, "--db", portal.location).exit_code == 0
    sent = [m for m in mail.outbox if m.to == ["gtm@minex.gob.gt"]]
    from gcmtrack.reference.processes import get_process
    assert len(sent) == 1 and "2026-03-31" in sent[0].body and "Guatemala" in sent[0].body
    assert sent[0].subject.startswith(get_process("RCM").acronym("es"))  # in the submitter's language


def test_detail_page_and_api_explain_where_scores_come_from_and_what_changed(portal):
    from gcmtrack.service.ingest import ingest_bytes

    jam = portal.ids["jam"]
    second = ingest_bytes(portal.store, workbook("JAM", measures="again", status="Implemented"), "jam2.xlsx")
    new = second.outcome.submission_id
    explained = api(portal, "cmc@iom.int", "get", f"/api/v1/submissions/{new}/explain").json()
    assert explained["submission_id"] == new and explained["objectives"]["7"]["decided_by"] == "row"
    assert explained["objectives"]["7"]["row"]["cell"] == "B8" and explained["overall"]["score"] == 1.0
    changed = api(portal, "cmc@iom.int", "get", f"/api/v1/submissions/{new}/diff?against={jam}").json()
    assert changed["from"]["submission_id"] == jam and changed["to"]["submission_id"] == new
    assert changed["objectives"]["1"]["status"] == ["planned", "implemented"] and changed["overall"] == [0.25, 1.0]
    assert api(portal, "cmc@iom.int", "get", f"/api/v1/submissions/{new}/diff").status_code == 400
    page = portal.client("cmc@iom.int").get(f"/submissions/{new}/").content.decode()
    assert "Objectives B8" in page and "0.25 → 1.00" in page


def test_portal_templates_carry_the_process_deadline(portal):
    import datetime as dt

    from gcmtrack.store.deadlines import set_deadline

    set_deadline(portal.store, "CMC", 2026, dt.date(2026, 3, 31))
    data = portal.client("jam@gov.jm").get("/template/2026/en/").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "31 March 2026" in text or "2026-03-31" in text
