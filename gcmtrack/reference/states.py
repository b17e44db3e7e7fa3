"""States and territories: resolve a code or a name (EN/ES/FR) to ISO 3166-1 alpha-3, and give
each entity's UN membership and its GCM position as of a date.

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
    name: Text
    un_member: bool
    un_observer: bool

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
class PositionEvent:
    date: dt.date
    position: str  # declined | withdrew | rejoined | endorsed
    note: str
    verified: bool


@dataclass(frozen=True)
class GcmPosition:
    """A state's GCM position as of a date: its 2018 vote and the later changes up to that date."""

    code: str
    vote: str  # in_favour | against | abstained | did_not_vote | not_un_member
    events: tuple[PositionEvent, ...]
    verified: bool

    @property
    def latest(self) -> str | None:
        return self.events[-1].position if self.events else None


class StateRegistry:
    """Every ISO 3166-1 entity, with names in EN/ES/FR, aliases, UN membership and GCM positions."""

    def __init__(self, aliases: dict[str, list[str]], un_members: set[str], un_observers: set[str],
                 positions: dict):
        translators = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
                       for lang in ("es", "fr")}
        self.entities: dict[str, Entity] = {}
        # tier 0: exact names; tier 1: aliases; tier 2: forms derived from official names
        tiers: list[defaultdict[str, set[str]]] = [defaultdict(set) for _ in range(3)]
        self._display: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_3
            english = getattr(country, "common_name", None) or country.name
            self.entities[code] = Entity(
                code=code,
                name=Text(english, translators["es"].gettext(country.name), translators["fr"].gettext(country.name)),
                un_member=code in un_members,
                un_observer=code in un_observers,
            )
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if not value:
                    continue
                for variant in (value, translators["es"].gettext(value), translators["fr"].gettext(value)):
                    self._add(tiers[0], variant, code)
                    for derived in _derived_forms(variant):
                        self._add(tiers[2], derived, code)
            tiers[2][country.alpha_2.casefold()].add(code)
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

    def position(self, code: str, as_of: dt.date | None = None) -> GcmPosition:
        vote_data = self._positions["vote"]
        entity = self.entities[code]
        if not entity.un_member:
            vote = "not_un_member"
        elif code in vote_data["against"]:
            vote = "against"
        elif code in vote_data["abstained"]:
            vote = "abstained"
        elif code in vote_data["did_not_vote"]:
            vote = "did_not_vote"
        else:
            vote = "in_favour"
        events = tuple(
            e for e in self._positions["events"].get(code, ()) if as_of is None or e.date <= as_of
        )
        verified = code not in self._positions["vote_unverified"] and all(e.verified for e in events)
        return GcmPosition(code, vote, events, verified)


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


def _load_positions(folder) -> dict:
    file = "gcm-positions.yaml"
    data = load_yaml(folder / file)
    vote = data.get("vote")
    if not isinstance(vote, dict):
        raise DataError(file, "vote", "must be a mapping of the 2018 vote")
    for group in ("against", "abstained", "did_not_vote"):
        for code in vote[group]:
            if pycountry.countries.get(alpha_3=code) is None:
                raise DataError(file, f"vote.{group}", f"unknown ISO 3166-1 alpha-3 code {code!r}")
    events: dict[str, list[PositionEvent]] = defaultdict(list)
    for raw in data.get("events") or []:
        code = raw["state"]
        if pycountry.countries.get(alpha_3=code) is None:
            raise DataError(file, f"event {code}", f"unknown ISO 3166-1 alpha-3 code {code!r}")
        date = raw["date"] if isinstance(raw["date"], dt.date) else dt.date.fromisoformat(str(raw["date"]))
        events[code].append(PositionEvent(date, raw["position"], raw.get("note", ""), bool(raw.get("verified", True))))
    for code in events:
        events[code].sort(key=lambda e: e.date)
    return {
        "vote": {g: set(vote[g]) for g in ("against", "abstained", "did_not_vote")},
        "vote_unverified": {u["state"] for u in vote.get("unverified") or ()},
        "events": dict(events),
        "totals": vote.get("totals", {}),
        "date": vote.get("date"),
    }


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
    return StateRegistry(
        {str(k): list(v) for k, v in aliases.items()},
        set(un["members"]), set(un.get("observers") or ()), _load_positions(folder),
    )


@cache
def states() -> StateRegistry:
    """The bundled registry, built once per process."""
    return load_states()


__all__ = ["Entity", "GcmPosition", "Resolution", "StateRegistry", "load_states", "states", "name_key", "LANGS"]
