"""Regional processes as typed objects, one data file each in processes/, checked on load.

Adding a process is adding a file. Membership is dated, so the member list of one review
cycle can differ from another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


from gcmtrack.errors import DataError, UnknownProcessError
from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import Text
from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.reference.states import StateRegistry, states


@dataclass(frozen=True)
class Membership:
    state: str
    since: int | None
    until: int | None
    founder: bool
    verified: bool
    note: str

    def active_in(self, cycle: int) -> bool:
        return (self.since is None or self.since <= cycle) and (self.until is None or cycle <= self.until)


@dataclass(frozen=True)
class Process:
    id: str
    name: Text
    acronym: Text
    kind: str
    established: int
    languages: tuple[str, ...]
    memberships: tuple[Membership, ...]
    observers: tuple[str, ...]
    notes: tuple[str, ...]
    unverified: frozenset[str]
    file: str

    def members(self, cycle: int) -> tuple[str, ...]:
        """ISO3 codes of the members in a review cycle, in the file's order."""
        return tuple(m.state for m in self.memberships if m.active_in(cycle))

    def membership(self, code: str) -> Membership | None:
        return next((m for m in self.memberships if m.state == code), None)

    def to_dict(self, cycle: int | None = None) -> dict:
        data = {
            "id": self.id,
            "name": {lang: self.name(lang) for lang in LANGS},
            "acronym": {lang: self.acronym(lang) for lang in LANGS},
            "kind": self.kind,
            "established": self.established,
            "languages": list(self.languages),
            "members": [m.state for m in self.memberships] if cycle is None else list(self.members(cycle)),
            "observers": list(self.observers),
            "notes": list(self.notes),
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
            raise DataError(file, f"{pid} {key}", "must give en, es and fr")
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
    memberships = []
    seen = set()
    for item in raw.get("members") or []:
        item = item if isinstance(item, dict) else {"state": item}
        code = known(item.get("state"), f"{pid} members")
        if code in seen:
            raise DataError(file, f"{pid} members", f"{code} is listed twice")
        seen.add(code)
        memberships.append(Membership(
            state=code,
            since=item.get("since"),
            until=item.get("until"),
            founder=bool(item.get("founder", False)),
            verified=bool(item.get("verified", True)),
            note=str(item.get("note") or ""),
        ))
    if not memberships:
        raise DataError(file, f"{pid} members", "no member listed")
    observers = tuple(known(code, f"{pid} observers") for code in raw.get("observers") or [])
    languages = tuple(raw.get("languages") or ("en",))
    for lang in languages:
        if lang not in LANGS:
            raise DataError(file, f"{pid} languages", f"{lang!r} is not one of {', '.join(LANGS)}")
    return Process(
        id=pid, name=text("name"), acronym=text("acronym"), kind=str(raw.get("kind") or ""),
        established=established, languages=languages, memberships=tuple(memberships),
        observers=observers, notes=tuple(str(n) for n in raw.get("notes") or ()),
        unverified=frozenset(raw.get("unverified") or ()), file=file,
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


def get_process(process_id: str) -> Process:
    table = processes()
    try:
        return table[process_id.strip().upper()]
    except KeyError:
        raise UnknownProcessError(
            f"unknown process {process_id!r}; known processes: {', '.join(sorted(table))}"
        ) from None
