"""No near-empty page: a chapter never leaves a few lines (a paragraph's tail, three rows of a
table, a footnote) on a page of their own. Rendered from the tests' data with the trends
chapter, in every language (French and Spanish run longer than English)."""

from __future__ import annotations

import pytest

from tests.pdftext import page_texts
from tests.test_report import make_data, previous_data, regional_submissions

from gcmtrack.common.languages import LANGS
from gcmtrack.report.render import render_pdf

pytestmark = pytest.mark.slow

MIN_LINES = 10  # lines of text on a page, its running header and page number included


# A round-table chapter's last rows and a long methodology annex used to spill onto a page of
# their own (English and French); the stylesheet now keeps a table's last states and the
# annex's last part together (report.css, "widows for a table", "keep-together").
# The review edition before the secretariat has written anything: each unwritten chapter is one
# line, which used to take a page of its own.
@pytest.mark.parametrize("edition", ["staff", "review"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_near_empty_page(lang, edition, tmp_path):
    data = previous_data(make_data(regional_submissions(), versions={"MEX": 2}))
    pdf = tmp_path / f"rcm-2026-{lang}.pdf"
    render_pdf(data, lang, pdf, edition=edition)
    sparse = []
    for number, text in enumerate(page_texts(pdf), start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        if number > 1 and len(lines) < MIN_LINES:
            sparse.append((number, lines))
    assert sparse == []


def test_unwritten_chapter_does_not_name_the_page(tmp_path):
    """A page shared by an unwritten chapter (one line) and the chapter after it is that next
    chapter's page: the running header names it, not the unwritten one above it."""
    data = previous_data(make_data(regional_submissions(), versions={"MEX": 2}))
    pdf = tmp_path / "rcm-2026-en.pdf"
    render_pdf(data, "en", pdf, edition="review")
    shared = [text for text in page_texts(pdf) if text.startswith("Key messages\n")]
    assert len(shared) == 1
    lines = shared[0].splitlines()
    assert "Introduction" in lines  # the next chapter starts on the same page
    header = next(line for line in lines if line.startswith("RCM · Regional review"))
    assert header.endswith(" Introduction")
