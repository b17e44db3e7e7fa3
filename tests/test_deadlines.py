"""Deadlines that hold (issue 19, item 1): a closed cycle, or one never opened, refuses uploads in
the API and the pages; a late-upload policy per process; the home page offers only what is open;
a decision that changes which version counts shows it and asks for a confirmation."""

from __future__ import annotations

import datetime as dt
import json

from tests.portal_fixtures import workbook
from tests.test_portal import _file, _token, api, upload

JSON = "application/json"


def _set(portal, process, cycle, *, due, is_open=True, late=None):
    from gcmtrack.store.deadlines import set_deadline

    set_deadline(portal.store, process, cycle, due, is_open, late=late, actor="test")


def _close_all(portal, cycle):
    from gcmtrack.reference.processes import processes

    for pid in processes():
        _set(portal, pid, cycle, due=dt.date(cycle, 3, 31), is_open=False)


def _api_upload(portal, email, data, name="api.xlsx"):
    from django.test import Client

    return Client(enforce_csrf_checks=True).post("/api/v1/submissions", {"file": _file(data, name)},
                                                 HTTP_AUTHORIZATION=f"Bearer {_token(portal, email)}")


def test_the_rule_takes_the_most_permissive_of_the_states_processes(portal):
    from gcmtrack.service.deadlines import upload_window

    today = dt.date(2026, 6, 1)
    store = portal.store
    # never opened for any of JAM's processes (ACP-EU, CMC, ECLAC)
    assert upload_window(store, "JAM", 2030, today).refused == "cycle-not-open"
    _set(portal, "CMC", 2030, due=dt.date(2030, 3, 1), is_open=False)
    closed = upload_window(store, "JAM", 2030, today)
    assert (closed.refused, closed.process, closed.due) == ("cycle-closed", "CMC", dt.date(2030, 3, 1))
    _set(portal, "ECLAC", 2030, due=dt.date(2026, 5, 1), late="refuse")
    assert upload_window(store, "JAM", 2030, today).refused == "deadline-passed"
    _set(portal, "ACP-EU", 2030, due=dt.date(2026, 5, 15), late="warn")
    warned = upload_window(store, "JAM", 2030, today)
    assert warned.open and warned.late and warned.warn and warned.process == "ACP-EU"
    _set(portal, "CMC", 2030, due=dt.date(2026, 6, 1))  # due today: on time, and it wins
    on_time = upload_window(store, "JAM", 2030, today)
    assert on_time.open and not on_time.late and on_time.process == "CMC"
    # a process JAM is not a member of opens nothing for it
    _set(portal, "MIRPS", 2022, due=dt.date(2030, 1, 1))
    assert upload_window(store, "JAM", 2022, today).refused == "cycle-not-open"


def test_a_closed_or_never_opened_cycle_refuses_api_uploads(portal):
    before = len(portal.store.submissions())
    never = _api_upload(portal, "jam@gov.jm", workbook("JAM", measures="2030", cycle=2030))
    assert never.status_code == 409
    error = never.json()["error"]
    assert error["code"] == "cycle-not-open" and error["cycle"] == 2030 and error["state"] == "JAM"
    _close_all(portal, 2026)
    closed = _api_upload(portal, "jam@gov.jm", workbook("JAM", measures="late"))
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "cycle-closed"
    assert closed.json()["error"]["due"] == "2026-03-31"
    # the cycle decides before the workbook's errors: correcting them would not help
    bad = _api_upload(portal, "jam@gov.jm", workbook("JAM", status="Done-ish"))
    assert bad.status_code == 409
    assert len(portal.store.submissions()) == before
    refused = [e for e in portal.store.audit_log() if e.action == "upload-refused"]
    assert [e.detail["reason"] for e in refused][-3:] == ["cycle-not-open", "cycle-closed", "cycle-closed"]


def test_a_closed_cycle_refuses_page_uploads_in_the_users_language(portal):
    _close_all(portal, 2026)
    client = portal.client("mex@sre.gob.mx")
    answer = upload(client, workbook("MEX", measures="tarde"), "mex.xlsx", HTTP_ACCEPT_LANGUAGE="es", follow=True)
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "está cerrado" in page and "31 de marzo de 2026" in page and "No se guardó nada" in page
    assert 'href="/checks/' not in page
    assert len(portal.store.submissions(state="MEX")) == 1


