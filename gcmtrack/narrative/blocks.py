"""What the two readers give the passage cutter: blocks in reading order, each a paragraph, a
heading, a list item or a table row, with its place."""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH = "paragraph"
HEADING = "heading"
LIST_ITEM = "list-item"
TABLE_ROW = "table-row"


@dataclass
class Block:
    kind: str
    text: str
    page: int | None
    paragraph: int
    level: int = 0  # a heading's level: 0 (title) .. 8; smaller is higher


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """A block's text: control characters dropped, runs of spaces made one, ends trimmed."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


_BULLET = re.compile(r"^\s*(?:[•●○◦▪■□►▶✓✔\-–—*·]|\(?[a-zA-Z0-9ivx]{1,4}[.)])\s+")


def looks_like_list_item(text: str) -> bool:
    """A paragraph that starts like a bullet or a numbered item: "• …", "- …", "a) …", "1. …"."""
    return bool(_BULLET.match(text))
