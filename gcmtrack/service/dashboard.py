"""The staff dashboard of a process and cycle: expected versus received, on time, each
member's review state, in the spirit of DHIS2's reporting-rate summary."""

from __future__ import annotations

from gcmtrack.common.text import fold
from gcmtrack.reference.states import states
from gcmtrack.store.deadlines import deadline_of
from gcmtrack.store.events import ReviewState


def process_dashboard(store, process, cycle: int, lang: str) -> dict:
    members = sorted(process.members(cycle))
    counting = store.latest(cycle, members)
    versions = [v for v in store.submissions(cycle) if v.state in set(members)]
    deadline = deadline_of(store, process.id, cycle)
    rows = []
    for code in members:
        mine = [v for v in versions if v.state == code]
        counts = counting.get(code)
        latest = mine[-1] if mine else None
        first_in = mine[0].ingested_at[:10] if mine else None
        rows.append({
            "state": code,
            "name": states().get(code).name(lang),
            "versions": len(mine),
            "counting": counts,
            "latest": latest,
            "review_state": (counts or latest).review_state if (counts or latest) else None,
            "received": first_in,
            "on_time": None if not (deadline and first_in) else first_in <= deadline.due.isoformat(),
            "warnings": len(counts.problems) if counts else None,
        })
    rows.sort(key=lambda r: (fold(r["name"]), r["state"]))  # by name, accents aside, as reports sort
    received = [r for r in rows if r["counting"]]
    return {
        "deadline": deadline,
        "rows": rows,
        "expected": len(members),
        "received": len(received),
        "on_time": sum(1 for r in received if r["on_time"]),
        "accepted": sum(1 for r in rows if r["review_state"] == ReviewState.ACCEPTED),
        "to_review": sum(1 for r in rows if r["review_state"] == ReviewState.SUBMITTED),
    }

