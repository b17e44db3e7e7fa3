"""The submission workbook contract (contract.yaml) as lookup tables: which sheet, label or
column a folded name stands for, and the names `template` writes in each language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from gcmtrack.framework import LANGS
from gcmtrack.text import fold


@dataclass(frozen=True)
class Field:
    key: str
    required: bool
    names: dict[str, str]  # lang -> name the template writes
    aliases: tuple[str, ...]

    def all_names(self) -> list[str]:
        return list(self.names.values()) + list(self.aliases)


@dataclass(frozen=True)
class Contract:
    template_version: str
    known_template_versions: tuple[str, ...]
    header_search_rows: int
    sheets: dict[str, Field]
    labels: dict[str, Field]
    columns: dict[str, dict[str, Field]]
    objective_prefixes: tuple[str, ...]
    list_conjunctions: tuple[str, ...]

    def sheet_key(self, name: str) -> str | None:
        """Which contract sheet a sheet name stands for (any language), or None."""
        return _lookup(self.sheets).get(fold(name))

    def sheet_lang(self, name: str) -> set[str]:
        """The languages whose template name for some sheet is `name` (empty if none)."""
        folded = fold(name)
        return {lang for f in self.sheets.values() for lang, n in f.names.items() if fold(n) == folded}

    def label_key(self, text: str) -> str | None:
        return _lookup(self.labels).get(fold(text))

    def column_key(self, sheet: str, text: str) -> str | None:
        return _lookup(self.columns[sheet]).get(fold(text))

    def column_lang(self, sheet: str, text: str) -> set[str]:
        folded = fold(text)
        return {lang for f in self.columns[sheet].values() for lang, n in f.names.items() if fold(n) == folded}


def _lookup(fields: dict[str, Field]) -> dict[str, str]:
    table: dict[str, str] = {}
    for field in fields.values():
        for name in field.all_names():
            table.setdefault(fold(name), field.key)
    return table


def _field(key: str, raw: dict) -> Field:
    names = {lang: str(raw[lang]) for lang in LANGS}
    return Field(key, bool(raw.get("required", False)), names, tuple(str(a) for a in raw.get("aliases") or ()))


@cache
def contract() -> Contract:
    raw = yaml.safe_load(resources.files("gcmtrack.intake").joinpath("contract.yaml").read_text(encoding="utf-8"))
    sheets = {}
    for key, entry in raw["sheets"].items():
        sheets[key] = Field(key, bool(entry.get("required")), {lang: entry["names"][lang] for lang in LANGS},
                            tuple(entry.get("aliases") or ()))
    return Contract(
        template_version=str(raw["template_version"]),
        known_template_versions=tuple(str(v) for v in raw["known_template_versions"]),
        header_search_rows=int(raw["header_search_rows"]),
        sheets=sheets,
        labels={k: _field(k, v) for k, v in raw["labels"].items()},
        columns={sheet: {k: _field(k, v) for k, v in cols.items()} for sheet, cols in raw["columns"].items()},
        objective_prefixes=tuple(raw["objective_prefixes"]),
        list_conjunctions=tuple(raw["list_conjunctions"]),
    )
