"""The languages gcmtrack speaks: workbooks, messages, reports and the portal.

Adding a language starts here; every loader checks its data against this list.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "es", "fr")
DEFAULT_LANG = "en"


def check_lang(lang: str | None) -> str:
    """A known language code, or the default for anything else (None, "de", "")."""
    lang = (lang or "").strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG
