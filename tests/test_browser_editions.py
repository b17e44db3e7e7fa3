"""The staff's reports page in Chromium (issue 18, item 1): both editions per process, cycle and
language, the staff edition labelled as the secretariat's only; axe finds nothing serious at
full width and at 320 px, where the page reflows without horizontal scrolling; the reviewer's
page holds no staff edition and its address answers 404.

Set GCMTRACK_SCREENSHOTS=DIR to keep a screenshot of every page visited."""

from __future__ import annotations

import pytest

from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401 - the fixtures, shared

pytestmark = pytest.mark.slow


def test_staff_read_both_editions_reviewers_the_review_only(server, browser, db, tmp_path):  # noqa: F811
    from gcmtrack.store import Store, jobs

    shots = screenshot_dir()
    with Store(db) as store:
        for lang in ("en", "es", "fr"):
            jobs.publish_report(store, "CMC", 2026, lang, pdf=b"%PDF-1.7 review", html=b"<html>review</html>",
                                data=b"PK review", digest="r", pages=24, data_format=jobs.DATA_PACKAGE)
            jobs.keep_staff_report(store, "CMC", 2026, lang, pdf=b"%PDF-1.7 staff", html=b"<html>staff</html>",
                                   data=b"PK staff", digest="s", pages=41, data_format=jobs.DATA_PACKAGE)

    staff = Visitor(browser, server, "en-GB", shots, "staff-editions")
    staff.sign_in("cmc@iom.int", db)
    staff.go("/reports/", "reports-both-editions")
    main = staff.page.inner_text("main")
    assert "Staff edition — names states and their scores, for the secretariat only" in main
    assert "Review edition: published for reviewers and the public" in main
    assert "Staff edition (PDF, 41 pages)" in main and "PDF (24 pages)" in main
    assert staff.page.locator('#staff-h ~ table a[href="/reports/CMC/2026/staff/fr.pdf"]').count() == 1
    with staff.page.expect_download() as download:
        staff.page.click('a[href="/reports/CMC/2026/staff/es.zip"]')
    saved = tmp_path / "staff.zip"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "cmc-2026-staff-data.zip" and saved.read_bytes() == b"PK staff"
    staff.page.set_viewport_size({"width": 320, "height": 640})
    staff.go("/reports/", "reports-both-editions-320px")
    assert staff.page.evaluate("document.documentElement.scrollWidth") <= 320  # reflows, no sideways scroll
    staff.page.select_option("#lang-switch", "fr")
    staff.page.click("form.inline button[type=submit]")
    staff.page.wait_for_load_state()
    staff.check("reports-both-editions-fr-320px")
    assert "réservée au secrétariat" in staff.page.inner_text("main")
    # each card's labels: "Cycle\u00a0:", with the no-break space French puts before a colon
    label = staff.page.evaluate("getComputedStyle(document.querySelector('.cards td[data-label]'), '::before').content")
    assert label == '"Cycle\u00a0: "', label  # Chromium gives the resolved attr()

    reader = Visitor(browser, server, "en-GB", shots, "reviewer-editions")
    reader.sign_in("reader@iom.int")
    reader.go("/reports/", "reports-review-only")
    assert "/staff/" not in reader.page.content() and "secretariat only" not in reader.page.inner_text("main")
    assert reader.page.goto(server + "/reports/CMC/2026/staff/en.pdf").status == 404
    reader.check("staff-edition-404")
