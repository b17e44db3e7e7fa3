"""What Excel and its peers do with the cells we read and write, in one place: the grid's
limits, the characters that make a cell a formula, and the one neutraliser that the export
and the annotated copies use so that text from a submission is never run as a formula."""

from __future__ import annotations

_MiB = 1024 * 1024

MAX_FILE_BYTES = 20 * _MiB
"""Largest accepted .xlsx file, as sent (compressed): the reader refuses a larger one and the
portal stops reading an upload past it."""

# Excel's grid: rows 1..1,048,576 and columns A..XFD (16,384).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
# Most characters a cell holds (Excel's documented limit).
EXCEL_MAX_CELL_CHARS = 32_767

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE payload).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could execute `text` typed into a cell."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet could execute (or that already starts with the prefix)
    with an apostrophe, so it is shown as text. :func:`restore` undoes it exactly."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS + (NEUTRALISER,)):
        return NEUTRALISER + value
    return value


def restore(value: object) -> object:
    """The inverse of :func:`neutralise`."""
    if isinstance(value, str) and value.startswith(NEUTRALISER):
        return value[1:]
    return value
