"""The staff pages that author a review (review.md, "Authoring"), on both databases: a
section edited with a preview as printed, history and diff; "feature in the review" from a
submission's page; inputs, indicators (located errors), disclosure and final. Scope (404 for
anyone but the process's staff) is in tests/test_portal_security.py."""

from __future__ import annotations

import re

from tests.portal_fixtures import portal, settings_for_tests  # noqa: F401 - fixtures

BASE = "/review/RCM/2026/author"


def test_staff_write_preview_save_and_compare_a_section(portal):
    client = portal.client("rcm@iom.int")
    home = client.get(f"{BASE}/en/")
    assert home.status_code == 200 and "Key messages" in home.content.decode()
    url = f"{BASE}/en/text/synthesis/2/"
    refused = client.post(url, {"markdown": "Hello <script>alert(1)</script>", "action": "save"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "text-raw-html" in page and "<script>alert" not in page
    preview = client.post(url, {"markdown": "# Title\n\n- *one* [IOM](https://iom.int)", "action": "preview"})
    shown = preview.content.decode()
    assert preview.status_code == 200 and "<h3>Title</h3>" in shown and "(https://iom.int)" in shown
    assert client.get(url).content.decode().count("<td>1</td>") == 0  # a preview saves nothing
    saved = client.post(url, {"markdown": "First\nline", "action": "save"})
    assert saved.status_code == 302 and saved["Location"].endswith("?saved=1")
    client.post(url, {"markdown": "First\nchanged", "action": "save"})
    diff = client.get(url + "?from=1&to=2").content.decode()
    assert "<del>-line</del>" in diff and "<ins>+changed</ins>" in diff
    assert "rcm@iom.int" in diff
    spanish = client.get(f"{BASE}/es/").content.decode()
    assert "sin traducir: se muestra en EN" in spanish or "not translated: shown in EN" in spanish


def test_feature_from_a_submission_page_then_inputs_indicators_and_final(portal):
    client = portal.client("rcm@iom.int")
    mex = portal.ids["mex"]
    page = client.get(f"/submissions/{mex}/").content.decode()
    assert f"/submissions/{mex}/feature/" in page and 'name="round_table"' in page
    cmc = portal.client("cmc@iom.int").get(f"/submissions/{portal.ids['jam']}/").content.decode()
    assert "/feature/" in cmc  # CMC's staff on JAM (a CMC member)
    done = client.post(f"/submissions/{mex}/feature/", {"process": "RCM", "objective": "3", "practice": "",
                                                        "round_table": ""})
    assert done.status_code == 302 and "/review/RCM/2026/author/" in done["Location"]
    home = client.get(f"{BASE}/en/").content.decode()
    assert "m 3" in home and "Objectives" in home

    bad = client.post(f"{BASE}/en/indicators/", {"file": _upload("bad.csv", b"indicator,geo,year,value\n1,XX,2023,1\n")})
    text = bad.content.decode()
    assert bad.status_code == 400 and "csv-bad-geo" in text and "B2" in text
    good = client.post(f"{BASE}/en/indicators/", {"file": _upload("ok.csv", b"indicator,geo,year,value\n1,MEX,2023,1\n")})
    assert good.status_code == 302 and "ok.csv" in client.get(f"{BASE}/en/").content.decode()

    added = client.post(f"{BASE}/en/inputs/", {"organisation": "<b>Red</b>", "kind": "civil-society",
                                                "input_lang": "es", "date": "2026-03-01", "text": "Texto",
                                                "consent": "1"})
    assert added.status_code == 302
    home = client.get(f"{BASE}/en/").content.decode()
    assert "&lt;b&gt;Red&lt;/b&gt;" in home and "<b>Red</b>" not in home
    bad_date = client.post(f"{BASE}/en/inputs/", {"organisation": "x", "kind": "other", "input_lang": "en",
                                                   "date": "soon", "text": "t"})
    assert bad_date.status_code == 400

    assert client.post(f"{BASE}/en/disclosure/", {"disclosure": "anonymous"}).status_code == 302
    assert client.post(f"{BASE}/en/final/", {}).status_code == 302
    home = client.get(f"{BASE}/en/").content.decode()
    assert re.search(r"Final: marked by rcm@iom.int", home) and 'value="anonymous" selected' in home


def test_authoring_posts_need_the_csrf_token(portal):
    from tests.portal_fixtures import PASSWORD

    client = portal.client(csrf=True)
    client.get("/signin/")
    token = client.cookies["gcmtrack_csrf"].value
    signed = client.post("/signin/", {"email": "rcm@iom.int", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert signed.status_code == 302
    if signed["Location"] == "/signin/code/":  # staff: the authenticator's code, with the token too
        from tests.portal_fixtures import totp_now

        assert client.post("/signin/code/", {"code": totp_now(portal.store, "rcm@iom.int"),
                                             "csrfmiddlewaretoken": client.cookies["gcmtrack_csrf"].value}
                           ).status_code == 302
    url = f"{BASE}/en/text/introduction/"
    assert client.post(url, {"markdown": "x", "action": "save"}).status_code == 403
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"markdown": "x", "action": "save", "csrfmiddlewaretoken": token}).status_code == 302


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
