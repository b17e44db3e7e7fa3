"""The review's HTML in a real browser: Playwright drives Debian's Chromium on the HTML of a
report rendered from the tests' data, in every language. axe-core with the WCAG 2.2 AA tags
finds no violation at all (whatever its impact), at 1280 px and at 320 px; at 320 px the page
reflows without horizontal scrolling (wide tables scroll inside their own region); the page has
its landmarks, headings in order, a caption for every table, and a text for the heatmap's dash.

Set GCMTRACK_SCREENSHOTS=DIR to keep screenshots at 1280 and 320 px in each language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_report import make_data, previous_data, regional_submissions

from gcmtrack.common.languages import LANGS, direction
from gcmtrack.report.render import render_html

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/lib/chromium/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("GCMTRACK_TEST_POSTGRES") == "require":  # `make test`: the browser is required too
            pytest.fail("Chromium is not installed (make test installs it)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The HTML of the tests' RCM report (with the trends chapter) in every language."""
    folder = tmp_path_factory.mktemp("html")
    data = previous_data(make_data(regional_submissions(), versions={"MEX": 2}))
    paths = {}
    for lang in LANGS:
        path = folder / f"rcm-2026-{lang}.html"
        path.write_text(render_html(data, lang), encoding="utf-8")
        paths[lang] = path
    return paths


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> dict[str, Path]:
    """The HTML of the tests' RCM review edition (the public one) in every language."""
    folder = tmp_path_factory.mktemp("review-html")
    data = previous_data(make_data(regional_submissions(), versions={"MEX": 2}))
    paths = {}
    for lang in LANGS:
        path = folder / f"rcm-2026-{lang}.html"
        path.write_text(render_html(data, lang, "review"), encoding="utf-8")
        paths[lang] = path
    return paths


def _text_hugs_the_end(page, selector: str) -> bool:
    """Whether the text of `selector` is set against the end of its line (the right edge in a
    right-to-left page): its text ends at the box's right edge and starts well inside it."""
    text, box = page.evaluate("""sel => { const el = document.querySelector(sel); const r = document.createRange();
        r.selectNodeContents(el); const t = r.getBoundingClientRect(), b = el.getBoundingClientRect();
        return [[t.left, t.right], [b.left, b.right]]; }""", selector)
    return abs(text[1] - box[1]) < 4 and text[0] > box[0] + 20


def _axe(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("edition", ["staff", "review"])
def test_axe_finds_nothing_and_the_page_reflows(browser, reports, reviews, lang, width, edition):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto((reports if edition == "staff" else reviews)[lang].as_uri())
        assert page.get_attribute("html", "lang") == lang
        assert page.get_attribute("html", "dir") == direction(lang)
        assert _axe(page) == []
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        # right to left: the headings are set from the right edge (the stylesheets' sides are logical)
        assert _text_hugs_the_end(page, "main h1") == (direction(lang) == "rtl")
        shots = os.environ.get("GCMTRACK_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{edition}-{lang}-{width}.png"), full_page=True)
    finally:
        page.close()


def test_structure_landmarks_headings_captions(browser, reports):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(reports["en"].as_uri())
        assert page.locator("meta[name=viewport]").count() == 1
        assert page.locator("body > main").count() == 1
        assert page.locator("body > header").count() == 1
        nav = page.locator("body > nav")
        assert nav.count() == 1 and nav.get_attribute("aria-label") and nav.locator("a").count() > 10
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels[0] == 1
        skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert skips == []
        tables = page.evaluate("[...document.querySelectorAll('table')].map(t => t.caption ? t.caption.textContent.trim() : '')")
        assert len(tables) > 20 and all(tables), tables
        # the heatmap's dash is read as "not applicable"; the wide tables scroll in a labelled, focusable region
        dashes = page.evaluate("""[...document.querySelectorAll('table.heatmap td.heat-none')].map(
            td => [td.querySelector('[aria-hidden=true]')?.textContent, td.querySelector('.sr-only')?.textContent])""")
        assert dashes and all(d == ["–", "not applicable"] for d in dashes), dashes
        regions = page.evaluate("""[...document.querySelectorAll('.scroll')].map(
            r => [r.getAttribute('role'), r.tabIndex, document.getElementById(r.getAttribute('aria-labelledby'))?.textContent.length > 0])""")
        assert len(regions) > 20 and all(r == ["region", 0, True] for r in regions), regions
        assert page.locator(".scroll > table.heatmap").count() == 2
        # links in text are underlined, and every in-page link is at least 24 px high
        assert page.evaluate("getComputedStyle(document.querySelector('main a')).textDecorationLine") == "underline"
        low = page.evaluate("[...document.querySelectorAll('a[href^=\"#\"]')].filter(a => a.getBoundingClientRect().height < 24).length")
        assert low == 0
        # the summary's bars are in the rows of the statuses they draw
        rows = page.locator("table.status-table tbody tr")
        assert rows.count() == 6 and all(rows.nth(i).locator(".bar").count() == 1 for i in range(6))
    finally:
        page.close()


def test_the_pdf_does_not_read_the_screen_stylesheet(reports):
    """WeasyPrint lays out with the print stylesheet only: the screen one's rules are skipped."""
    html = reports["en"].read_text()
    assert '<style media="print">' in html and '<style media="screen">' in html
