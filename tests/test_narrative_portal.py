"""The portal's narrative pages and the API's /api/v1/narratives, with a hand-made reading (the
end-to-end test reads real documents): a submitter sends a document, goes through its passages
(accept, change, reject, next: real buttons, no JavaScript needed), sets the statuses and
confirms; staff of the state's process may do the same; text from the document is escaped."""

from __future__ import annotations

import json

from tests.narrative_fixtures import HOSTILE, fake_reader  # noqa: F401 - fixture


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _send(client, data=b"%PDF- JAM narrative", name="jam-review.pdf", cycle="2026"):
    return client.post("/narratives/upload/", {"file": _file(data, name), "cycle": cycle})


def test_a_submitter_confirms_its_narrative_in_the_portal(portal, fake_reader):
    jam = portal.client("jam@gov.jm")
    home = jam.get("/state/").content.decode()
    assert 'action="/narratives/upload/"' in home
    sent = _send(jam)
    assert sent.status_code == 302
    nid = int(sent["Location"].strip("/").split("/")[-1])
    page = jam.get(f"/narratives/{nid}/").content.decode()
    assert "jam-review.pdf" in page and "page 4, paragraph 2" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert portal.store.latest(2026)["JAM"].id == portal.ids["jam"]  # nothing counts yet

    first = jam.get(f"/narratives/{nid}/passages/1/").content.decode()
    assert 'value="accept"' in first and 'value="change"' in first and 'value="reject"' in first
    assert 'value="next"' in first and "statistics" in first  # the reasons are shown
    assert 'id="s-1" name="objective" value="1" checked' in first  # the best suggestion is pre-checked
    moved = jam.post(f"/narratives/{nid}/passages/1/", {"action": "accept", "objective": ["1"]})
    assert moved.status_code == 302 and moved["Location"] == f"/narratives/{nid}/passages/2/"
    # change without choosing: a located message, nothing recorded
    unchosen = jam.post(f"/narratives/{nid}/passages/2/", {"action": "change", "other": ""})
    assert unchosen.status_code == 400 and "Choose the other objective" in unchosen.content.decode()
    assert jam.post(f"/narratives/{nid}/passages/2/", {"action": "change", "other": "15"}).status_code == 302
    assert jam.post(f"/narratives/{nid}/passages/3/", {"action": "next"})["Location"].endswith("/passages/4/")
    last = jam.post(f"/narratives/{nid}/passages/4/", {"action": "reject"})
    assert last["Location"] == f"/narratives/{nid}/passages/3/"  # the one left undecided
    confirm = jam.post(f"/narratives/{nid}/confirm/")
    assert confirm["Location"].endswith("?problem=statuses#statuses")  # objectives 1 and 15 lack a status
    saved = jam.post(f"/narratives/{nid}/statuses/", {"status-1": "implemented", "status-15": "planned"})
    assert saved.status_code == 302
    assert jam.post(f"/narratives/{nid}/confirm/")["Location"] == f"/submissions/{nid}/?confirmed=1"

    counting = portal.store.latest(2026)["JAM"]
    assert counting.id == nid
    assert {n: r.status for n, r in counting.submission.objectives.items()} == {1: "implemented", 15: "planned"}
    version = jam.get(f"/submissions/{nid}/").content.decode()
    assert "the confirmed passages of jam-review.pdf: page 4, paragraph 2" in version
    assert f"/submissions/{nid}/annotated/" not in version
    assert jam.get(f"/submissions/{nid}/annotated/").status_code == 404
    assert jam.get(f"/submissions/{nid}/file/").content == b"%PDF- JAM narrative"
    # decisions are frozen now
    assert jam.post(f"/narratives/{nid}/passages/3/", {"action": "reject"}).status_code == 409


def test_staff_of_the_process_decide_and_the_page_speaks_spanish(portal, fake_reader):
    from gcmtrack.store.narrative import get_narrative

    nid = int(_send(portal.client("jam@gov.jm"))["Location"].strip("/").split("/")[-1])
    staff = portal.client("cmc@iom.int")
    assert staff.post(f"/narratives/{nid}/passages/3/", {"action": "accept", "objective": ["20", "19"]}).status_code == 302
    links = get_narrative(portal.store, nid).links
    assert [(l.objective, l.decision, l.actor) for l in links] == [(19, "accepted", "cmc@iom.int"),
                                                                    (20, "accepted", "cmc@iom.int")]
    staff.post("/language/", {"language": "es", "next": "/"})
    page = staff.get(f"/narratives/{nid}/passages/3/").content.decode()
    assert "Aceptar lo marcado (A)" in page and "página 5, párrafo 1" in page


