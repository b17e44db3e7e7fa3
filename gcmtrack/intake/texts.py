"""The prose of the workbooks gcmtrack writes (template_text.yaml): the template's instructions
and the annotated copy's Problems sheet, in every language.

Kept apart from template.py, which builds workbooks with openpyxl, so that reading a heading
(validation recognises an annotated copy's Problems sheet by its headings) loads no workbook
library.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.languages import LANGS


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class TemplateText:
    """The prose of template_text.yaml: `text("instructions.title", "es", state=...)`."""

    data: Mapping[str, Any]

    def raw(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"template_text.yaml has no entry {path!r}")
            node = node[part]
        return node

    def text(self, path: str, lang: str, **params: Any) -> str:
        node = self.raw(path)
        if isinstance(node, Mapping):
            node = node.get(lang) or node["en"]
        return str(node).format_map(_Params(params)) if params else str(node)

    def texts(self, path: str, lang: str, **params: Any) -> list[str]:
        """A list entry: either a list of translated items or a translated list."""
        node = self.raw(path)
        if isinstance(node, Mapping):
            node = node.get(lang) or node["en"]
            return [str(item).format_map(_Params(params)) for item in node]
        return [str(item.get(lang) or item["en"]).format_map(_Params(params)) for item in node]


def _check_translations(node: Any, where: str) -> None:
    if isinstance(node, Mapping):
        if set(node) & set(LANGS):
            missing = [lang for lang in LANGS if not node.get(lang)]
            if missing:
                raise ValueError(f"template_text.yaml: {where} has no translation for {missing}")
            return
        for key, value in node.items():
            _check_translations(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_translations(value, f"{where}[{index}]")


@cache
def template_text() -> TemplateText:
    raw = load_yaml(package_file("gcmtrack.intake", "template_text.yaml"))
    _check_translations(raw, "")
    return TemplateText(raw)
