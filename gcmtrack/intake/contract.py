"""The submission workbook contract (contract.yaml) as typed fields, checked on load, with the
lookup tables that say which sheet, label or column a folded name stands for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.languages import LANGS
from gcmtrack.common.text import fold
from gcmtrack.errors import DataError

#: Every field type a contract may use, with the bounds each one requires. The parser of each
#: is in validate.py (`PARSERS`); a type is a kind of rule, so it is code, and its bounds are data.
TYPES: dict[str, tuple[str, ...]] = {
    "state": (),
    "cycle": (),
    "email": (),
    "date": (),
    "version": (),
    "status": ("fuzzy_cutoff",),
    "objective": ("fuzzy_cutoff",),
    "objective_list": ("fuzzy_cutoff",),
    "theme_list": ("fuzzy_cutoff",),
    "principle_list": ("fuzzy_cutoff",),
    "year": ("min", "max"),
    "url": (),
    "text": (),
}
ROLES = ("key", "name")
_OPTIONAL = {"required", "recommended", "aliases", "strip", "role", "width"}


@dataclass(frozen=True)
class Named:
    """A sheet, label or column: the name the template writes in each language, and aliases."""

    key: str
    required: bool
    names: dict[str, str]  # lang -> name the template writes
    aliases: tuple[str, ...]

    def all_names(self) -> list[str]:
        return list(self.names.values()) + list(self.aliases)


@dataclass(frozen=True)
class Field(Named):
    """A label of the Submission sheet or a column of a table, with its type and bounds."""

    type: str = "text"
    fuzzy_cutoff: int | None = None  # matchers: how close a suggestion must be (0-100)
    min: int | None = None  # year
    max: int | None = None  # year
    strip: bool = False  # text: drop surrounding spaces
    role: str | None = None  # columns: "key" or "name" (see contract.yaml)
    recommended: bool = False  # labels: blank is accepted with the missing-recommended warning
    width: float | None = None  # columns: width in the template


@dataclass(frozen=True)
class RowCheck:
    """A consistency check of an Objectives row: status in `statuses` and `columns` all empty."""

    code: str
    statuses: tuple[str, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Contract:
    template_version: str
    known_template_versions: tuple[str, ...]
    header_search_rows: int
    header_near_miss: dict[str, int]  # fuzzy_cutoff, min_ratio
    sheets: dict[str, Named]
    labels: dict[str, Field]
    columns: dict[str, dict[str, Field]]  # table (sheet key) -> column key -> field
    objective_prefixes: tuple[str, ...]  # folded
    objective_title_cutoff: int
    list_conjunctions: tuple[str, ...]
    status_synonyms: dict[str, str]  # folded synonym -> status key
    month_names: dict[str, int]  # folded month name -> month number
    date_serial_years: tuple[int, int]
    row_checks: tuple[RowCheck, ...]
    max_problems: int
    objective_suffixes: tuple[str, ...] = ()  # folded: "第5项目标"
    list_joined_conjunctions: tuple[str, ...] = ()  # "5 و6", "5和6": split before a number or prefix only
    date_year_suffixes: tuple[str, ...] = ()  # folded words that may follow a date's year ("г.", "م")

    @cached_property
    def _tables(self) -> dict:
        """Folded name -> key, and folded template name -> languages, built once."""
        def langs(fields: dict[str, Named]) -> dict[str, set[str]]:
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

    def role(self, table: str, role: str) -> str | None:
        """The key of the column of `table` with `role` ("key" or "name"), or None."""
        return next((k for k, f in self.columns[table].items() if f.role == role), None)

    def of_type(self, table: str, *types: str) -> list[str]:
        """The keys of the columns of `table` whose type is one of `types`, in contract order."""
        return [k for k, f in self.columns[table].items() if f.type in types]


def _lookup(fields: dict[str, Named]) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in fields.values():
        for name in f.all_names():
            table.setdefault(fold(name), f.key)
    return table


# --------------------------------------------------------------------------- loading

FILE = "contract.yaml"


def _names(raw: Any, entry: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise DataError(FILE, entry, f"must give a name in {', '.join(LANGS)}")
    missing = [lang for lang in LANGS if not str(raw.get(lang) or "").strip()]
    if missing:
        raise DataError(FILE, entry, f"has no name for {', '.join(missing)}")
    return {lang: str(raw[lang]) for lang in LANGS}


def _whole(raw: dict, name: str, entry: str, low: int, high: int) -> int:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DataError(FILE, entry, f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def _field(key: str, raw: Any, entry: str, column: bool) -> Field:
    if not isinstance(raw, dict):
        raise DataError(FILE, entry, "must be a mapping")
    kind = raw.get("type")
    if kind not in TYPES:
        raise DataError(FILE, entry, f"type {kind!r} is not one of {', '.join(TYPES)}")
    bounds = TYPES[kind]
    allowed = {"type", *LANGS, *_OPTIONAL, *bounds}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise DataError(FILE, entry, f"{', '.join(map(str, unknown))} is not a setting of a {kind} field")
    missing = [name for name in bounds if name not in raw]
    if missing:
        raise DataError(FILE, entry, f"a {kind} field needs {', '.join(missing)}")
    if "strip" in raw and (kind != "text" or not isinstance(raw["strip"], bool)):
        raise DataError(FILE, entry, "strip is true or false, and only for text")
    role = raw.get("role")
    if role is not None and (not column or role not in ROLES):
        raise DataError(FILE, entry, f"role must be one of {', '.join(ROLES)}, and only for columns")
    width = raw.get("width")
    if column and (not isinstance(width, (int, float)) or isinstance(width, bool) or width <= 0):
        raise DataError(FILE, entry, "a column needs a width (a positive number)")
    if not column and width is not None:
        raise DataError(FILE, entry, "width is only for columns")
    year_min = _whole(raw, "min", entry, 1, 9999) if "min" in bounds else None
    year_max = _whole(raw, "max", entry, 1, 9999) if "max" in bounds else None
    if year_min is not None and year_max is not None and year_min > year_max:
        raise DataError(FILE, entry, f"min {year_min} is above max {year_max}")
    aliases = raw.get("aliases") or ()
    if not isinstance(aliases, (list, tuple)):
        raise DataError(FILE, entry, "aliases must be a list")
    return Field(
        key=key, required=bool(raw.get("required", False)), names=_names(raw, entry),
        aliases=tuple(str(a) for a in aliases), type=kind,
        fuzzy_cutoff=_whole(raw, "fuzzy_cutoff", entry, 0, 100) if "fuzzy_cutoff" in bounds else None,
        min=year_min, max=year_max, strip=bool(raw.get("strip", False)), role=role,
        width=width if column else None, recommended=bool(raw.get("recommended", False)),
    )


def _folded(raw: dict, name: str) -> tuple[str, ...]:
    """An optional list of words, folded as the text they are compared with, without repeats."""
    value = raw.get(name)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DataError(FILE, name, "must be a list")
    return tuple(dict.fromkeys(fold(str(word)) for word in value if fold(str(word))))


def _section(raw: dict, name: str) -> dict:
    value = raw.get(name)
    if not isinstance(value, dict) or not value:
        raise DataError(FILE, name, "must be a non-empty mapping")
    return value


def load_contract(source: Path | Traversable | None = None) -> Contract:
    """Load and check contract.yaml (the bundled one unless `source` is given); raises
    DataError naming the file and the entry at fault."""
    raw = load_yaml(source or package_file("gcmtrack.intake", FILE))
    sheets = {}
    for key, entry in _section(raw, "sheets").items():
        if not isinstance(entry, dict):
            raise DataError(FILE, f"sheets.{key}", "must be a mapping")
        sheets[key] = Named(key, bool(entry.get("required")), _names(entry.get("names"), f"sheets.{key}.names"),
                            tuple(entry.get("aliases") or ()))
    labels = {k: _field(k, v, f"labels.{k}", column=False) for k, v in _section(raw, "labels").items()}
    columns = {}
    for table, fields in _section(raw, "columns").items():
        if table not in sheets:
            raise DataError(FILE, f"columns.{table}", "is not a sheet of the contract")
        if not isinstance(fields, dict) or not fields:
            raise DataError(FILE, f"columns.{table}", "must be a non-empty mapping")
        columns[table] = {k: _field(k, v, f"columns.{table}.{k}", column=True) for k, v in fields.items()}
        for role in ROLES:
            holders = [k for k, f in columns[table].items() if f.role == role]
            if len(holders) > 1:
                raise DataError(FILE, f"columns.{table}", f"role {role} is given to {', '.join(holders)}; one at most")
        if not any(f.required for f in columns[table].values()):
            raise DataError(FILE, f"columns.{table}", "needs a required column to find its header row")
    near_miss = _section(raw, "header_near_miss")
    synonyms: dict[str, str] = {}
    for status, words in _section(raw, "status_synonyms").items():
        if not isinstance(words, list):
            raise DataError(FILE, f"status_synonyms.{status}", "must be a list")
        for word in words:
            folded = fold(str(word))
            if synonyms.get(folded, status) != status:
                raise DataError(FILE, f"status_synonyms.{status}", f"{word!r} is also a synonym of {synonyms[folded]}")
            synonyms[folded] = str(status)
    months: dict[str, int] = {}
    for number, words in _section(raw, "month_names").items():
        if not isinstance(number, int) or not 1 <= number <= 12 or not isinstance(words, list):
            raise DataError(FILE, f"month_names.{number}", "must be a month number 1-12 with a list of names")
        for word in words:
            months[fold(str(word))] = number
    serial = _section(raw, "date_serial_years")
    checks = []
    for index, entry in enumerate(raw.get("row_checks") or ()):
        where = f"row_checks[{index}]"
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("statuses") or not entry.get("columns"):
            raise DataError(FILE, where, "needs a code, statuses and columns")
        unknown = [c for c in entry["columns"] if c not in columns.get("objectives", {})]
        if unknown:
            raise DataError(FILE, where, f"{', '.join(unknown)} is not a column of the Objectives sheet")
        checks.append(RowCheck(str(entry["code"]), tuple(map(str, entry["statuses"])), tuple(map(str, entry["columns"]))))
    version = str(raw.get("template_version") or "")
    known = tuple(str(v) for v in raw.get("known_template_versions") or ())
    if version not in known:
        raise DataError(FILE, "template_version", f"{version!r} is not in known_template_versions")
    return Contract(
        template_version=version,
        known_template_versions=known,
        header_search_rows=_whole(raw, "header_search_rows", "header_search_rows", 1, 1000),
        header_near_miss={name: _whole(near_miss, name, "header_near_miss", 0, 100)
                          for name in ("fuzzy_cutoff", "min_ratio")},
        sheets=sheets,
        labels=labels,
        columns=columns,
        objective_prefixes=_folded(raw, "objective_prefixes"),
        objective_suffixes=_folded(raw, "objective_suffixes"),
        list_joined_conjunctions=_folded(raw, "list_joined_conjunctions"),
        date_year_suffixes=_folded(raw, "date_year_suffixes"),
        objective_title_cutoff=_whole(raw, "objective_title_cutoff", "objective_title_cutoff", 0, 100),
        list_conjunctions=tuple(str(c) for c in raw.get("list_conjunctions") or ()),
        status_synonyms=synonyms,
        month_names=months,
        date_serial_years=(_whole(serial, "min", "date_serial_years", 1900, 9999),
                           _whole(serial, "max", "date_serial_years", 1900, 9999)),
        row_checks=tuple(checks),
        max_problems=_whole(raw, "max_problems", "max_problems", 10, 1_000_000),
    )


@cache
def contract() -> Contract:
    """The bundled contract, loaded once per process."""
    return load_contract()
