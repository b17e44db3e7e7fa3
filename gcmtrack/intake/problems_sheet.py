"""The Problems sheet of an annotated copy: its columns and how to recognise it.

Both the annotator (which writes the sheet, and drops an earlier one) and validation (which
ignores it in a copy sent back) need this; neither imports the other for it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gcmtrack.common.languages import LANGS
from gcmtrack.common.text import fold
from gcmtrack.intake.contract import contract
from gcmtrack.intake.texts import template_text

#: Columns of the Problems sheet, in order (their headings are in the template catalogue).
COLUMNS = ("severity", "code", "sheet", "cell", "message", "hint", "value")


@cache
def _headings() -> tuple[frozenset[str], ...]:
    tt = template_text()
    return tuple(frozenset(fold(tt.text(f"problems.columns.{key}", lang)) for lang in LANGS) for key in COLUMNS)


def is_problems_sheet(name: str, header: list[Any]) -> bool:
    """True for the Problems sheet of an annotated copy: named as `problems` in contract.yaml
    (any language, "Problems (2)" too) with the column headings of COLUMNS in its row 2."""
    base = re.sub(r"\s*\(\d+\)$", "", str(name))
    if contract().sheet_key(base) != "problems":
        return False
    headings = _headings()
    return len(header) >= 2 and all(fold(header[i]) in headings[i] for i in range(2))
