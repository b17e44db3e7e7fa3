"""What Excel and its peers do with the cells we read and write, in one place: the grid's
limits, the characters that make a cell a formula, and the one neutraliser that the export
and the annotated copies use so that text from a submission is never run as a formula."""

from __future__ import annotations

import csv
import unicodedata

_MiB = 1024 * 1024

MAX_FILE_BYTES = 20 * _MiB
"""Largest accepted .xlsx file, as sent (compressed): the reader refuses a larger one and the
portal stops reading an upload past it."""

# Excel's grid: rows 1..1,048,576 and columns A..XFD (16,384).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
# Most characters a cell holds (Excel's documented limit).
EXCEL_MAX_CELL_CHARS = 32_767

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE payload); the
# full-width forms too, as some spreadsheets fold them to their ASCII forms.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEUTRALISER = "'"
# Unicode categories a spreadsheet may skip before it looks for a formula trigger: controls
# (CR, LF, NUL…), format characters (zero-width space, BOM, bidi marks) and separators.
_SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _lead(text: str) -> str:
    """`text` without the whitespace and control characters it starts with."""
    for index, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char) in _SKIPPED_CATEGORIES):
            return text[index:]
    return ""


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could execute `text` typed into a cell, or split it so
    that a formula starts a cell: a trigger first, or after whitespace and control characters
    (a CR, a LF, a zero-width space…), which some readers take as the end of a row."""
    return text.startswith(FORMULA_TRIGGERS) or _lead(text).startswith(FORMULA_TRIGGERS)


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet could execute (or that already starts with the prefix)
    with an apostrophe, so it is shown as text. :func:`restore` undoes it exactly."""
    if isinstance(value, str) and (value.startswith(NEUTRALISER) or is_formula_like(value)):
        return NEUTRALISER + value
    return value


def csv_writer(handle, *, quote_all: bool = True):
    """The one CSV writer of gcmtrack: RFC 4180 line ends (CRLF), and every field quoted (or, with
    `quote_all=False` for tables of codes and numbers, every field holding a CR, a LF, a comma
    or a quote), so that a CR or a LF inside a text never ends a row in any reader. Write text
    cells through :func:`neutralise`."""
    return csv.writer(handle, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n")


def restore(value: object) -> object:
    """The inverse of :func:`neutralise`."""
    if isinstance(value, str) and value.startswith(NEUTRALISER):
        return value[1:]
    return value
