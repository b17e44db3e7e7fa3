"""Every script renders: a report whose submissions hold Chinese, Arabic, Russian, Hindi and
Greek text prints each of them (the PDF's text, as a viewer extracts it, holds the strings) with
a real glyph of an embedded font (never the empty box of a missing one)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.pdftext import pdf_text
from tests.test_report import make_data, regional_submissions

from gcmtrack.report.render import render_pdf
from gcmtrack.submission import ObjectiveRow

pytestmark = pytest.mark.slow

# One objective row per script, in states that submit in the report's sample (a partner's name,
# a measure, a practice's title).
SCRIPTS = {
    "Chinese": ("CAN", 1, "巴拿马移民局与中国红十字会合作"),
    "Arabic": ("CRI", 2, "الهجرة المنظمة والنظامية في المنطقة"),
    "Russian": ("DOM", 3, "Безопасная, упорядоченная и легальная миграция"),
    "Hindi": ("SLV", 4, "सुरक्षित, व्यवस्थित और नियमित प्रवासन"),
    "Greek": ("GTM", 5, "Ασφαλής, εύρυθμη και νόμιμη μετανάστευση"),
}


def _with_scripts(leave_out=()):
    subs = regional_submissions()
    for script, (code, number, text) in SCRIPTS.items():
        if script in leave_out:
            continue
        sub = subs[code]
        rows = dict(sub.objectives)
        rows[number] = ObjectiveRow(number, "implemented", measures=text, row=number + 1)
        subs[code] = dataclasses.replace(sub, objectives=rows)
    return subs


def _cmap_chars(data: bytes) -> set[str]:
    """The characters a ToUnicode CMap maps from glyphs other than .notdef (glyph 0)."""
    text = data.decode("latin-1")
    chars: set[str] = set()

    def uni(hexes: str) -> str:
        raw = bytes.fromhex(hexes)
        return raw.decode("utf-16-be", errors="ignore")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            if int(src, 16) != 0:
                chars.update(uni(dst))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                if cid != 0:
                    chars.add(chr(start + offset))
    return chars


def _embedded_fonts(reader: PdfReader) -> dict[str, set[str]]:
    """BaseFont name -> the characters its embedded subset draws with a real glyph."""
    fonts: dict[str, set[str]] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert embedded, f"font {name} is not embedded"
            chars = fonts.setdefault(name, set())
            if "/ToUnicode" in font:
                chars |= _cmap_chars(font["/ToUnicode"].get_object().get_data())
    return fonts


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    pdf = folder / "rcm-2026-en.pdf"
    render_pdf(make_data(_with_scripts()), "en", pdf)
    return pdf


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_each_script_is_in_the_pdfs_text(rendered, script):
    text = re.sub(r"\s+", " ", pdf_text(rendered))
    words = SCRIPTS[script][2]
    if script == "Arabic":
        # A viewer gives the words of a right-to-left run in the order they are drawn (each word
        # itself in reading order); the test text has no lam-alef, a ligature PDFium splits.
        for word in words.split():
            assert word in text, (script, word)
    elif script == "Hindi":
        # WeasyPrint maps a cluster's text to its first glyph only: the other glyphs of a cluster
        # (Devanagari's pre-base vowel sign i) get an empty entry, which a viewer shows as a
        # stray character. Read without those, the text is there, in order.
        alphabet = set(words)
        assert words in "".join(c for c in text if c in alphabet), script
    else:
        assert words in text, script


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_each_script_is_drawn_with_a_real_glyph_of_an_embedded_font(rendered, script):
    fonts = _embedded_fonts(PdfReader(rendered))
    drawn = set().union(*fonts.values())
    letters = {c for c in SCRIPTS[script][2] if c.isalpha()}
    missing = letters - drawn
    assert not missing, (script, sorted(missing), sorted(fonts))


def test_the_stylesheet_names_a_font_for_every_script():
    from gcmtrack.report.render import templates_dir

    for sheet in ("report.css", "report-screen.css"):
        css = (templates_dir() / sheet).read_text()
        for family in ("DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Devanagari", "Noto Sans CJK SC"):
            assert f'"{family}"' in css, (sheet, family)
        # the report's own language sets its face: Arabic in Naskh, Chinese in Noto Sans CJK
        assert 'html:lang(ar) {\n  font-family: "Noto Naskh Arabic"' in css, sheet
        assert 'html:lang(zh) {\n  font-family: "Noto Sans CJK SC"' in css, sheet
    portal = (Path(__file__).resolve().parents[1] / "gcmtrack" / "portal" / "static" / "portal" / "portal.css").read_text()
    assert 'html:lang(ar) { font-family: "Noto Naskh Arabic"' in portal
    assert 'html:lang(zh) { font-family: "Noto Sans CJK SC"' in portal


def test_the_setup_installs_the_noto_fonts():
    setup = (Path(__file__).resolve().parents[1] / "scripts" / "setup-system.sh").read_text()
    assert "fonts-noto-core" in setup and "fonts-noto-cjk" in setup


# The report in each language whose script is not Latin, or whose letters DejaVu's Latin lacks
# (issue 21): every letter the PDF holds is drawn with a real glyph, and the language's own
# face (named by the stylesheets for its :lang()) is the one embedded.
OWN_FACE = {"ar": "Noto-Naskh-Arabic", "zh": "Noto-Sans-CJK"}


@pytest.fixture(scope="module")
def in_each_language(tmp_path_factory):
    from gcmtrack.common.languages import LANGS

    folder = tmp_path_factory.mktemp("languages")
    # without Devanagari, whose clusters' second glyphs a viewer reads as stray letters (above)
    data = make_data(_with_scripts(leave_out=("Hindi",)))
    paths = {}
    for lang in LANGS:
        if lang != "en":
            paths[lang] = folder / f"rcm-2026-{lang}.pdf"
            render_pdf(data, lang, paths[lang], edition="review")
    return paths


def _report_langs():
    from gcmtrack.common.languages import LANGS

    return [lang for lang in LANGS if lang != "en"]


@pytest.mark.parametrize("lang", _report_langs())
def test_every_letter_of_the_report_in_each_language_has_a_real_glyph(in_each_language, lang):
    reader = PdfReader(in_each_language[lang])
    fonts = _embedded_fonts(reader)
    drawn = set().union(*fonts.values())
    letters = {c for c in pdf_text(in_each_language[lang]) if c.isalpha()}
    assert not letters - drawn, (lang, sorted(letters - drawn)[:20], sorted(fonts))
    if lang in OWN_FACE:
        assert any(OWN_FACE[lang] in name for name in fonts), (lang, sorted(fonts))


def test_the_fonts_the_stylesheets_name_are_installed():
    """scripts/setup-system.sh installed every family the stylesheets name (fontconfig knows them)."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig is not installed")
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    for family in ("DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans CJK SC",
                   "Noto Sans Devanagari"):
        assert family in families, family
