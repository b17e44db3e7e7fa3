"""A1 cell references: to and from (row, column), as Excel shows them."""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, XFD -> 16384."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """"B7" -> (7, 2). Raises ValueError on anything else."""
    match = _A1.match(ref.strip())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), column_index(match.group(1))


def cell_sort_key(ref: str | None) -> tuple[int, int]:
    if not ref:
        return (0, 0)
    try:
        return parse_a1(ref)
    except ValueError:
        return (0, 0)