def test_what_led_to_a_suggestion_is_said_in_the_page_language(portal, fake_reader, monkeypatch):
    """The stored reasons ("heading: …", "mentions objective N", "under: …", words) are data: the
    page says them in its own language and quotes only the passage's words in the passage's."""
    from tests import narrative_fixtures as fixtures

    reasoned = [dict(fixtures.PASSAGES[1], suggestions=[
        {"objective": 14, "confidence": 0.9, "reasons": ["mentions objective 14", "consular", "under: Consular work"],
         "by_heading": False}]),
        dict(fixtures.PASSAGES[2], suggestions=[
            {"objective": 20, "confidence": 0.95, "reasons": ["heading: Objective 20: Remittances"], "by_heading": True}])]
    monkeypatch.setattr(fixtures, "PASSAGES", reasoned)
    jam = portal.client("jam@gov.jm")
    nid = int(_send(jam)["Location"].strip("/").split("/")[-1])
    jam.post("/language/", {"language": "es", "next": "/"})
    first = jam.get(f"/narratives/{nid}/passages/2/").content.decode()
    assert "el pasaje menciona el objetivo 14" in first and "palabras que lo sugirieron:" in first
    assert '<span lang="en">consular</span>' in first  # the passage's own words, in its language
    assert "con las palabras de los títulos que lo preceden" in first
    second = jam.get(f"/narratives/{nid}/passages/3/").content.decode()
    assert "por el título sobre el pasaje" in second and "palabras que lo sugirieron" not in second
    for page in (first, second):
        assert "mentions objective" not in page and "under:" not in page and "heading:" not in page


def test_a_document_that_cannot_be_read_stores_nothing_in_the_portal(portal, fake_reader):
    before = len(portal.store.submissions())
    answer = _send(portal.client("jam@gov.jm"), HOSTILE + b"scan", "scan.pdf")
    assert answer.status_code == 422 and b"no-text-layer" in answer.content
    assert len(portal.store.submissions()) == before


def _api(portal, email):
    from django.test import Client

    from gcmtrack.store.accounts import new_token

    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {new_token(portal.store, email)}"}


def test_the_api_uploads_lists_decides_and_confirms(portal, fake_reader):
    client, auth = _api(portal, "cmc@iom.int")
    refused = client.post("/api/v1/narratives", {"file": _file(b"%PDF- x", "r.pdf"), "state": "MEX", "cycle": "2026"},
                          **auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "state-mismatch"
    hostile = client.post("/api/v1/narratives", {"file": _file(HOSTILE, "r.pdf"), "state": "JAM", "cycle": "2026"},
                          **auth)
    assert hostile.status_code == 422 and hostile.json()["problems"][0]["code"] == "no-text-layer"
    made = client.post("/api/v1/narratives", {"file": _file(b"%PDF- y", "r.pdf"), "state": "JAM", "cycle": "2026"},
                       **auth)
    assert made.status_code == 201
    nid = made.json()["submission_id"]
    body = client.get(f"/api/v1/narratives/{nid}", **auth).json()
    assert body["kind"] == "narrative" and body["review_state"] == "unconfirmed" and not body["confirmed"]
    assert [p["number"] for p in body["passages"]] == [1, 2, 3, 4]
    assert body["passages"][0]["suggestions"][0]["objective"] == 1 and body["passages"][0]["decision"] is None

    post = lambda path, data: client.post(path, data=json.dumps(data), content_type="application/json", **auth)  # noqa: E731
    wrong = post(f"/api/v1/narratives/{nid}/decisions", {"passages": [{"passage": 9, "objectives": [30]}]})
    assert wrong.status_code == 400
    assert [e["where"] for e in wrong.json()["error"]["errors"]] == ["passages[0].objectives[0]"]
    unknown = post(f"/api/v1/narratives/{nid}/decisions", {"passages": [{"passage": 9, "objectives": [3]}]})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown-passage"
    decided = post(f"/api/v1/narratives/{nid}/decisions", {"passages": [{"passage": 1, "objectives": [1, 2]}]})
    assert decided.status_code == 200
    assert decided.json()["passages"][0]["decision"]["objectives"] == [1, 2]
    assert decided.json()["missing_statuses"] == [1, 2]
    statuses = post(f"/api/v1/narratives/{nid}/statuses", {"statuses": {"1": "implemented", "2": "nope"}})
    assert statuses.status_code == 400 and statuses.json()["error"]["errors"][0]["where"] == "statuses.2"
    assert post(f"/api/v1/narratives/{nid}/statuses", {"statuses": {"1": "implemented", "2": "not-stated"}}
                ).status_code == 200
    confirmed = post(f"/api/v1/narratives/{nid}/decisions", {"confirm": True})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"]
    assert confirmed.json()["review_state"] == "submitted" and confirmed.json()["confirmed_by"] == "cmc@iom.int"
    again = post(f"/api/v1/narratives/{nid}/decisions", {"passages": [{"passage": 2, "objectives": []}]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already-confirmed"
    # a workbook version is not a narrative: 404, as for anything absent
    assert client.get(f"/api/v1/narratives/{portal.ids['jam']}", **auth).status_code == 404
    explained = client.get(f"/api/v1/submissions/{nid}/explain", **auth).json()["objectives"]["1"]["row"]
    assert explained == {"document": "r.pdf", "status": "implemented", "weight": 1.0,
                         "passages": [{"passage": 1, "page": 1, "paragraph": 1, "where": "page 1, paragraph 1"}]}
