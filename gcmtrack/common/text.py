"""Text normalisation shared by every matcher: case, accents, spacing and punctuation folded once."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_TRAILING_PUNCT = re.compile(r"[\s:：.]+$")


def fold(value: object) -> str:
    """Fold a label for comparison: lower case, no accents, single spaces, no trailing colon.

    "  Estado de Implementación: " and "estado de implementacion" fold to the same key.
    """
    if type(value) is str and len(value) <= _CACHED_UP_TO:
        return _fold_short(value)
    return _fold(value)


# Labels, statuses and codes are short and come back in every row and every workbook: their
# folds are kept (a bounded cache); a long text is folded each time.
_CACHED_UP_TO = 80


@lru_cache(maxsize=8192)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(value: object) -> str:
    text = "" if value is None else str(value)
    if not text.isascii():  # ASCII text has no accents nor typographic quotes to fold
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace("\u2019", "'").replace("\u2018", "'").replace("œ", "oe").replace("Œ", "oe")
    text = _SPACES.sub(" ", text).strip().casefold()
    return _TRAILING_PUNCT.sub("", text)


def fold_loose(value: object) -> str:
    """Like :func:`fold`, and also drop punctuation: for names ("St. Lucia" ~ "st lucia")."""
    text = fold(value)
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACES.sub(" ", text).strip()


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal or a spreadsheet column: a Chinese character (East
    Asian wide or full-width) takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` display columns (str.ljust counts characters)."""
    return text + " " * max(0, width - display_width(text))
