"""Regional processes as typed objects, one data file each in processes/, checked on load.

Adding a process is adding a file. Membership is dated, so the member list of one review
cycle can differ from another's, and sourced: every membership names its source or is marked
`unverified: true` (reports footnote it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gcmtrack.errors import DataError, UnknownProcessError
from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import Text
from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.reference.states import StateRegistry, states


# Kinds of mechanism: regional consultative process on migration, inter-regional forum on
# migration (IOM's two categories of inter-State consultation mechanisms), the GCM regional
# review of a UN regional commission, or another body (described by the file's `kind_note`).
KINDS = ("rcp", "irf", "regional_review", "other")


@dataclass(frozen=True)
class Membership:
    state: str
    since: int | None
    until: int | None
    founder: bool
    verified: bool  # False: no source confirms this membership (`unverified: true` in the file)
    note: str
    source: str = ""  # the citation (a key of the file's `sources` is replaced by its text)

    def active_in(self, cycle: int) -> bool:
        return (self.since is None or self.since <= cycle) and (self.until is None or cycle <= self.until)


@dataclass(frozen=True)
class Process:
    id: str
    name: Text
    acronym: Text
    kind: str  # one of KINDS
    established: int
    languages: tuple[str, ...]  # working languages among those gcmtrack renders (LANGS)
    memberships: tuple[Membership, ...]
    observers: tuple[str, ...]
    notes: tuple[str, ...]
    unverified: frozenset[str]
    file: str
    other_languages: tuple[str, ...] = ()  # working languages gcmtrack does not render yet, noted for later
    kind_note: str = ""
    sources: tuple[str, ...] = ()  # every citation the file uses
    contact: str = ""  # where states send their reports, as a public source gives it ("" when none does)
    contact_source: str = ""

    def members(self, cycle: int) -> tuple[str, ...]:
        """ISO3 codes of the members in a review cycle, in the file's order."""
        return tuple(m.state for m in self.memberships if m.active_in(cycle))

    def membership(self, code: str) -> Membership | None:
        return next((m for m in self.memberships if m.state == code), None)

    def to_dict(self, cycle: int | None = None, registry: StateRegistry | None = None, lang: str = "en") -> dict:
        registry = registry or states()
        listed = [m for m in self.memberships if cycle is None or m.active_in(cycle)]
        data = {
            "id": self.id,
            "name": {lang: self.name(lang) for lang in LANGS},
            "acronym": {lang: self.acronym(lang) for lang in LANGS},
            "kind": self.kind,
            "kind_note": self.kind_note,
            "established": self.established,
            "languages": list(self.languages),
            "other_languages": list(self.other_languages),
            "members": [m.state for m in listed],
            "memberships": [{"state": m.state, "name": registry.get(m.state).name(lang), "since": m.since,
                             "until": m.until, "founder": m.founder, "source": m.source,
                             "verified": m.verified, "note": m.note} for m in listed],
            "observers": list(self.observers),
            "notes": list(self.notes),
            "unverified": sorted(self.unverified),
        }
        return data


