"""The review in Arabic reads right to left (issue 21): <html lang="ar" dir="rtl">; in the PDF
the text a viewer extracts (PDFium, tests/pdftext.py) is the catalogue's, in logical order; the
headings, the running header and the page's text are set from the right edge, figures and dates
are written with Latin digits; a left-to-right report is unchanged (its headings at the left).

What PDFium cannot give back in logical order from a right-to-left PDF is said in README.md
("Languages and scripts"): a vowel mark raised above its letter (PDFium puts it on
a line of its own), brackets (drawn mirrored, extracted unmirrored) and a full stop after a
figure at the end of a sentence. The sentences tested here have none of them."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from tests.pdftext import page_texts
from tests.test_report import make_data, previous_data, regional_submissions

from gcmtrack.report.i18n import translations
from gcmtrack.report.render import render_pdf

pytestmark = pytest.mark.slow

MM = 72 / 25.4


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rtl")
    data = previous_data(make_data(regional_submissions(), versions={"MEX": 2}))
    paths = {}
    for lang in ("ar", "en"):
        paths[lang] = folder / f"rcm-2026-{lang}.pdf"
        render_pdf(data, lang, paths[lang], folder / f"rcm-2026-{lang}.html", edition="review")
    return paths


def _lines(path) -> list[str]:
    return [" ".join(line.split()) for page in page_texts(path) for line in page.splitlines()]


def _box(path, page_number: int, text: str):
    """(left, right) in points of the first place `text` is found on the page (PDFium's search)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_number]
        textpage = page.get_textpage()
        searcher = textpage.search(text)
        found = searcher.get_next()
        assert found, (page_number, text)
        start, count = found
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        width = page.get_width()
        return min(b[0] for b in boxes), max(b[2] for b in boxes), width
    finally:
        pdf.close()


def _page_of(path, text: str) -> int:
    for number, page in enumerate(page_texts(path)):
        if text in page:
            return number
    raise AssertionError(text)


def test_the_html_is_marked_right_to_left(rendered):
    html = rendered["ar"].with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<html lang="en" dir="ltr">' in rendered["en"].with_suffix(".html").read_text(encoding="utf-8")


def test_arabic_sentences_are_extracted_in_logical_order(rendered):
    _ = translations("ar").gettext
    lines = _lines(rendered["ar"])
    for message in ("The secretariat has not written this section yet.", "Key messages", "Introduction",
                    "Recommendations and the way forward"):
        expected = _(message)
        assert expected != message and re.search("[\u0600-\u06ff]", expected), message
        assert expected in lines, (message, expected)


def test_the_arabic_pages_are_mirrored(rendered):
    _ = translations("ar").gettext
    heading = _("Key messages")
    path = rendered["ar"]
    number = _page_of(path, heading)
    # the heading is set against the right margin (16 mm), not the left one
    left, right, width = _box(path, number, heading)
    assert abs(right - (width - 16 * MM)) < 3 and left > 60 * MM, (left, right, width)
    # the running header (process and cycle) is at the top right, the section's name at the top left
    header_left, header_right, _w = _box(path, number, "RCM")
    assert header_right > width / 2
    # the English review: the same heading at the left margin
    number = _page_of(rendered["en"], "Key messages")
    left, right, width = _box(rendered["en"], number, "Key messages")
    assert abs(left - 16 * MM) < 3 and right < width / 2


def test_figures_and_dates_use_latin_digits(rendered):
    text = "\n".join(page_texts(rendered["ar"]))
    assert "2026" in text and not re.search("[\u0660-\u0669\u06f0-\u06f9]", text)
    assert "\u0622\u0630\u0627\u0631/\u0645\u0627\u0631\u0633" in text  # آذار/مارس: the UN's Arabic month names


def test_a_states_text_keeps_its_own_direction(rendered):
    """Spanish answers quoted in the Arabic review are set left to right; an Arabic workbook's
    answers in the English review right to left; text in the page's own direction gets no dir."""
    import dataclasses

    from gcmtrack.report import render
    from gcmtrack.report.render import render_html

    arabic = rendered["ar"].with_suffix(".html").read_text(encoding="utf-8")
    assert 'lang="es" dir="ltr"' in arabic
    english = rendered["en"].with_suffix(".html").read_text(encoding="utf-8")
    assert 'lang="es" dir=' not in english and 'lang="es">' in english
    subs = regional_submissions()
    subs["MEX"] = dataclasses.replace(subs["MEX"], lang="ar")
    render._PROFILE_CACHE.clear()  # the tests' workbooks share their digests; a real Arabic one has its own
    html = render_html(make_data(subs), "en", "review")
    assert 'lang="ar" dir="rtl">' in html
