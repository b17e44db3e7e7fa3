"""States and territories: resolve a code or a name (in any language of LANGS) to ISO 3166-1 alpha-3, and give
each entity's UN short name, its UN membership and its GCM position as of a date.

Resolution never guesses: a name that stands for several entities returns all of them, an
unknown name returns close suggestions and no code.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Mapping

import pycountry
from rapidfuzz import fuzz, process

from gcmtrack.errors import DataError
from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import Text
from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.common.text import fold_loose

_TOKEN_MAP = {"st": "saint", "ste": "sainte", "sta": "santa", "sto": "santo", "&": "and", "rep": "republic"}
_DROP_TOKENS = {"the"}
_CODE = re.compile(r"^[A-Za-z]{3}$")


def name_key(name: object) -> str:
    """The comparison key of a state name: folded, punctuation dropped, "St." read as "Saint"."""
    tokens = [_TOKEN_MAP.get(t, t) for t in fold_loose(name).split()]
    return " ".join(t for t in tokens if t not in _DROP_TOKENS)


@dataclass(frozen=True)
class Entity:
    """A state or territory that can appear in a membership list or submit a workbook."""

    code: str
    name: Text  # the UN short name (states/un-names.yaml), else the ISO 3166 name
    un_member: bool
    un_observer: bool
    name_source: str = "un"  # "un": states/un-names.yaml; "iso": no UN name, ISO 3166 name kept
    iso_name: Text | None = None  # the ISO 3166 name and its pycountry translations

    @property
    def kind(self) -> str:
        if self.un_member:
            return "un_member_state"
        if self.un_observer:
            return "un_observer_state"
        return "territory"


@dataclass(frozen=True)
class Resolution:
    """The answer to "which entity is this?": exactly one code, several, or none with suggestions."""

    query: str
    codes: tuple[str, ...]
    suggestions: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        return self.codes[0] if len(self.codes) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.codes) > 1


@dataclass(frozen=True)
class PositionVocabulary:
    """The values a 2018 vote and a later event may take, with the labels reports print
    (states/gcm-positions.yaml, `vocabulary`)."""

    votes: Mapping[str, Text]
    events: Mapping[str, Text]


@dataclass(frozen=True)
class PositionEvent:
    date: dt.date  # the day; for a month-precision event, the first day of that month
    precision: str  # "day" | "month": how much of the date the sources give
    position: str  # a key of PositionVocabulary.events
    note: str
    source: str
    verified: bool

    @property
    def date_text(self) -> str:
        """The date as far as it is known: "2025-04-16" or "2021-12"."""
        return self.date.isoformat() if self.precision == "day" else self.date.strftime("%Y-%m")


@dataclass(frozen=True)
class GcmPosition:
    """A state's GCM position as of a date: its 2018 vote and the later changes up to that date."""

    code: str
    vote: str  # a key of PositionVocabulary.votes: in_favour | against | abstained | did_not_vote | not_a_member
    vote_source: str  # where the vote is recorded ("" for not_a_member)
    events: tuple[PositionEvent, ...]
    verified: bool  # False when the vote or one of the events is marked unverified

    @property
    def latest(self) -> str | None:
        return self.events[-1].position if self.events else None


@dataclass(frozen=True)
class _Positions:
    vocabulary: PositionVocabulary
    groups: Mapping[str, frozenset[str]]  # vote key -> states (in_favour and not_a_member are implied)
    group_sources: Mapping[str, str]
    state_sources: Mapping[str, str]
    unverified: frozenset[str]
    events: Mapping[str, tuple[PositionEvent, ...]]
    resolution: str
    date: dt.date | None
    default_source: str


# pycountry's catalogue for a language whose names it files under a regional variant
_ISO_LOCALE = {"zh": "zh_CN"}


