"""The languages gcmtrack speaks: workbooks, messages, reports and the portal.

Adding a language starts here: LANGS is the one list every loader, check and menu reads. The
language then needs its catalogues (gcmtrack/locale/<lang>/LC_MESSAGES/*.po, see
gcmtrack/common/catalogue.py), which tests/test_catalogues.py checks are complete.
"""

from __future__ import annotations

from gcmtrack.errors import GcmtrackError

LANGS: tuple[str, ...] = ("en", "es", "fr")
DEFAULT_LANG = "en"


class UnknownLanguageError(GcmtrackError, ValueError):
    """A language gcmtrack has no catalogues for."""


def check_lang(lang: str | None) -> str:
    """`lang` itself if gcmtrack speaks it; UnknownLanguageError otherwise (None, "de", "")."""
    if lang not in LANGS:
        raise UnknownLanguageError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def lang_or_default(lang: str | None) -> str:
    """A known language code, or the default for anything else (None, "de", ""): for a
    language someone asked for in passing (a browser, an account's preference)."""
    lang = (lang or "").strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG
