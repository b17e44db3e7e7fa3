"""The prose of the workbooks gcmtrack writes (the `template` gettext catalogue): the
template's instructions and the annotated copy's Problems sheet, in every language.

Kept apart from template.py, which builds workbooks with openpyxl, so that reading a heading
(validation recognises an annotated copy's Problems sheet by its headings) loads no workbook
library.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from gcmtrack.common.catalogue import catalogue


@dataclass(frozen=True)
class TemplateText:
    """The prose of the workbooks (the template catalogue): `text("instructions.title", "es", state=...)`.
    A list is kept as numbered keys: "instructions.steps.0", "instructions.steps.1", ..."""

    def text(self, path: str, lang: str, **params: Any) -> str:
        return catalogue("template", lang).text(path, params)

    def texts(self, path: str, lang: str, **params: Any) -> list[str]:
        """A list entry: the texts of "path.0", "path.1", ... in order."""
        entries = catalogue("template", lang)
        items = []
        while f"{path}.{len(items)}" in entries:
            items.append(entries.text(f"{path}.{len(items)}", params))
        if not items:
            raise KeyError(f"the template catalogue ({lang}) has no list {path!r}")
        return items


@cache
def template_text() -> TemplateText:
    return TemplateText()
