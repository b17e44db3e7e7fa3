"""The remaining findings of the notes' portal section (issue 19, item 7), each as a user meets
it: the upload's answer survives a language switch (redirect after POST), downloads named
for what they are, HTTPS and the proxy's word, readable dates, the version that counts marked
and versions paged, confirmations before a decision."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.builders import build_workbook
from tests.portal_fixtures import workbook


def _upload(client, data, name="jam.xlsx", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/upload/", {"file": SimpleUploadedFile(name, data)}, **extra)


def test_switching_language_after_a_rejected_upload_keeps_the_answer(portal):
    client = portal.client("jam@gov.jm")
    bad = build_workbook(state="JAM", objectives=[(1, "Implementd", "m")] + [(n, "Planned", "m") for n in range(2, 24)])
    posted = _upload(client, bad)
    assert posted.status_code == 303 and posted["Location"] == "/upload/"
    english = client.get("/upload/")
    assert english.status_code == 422 and "unknown-status" in english.content.decode()
    switched = client.post("/language/", {"language": "fr", "next": "/upload/"}, follow=True)
    page = switched.content.decode()
    assert switched.status_code == 422 and 'lang="fr"' in page  # the same answer, now in French
    assert "unknown-status" in page and "B2" in page and 'href="/checks/' in page
    assert len(portal.store.submissions(state="JAM")) == 1  # reloading sent nothing again
    # with no answer to show, /upload/ leads home (never a blank 405)
    fresh = portal.client("jam@gov.jm")
    assert fresh.get("/upload/")["Location"] == "/state/"


def test_downloads_are_named_for_the_stored_type_not_the_uploaders_extension(portal):
    from gcmtrack.service.ingest import ingest_bytes

    stored = ingest_bytes(portal.store, workbook("JAM", measures="exe"), "evil.exe").outcome.submission_id
    page = portal.client("jam@gov.jm").get(f"/submissions/{stored}/file/")
    assert page["Content-Disposition"] == 'attachment; filename="evil.xlsx"'
    assert page["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from django.test import Client

    from gcmtrack.store.accounts import new_token

    api = Client().get(f"/api/v1/submissions/{stored}/file",
                       HTTP_AUTHORIZATION=f"Bearer {new_token(portal.store, 'jam@gov.jm')}")
    assert api["Content-Disposition"] == 'attachment; filename="evil.xlsx"'


HTTPS = {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
         "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}


@pytest.mark.parametrize("peer, proxies, forwarded, redirected", [
    ("203.0.113.7", [], None, True),  # plain HTTP is redirected to HTTPS
    ("203.0.113.7", [], "https", True),  # a client's own X-Forwarded-Proto is not believed
    ("127.0.0.1", [], "https", False),  # a proxy on this machine is (none listed)
    ("10.0.0.2", ["10.0.0.0/8"], "https", False),  # a listed proxy is
    ("10.0.0.2", ["192.168.0.0/16"], "https", True),  # an unlisted one is not
])
def test_https_redirect_believes_only_a_trusted_proxy(portal, peer, proxies, forwarded, redirected):
    from django.test import Client

    headers = {"REMOTE_ADDR": peer}
    if forwarded:
        headers["HTTP_X_FORWARDED_PROTO"] = forwarded
    with override_settings(GCMTRACK_TRUSTED_PROXIES=proxies, **HTTPS):
        answer = Client().get("/signin/", **headers)
    if redirected:
        assert answer.status_code == 301 and answer["Location"].startswith("https://")
    else:
        assert answer.status_code == 200


def test_dates_are_readable_and_the_counting_version_is_marked(portal):
    from gcmtrack.service.ingest import ingest_bytes

    second = ingest_bytes(portal.store, workbook("JAM", measures="two"), "jam2.xlsx").outcome.submission_id
    client = portal.client("jam@gov.jm")
    home = client.get("/state/").content.decode()
    assert "UTC" in home and 'class="counts"' in home  # "4 December 2026, 14:05 UTC", and what counts now
    row = home.split(f'/submissions/{second}/"')[1].split("</tr>")[0]
    assert 'class="counts"' in row
    detail = client.get(f"/submissions/{second}/").content.decode()
    assert "<time datetime=" in detail
    import re

    assert not re.search(r">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<", detail)  # no raw ISO time shown


def test_versions_are_paged(portal):
    from gcmtrack.service.ingest import ingest_bytes

    for n in range(25):
        ingest_bytes(portal.store, workbook("JAM", measures=f"v{n}"), f"jam{n}.xlsx")
    client = portal.client("jam@gov.jm")
    first = client.get("/state/").content.decode()
    assert first.count("/submissions/") - first.count("/submissions/%") == 20
    assert "?page=2" in first
    second = client.get("/state/?page=2").content.decode()
    assert second.count('href="/submissions/') == 6
    assert client.get("/state/?page=99").status_code == 200 and client.get("/state/?page=x").status_code == 200


def test_accept_and_withdraw_ask_for_a_confirmation(portal):
    jam = portal.ids["jam"]
    staff = portal.client("cmc@iom.int").get(f"/submissions/{jam}/").content.decode()
    accept = staff.split('value="accept"')[1].split("</form>")[0]
    assert 'name="confirm"' in accept and "required" in accept
    submitter = portal.client("jam@gov.jm").get(f"/submissions/{jam}/").content.decode()
    withdraw = submitter.split('value="withdraw"')[1].split("</form>")[0]
    assert 'name="confirm"' in withdraw and "required" in withdraw


def test_publish_is_not_pre_ticked_drafts_are_previewed_and_published_reports_can_be_taken_back(portal):
    from gcmtrack.store.api import utc_now
    from gcmtrack.store.jobs import published_report
    from gcmtrack.store.models import RenderedReport

    rows = RenderedReport.objects.using(portal.store.alias)
    rows.create(process="CMC", cycle=2026, lang="en", pdf=b"%PDF-1.7 published", html=b"<html>published</html>",
                data=b"x", digest="a", rendered_at=utc_now(), published_at=utc_now())
    rows.create(process="CMC", cycle=2026, lang="en", pdf=b"%PDF-1.7 draft", html=b"<html>draft</html>",
                data=b"x", digest="b", rendered_at=utc_now(), draft=True)
    staff = portal.client("cmc@iom.int")
    board = staff.get("/review/CMC/2026/").content.decode()
    render_form = board.split("/review/CMC/2026/render/")[1].split("</form>")[0]
    publish = re.search(r'<input[^>]*name="publish" value="1"[^>]*>', render_form).group(0)
    assert "checked" not in publish  # publishing is chosen, never pre-ticked (the languages are)
    assert "/review/CMC/2026/preview/en.html" in board
    preview = staff.get("/review/CMC/2026/preview/en.html")
    assert preview.status_code == 200 and preview.content == b"<html>draft</html>"
    assert "sandbox" in preview["Content-Security-Policy"]
    assert staff.get("/review/CMC/2026/preview/fr.html").status_code == 404  # no French draft
    # reviewers never see a draft
    assert portal.client("reader@iom.int").get("/review/CMC/2026/preview/en.html").status_code == 404
    # unpublishing asks for a confirmation, then takes the published set back
    assert staff.post("/review/CMC/2026/unpublish/", {}).status_code == 400
    assert published_report(portal.store, "CMC", 2026, "en") is not None
    assert staff.post("/review/CMC/2026/unpublish/", {"confirm": "1"}).status_code == 302
    assert published_report(portal.store, "CMC", 2026, "en") is None
    assert portal.client("reader@iom.int").get("/reports/CMC/2026/en.pdf").status_code == 404
    assert "unpublish" in [e.action for e in portal.store.audit_log()]


def test_an_unknown_state_with_no_close_match_gets_no_empty_suggestion_list():
    from gcmtrack.intake.validate import validate_bytes

    for lang in ("en", "es", "fr"):
        result = validate_bytes(build_workbook(lang=lang, state="Qqqqqqqqqq"), "x.xlsx")
        (problem,) = [p.to_dict(lang) for p in result.problems if p.code == "unknown-state"]
        assert "MEX" in problem["hint"] and ": -" not in problem["hint"] and "-." not in problem["hint"]