class StateRegistry:
    """Every ISO 3166-1 entity, with UN names in every language of LANGS, aliases, UN membership and GCM positions."""

    def __init__(self, aliases: dict[str, list[str]], un_members: set[str], un_observers: set[str],
                 positions: _Positions, un_names: Mapping[str, Text] | None = None):
        translators = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                                 languages=[_ISO_LOCALE.get(lang, lang)])
                       for lang in LANGS if lang != "en"}  # pycountry's own names are English
        un_names = un_names or {}
        self.entities: dict[str, Entity] = {}
        # tier 0: exact names; tier 1: aliases; tier 2: forms derived from official names
        tiers: list[defaultdict[str, set[str]]] = [defaultdict(set) for _ in range(3)]
        self._display: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_3
            english = getattr(country, "common_name", None) or country.name
            iso_name = Text(english, *(translators[lang].gettext(country.name) for lang in LANGS if lang != "en"))
            un_name = un_names.get(code)
            self.entities[code] = Entity(
                code=code,
                name=un_name or iso_name,
                un_member=code in un_members,
                un_observer=code in un_observers,
                name_source="un" if un_name else "iso",
                iso_name=iso_name,
            )
            variants = []
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    variants += [value, *(translators[lang].gettext(value) for lang in LANGS if lang != "en")]
            if un_name:
                variants += list(un_name.values())
            for variant in variants:
                self._add(tiers[0], variant, code)
                for derived in _derived_forms(variant):
                    self._add(tiers[2], derived, code)
        for alias, codes in aliases.items():
            for code in codes:
                if code not in self.entities:
                    raise DataError("aliases.yaml", alias, f"unknown ISO 3166-1 alpha-3 code {code!r}")
                self._add(tiers[1], alias, code)
        self._tiers = tiers
        self._choices = sorted(self._display)
        self._positions = positions

    def _add(self, tier: dict[str, set[str]], name: str, code: str) -> None:
        key = name_key(name)
        if key:
            tier[key].add(code)
            self._display.setdefault(key, name)

    # ------------------------------------------------------------------ resolution

    def resolve(self, text: object) -> Resolution:
        query = "" if text is None else str(text).strip()
        if _CODE.match(query) and query.upper() in self.entities:
            return Resolution(query, (query.upper(),))
        key = name_key(query)
        if not key:
            return Resolution(query, ())
        for tier in self._tiers:
            if key in tier:
                return Resolution(query, tuple(sorted(tier[key])))
        matches = process.extract(key, self._choices, scorer=fuzz.WRatio, limit=5, score_cutoff=80)
        suggestions: list[str] = []
        for choice, _score, _index in matches:
            for tier in self._tiers:
                for code in sorted(tier.get(choice, ())):
                    label = f"{self._display[choice]} ({code})"
                    if label not in suggestions:
                        suggestions.append(label)
        return Resolution(query, (), tuple(suggestions[:5]))

    def get(self, code: str) -> Entity:
        return self.entities[code]

    def __contains__(self, code: object) -> bool:
        return code in self.entities

    # ------------------------------------------------------------------ GCM positions

    @property
    def vocabulary(self) -> PositionVocabulary:
        return self._positions.vocabulary

    @property
    def vote_resolution(self) -> str:
        return self._positions.resolution

    def position(self, code: str, as_of: dt.date | None = None) -> GcmPosition:
        data = self._positions
        entity = self.entities[code]
        if not entity.un_member:
            vote, source = "not_a_member", ""
        else:
            vote = next((key for key, codes in data.groups.items() if code in codes), "in_favour")
            source = data.state_sources.get(code) or data.group_sources.get(vote) or data.default_source
        events = tuple(e for e in data.events.get(code, ()) if as_of is None or e.date <= as_of)
        verified = code not in data.unverified and all(e.verified for e in events)
        return GcmPosition(code, vote, source, events, verified)


def _derived_forms(name: str) -> list[str]:
    """Short forms of an official name: "Bolivia, Plurinational State of" -> "Bolivia" and
    "Plurinational State of Bolivia"; "Bahamas (the)" -> "Bahamas"."""
    forms = []
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if bare and bare != name:
        forms.append(bare)
    if "," in name:
        head, _, tail = name.partition(",")
        forms.append(head.strip())
        forms.append(f"{tail.strip()} {head.strip()}")
    return forms