def test_late_policies(portal):
    past = dt.date.today() - dt.timedelta(days=3)
    for pid in ("ACP-EU", "CMC", "ECLAC"):
        _set(portal, pid, 2026, due=past, late="refuse")
    refused = _api_upload(portal, "jam@gov.jm", workbook("JAM", measures="refused"))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "deadline-passed"
    _set(portal, "CMC", 2026, due=past, late="warn")
    warned = _api_upload(portal, "jam@gov.jm", workbook("JAM", measures="warned"))
    assert warned.status_code == 201
    late = [p for p in warned.json()["problems"] if p["code"] == "late-upload"]
    assert len(late) == 1 and late[0]["severity"] == "warning"
    assert (late[0]["sheet"], late[0]["cell"]) == ("Submission", "B2")  # the cycle's cell
    assert past.isoformat() in late[0]["message"]
    stored = portal.store.get(warned.json()["submission_id"])
    assert "late-upload" in [p["code"] for p in stored.problems]  # kept with the version
    _set(portal, "CMC", 2026, due=past, late="accept")
    accepted = _api_upload(portal, "jam@gov.jm", workbook("JAM", measures="accepted"))
    assert accepted.status_code == 201
    assert "late-upload" not in [p["code"] for p in accepted.json()["problems"]]


def test_the_home_page_offers_only_what_is_open(portal):
    client = portal.client("jam@gov.jm")
    home = client.get("/state/").content.decode()
    assert 'action="/upload/"' in home and "/template/2026/en/" in home and "/template/2030/" not in home
    _close_all(portal, 2026)
    closed = client.get("/state/").content.decode()
    assert 'action="/upload/"' not in closed and "/template/2026/" not in closed
    assert "No review cycle is open for uploads now" in closed
    _set(portal, "CMC", 2030, due=dt.date.today() + dt.timedelta(days=30))
    reopened = client.get("/state/").content.decode()
    assert 'action="/upload/"' in reopened and "/template/2030/en/" in reopened and "/template/2026/" not in reopened


def _second_version(portal):
    from gcmtrack.service.ingest import ingest_bytes

    return ingest_bytes(portal.store, workbook("JAM", measures="second"), "jam2.xlsx").outcome.submission_id


def test_api_return_that_makes_an_older_version_count_needs_confirm(portal):
    first, second = portal.ids["jam"], _second_version(portal)
    path = f"/api/v1/submissions/{second}/review"
    asked = api(portal, "cmc@iom.int", "post", path, data=json.dumps({"decision": "return", "reason": "r"}),
                content_type=JSON)
    assert asked.status_code == 409
    body = asked.json()
    assert body["error"]["code"] == "confirmation-required"
    assert (body["counts_now"], body["counts_after"], body["version_after"]) == (second, first, 1)
    assert portal.store.get(second).review_state == "submitted"  # nothing decided
    done = api(portal, "cmc@iom.int", "post", path,
               data=json.dumps({"decision": "return", "reason": "r", "confirm": True}), content_type=JSON)
    assert done.status_code == 200
    assert (done.json()["review_state"], done.json()["counts_after"]) == ("returned", first)
    # reopening it makes it count again over version 1: confirmed too
    again = api(portal, "cmc@iom.int", "post", path, data=json.dumps({"decision": "reopen", "reason": "r"}),
                content_type=JSON)
    assert again.status_code == 409 and again.json()["counts_after"] == second
    # a decision after which nothing else counts needs no confirmation (as before)
    only = api(portal, "rcm@iom.int", "post", f"/api/v1/submissions/{portal.ids['mex']}/review",
               data=json.dumps({"decision": "return", "reason": "r"}), content_type=JSON)
    assert only.status_code == 200 and only.json()["counts_after"] is None


def test_page_return_shows_what_will_count_and_asks_to_confirm(portal):
    first, second = portal.ids["jam"], _second_version(portal)
    staff = portal.client("cmc@iom.int")
    page = staff.get(f"/submissions/{second}/").content.decode()
    assert "After this decision, version 1 will count instead of version 2." in page
    assert 'name="confirm"' in page
    typed = "Objective 7 needs <evidence> & a date"
    refused = staff.post(f"/submissions/{second}/decide/", {"decision": "return", "reason": typed})
    assert refused.status_code == 409 and portal.store.get(second).review_state == "submitted"
    # the page again, the return form saying why, with the reason typed kept (escaped)
    again = refused.content.decode()
    assert 'id="return-failed"' in again and "Please confirm the decision" in again
    assert ">Objective 7 needs &lt;evidence&gt; &amp; a date</textarea>" in again
    assert again.count('role="alert"') == 1
    done = staff.post(f"/submissions/{second}/decide/", {"decision": "return", "reason": "why", "confirm": "1"})
    assert done.status_code == 302 and portal.store.get(second).review_state == "returned"
    assert portal.store.latest(2026)["JAM"].id == first


def test_ingest_stores_but_warns_for_a_closed_cycle(portal, tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    _close_all(portal, 2026)
    path = tmp_path / "jam.xlsx"
    path.write_bytes(workbook("JAM", measures="by e-mail"))
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", portal.location, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["accepted"] is True
    assert "cycle of" in result.stderr and "is closed" in result.stderr and "stored anyway" in result.stderr
