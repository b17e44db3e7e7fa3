"""Several officials per state and the portal's remaining findings, in Chromium (issue 19,
items 4 and 7): a version waits for the State's certifying official, who certifies it with a
confirmation; staff and the State talk in the version's conversation (hostile text shown as
text); staff choose the daily digest; an upload's answer survives a language switch; staff
preview a draft report and take published ones back. axe on every page, also at 320 px."""

from __future__ import annotations

import pytest

from tests.builders import build_workbook
from tests.portal_fixtures import PASSWORD, workbook
from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401 - the fixtures

pytestmark = pytest.mark.slow


def _fits(visitor: Visitor, path: str, label: str) -> None:
    visitor.page.set_viewport_size({"width": 320, "height": 800})
    visitor.go(path, label)
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 320, label
    visitor.page.set_viewport_size({"width": 1280, "height": 900})


def test_certify_then_talk_about_a_version(server, browser, db, tmp_path):
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account, get_account
    from gcmtrack.store.people import set_certification, set_certifier

    shots = screenshot_dir()
    with Store(db) as store:
        add_account(store, "cert@gov.jm", "submitter", state="JAM", password=PASSWORD, lang="es")
        set_certifier(store, get_account(store, "cert@gov.jm"), True)
        set_certification(store, "CMC", 2026, True)
    (tmp_path / "jam.xlsx").write_bytes(workbook("JAM", measures="certify me"))

    official = Visitor(browser, server, "en-GB", shots, "people-official")
    official.sign_in("jam@gov.jm")
    official.page.set_input_files("#file", str(tmp_path / "jam.xlsx"))
    official.page.click("text=Check and send")
    official.page.wait_for_load_state()
    official.check("uploaded-uncertified")
    assert "awaiting certification" in official.page.inner_text("main")
    assert "waits for the State's certifying official" in official.page.inner_text("main")
    version_path = official.page.url.split(server)[1].split("?")[0]
    assert official.page.query_selector("#certify-confirm") is None  # not the certifier

    certifier = Visitor(browser, server, "es-ES", shots, "people-certifier")
    certifier.sign_in("cert@gov.jm")
    certifier.go(version_path, "certify-es")
    certifier.page.click("text=Certificar esta versión")
    assert certifier.page.url.endswith(version_path)  # the confirmation is not ticked: nothing sent
    with Store(db) as store:
        assert store.submissions(state="JAM")[-1].review_state == "uncertified"
    certifier.page.check("#certify-confirm")
    certifier.page.click("text=Certificar esta versión")
    certifier.page.wait_for_load_state()
    certifier.check("certified-es")
    with Store(db) as store:
        assert store.submissions(state="JAM")[-1].review_state == "submitted"

    staff = Visitor(browser, server, "en-GB", shots, "people-staff")
    staff.sign_in("cmc@iom.int", db)
    staff.check("review-index-digest")
    staff.page.check("input[name=digest][value='1']")
    staff.page.click("#mail-h ~ form button[type=submit]")
    staff.page.wait_for_load_state()
    staff.check("digest-saved")
    assert "Your choice is saved." in staff.page.inner_text("main")
    with Store(db) as store:
        assert get_account(store, "cmc@iom.int").digest
    staff.go(version_path, "version-staff")
    hostile = "<img src=x onerror=alert(1)> Objective 7: please add the evidence\nSecond line"
    staff.page.fill("#message-text", hostile)
    staff.page.click("text=Send the message")
    staff.page.wait_for_load_state()
    staff.check("message-sent")
    assert staff.page.query_selector(".thread img") is None  # shown as text, never as markup
    assert "<img src=x onerror=alert(1)>" in staff.page.inner_text(".thread")

    official.go(version_path, "version-thread")
    assert "Objective 7: please add the evidence" in official.page.inner_text(".thread")
    official.page.fill("#message-text", "Added, see version 3. " + "long-word-" * 30)
    official.page.click("text=Send the message")
    official.page.wait_for_load_state()
    assert official.page.inner_text(".thread").count("process staff") == 1
    _fits(official, version_path, "version-thread-320")
    _fits(staff, "/review/", "review-index-320")


def test_upload_answer_survives_a_language_switch_and_reports_are_previewed(server, browser, db, tmp_path):
    from gcmtrack.store import Store, utc_now
    from gcmtrack.store.models import RenderedReport

    shots = screenshot_dir()
    typo = build_workbook(state="JAM", objectives=[(1, "Implementd", "m")] + [(n, "Planned", "m") for n in range(2, 24)])
    (tmp_path / "typo.xlsx").write_bytes(typo)
    official = Visitor(browser, server, "en-GB", shots, "answer")
    official.sign_in("jam@gov.jm")
    official.page.set_input_files("#file", str(tmp_path / "typo.xlsx"))
    official.page.click("text=Check and send")
    official.page.wait_for_load_state()
    assert official.page.url.endswith("/upload/")
    official.check("answer-en")
    official.page.select_option("#lang-switch", "fr")
    official.page.click("form.inline button[type=submit]")
    official.page.wait_for_load_state()
    official.check("answer-fr")
    assert official.page.get_attribute("html", "lang") == "fr"
    assert "B2" in official.page.inner_text("table.problems")  # the same answer, in French
    _fits(official, "/upload/", "answer-fr-320")

    with Store(db) as store:
        for draft in (False, True):
            RenderedReport.objects.using(store.alias).create(
                process="CMC", cycle=2026, lang="en", pdf=b"%PDF-1.7", html=b"<html lang='en'><p>draft</p></html>",
                data=b"JAM", pages=3, digest="x", rendered_at=utc_now(), published_at=None if draft else utc_now(),
                draft=draft)
    staff = Visitor(browser, server, "en-GB", shots, "publish")
    staff.sign_in("cmc@iom.int", db)
    staff.go("/review/CMC/2026/", "dashboard-reports")
    assert not staff.page.is_checked("input[name=publish]")
    assert staff.page.query_selector("a[href='/review/CMC/2026/preview/en.html']") is not None
    staff.page.click("text=Unpublish")
    assert staff.page.url.endswith("/review/CMC/2026/")  # not confirmed: nothing sent
    staff.page.check("form[action$='/unpublish/'] input[name=confirm]")
    staff.page.click("text=Unpublish")
    staff.page.wait_for_load_state()
    staff.check("dashboard-unpublished")
    assert "Unpublish" not in staff.page.inner_text("main")
    _fits(staff, "/review/CMC/2026/", "dashboard-320")
