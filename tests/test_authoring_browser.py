"""Authoring a review in a real browser (Chromium through Playwright, against `gcmtrack serve`,
on both databases): staff feature an objective's text from a submission's page, write a section
(HTML refused with the line named, preview as printed, two versions compared), import an
indicators CSV and mark the edition final; axe checks every page (WCAG 2.2 AA), and the section
page reflows at 320 px. GCMTRACK_SCREENSHOTS=DIR keeps a screenshot of every page."""

from __future__ import annotations

import os

import pytest

from tests.portal_fixtures import workbook
from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def test_staff_author_a_review(server, browser, tmp_path, db):  # noqa: F811
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store

    shots = screenshot_dir()
    with Store(db) as store:
        jam = ingest_bytes(store, workbook("JAM", measures="Jamaica wrote"), "jam.xlsx").outcome.submission_id

    staff = Visitor(browser, server, "en-GB", shots, "author")
    staff.sign_in("cmc@iom.int", db)
    staff.go(f"/submissions/{jam}/", "submission")
    staff.page.select_option("#feature-objective", "3")
    staff.page.click("text=Feature in the review >> nth=-1")
    staff.page.wait_for_load_state()
    staff.check("author-home")
    assert "/review/CMC/2026/author/en/" in staff.page.url
    assert "Jamaica wrote 3" in staff.page.inner_text("#featured-h + table")

    staff.page.click("text=Key messages")
    staff.page.wait_for_load_state()
    staff.check("section")
    staff.page.fill("#markdown", "First line\n<b>bold</b>")
    staff.page.click("button[value=save]")
    staff.page.wait_for_load_state()
    staff.check("section-refused")
    assert "Line 2 holds HTML" in staff.page.inner_text("table.problems")
    staff.page.fill("#markdown", "# Messages\n\n- One\n- Two, see [IOM](https://www.iom.int)")
    staff.page.click("button[value=preview]")
    staff.page.wait_for_load_state()
    staff.check("section-preview")
    assert "(https://www.iom.int)" in staff.page.inner_text(".preview")
    staff.page.click("button[value=save]")
    staff.page.wait_for_load_state()
    assert "Saved as version 1" in staff.page.inner_text("main")
    staff.page.fill("#markdown", "# Messages\n\n- One\n- Three")
    staff.page.click("button[value=save]")
    staff.page.wait_for_load_state()
    staff.page.click("button:has-text(\"Compare\")")
    staff.page.wait_for_load_state()
    staff.check("section-diff")
    assert "+- Three" in staff.page.inner_text("pre.diff")
    staff.page.set_viewport_size({"width": 320, "height": 800})
    width = staff.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width
    staff.check("section-320")
    staff.page.set_viewport_size({"width": 1280, "height": 800})

    csv = tmp_path / "indicators.csv"
    csv.write_text("indicator,geo,year,value,unit,source,note\n10.7.2,JAM,2023,1,n,UN DESA,\n", encoding="utf-8")
    staff.go("/review/CMC/2026/author/en/", "author-home-2")
    staff.page.set_input_files("#csv", str(csv))
    staff.page.click("#indicators-h ~ form button[type=submit]")
    staff.page.wait_for_load_state()
    assert "indicators.csv" in staff.page.inner_text("#indicators-h ~ table")
    staff.page.click("text=Mark the EN review final")
    staff.page.wait_for_load_state()
    staff.check("author-final")
    assert "Final: marked by cmc@iom.int" in staff.page.inner_text("main")
    staff.page.set_viewport_size({"width": 320, "height": 800})
    staff.page.wait_for_timeout(300)
    assert staff.page.evaluate("document.documentElement.scrollWidth") <= 320
    staff.check("author-home-320")