def _text(value: object, file: str, entry: str) -> Text:
    if not isinstance(value, dict):
        raise DataError(file, entry, f"must give {', '.join(LANGS)}")
    missing = [lang for lang in LANGS if not str(value.get(lang) or "").strip()]
    if missing:
        raise DataError(file, entry, f"has no {', '.join(missing)}")
    return Text(*(str(value[lang]).strip() for lang in LANGS))


def _event_date(value: object, file: str, entry: str) -> tuple[dt.date, str]:
    """A day (YYYY-MM-DD, or a YAML date) or a month (YYYY-MM) and its precision."""
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date.fromisoformat(text + "-01"), "month"
        return dt.date.fromisoformat(text), "day"
    except ValueError:
        raise DataError(file, entry, f"date {value!r} is not YYYY-MM-DD or YYYY-MM") from None


def _load_positions(folder, un_members: set[str]) -> _Positions:
    """states/gcm-positions.yaml, checked: every vote and event uses the vocabulary, every
    state is a UN member state, the totals match the lists, every event has a source."""
    file = "gcm-positions.yaml"
    data = load_yaml(folder / file)
    vocabulary = data.get("vocabulary")
    if not isinstance(vocabulary, dict) or not all(isinstance(vocabulary.get(k), dict) for k in ("votes", "events")):
        raise DataError(file, "vocabulary", "must map votes and events to their labels")
    votes = {str(k): _text(v, file, f"vocabulary.votes.{k}") for k, v in vocabulary["votes"].items()}
    event_kinds = {str(k): _text(v, file, f"vocabulary.events.{k}") for k, v in vocabulary["events"].items()}
    for implied in ("in_favour", "not_a_member"):
        if implied not in votes:
            raise DataError(file, "vocabulary.votes", f"must define {implied!r}")
    vote = data.get("vote")
    if not isinstance(vote, dict) or not isinstance(vote.get("groups"), dict):
        raise DataError(file, "vote", "must give the 2018 vote's groups")
    groups: dict[str, frozenset[str]] = {}
    group_sources: dict[str, str] = {}
    seen: dict[str, str] = {}
    for key, group in vote["groups"].items():
        entry = f"vote.groups.{key}"
        if key not in votes or key in ("in_favour", "not_a_member"):
            raise DataError(file, entry, f"{key!r} is not a vote of the vocabulary that is listed by state "
                                         f"({', '.join(k for k in votes if k not in ('in_favour', 'not_a_member'))})")
        if not isinstance(group, dict) or not str(group.get("source") or "").strip():
            raise DataError(file, entry, "needs its states and a source")
        codes = [str(c) for c in group.get("states") or []]
        for code in codes:
            if pycountry.countries.get(alpha_3=code) is None:
                raise DataError(file, entry, f"unknown ISO 3166-1 alpha-3 code {code!r}")
            if code not in un_members:
                raise DataError(file, entry, f"{code} is not a UN member state, so it had no vote")
            if code in seen:
                raise DataError(file, entry, f"{code} is already listed under {seen[code]}")
            seen[code] = key
        groups[key] = frozenset(codes)
        group_sources[key] = str(group["source"]).strip()
    totals = vote.get("totals") or {}
    counted = {key: len(codes) for key, codes in groups.items()}
    counted["in_favour"] = len(un_members) - sum(counted.values())
    for key, total in totals.items():
        if key not in votes:
            raise DataError(file, "vote.totals", f"{key!r} is not a vote of the vocabulary")
        if counted.get(key, 0) != total:
            raise DataError(file, "vote.totals", f"{key}: the lists give {counted.get(key, 0)}, the totals {total}")
    state_sources = {}
    for raw in vote.get("states") or []:
        code = str(raw.get("state"))
        if code not in un_members or not str(raw.get("source") or "").strip():
            raise DataError(file, f"vote.states {code}", "needs a UN member state and a source")
        state_sources[code] = str(raw["source"]).strip()
    unverified = frozenset(str(u["state"]) for u in vote.get("unverified") or ())
    events: dict[str, list[PositionEvent]] = defaultdict(list)
    for raw in data.get("events") or []:
        code = str(raw.get("state"))
        entry = f"event {code} {raw.get('date')}"
        if pycountry.countries.get(alpha_3=code) is None:
            raise DataError(file, entry, f"unknown ISO 3166-1 alpha-3 code {code!r}")
        if raw.get("position") not in event_kinds:
            raise DataError(file, entry, f"position {raw.get('position')!r} is not one of {', '.join(event_kinds)}")
        verified = raw.get("verified", True)
        if not isinstance(verified, bool):
            raise DataError(file, entry, "verified must be true or false")
        source = str(raw.get("source") or "").strip()
        if not source and verified:
            raise DataError(file, entry, "needs a source, or verified: false")
        date, precision = _event_date(raw.get("date"), file, entry)
        events[code].append(PositionEvent(date, precision, raw["position"], str(raw.get("note") or ""), source, verified))
    return _Positions(
        vocabulary=PositionVocabulary(MappingProxyType(votes), MappingProxyType(event_kinds)),
        groups=MappingProxyType(groups),
        group_sources=MappingProxyType(group_sources),
        state_sources=MappingProxyType(state_sources),
        unverified=unverified,
        events=MappingProxyType({code: tuple(sorted(evs, key=lambda e: e.date)) for code, evs in events.items()}),
        resolution=str(vote.get("resolution") or ""),
        date=vote.get("date") if isinstance(vote.get("date"), dt.date) else None,
        default_source=str(vote.get("source") or ""),
    )


