"""Deadlines and decisions that change what counts, in Chromium (issue 19, item 1): a closed
cycle's home page offers no upload, and returning the counting version shows which version
will count and needs the confirmation ticked. Every page is checked with axe, also at 320 px."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.portal_fixtures import workbook
from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401 - the fixtures

pytestmark = pytest.mark.slow


def test_return_asks_to_confirm_which_version_will_count_and_a_closed_cycle_offers_no_upload(server, browser, db):
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store
    from gcmtrack.store.deadlines import set_deadline

    shots = screenshot_dir()
    with Store(db) as store:
        first = ingest_bytes(store, workbook("JAM", measures="first"), "v1.xlsx").outcome.submission_id
        second = ingest_bytes(store, workbook("JAM", measures="second"), "v2.xlsx").outcome.submission_id

    staff = Visitor(browser, server, "en-GB", shots, "staff-confirm")
    staff.sign_in("cmc@iom.int", db)
    staff.go(f"/submissions/{second}/", "submission-two-versions")
    main = staff.page.inner_text("main")
    assert "After this decision, version 1 will count instead of version 2." in main
    staff.page.fill("#return-reason", "Objective 7: the evidence is missing")
    staff.page.click("text=Return to the State")
    # the browser refuses the form until the confirmation is ticked: nothing was sent
    assert staff.page.url.endswith(f"/submissions/{second}/")
    with Store(db) as store:
        assert store.get(second).review_state == "submitted"
    staff.page.check("#return-confirm")  # accept asks for its own confirmation too (issue 19 item 7)
    staff.page.click("text=Return to the State")
    staff.page.wait_for_load_state()
    staff.check("submission-returned-confirmed")
    with Store(db) as store:
        assert store.get(second).review_state == "returned"
        assert store.latest(2026)["JAM"].id == first
        set_deadline(store, "CMC", 2026, dt.date(2026, 3, 31), False, actor="test")  # closed

    official = Visitor(browser, server, "es-ES", shots, "submitter-closed")
    official.sign_in("jam@gov.jm")
    official.check("state-home-closed")
    main = official.page.inner_text("main")
    assert "Ahora no hay ningún ciclo de examen abierto a envíos" in main
    assert official.page.query_selector("#file") is None
    official.page.set_viewport_size({"width": 320, "height": 800})
    official.go("/state/", "state-home-closed-320")
    width = official.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
