"""Confirming a narrative review in a real browser (Chromium, `gcmtrack serve`, both databases):
the submitter sends a 30-page DOCX, goes through passages with the keyboard (the A shortcut,
then Tab and Enter on the real buttons, with a visible focus), sets a status and confirms; the
page works without JavaScript, reflows at 320 px, and axe finds no serious violation. Staff of
the process read it in Spanish.

Set GCMTRACK_SCREENSHOTS=DIR to keep a screenshot of every page visited."""

from __future__ import annotations

import pytest

from tests.narrative_documents import review_docx
from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow


def _fits(visitor: Visitor) -> bool:
    return visitor.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_submitter_confirms_a_narrative_with_the_keyboard(server, browser, tmp_path, db):  # noqa: F811
    shots = screenshot_dir()
    document = tmp_path / "jam-review-2026.docx"
    document.write_bytes(review_docx("JAM", "en"))
    official = Visitor(browser, server, "en-GB", shots, "narrative-submitter")
    official.sign_in("jam@gov.jm")
    official.page.set_input_files("#narrative-file", str(document))
    official.page.select_option("#narrative-cycle", "2026")
    official.page.click("text=Send the document")
    official.page.wait_for_load_state()
    official.check("narrative-overview")
    assert "/narratives/" in official.page.url
    assert "counts nothing" in official.page.inner_text("main") or "Nothing of this document counts" in \
        official.page.inner_text("main")
    overview = official.page.url.split(server)[1].split("#")[0]
    official.page.click("text=Go through the passages")
    official.page.wait_for_load_state()
    official.check("narrative-passage-1")
    first = official.page.url
    # the A key presses the real Accept button (the best suggestion is checked)
    assert official.page.evaluate("document.activeElement.dataset.key") == "a"  # autofocus on Accept
    with official.page.expect_navigation():
        official.page.keyboard.press("a")
    assert official.page.url != first
    official.check("narrative-passage-2")
    # Tab and Enter on the Reject button: a visible focus, then the next passage
    official.page.focus("button[data-key=r]")
    outline = official.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    with official.page.expect_navigation():
        official.page.keyboard.press("Enter")
    official.check("narrative-passage-3")
    # at 320 px the passage page reflows
    official.page.set_viewport_size({"width": 320, "height": 800})
    official.page.reload()
    official.check("narrative-passage-320")
    assert _fits(official)
    official.go(overview, "narrative-overview-320")
    assert _fits(official)
    official.page.set_viewport_size({"width": 1280, "height": 900})
    official.go(overview, "narrative-overview-decided")
    assert "2 of" in official.page.inner_text("main")
    official.page.click("text=Confirm the links and count this version")
    official.page.wait_for_load_state()
    assert "problem=statuses" in official.page.url  # objective 1 was linked and has no status yet
    official.check("narrative-missing-status")
    missing = official.page.eval_on_selector_all("tr.needs select", "nodes => nodes.map(n => n.id)")
    assert missing  # the objectives the two accepted passages were linked to
    for select in missing:
        official.page.select_option(f"#{select}", "implemented")
    official.page.click("text=Save the statuses")
    official.page.wait_for_load_state()
    official.page.click("text=Confirm the links and count this version")
    official.page.wait_for_load_state()
    official.check("narrative-confirmed-version")
    assert "/submissions/" in official.page.url
    main = official.page.inner_text("main")
    assert "counts" in main and "jam-review-2026.docx" in main

    from gcmtrack.store import Store

    with Store(db) as store:
        counting = store.latest(2026)["JAM"]
        assert counting.is_narrative
        assert {f"status-{n}" for n in counting.submission.objectives} == set(missing)


def test_the_passage_page_works_without_javascript_and_in_spanish(server, browser, tmp_path, db):  # noqa: F811
    """Staff of the process, in Spanish, with JavaScript off (axe needs it: not run here)."""
    from gcmtrack.service.narrative import ingest_narrative
    from gcmtrack.store import Store
    from tests.portal_fixtures import PASSWORD, totp_now

    with Store(db) as store:
        nid = ingest_narrative(store, review_docx("JAM", "es"), "jam-examen.docx", "JAM", 2026,
                               actor="cli:test").submission_id
    context = browser.new_context(locale="es-ES", java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/signin/")
    page.fill("#email", "cmc@iom.int")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    with Store(db) as store:
        page.fill("#code", totp_now(store, "cmc@iom.int"))
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    page.goto(f"{server}/narratives/{nid}/passages/2/")
    assert "Aceptar lo marcado (A)" in page.inner_text("main")
    page.select_option("#other", "7")
    with page.expect_navigation():
        page.click("button[value=change]")
    assert page.url.endswith(f"/narratives/{nid}/passages/3/")
    context.close()
    with Store(db) as store:
        from gcmtrack.store.narrative import get_narrative

        links = get_narrative(store, nid).links_of(2)
        assert [(l.objective, l.decision, l.actor) for l in links if l.decision == "changed"] == \
            [(7, "changed", "cmc@iom.int")]
