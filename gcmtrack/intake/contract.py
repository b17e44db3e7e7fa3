"""The submission workbook contract (contract.yaml) as lookup tables: which sheet, label or
column a folded name stands for, and the names `template` writes in each language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.languages import LANGS
from gcmtrack.common.text import fold


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

    @cached_property
    def _tables(self) -> dict:
        """Folded name -> key, and folded template name -> languages, built once."""
        def langs(fields: dict[str, Field]) -> dict[str, set[str]]:
            table: dict[str, set[str]] = {}
            for f in fields.values():
                for lang, name in f.names.items():
                    table.setdefault(fold(name), set()).add(lang)
            return table

        return {
            "sheets": _lookup(self.sheets), "sheet_langs": langs(self.sheets),
            "labels": _lookup(self.labels), "label_langs": langs(self.labels),
            "columns": {k: _lookup(v) for k, v in self.columns.items()},
            "column_langs": {k: langs(v) for k, v in self.columns.items()},
        }

    def sheet_key(self, name: str) -> str | None:
        """Which contract sheet a sheet name stands for (any language), or None."""
        return self._tables["sheets"].get(fold(name))

    def sheet_lang(self, name: str) -> set[str]:
        """The languages whose template name for some sheet is `name` (empty if none)."""
        return self._tables["sheet_langs"].get(fold(name), set())

    def label_key(self, text: str) -> str | None:
        return self._tables["labels"].get(fold(text))

    def label_lang(self, text: str) -> set[str]:
        return self._tables["label_langs"].get(fold(text), set())

    def column_key(self, sheet: str, text: str) -> str | None:
        return self._tables["columns"][sheet].get(fold(text))

    def column_lang(self, sheet: str, text: str) -> set[str]:
        return self._tables["column_langs"][sheet].get(fold(text), set())


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
    raw = load_yaml(package_file("gcmtrack.intake", "contract.yaml"))
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
