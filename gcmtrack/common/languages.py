"""The languages gcmtrack speaks: workbooks, messages, reports and the portal.

Adding a language starts here: LANGS is the one list every loader, check, menu and CLI choice
reads. The language then needs
- its catalogues, gcmtrack/locale/<lang>/LC_MESSAGES/<domain>.po for every domain of
  gcmtrack/common/catalogue.py (copy the English ones and translate every msgstr);
  tests/test_catalogues.py fails until each is complete;
- its words in the reference data, which the loaders require for every language of LANGS:
  objectives/*.yaml, processes/*.yaml, states/un-names.yaml and the sheet names, labels and
  headers of gcmtrack/intake/contract.yaml (and a field in reference.framework.Text);
- for a script the report's fonts do not cover (Arabic, Chinese, Russian), a font, and for
  Arabic a right-to-left layout of the report and the portal.
Numbers and dates need nothing: Babel's CLDR data knows every UN language.
"""

from __future__ import annotations

from gcmtrack.errors import GcmtrackError

LANGS: tuple[str, ...] = ("en", "es", "fr", "ar", "zh", "ru", "pt")
DEFAULT_LANG = "en"
# The languages written right to left: their HTML gets dir="rtl", their PDF a mirrored layout
# and their workbook template opens right to left.
RTL_LANGS: tuple[str, ...] = ("ar",)


class UnknownLanguageError(GcmtrackError, ValueError):
    """A language gcmtrack has no catalogues for."""


def check_lang(lang: str | None) -> str:
    """`lang` itself if gcmtrack speaks it; UnknownLanguageError otherwise (None, "de", "")."""
    if lang not in LANGS:
        raise UnknownLanguageError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def direction(lang: str | None) -> str:
    """"rtl" for a language written right to left (Arabic), "ltr" for every other."""
    return "rtl" if lang in RTL_LANGS else "ltr"


def lang_or_default(lang: str | None) -> str:
    """A known language code, or the default for anything else (None, "de", ""): for a
    language someone asked for in passing (a browser, an account's preference)."""
    lang = (lang or "").strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG
