"""Who has submitted what: per cycle and process, each member's versions, date and warnings."""

from __future__ import annotations

from gcmtrack.reference.processes import get_process, processes
from gcmtrack.reference.states import states
from gcmtrack.store import Store


def submission_status(store: Store, cycle: int | None = None, process_id: str | None = None, *,
                      with_warnings: bool = False) -> dict:
    """Per cycle and process, each member's submission; `non_members` are the states that
    submitted but belong to no process that cycle (`non_member_rows` describes them). With
    `with_warnings`, each submitted row lists its warnings (`warning_list`, as stored)."""
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
                rows.append(_row(code, latest.get(code), counts, with_warnings))
            entry["processes"].append({
                "process": proc.id,
                "members": members,
                "submitted": [r["state"] for r in rows if r["submitted"]],
                "states": rows,
            })
        if not process_id:
            all_members = {m for p in processes().values() for m in p.members(cyc)}
            entry["non_members"] = sorted(set(latest) - all_members)
            entry["non_member_rows"] = [_row(code, latest[code], counts, with_warnings)
                                        for code in entry["non_members"]]
        result["cycles"].append(entry)
    return result


def _row(code: str, stored, counts: dict[str, int], with_warnings: bool) -> dict:
    row = {
        "state": code,
        "name": states().get(code).name("en"),
        "submitted": stored is not None,
        "versions": counts.get(code, 0),
        "ingested_at": stored.ingested_at if stored else None,
        "filename": stored.filename if stored else None,
        "warnings": stored.warning_count if stored else 0,
    }
    if with_warnings:
        row["warning_list"] = list(stored.problems) if stored else []
    return row
