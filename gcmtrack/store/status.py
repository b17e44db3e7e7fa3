"""Who has submitted what: per cycle and process, each member's versions, date and warnings."""

from __future__ import annotations

from gcmtrack.reference.processes import get_process, processes
from gcmtrack.reference.states import states
from gcmtrack.store import Store


def submission_status(store: Store, cycle: int | None = None, process_id: str | None = None) -> dict:
    chosen = [get_process(process_id)] if process_id else list(processes().values())
    cycles = [cycle] if cycle is not None else store.cycles()
    result = {"cycles": []}
    for cyc in cycles:
        latest = store.latest(cyc)
        counts = store.version_counts(cyc)
        entry = {"cycle": cyc, "processes": [], "non_members": []}
        member_union: set[str] = set()
        for proc in chosen:
            members = sorted(proc.members(cyc))
            member_union.update(members)
            rows = []
            for code in members:
                stored = latest.get(code)
                rows.append({
                    "state": code,
                    "name": states().get(code).name("en"),
                    "submitted": stored is not None,
                    "versions": counts.get(code, 0),
                    "ingested_at": stored.ingested_at if stored else None,
                    "filename": stored.filename if stored else None,
                    "warnings": stored.warning_count if stored else 0,
                })
            entry["processes"].append({
                "process": proc.id,
                "members": members,
                "submitted": [r["state"] for r in rows if r["submitted"]],
                "states": rows,
            })
        if not process_id:
            entry["non_members"] = sorted(set(latest) - member_union)
        result["cycles"].append(entry)
    return result