def _load_process(path: Path, registry: StateRegistry) -> Process:
    file = path.name
    raw = load_yaml(path)
    if not raw.get("id"):
        raise DataError(file, "(file)", "needs an id")
    pid = str(raw["id"]).strip().upper()

    def text(key: str) -> Text:
        value = raw.get(key)
        if not isinstance(value, dict):
            raise DataError(file, f"{pid} {key}", f"must give {', '.join(LANGS)}")
        missing = [lang for lang in LANGS if not str(value.get(lang) or "").strip()]
        if missing:
            raise DataError(file, f"{pid} {key}", f"has no translation for {', '.join(missing)}")
        return Text(*(str(value[lang]).strip() for lang in LANGS))

    def known(code: object, entry: str) -> str:
        code_text = str(code or "").strip().upper()
        if code_text not in registry:
            raise DataError(file, entry, f"unknown ISO 3166-1 alpha-3 code {code!r}")
        return code_text

    established = raw.get("established")
    if not isinstance(established, int):
        raise DataError(file, f"{pid} established", "must be a year")
    kind = str(raw.get("kind") or "")
    if kind not in KINDS:
        raise DataError(file, f"{pid} kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if kind == "other" and not str(raw.get("kind_note") or "").strip():
        raise DataError(file, f"{pid} kind_note", "a process of kind 'other' says what it is")
    sources = raw.get("sources") or {}
    if not isinstance(sources, dict):
        raise DataError(file, f"{pid} sources", "must map short keys to citations")

    def source_of(item: dict, entry: str) -> tuple[str, bool]:
        """The membership's citation and whether it is verified; one of the two is required."""
        unverified = item.get("unverified", False)
        if not isinstance(unverified, bool):
            raise DataError(file, entry, "unverified must be true or false")
        cited = str(item.get("source") or "").strip()
        if not cited and not unverified:
            raise DataError(file, entry, "needs a source, or unverified: true")
        return str(sources.get(cited, cited)).strip(), not unverified

    def year(value: object, entry: str) -> int | None:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise DataError(file, entry, f"{value!r} is not a year")
        return value

    memberships = []
    seen = set()
    for item in raw.get("members") or []:
        if not isinstance(item, dict):
            raise DataError(file, f"{pid} members", f"{item!r}: each member needs a state and a source")
        code = known(item.get("state"), f"{pid} members")
        entry = f"{pid} member {code}"
        if code in seen:
            raise DataError(file, f"{pid} members", f"{code} is listed twice")
        seen.add(code)
        unknown = set(item) - {"state", "since", "until", "founder", "source", "unverified", "note"}
        if unknown:
            raise DataError(file, entry, f"unknown field(s) {', '.join(sorted(unknown))}")
        since, until = year(item.get("since"), entry), year(item.get("until"), entry)
        if since is not None and until is not None and until < since:
            raise DataError(file, entry, "until is before since")
        source, verified = source_of(item, entry)
        memberships.append(Membership(
            state=code, since=since, until=until, founder=bool(item.get("founder", False)),
            verified=verified, note=str(item.get("note") or ""), source=source,
        ))
    if not memberships:
        raise DataError(file, f"{pid} members", "no member listed")
    observers = []
    for item in raw.get("observers") or []:
        if not isinstance(item, dict):
            raise DataError(file, f"{pid} observers", f"{item!r}: each observer needs a state and a source")
        code = known(item.get("state"), f"{pid} observers")
        source_of(item, f"{pid} observer {code}")
        observers.append(code)
    languages = tuple(raw.get("languages") or ())
    for lang in languages:
        if lang not in LANGS:
            raise DataError(file, f"{pid} languages", f"{lang!r} is not one of {', '.join(LANGS)}; "
                                                      "list it under other_languages")
    other = tuple(str(lang) for lang in raw.get("other_languages") or ())
    for lang in other:
        if lang in LANGS or not re.fullmatch(r"[a-z]{2}", lang):
            raise DataError(file, f"{pid} other_languages", f"{lang!r} is not an ISO 639-1 code outside "
                                                            f"{', '.join(LANGS)}")
    if not languages and not other:
        raise DataError(file, f"{pid} languages", "name at least one working language")
    cited = sorted({m.source for m in memberships if m.source} | {str(v).strip() for v in sources.values()})
    contact = raw.get("contact") or {}
    if contact and (not isinstance(contact, dict) or not str(contact.get("text") or "").strip()
                    or not str(contact.get("source") or "").strip()):
        raise DataError(file, f"{pid} contact", "a contact needs its text and the public source that gives it")
    return Process(
        id=pid, name=text("name"), acronym=text("acronym"), kind=kind,
        established=established, languages=languages, memberships=tuple(memberships),
        observers=tuple(observers), notes=tuple(str(n) for n in raw.get("notes") or ()),
        unverified=frozenset(raw.get("unverified") or ()), file=file,
        other_languages=other, kind_note=str(raw.get("kind_note") or "").strip(), sources=tuple(cited),
        contact=str(contact.get("text") or "").strip() if contact else "",
        contact_source=str(contact.get("source") or "").strip() if contact else "",
    )


def load_processes(folder: Path | None = None, registry: StateRegistry | None = None) -> dict[str, Process]:
    """Every processes/*.yaml, by id. Raises DataError naming the file and the entry."""
    folder = folder or data_dir("processes")
    registry = registry or states()
    result: dict[str, Process] = {}
    for path in sorted(folder.glob("*.yaml")):
        process = _load_process(path, registry)
        if process.id in result:
            raise DataError(path.name, process.id, f"id already used by {result[process.id].file}")
        result[process.id] = process
    if not result:
        raise DataError(str(folder), "(folder)", "no process file found")
    return result


@cache
def processes() -> dict[str, Process]:
    return load_processes()


def processes_of(state: str, cycle: int | None = None) -> tuple[str, ...]:
    """The ids of the processes `state` belongs to (in `cycle`, when given), in the order of
    processes(): an index built once per registry, since every upload asks it (the deadline
    rule, the certification step, the staff to tell)."""
    table = processes()
    if _BY_STATE[0] is not table:
        index: dict[str, list[tuple[str, Membership]]] = {}
        for process in table.values():
            for m in process.memberships:
                index.setdefault(m.state, []).append((process.id, m))
        _BY_STATE[:] = [table, index]
    found = _BY_STATE[1].get(state, ())
    return tuple(dict.fromkeys(pid for pid, m in found if cycle is None or m.active_in(cycle)))


_BY_STATE: list = [None, {}]  # [the registry the index was built from, state -> [(process id, membership)]]


def get_process(process_id: str) -> Process:
    table = processes()
    try:
        return table[process_id.strip().upper()]
    except KeyError:
        raise UnknownProcessError(
            f"unknown process {process_id!r}; known processes: {', '.join(sorted(table))}"
        ) from None
