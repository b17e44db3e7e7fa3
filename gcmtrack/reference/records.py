"""What the reference data says about each state and territory, in one record per entity:
its UN names, UN membership, 2018 vote, later GCM events with their sources, and the
mechanisms it belongs to. `gcmtrack states` prints these, so staff can check what reports
will say."""

from __future__ import annotations

from gcmtrack.common.languages import LANGS
from gcmtrack.reference.processes import get_process, processes
from gcmtrack.reference.states import states


def state_records(process_id: str | None = None) -> list[dict]:
    """Every entity the data knows (or the members of one process, in its file's order), as
    `{"iso3", "names", "name_source", "un_member", "un_observer", "vote_2018", "vote_source",
    "events", "processes"}`. Raises UnknownProcessError for an unknown process id."""
    registry = states()
    table = processes()
    belongs: dict[str, list[str]] = {}
    for process in table.values():
        for membership in process.memberships:
            belongs.setdefault(membership.state, []).append(process.id)
    if process_id is None:
        codes = sorted(registry.entities)
    else:
        codes = [m.state for m in get_process(process_id).memberships]
    records = []
    for code in codes:
        entity = registry.get(code)
        position = registry.position(code)
        records.append({
            "iso3": code,
            "names": {lang: entity.name(lang) for lang in LANGS},
            "name_source": entity.name_source,
            "un_member": entity.un_member,
            "un_observer": entity.un_observer,
            "vote_2018": position.vote,
            "vote_source": position.vote_source,
            "events": [{"date": e.date_text, "position": e.position, "source": e.source,
                        "verified": e.verified, "note": e.note} for e in position.events],
            "processes": belongs.get(code, []),
        })
    return records
