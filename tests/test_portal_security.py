"""Every URL and API path of the portal, requested as a user of another State and of another
process, answers 404 (never 403, so existence is not revealed), is written to the audit log
as a refused access, and list pages hold none of the other's rows.

The cases are checked against urls.py: a new URL without a case here fails the test."""

from __future__ import annotations

import json
import re

import pytest

from tests.portal_fixtures import workbook

# URL names that show no object of anyone (checked for their rows below, not for 404).
UNSCOPED = {"home", "signin", "signout", "password", "invite", "set_language", "state_home", "upload",
            "review_index", "reports", "api_me", "api_submissions", "api_validate",
            # sending a narrative review: for the sender's own state (refused otherwise: test_narrative_portal.py)
            "narrative_upload", "api_narratives",
            # accounts that recover (no object of a state or process in them)
            "reset", "reset_sent", "reset_confirm", "reset_done", "signin_mfa", "mfa_setup",
            # one's own API tokens (a list of the caller's own only)
            "tokens",
            # a staff account's own e-mail preference (the daily digest)
            "digest_preference"}


@pytest.fixture
def world(portal):
    """JAM (CMC) has a submission, a rejected upload check, a render job, a published report
    and its staff edition; the intruders are MEX's submitter, RCM's staff and, where it
    applies, CMC's reviewer and an anonymous caller ("")."""
    from gcmtrack.service.rendering import request_render
    from gcmtrack.store.api import utc_now
    from gcmtrack.store.models import RenderedReport, UploadCheck

    store = portal.store
    job = request_render(store, "CMC", 2026, publish=True, actor="cmc@iom.int")
    RenderedReport.objects.using(store.alias).create(process="CMC", cycle=2026, lang="en", pdf=b"%PDF-1.7",
                                                     html=b"<html lang='en'></html>", data=b"JAM",
                                                     digest="x", rendered_at=utc_now(), published_at=utc_now())
    RenderedReport.objects.using(store.alias).create(process="CMC", cycle=2026, lang="en", pdf=b"%PDF-1.7",
                                                     html=b"<html lang='en'>draft</html>", data=b"JAM",
                                                     digest="y", rendered_at=utc_now(), draft=True)
    RenderedReport.objects.using(store.alias).create(process="CMC", cycle=2026, lang="en", edition="staff",
                                                     pdf=b"%PDF-1.7 JAM", html=b"<html lang='en'>JAM</html>",
                                                     data=b"JAM", digest="x", rendered_at=utc_now())
    from gcmtrack.store.accounts import get_account
    UploadCheck.objects.using(store.alias).create(token="t" * 43, account=get_account(store, "jam@gov.jm"),
                                                  filename="jam.xlsx", content=workbook("JAM"), lang="en",
                                                  problems=[], created_at=utc_now())
    jam = portal.ids["jam"]
    mex = portal.ids["mex"]
    from gcmtrack.store.authoring import feature

    featured = feature(store, "CMC", 2026, 1, 1, jam, source="Objectives, row 2", actor="cmc@iom.int")
    from gcmtrack.store.accounts import list_tokens, new_token

    new_token(store, "jam@gov.jm", scope="read")
    jam_token = list_tokens(store, "jam@gov.jm")[0]["id"]
    jam_account = get_account(store, "jam@gov.jm").pk
    # administration: JAM's account is managed by admins and by CMC's staff only
    managers_only = ["mex@sre.gob.mx", "jam@gov.jm", "reader@iom.int"]

    from tests.narrative_fixtures import PASSAGES
    from gcmtrack.store.narrative import add_narrative

    narrative = add_narrative(store, b"%PDF- JAM review", "jam-review.pdf", "JAM", 2026, "en",
                              {"kind": "pdf", "pages": 5, "passages": PASSAGES}, [], actor="jam@gov.jm").submission_id
    portal.ids["narrative"] = narrative
    authors = ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]  # staff of CMC only
    cases = {
        # name: (method, path, body, intruders)
        "template": ("get", "/template/2026/en/", None, ["rcm@iom.int", "reader@iom.int"]),
        "check_annotated": ("get", f"/checks/{'t' * 43}/annotated/", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "submission": ("get", f"/submissions/{jam}/", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "decide": ("post", f"/submissions/{jam}/decide/", {"decision": "withdraw"},
                   ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "post_message": ("post", f"/submissions/{jam}/messages/", {"text": "hello"},
                         ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "original": ("get", f"/submissions/{jam}/file/", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "annotated": ("get", f"/submissions/{jam}/annotated/", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "dashboard": ("get", "/review/CMC/2026/", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "deadline": ("post", "/review/CMC/2026/deadline/", {"due": "2026-01-01", "open": "1"},
                     ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "export": ("get", "/review/CMC/2026/export.xlsx", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "render": ("post", "/review/CMC/2026/render/", {"publish": "1"},
                   ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "preview": ("get", "/review/CMC/2026/preview/en.html", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "unpublish": ("post", "/review/CMC/2026/unpublish/", {"confirm": "1"},
                      ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "job": ("get", f"/jobs/{job.id}/", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "report_file": ("get", "/reports/CMC/2026/en.pdf", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        # the staff edition names states and their scores: CMC's staff and admins only
        "staff_report_file": ("get", "/reports/CMC/2026/staff/en.pdf", None,
                              ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", ""]),
        "author": ("get", "/review/CMC/2026/author/en/", None, authors),
        "author_section": ("post", "/review/CMC/2026/author/en/text/introduction/", {"markdown": "x", "action": "save"},
                           authors),
        "author_section_rt": ("get", "/review/CMC/2026/author/en/text/synthesis/1/", None, authors),
        "author_unfeature": ("post", f"/review/CMC/2026/author/en/featured/{featured.id}/remove/", {}, authors),
        "author_input": ("post", "/review/CMC/2026/author/en/inputs/", {"organisation": "x", "kind": "other",
                                                                        "input_lang": "en", "date": "2026-01-01",
                                                                        "text": "t"}, authors),
        "author_indicators": ("post", "/review/CMC/2026/author/en/indicators/", {}, authors),
        "author_disclosure": ("post", "/review/CMC/2026/author/en/disclosure/", {"disclosure": "named"}, authors),
        "author_final": ("post", "/review/CMC/2026/author/en/final/", {}, authors),
        "author_feature": ("post", f"/submissions/{jam}/feature/", {"process": "CMC", "objective": "1"},
                           ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "admin_accounts": ("get", "/admin/accounts/", None, managers_only),
        "admin_account": ("get", f"/admin/accounts/{jam_account}/", None, ["mex@sre.gob.mx", "rcm@iom.int",
                                                                        "reader@iom.int", "jam@gov.jm"]),
        "admin_account_action": ("post", f"/admin/accounts/{jam_account}/disable/", {"confirm": "1"},
                                 ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "jam@gov.jm"]),
        "token_revoke": ("post", f"/tokens/{jam_token}/revoke/", {}, ["mex@sre.gob.mx", "rcm@iom.int",
                                                                     "reader@iom.int"]),
        "audit": ("get", "/admin/audit/", None, managers_only),
        "audit_csv": ("get", "/admin/audit.csv", None, managers_only),

        "narrative": ("get", f"/narratives/{narrative}/", None, ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "narrative_passage": ("post", f"/narratives/{narrative}/passages/1/", {"action": "reject"},
                              ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "narrative_statuses": ("post", f"/narratives/{narrative}/statuses/", {"status-1": "implemented"},
                               ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "narrative_confirm": ("post", f"/narratives/{narrative}/confirm/", {},
                              ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "api_narrative": ("api-get", f"/api/v1/narratives/{narrative}", None,
                          ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "api_narrative_decisions": ("api-post", f"/api/v1/narratives/{narrative}/decisions",
                                    {"passages": [{"passage": 1, "objectives": []}], "confirm": True},
                                    ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "api_narrative_statuses": ("api-post", f"/api/v1/narratives/{narrative}/statuses",
                                   {"statuses": {"1": "implemented"}},
                                   ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int", "admin@iom.int"]),
        "api_submission": ("api-get", f"/api/v1/submissions/{jam}", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "api_submission_file": ("api-get", f"/api/v1/submissions/{jam}/file", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "api_review": ("api-post", f"/api/v1/submissions/{jam}/review", {"decision": "withdraw"},
                       ["mex@sre.gob.mx", "rcm@iom.int", "reader@iom.int"]),
        "api_explain": ("api-get", f"/api/v1/submissions/{jam}/explain", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "api_diff": ("api-get", f"/api/v1/submissions/{jam}/diff?against={jam}", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
        "api_score": ("api-get", "/api/v1/processes/CMC/cycles/2026/score", None, ["mex@sre.gob.mx", "rcm@iom.int"]),
    }
    return portal, cases, jam, mex


def test_every_url_has_a_case(world):
    from gcmtrack.portal.urls import urlpatterns

    _portal, cases, _jam, _mex = world
    def names(patterns):  # an include() holds more patterns
        return {name for p in patterns for name in (names(p.url_patterns) if hasattr(p, "url_patterns") else {p.name})}

    assert names(urlpatterns) == set(cases) | UNSCOPED


def _request(portal, method, path, body, email):
    from django.test import Client

    from gcmtrack.store.accounts import new_token

    if method.startswith("api-"):
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {new_token(portal.store, email)}"}
        if method == "api-post":
            return client.post(path, data=json.dumps(body), content_type="application/json", **headers)
        return client.get(path, **headers)
    client = portal.client(email)
    return client.post(path, body) if method == "post" else client.get(path)


def test_other_states_and_processes_get_404_everywhere(world):
    portal, cases, jam, _mex = world
    before = portal.store.get(jam).review_state
    checked = 0
    for name, (method, path, body, intruders) in cases.items():
        for email in intruders:
            refused_before = sum(1 for e in portal.store.audit_log() if e.action == "refused")
            response = _request(portal, method, path, body, email)
            assert response.status_code == 404, (name, email, response.status_code)
            # JAM as a word: a page's random CSRF token may hold the three letters by chance
            assert not re.search(rb"\bJAM\b|Jamaica", response.content), (name, email)
            refused = [e for e in portal.store.audit_log() if e.action == "refused"]
            assert len(refused) == refused_before + 1 and refused[-1].actor == (email or "anonymous"), (name, email)
            checked += 1
    assert checked > 40
    assert portal.store.get(jam).review_state == before  # nothing changed on the way
    from gcmtrack.store.narrative import get_narrative

    untouched = get_narrative(portal.store, portal.ids["narrative"])
    assert (untouched.links, untouched.statuses, untouched.stored.review_state) == ((), {}, "unconfirmed")


def test_list_pages_hold_none_of_the_others_rows(world):
    portal, _cases, jam, mex = world
    mex_page = portal.client("mex@sre.gob.mx").get("/state/").content.decode()
    assert f"/submissions/{mex}/" in mex_page and f"/submissions/{jam}/" not in mex_page
    rcm = portal.client("rcm@iom.int")
    assert "/review/CMC/" not in rcm.get("/review/").content.decode()
    assert "/reports/CMC/" not in rcm.get("/reports/").content.decode()
    assert "jam@gov.jm" not in rcm.get("/admin/accounts/").content.decode()
    rcm_audit = rcm.get("/admin/audit/?actor=jam").content.decode() + rcm.get("/admin/audit.csv").content.decode()
    assert "jam@gov.jm" not in rcm_audit and "JAM" not in rcm_audit
    assert "/staff/" not in portal.client("reader@iom.int").get("/reports/").content.decode()
    from gcmtrack.store.accounts import new_token
    from django.test import Client

    listing = Client().get("/api/v1/submissions", HTTP_AUTHORIZATION=f"Bearer {new_token(portal.store, 'mex@sre.gob.mx')}")
    assert [s["state"] for s in listing.json()["submissions"]] == ["MEX"]
    asked = Client().get("/api/v1/submissions?state=JAM",
                         HTTP_AUTHORIZATION=f"Bearer {new_token(portal.store, 'rcm@iom.int')}")
    assert asked.json() == {"submissions": []}


def test_the_rightful_users_are_served(world):
    """The same cases as their own State and process see them: the 404s above are scope, not bugs."""
    portal, cases, jam, _mex = world
    owners = {"template": "jam@gov.jm", "check_annotated": "jam@gov.jm", "report_file": "reader@iom.int"}
    for name in ("template", "check_annotated", "submission", "original", "annotated", "dashboard", "export",
                 "job", "report_file", "staff_report_file", "api_submission", "api_submission_file", "api_explain", "api_diff",
                 "api_score", "author", "author_section_rt", "admin_accounts", "admin_account", "audit",
                 "audit_csv", "narrative", "api_narrative", "preview"):
        method, path, body, _ = cases[name]
        email = owners.get(name, "cmc@iom.int")
        assert _request(portal, method, path, body, email).status_code == 200, name
