"""The GCM framework as typed objects, loaded once from objectives/*.yaml and checked on load.

Objectives with their actions, guiding principles, IMRF editions with their round tables,
the theme vocabulary and the status vocabulary with its scoring weights and meanings. Code
implements kinds of rules; every instance lives in the data files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Mapping

from gcmtrack.errors import DataError, UnknownEditionError
from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.common.languages import LANGS

OBJECTIVE_NUMBERS: tuple[int, ...] = tuple(range(1, 24))


@dataclass(frozen=True)
class Text:
    """One string in each language of LANGS, in that order."""

    en: str
    es: str
    fr: str
    ar: str
    zh: str
    ru: str
    pt: str

    def __call__(self, lang: str) -> str:
        return getattr(self, lang if lang in LANGS else "en")

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, lang) for lang in LANGS)


@dataclass(frozen=True)
class Action:
    letter: str
    label: str


@dataclass(frozen=True)
class Objective:
    number: int
    title: Text
    label: Text
    actions: tuple[Action, ...]
    unverified: frozenset[str] = frozenset()

    def is_verified(self, field_name: str) -> bool:
        """`field_name` like "title.es"; False when the data marks it unverified."""
        return field_name not in self.unverified


@dataclass(frozen=True)
class Principle:
    letter: str
    name: Text


@dataclass(frozen=True)
class RoundTable:
    number: int
    objectives: tuple[int, ...]


@dataclass(frozen=True)
class Forum:
    """The International Migration Review Forum's own name and acronym in each language."""

    name: Text
    acronym: Text
    unverified: frozenset[str] = frozenset()

    def has_acronym(self, lang: str) -> bool:
        """Whether the forum has an acronym of its own in `lang` (Arabic, Chinese and Portuguese
        texts write the name in full, and editions.yaml gives the name as the "acronym")."""
        return self.acronym(lang) != self.name(lang)

    def full_name(self, lang: str) -> str:
        """"International Migration Review Forum (IMRF)"; the name alone where it has no acronym."""
        name = self.name(lang)
        return f"{name} ({self.acronym(lang)})" if self.has_acronym(lang) else name


# the forum's default names; objectives/editions.yaml gives them (with their sources) and wins
_IMRF_NAME = ("International Migration Review Forum", "Foro de Examen de la Migración Internacional",
              "Forum d'examen des migrations internationales", "منتدى استعراض الهجرة الدولية",
              "国际移民问题审查论坛", "Международный форум по обзору миграции",
              "Fórum Internacional de Revisão da Migração")
_IMRF = Forum(Text(*_IMRF_NAME), Text("IMRF", "FEMI", "FEMI", _IMRF_NAME[3], _IMRF_NAME[4], "МФОМ", _IMRF_NAME[6]))


@dataclass(frozen=True)
class Edition:
    year: int
    name: str  # "IMRF 2026": the edition's id in JSON; people read title(lang)
    dates: str
    status: str  # confirmed | provisional | planned
    note: str
    round_tables: tuple[RoundTable, ...]
    opens: dt.date | None = None  # first and last day of the forum, where a source gives them
    closes: dt.date | None = None
    hearing: dt.date | None = None  # the informal multi-stakeholder hearing before the forum
    forum: Forum = _IMRF

    def title(self, lang: str) -> str:
        """The edition as each language names it: "IMRF 2026", "FEMI 2026"."""
        return f"{self.forum.acronym(lang)} {self.year}"

    @property
    def provisional(self) -> bool:
        return self.status != "confirmed"

    def round_table_of(self, objective: int) -> int:
        for table in self.round_tables:
            if objective in table.objectives:
                return table.number
        raise KeyError(objective)


@dataclass(frozen=True)
class Theme:
    key: str
    name: Text
    objectives: tuple[int, ...]


@dataclass(frozen=True)
class Status:
    key: str
    weight: float | None  # None: excluded from scoring (not applicable)
    name: Text
    meaning: Text | None = None  # what the status says (template instructions); always loaded


