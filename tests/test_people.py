"""Several officials per state (issue 19, item 4): two submitters of one State, the
certification step of a process's cycle with the State's certifying official, the
conversation on each version (scoped, escaped, bounded, with e-mail notices) and the staff's
daily digest, sent once a day at most. On both databases (the `portal` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.portal_fixtures import PASSWORD, workbook


def _upload(client, data, name="jam.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/upload/", {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def people(portal):
    """A second JAM official, who is also JAM's certifying official; CMC (JAM's process)
    requires certification for 2026."""
    from gcmtrack.store.accounts import add_account, get_account
    from gcmtrack.store.people import set_certification, set_certifier

    add_account(portal.store, "cert@gov.jm", "submitter", state="JAM", password=PASSWORD, lang="es")
    set_certifier(portal.store, get_account(portal.store, "cert@gov.jm"), True)
    set_certification(portal.store, "CMC", 2026, True, actor="cmc@iom.int")
    return portal


def test_two_officials_of_one_state_each_upload_and_see_the_state_versions(portal):
    from gcmtrack.store.accounts import add_account

    add_account(portal.store, "second@gov.jm", "submitter", state="JAM", password=PASSWORD)
    first, second = portal.client("jam@gov.jm"), portal.client("second@gov.jm")
    assert _upload(second, workbook("JAM", measures="second")).status_code == 302
    mine = [v.id for v in portal.store.submissions(state="JAM")]
    assert len(mine) == 2
    for client in (first, second):
        page = client.get("/state/").content.decode()
        assert all(f"/submissions/{i}/" in page for i in mine)
    # the other official may withdraw the state's version (any of its officials acts for it)
    response = first.post(f"/submissions/{mine[-1]}/decide/", {"decision": "withdraw", "confirm": "1"})
    assert response.status_code == 302 and portal.store.get(mine[-1]).review_state == "withdrawn"


def test_a_version_waits_for_the_certifying_official_before_staff_review_it(people):
    from django.core import mail

    portal = people
    mail.outbox = []
    response = _upload(portal.client("jam@gov.jm"), workbook("JAM", measures="new"))
    assert response.status_code == 302
    new = portal.store.submissions(state="JAM")[-1]
    assert new.review_state == "uncertified"
    # it does not count yet, and the certifier (not staff) is told, in Spanish
    assert portal.store.latest(2026, ["JAM"])["JAM"].id == portal.ids["jam"]
    assert [m.to for m in mail.outbox] == [["cert@gov.jm"]] and "certificar" in mail.outbox[0].subject
    staff = portal.client("cmc@iom.int")
    refused = staff.post(f"/submissions/{new.id}/decide/", {"decision": "accept", "confirm": "1"})
    assert refused.status_code == 400 and portal.store.get(new.id).review_state == "uncertified"
    assert staff.post(f"/submissions/{new.id}/decide/", {"decision": "certify", "confirm": "1"}).status_code == 404
    # a submitter who is not the certifier gets 404 for certify; the page offers it only to the certifier
    plain = portal.client("jam@gov.jm")
    assert plain.post(f"/submissions/{new.id}/decide/", {"decision": "certify", "confirm": "1"}).status_code == 404
    assert 'value="certify"' not in plain.get(f"/submissions/{new.id}/").content.decode()
    certifier = portal.client("cert@gov.jm")
    page = certifier.get(f"/submissions/{new.id}/").content.decode()
    assert 'value="certify"' in page and 'name="confirm"' in page
    # certifying makes it count over version 1: the confirmation is required
    assert certifier.post(f"/submissions/{new.id}/decide/", {"decision": "certify"}).status_code == 409
    mail.outbox = []
    done = certifier.post(f"/submissions/{new.id}/decide/", {"decision": "certify", "confirm": "1"})
    assert done.status_code == 302 and portal.store.get(new.id).review_state == "submitted"
    assert portal.store.latest(2026, ["JAM"])["JAM"].id == new.id
    # now staff hear of it (CMC staff only), and JAM's other official of the certification
    assert sorted(m.to[0] for m in mail.outbox) == ["cmc@iom.int", "jam@gov.jm"]
    events = [e for e in portal.store.history("JAM", 2026)["versions"][-1]["events"]]
    assert [(e["action"], e["from"], e["to"], e["actor"]) for e in events] == [
        ("upload", None, "uncertified", "jam@gov.jm"), ("certify", "uncertified", "submitted", "cert@gov.jm")]


def test_certification_through_the_api(people):
    import json

    from django.test import Client

    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store.accounts import new_token

    portal = people
    waiting = ingest_bytes(portal.store, workbook("JAM", measures="api"), "j.xlsx",
                           review_state="uncertified").outcome.submission_id

    def call(email, decision):
        return Client().post(f"/api/v1/submissions/{waiting}/review", data=json.dumps(
            {"decision": decision, "confirm": True}), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {new_token(portal.store, email)}")

    assert call("jam@gov.jm", "certify").status_code == 403
    assert call("cmc@iom.int", "certify").status_code == 403
    assert call("cmc@iom.int", "accept").json()["error"]["code"] == "transition-not-allowed"
    answer = call("cert@gov.jm", "certify")
    assert answer.status_code == 200 and answer.json()["review_state"] == "submitted"


def test_the_conversation_is_scoped_escaped_bounded_and_notified(portal):
    from django.core import mail

    jam = portal.ids["jam"]
    staff = portal.client("cmc@iom.int")
    mail.outbox = []
    # a return's reason opens the conversation
    staff.post(f"/submissions/{jam}/decide/", {"decision": "return", "reason": "Objective 7: <b>no</b> evidence",
                                               "confirm": "1"})
    submitter = portal.client("jam@gov.jm")
    page = submitter.get(f"/submissions/{jam}/").content.decode()
    assert "Objective 7: &lt;b&gt;no&lt;/b&gt; evidence" in page and "<b>no</b>" not in page
    mail.outbox = []
    hostile = "<script>alert(1)</script>\r\nBcc: victim@example.org\nline two"
    response = submitter.post(f"/submissions/{jam}/messages/", {"text": hostile})
    assert response.status_code == 302
    page = staff.get(f"/submissions/{jam}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    # staff of CMC are told; the text is in the body only, never in a header
    assert [m.to for m in mail.outbox] == [["cmc@iom.int"]]
    message = mail.outbox[0]
    assert "\n" not in message.subject and "victim" not in message.subject
    assert "Bcc: victim@example.org" in message.body and not message.bcc
    # bounded: over 2,000 characters is refused, empty too; nothing is kept
    assert submitter.post(f"/submissions/{jam}/messages/", {"text": "x" * 2001}).status_code == 400
    assert submitter.post(f"/submissions/{jam}/messages/", {"text": " \n "}).status_code == 400
    from gcmtrack.store.people import messages

    assert [m["side"] for m in messages(portal.store, jam)] == ["staff", "state"]
    # scope: another State's official, staff of another process and a reviewer get 404
    for email in ("mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"):
        assert portal.client(email).post(f"/submissions/{jam}/messages/", {"text": "hello"}).status_code == 404
    # an admin sees versions but takes no part in a State's conversation
    assert portal.client("admin@iom.int").post(f"/submissions/{jam}/messages/", {"text": "x"}).status_code == 404
    assert len(messages(portal.store, jam)) == 2
    # staff reply: the State's officials are told, in their language
    mail.outbox = []
    staff.post(f"/submissions/{jam}/messages/", {"text": "Thank you"})
    assert [m.to for m in mail.outbox] == [["jam@gov.jm"]] and "Thank you" in mail.outbox[0].body


def test_the_daily_digest_is_sent_once_a_day_and_replaces_each_notice(portal):
    from click.testing import CliRunner
    from django.core import mail

    from gcmtrack.cli import main
    from gcmtrack.service.people import send_digests
    from gcmtrack.store.accounts import get_account

    staff = portal.client("cmc@iom.int")
    assert staff.post("/review/digest/", {"digest": "1"}).status_code == 302
    assert get_account(portal.store, "cmc@iom.int").digest
    assert 'value="1" checked' in staff.get("/review/").content.decode()
    mail.outbox = []
    assert _upload(portal.client("jam@gov.jm"), workbook("JAM", measures="digest")).status_code == 302
    assert mail.outbox == []  # CMC staff read the digest instead (RCM has no JAM)
    portal.client("jam@gov.jm").post(f"/submissions/{portal.ids['jam']}/messages/", {"text": "A question"})
    assert mail.outbox == []
    today = dt.datetime.now(dt.timezone.utc).date()
    rows = send_digests(portal.store, today)
    assert [(r["to"], r["sent"]) for r in rows] == [("cmc@iom.int", "sent")] and rows[0]["events"] >= 2
    assert [m.to for m in mail.outbox] == [["cmc@iom.int"]]
    assert "Jamaica" in mail.outbox[0].body and "message" in mail.outbox[0].body
    # idempotent: the same day is never sent twice (the CLI verb says so)
    assert send_digests(portal.store, today)[0]["sent"] == "already"
    result = CliRunner().invoke(main, ["digest", "--day", today.isoformat(), "--json", "--db", portal.location])
    assert result.exit_code == 0, result.output
    assert '"sent": "already"' in result.stdout and len(mail.outbox) == 1
    # a day with nothing sends nothing
    assert send_digests(portal.store, today - dt.timedelta(days=30))[0]["sent"] == "nothing"


def test_every_new_text_is_in_every_catalogue():
    from gcmtrack.common.catalogue import text

    for lang in ("en", "es", "fr"):
        for key in ("review_state.uncertified", "thread.title", "mail.digest.body", "mail.message.body",
                    "mail.certify.body", "decision.certify"):
            assert text("portal", key, lang) != key


def test_staff_require_certification_from_the_dashboard(portal):
    from gcmtrack.store.deadlines import deadline_of

    staff = portal.client("cmc@iom.int")
    assert 'name="certification"' in staff.get("/review/CMC/2026/").content.decode()
    staff.post("/review/CMC/2026/deadline/", {"due": "2027-12-31", "open": "1", "certification": "1"})
    assert deadline_of(portal.store, "CMC", 2026).certification
    assert [e.detail for e in portal.store.audit_log() if e.action == "certification"] == [{"required": True}]
    staff.post("/review/CMC/2026/deadline/", {"due": "2027-12-31", "open": "1"})
    assert not deadline_of(portal.store, "CMC", 2026).certification
    # another process's staff cannot change it (404, as for the deadline)
    assert portal.client("rcm@iom.int").post("/review/CMC/2026/deadline/", {
        "due": "2027-12-31", "open": "1", "certification": "1"}).status_code == 404
    assert not deadline_of(portal.store, "CMC", 2026).certification
