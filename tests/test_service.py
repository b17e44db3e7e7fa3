"""The service layer shared by the portal's pages, the HTTP API and the command line: one
function per use case, so that a page and the API doing the same thing record the same audit
events and tell the same people. Runs on both databases (the `db` fixture)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core import mail

from tests.builders import build_workbook
from tests.portal_fixtures import workbook

SAME_FIELDS = ("actor", "action", "object_type", "object_id", "state", "process", "cycle", "from", "to", "reason")


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _api_client(portal, email):
    from gcmtrack.store.accounts import new_token

    token = new_token(portal.store, email)
    return portal.client(csrf=True), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _events_since(portal, count):
    return [e.to_dict() for e in portal.store.audit_log()][count:]


def _upload_both_ways(portal, data, name):
    """Upload `data` as jam@gov.jm through the page, then through the API; the audit events
    each one recorded."""
    page = portal.client("jam@gov.jm")
    api, auth = _api_client(portal, "jam@gov.jm")
    before = len(portal.store.audit_log())
    page_answer = page.post("/upload/", {"file": _file(data, name)}, follow=True)  # the answer after a redirect
    middle = len(portal.store.audit_log())
    api_answer = api.post("/api/v1/submissions", {"file": _file(data, name)}, **auth)
    events = _events_since(portal, before)
    return page_answer, api_answer, events[:middle - before], events[middle - before:]


@pytest.mark.parametrize("case", ["refused", "rejected"])
def test_page_and_api_record_the_same_audit_event_for_an_upload_not_stored(portal, case):
    data = (workbook("MEX", measures="other") if case == "refused"
            else build_workbook(state="JAM", objectives=[(1, "Done-ish", "m")]))
    page_answer, api_answer, by_page, by_api = _upload_both_ways(portal, data, "book.xlsx")
    assert (page_answer.status_code, api_answer.status_code) == ((403, 403) if case == "refused" else (422, 422))
    uploads = [[e for e in events if e["object_type"] == "upload"] for events in (by_page, by_api)]
    assert [len(u) for u in uploads] == [1, 1]
    page_event, api_event = uploads[0][0], uploads[1][0]
    assert page_event["action"] == f"upload-{case}"
    assert {k: page_event[k] for k in SAME_FIELDS} == {k: api_event[k] for k in SAME_FIELDS}
    assert page_event["detail"] == api_event["detail"]
    assert page_event["state"] == "JAM"  # the uploader's state, from either door
    assert len(portal.store.submissions()) == 2  # nothing stored


def test_page_and_api_store_an_upload_alike_and_tell_staff_alike(portal):
    page = portal.client("jam@gov.jm")
    api, auth = _api_client(portal, "jam@gov.jm")
    before = len(portal.store.audit_log())
    assert page.post("/upload/", {"file": _file(workbook("JAM", measures="page"), "a.xlsx")}).status_code == 302
    assert api.post("/api/v1/submissions", {"file": _file(workbook("JAM", measures="api"), "a.xlsx")},
                    **auth).status_code == 201
    stored = [e for e in _events_since(portal, before) if e["action"] == "upload"]
    assert len(stored) == 2
    fields = ("actor", "action", "object_type", "state", "cycle", "from", "to", "reason")
    assert {k: stored[0][k] for k in fields} == {k: stored[1][k] for k in fields}
    assert set(stored[0]["detail"]) == set(stored[1]["detail"])
    assert [m.to for m in mail.outbox] == [["cmc@iom.int"], ["cmc@iom.int"]]


def test_page_and_api_decisions_record_the_same_event_and_tell_the_state(portal):
    mex = portal.ids["mex"]
    jam = portal.ids["jam"]
    page = portal.client("admin@iom.int")
    api, auth = _api_client(portal, "admin@iom.int")
    before = len(portal.store.audit_log())
    assert page.post(f"/submissions/{jam}/decide/", {"decision": "return", "reason": "objective 7"}).status_code == 302
    answer = api.post(f"/api/v1/submissions/{mex}/review", data=json.dumps({"decision": "return", "reason": "objective 7"}),
                      content_type="application/json", **auth)
    assert answer.status_code == 200
    decided = [e for e in _events_since(portal, before) if e["action"] == "return"]
    fields = ("actor", "action", "object_type", "cycle", "from", "to", "reason", "detail")
    assert len(decided) == 2 and {k: decided[0][k] for k in fields} == {k: decided[1][k] for k in fields}
    assert sorted(m.to[0] for m in mail.outbox) == ["jam@gov.jm", "mex@sre.gob.mx"]


def test_receive_upload_answers_what_became_of_the_workbook(portal):
    from gcmtrack.service import uploads
    from gcmtrack.store.accounts import get_account, scope_of

    account = get_account(portal.store, "mex@sre.gob.mx")
    scope = scope_of(account)
    refused = uploads.receive_upload(portal.store, account, scope, "jam.xlsx", workbook("JAM", measures="z"))
    assert refused.outcome == uploads.REFUSED and refused.submission_id is None
    bad = build_workbook(state="MEX", objectives=[(1, "Done-ish", "m")])
    rejected = uploads.receive_upload(portal.store, account, scope, "bad.xlsx", bad, keep_rejected=True)
    assert rejected.outcome == uploads.REJECTED and rejected.check
    rejected_api = uploads.receive_upload(portal.store, account, scope, "bad.xlsx", bad)
    assert rejected_api.outcome == uploads.REJECTED and rejected_api.check is None
    good = workbook("MEX", measures="new")
    stored = uploads.receive_upload(portal.store, account, scope, "mex.xlsx", good)
    assert stored.outcome == uploads.STORED and portal.store.get(stored.submission_id).version == 2
    again = uploads.receive_upload(portal.store, account, scope, "mex.xlsx", good)
    assert again.outcome == uploads.DUPLICATE and again.submission_id == stored.submission_id


def test_every_recorded_action_is_enumerated(portal):
    from gcmtrack.store.events import Action

    page = portal.client("jam@gov.jm")
    page.post("/upload/", {"file": _file(build_workbook(state="JAM", objectives=[(1, "x", "m")]), "b.xlsx")})
    page.get("/submissions/999999/")
    page.post("/signout/")
    recorded = {e.action for e in portal.store.audit_log()}
    assert recorded and recorded <= {a.value for a in Action}


def test_transitions_speak_the_enumerated_states_and_decisions():
    from gcmtrack.store.events import REVIEW_STATES, TRANSITIONS, Decision

    assert set(TRANSITIONS) == {d.value for d in Decision}
    for sources, target, _reason in TRANSITIONS.values():
        assert sources <= set(REVIEW_STATES) and target in REVIEW_STATES


def test_the_template_command_and_the_download_share_the_deadlines(portal):
    import datetime as dt

    from gcmtrack.service.templates import template_with_deadlines
    from gcmtrack.store.deadlines import set_deadline

    def instructions(data):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)

    set_deadline(portal.store, "CMC", 2026, dt.date(2026, 3, 31))
    with_store = instructions(template_with_deadlines("JAM", 2026, "en", portal.store))
    without = instructions(template_with_deadlines("JAM", 2026, "en"))
    downloaded = instructions(portal.client("jam@gov.jm").get("/template/2026/en/").content)
    assert "31 March 2026" in with_store and "31 March 2026" not in without
    assert downloaded == with_store