def _load_un_names(folder) -> dict[str, Text]:
    """states/un-names.yaml: code -> the UN short names in every language of LANGS."""
    file = "un-names.yaml"
    data = load_yaml(folder / file)
    names = data.get("names")
    if not isinstance(names, dict) or not str(data.get("source") or "").strip():
        raise DataError(file, "names", "must map ISO3 codes to names, under a source")
    result = {}
    for code, value in names.items():
        code = str(code)
        if pycountry.countries.get(alpha_3=code) is None:
            raise DataError(file, code, "unknown ISO 3166-1 alpha-3 code")
        result[code] = _text(value, file, code)
    return result


def load_states(folder=None) -> StateRegistry:
    folder = folder or data_dir("states")
    aliases = load_yaml(folder / "aliases.yaml").get("aliases")
    if not isinstance(aliases, dict):
        raise DataError("aliases.yaml", "aliases", "must map ISO3 codes to lists of names")
    un = load_yaml(folder / "un-members.yaml")
    if not isinstance(un.get("members"), list):
        raise DataError("un-members.yaml", "members", "must list the UN member states")
    for code in list(un["members"]) + list(un.get("observers") or []):
        if pycountry.countries.get(alpha_3=code) is None:
            raise DataError("un-members.yaml", code, "unknown ISO 3166-1 alpha-3 code")
    un_names = _load_un_names(folder)
    missing = sorted(c for c in list(un["members"]) + list(un.get("observers") or []) if c not in un_names)
    if missing:
        raise DataError("un-names.yaml", "names", f"no UN name for the UN member or observer states {missing}")
    members = set(un["members"])
    return StateRegistry(
        {str(k): list(v) for k, v in aliases.items()},
        members, set(un.get("observers") or ()), _load_positions(folder, members), un_names,
    )


@cache
def states() -> StateRegistry:
    """The bundled registry, built once per process."""
    return load_states()


__all__ = ["Entity", "GcmPosition", "PositionEvent", "PositionVocabulary", "Resolution", "StateRegistry",
           "load_states", "states", "name_key", "LANGS"]