@dataclass(frozen=True)
class Framework:
    objectives: Mapping[int, Objective]
    principles: tuple[Principle, ...]
    editions: Mapping[int, Edition]
    themes: tuple[Theme, ...]
    statuses: tuple[Status, ...]
    scoring_method: str
    theme_note: str
    sources: Mapping[str, str] = field(default_factory=dict)

    def previous_edition(self, cycle: int) -> Edition | None:
        """The edition before the one a cycle feeds (2022 before 2026), or None."""
        earlier = [year for year in self.editions if year < int(cycle)]
        return self.editions[max(earlier)] if earlier else None

    def edition(self, cycle: int) -> Edition:
        """The IMRF edition that a review cycle feeds (the cycle is the IMRF year)."""
        try:
            return self.editions[int(cycle)]
        except (KeyError, ValueError, TypeError):
            known = ", ".join(str(y) for y in sorted(self.editions))
            raise UnknownEditionError(f"no IMRF edition {cycle!r}; known editions: {known}") from None

    def status(self, key: str) -> Status:
        for status in self.statuses:
            if status.key == key:
                return status
        raise KeyError(key)

    @property
    def weights(self) -> dict[str, float | None]:
        return {s.key: s.weight for s in self.statuses}

    def to_json(self, lang: str, edition: int | None = None) -> dict:
        """The objectives in `lang` (with an edition's round tables when one is given), as
        `gcmtrack objectives --json` prints them."""
        data: dict = {"objectives": [
            {"number": o.number, "title": o.title(lang), "label": o.label(lang),
             "actions": [{"letter": a.letter, "label": a.label} for a in o.actions],
             "unverified": sorted(o.unverified)} for o in self.objectives.values()]}
        if edition is not None:
            ed = self.edition(edition)
            data["edition"] = {"year": ed.year, "name": ed.name, "status": ed.status,
                               "round_tables": [{"number": t.number, "objectives": list(t.objectives)}
                                                for t in ed.round_tables]}
        return data


# --------------------------------------------------------------------------- loading


def _text(value: object, file: str, entry: str, what: str) -> Text:
    if not isinstance(value, dict):
        raise DataError(file, entry, f"{what} must give {', '.join(LANGS)}")
    missing = [lang for lang in LANGS if not str(value.get(lang) or "").strip()]
    if missing:
        raise DataError(file, entry, f"{what} has no translation for {', '.join(missing)}")
    return Text(*(str(value[lang]).strip() for lang in LANGS))


