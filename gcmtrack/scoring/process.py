"""Scores of a process for a cycle, from the store: the version of each member that counts."""

from __future__ import annotations

from gcmtrack.reference.framework import framework
from gcmtrack.reference.processes import get_process
from gcmtrack.scoring import ProcessScore, score_process
from gcmtrack.store import Store


def process_score(store: Store, process_id: str, cycle: int, *, accepted_only: bool = False) -> ProcessScore:
    """Scores of one process for one cycle from the version of each member that counts (the
    latest submitted or accepted one; only accepted ones with `accepted_only`)."""
    process = get_process(process_id)
    fw = framework()
    fw.edition(cycle)  # an unknown cycle is an error, not an empty score
    members = sorted(process.members(cycle))
    latest = {code: stored.submission for code, stored in store.latest(cycle, members, accepted_only=accepted_only).items()}
    return score_process(process.id, cycle, members, latest, fw)