def _objective_list(value: object, file: str, entry: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise DataError(file, entry, "must name at least one objective")
    numbers = []
    for item in value:
        if not isinstance(item, int) or isinstance(item, bool) or item not in OBJECTIVE_NUMBERS:
            raise DataError(file, entry, f"objective {item!r} does not exist (objectives are 1-23)")
        numbers.append(item)
    return tuple(numbers)


def _load_objectives(folder: Path) -> dict[int, Objective]:
    file = "objectives.yaml"
    data = load_yaml(folder / file)
    objectives: dict[int, Objective] = {}
    for raw in data.get("objectives") or []:
        number = raw.get("number")
        entry = f"objective {number}"
        if number not in OBJECTIVE_NUMBERS:
            raise DataError(file, entry, "number must be 1-23")
        if number in objectives:
            raise DataError(file, entry, "defined twice")
        actions = []
        for action in raw.get("actions") or []:
            letter = str(action.get("letter", "")).strip()
            label = str(action.get("label", "")).strip()
            if len(letter) != 1 or not letter.isalpha() or not label:
                raise DataError(file, f"{entry}, action {letter or '?'}", "needs a letter and a label")
            actions.append(Action(letter, label))
        letters = [a.letter for a in actions]
        if letters != [chr(ord("a") + i) for i in range(len(letters))]:
            raise DataError(file, entry, f"action letters must run a, b, c, … without gaps: {letters}")
        objectives[number] = Objective(
            number=number,
            title=_text(raw.get("title"), file, entry, "title"),
            label=_text(raw.get("label"), file, entry, "label"),
            actions=tuple(actions),
            unverified=frozenset(raw.get("unverified") or ()),
        )
    missing = [n for n in OBJECTIVE_NUMBERS if n not in objectives]
    if missing:
        raise DataError(file, "objectives", f"objectives missing: {missing}")
    return dict(sorted(objectives.items()))


def _load_principles(folder: Path) -> tuple[Principle, ...]:
    file = "principles.yaml"
    data = load_yaml(folder / file)
    principles = []
    for raw in data.get("principles") or []:
        letter = str(raw.get("letter", "")).strip()
        principles.append(Principle(letter, _text(raw.get("name"), file, f"principle {letter}", "name")))
    letters = [p.letter for p in principles]
    if letters != list("abcdefghij"):
        raise DataError(file, "principles", f"expected the 10 principles a-j in order, found {letters}")
    return tuple(principles)


def _load_editions(folder: Path) -> dict[int, Edition]:
    file = "editions.yaml"
    data = load_yaml(folder / file)
    raw_forum = data.get("forum")
    forum = _IMRF if raw_forum is None else Forum(
        _text(raw_forum.get("name"), file, "forum", "name"), _text(raw_forum.get("acronym"), file, "forum", "acronym"),
        frozenset(raw_forum.get("unverified") or ()))
    editions: dict[int, Edition] = {}
    for raw in data.get("editions") or []:
        year = raw.get("year")
        entry = f"edition {year}"
        if not isinstance(year, int):
            raise DataError(file, entry, "year must be a whole number")
        status = raw.get("status")
        if status not in ("confirmed", "provisional", "planned"):
            raise DataError(file, entry, "status must be confirmed, provisional or planned")
        tables = []
        seen: dict[int, int] = {}
        for table in raw.get("round_tables") or []:
            number = table.get("number")
            table_entry = f"{entry}, round table {number}"
            objectives = _objective_list(table.get("objectives"), file, table_entry)
            for objective in objectives:
                if objective in seen:
                    raise DataError(
                        file, table_entry,
                        f"objective {objective} is already in round table {seen[objective]}",
                    )
                seen[objective] = number
            tables.append(RoundTable(number, objectives))
        missing = [n for n in OBJECTIVE_NUMBERS if n not in seen]
        if missing:
            raise DataError(file, entry, f"round tables miss objectives {missing}")
        days = {}
        for key in ("opens", "closes", "hearing"):
            value = raw.get(key)
            if value is not None and not isinstance(value, dt.date):
                raise DataError(file, f"{entry} {key}", f"{value!r} is not a date (YYYY-MM-DD)")
            days[key] = value
        if days["opens"] and days["closes"] and days["closes"] < days["opens"]:
            raise DataError(file, entry, "closes before it opens")
        editions[year] = Edition(
            **days,
            year=year,
            name=str(raw.get("name") or f"IMRF {year}"),
            dates=str(raw.get("dates") or ""),
            status=status,
            note=str(raw.get("note") or ""),
            round_tables=tuple(tables),
            forum=forum,
        )
    if not editions:
        raise DataError(file, "editions", "no edition defined")
    return dict(sorted(editions.items()))


def _keyed_entries(data: dict, name: str, kind: str, file: str):
    """(key, entry, raw) for each mapping of the list `name`, `entry` naming it in errors; a
    missing or repeated key is a DataError."""
    keys = set()
    for raw in data.get(name) or []:
        key = str(raw.get("key", "")).strip()
        entry = f"{kind} {key or '?'}"
        if not key or key in keys:
            raise DataError(file, entry, "needs a unique key")
        keys.add(key)
        yield key, entry, raw


def _load_themes(folder: Path) -> tuple[tuple[Theme, ...], str]:
    file = "themes.yaml"
    data = load_yaml(folder / file)
    themes = []
    for key, entry, raw in _keyed_entries(data, "themes", "theme", file):
        themes.append(Theme(key, _text(raw.get("name"), file, entry, "name"),
                            _objective_list(raw.get("objectives"), file, entry)))
    return tuple(themes), str(data.get("note") or "")


def _load_statuses(folder: Path) -> tuple[tuple[Status, ...], str]:
    file = "statuses.yaml"
    data = load_yaml(folder / file)
    statuses = []
    for key, entry, raw in _keyed_entries(data, "statuses", "status", file):
        weight = raw.get("weight")
        if weight is not None and (not isinstance(weight, (int, float)) or not 0 <= weight <= 1):
            raise DataError(file, entry, "weight must be a number from 0 to 1, or null (excluded)")
        statuses.append(Status(key, None if weight is None else float(weight),
                               _text(raw.get("name"), file, entry, "name"),
                               _text(raw.get("meaning"), file, entry, "meaning")))
    if not statuses:
        raise DataError(file, "statuses", "no status defined")
    return tuple(statuses), str(data.get("method") or "v1")


def load_framework(folder: Path | None = None) -> Framework:
    """Load and check every file of objectives/; raises DataError naming the file and entry."""
    folder = folder or data_dir("objectives")
    themes, theme_note = _load_themes(folder)
    statuses, method = _load_statuses(folder)
    return Framework(
        objectives=_load_objectives(folder),
        principles=_load_principles(folder),
        editions=_load_editions(folder),
        themes=themes,
        statuses=statuses,
        scoring_method=method,
        theme_note=theme_note,
    )


@cache
def framework() -> Framework:
    """The bundled framework, loaded once per process."""
    return load_framework()
