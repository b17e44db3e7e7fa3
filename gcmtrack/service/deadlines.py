"""Whether a State may send its workbook for a cycle now: the one rule behind the portal's
upload page, the API's POST /api/v1/submissions, the submitter's home page and `ingest`.

A State sends one workbook per cycle for all its processes, so the most permissive of its
processes' deadlines for that cycle decides:

- no deadline for any of them (the cycle was never opened): refused, `cycle-not-open`;
- every deadline closed (`gcmtrack deadline --closed`): refused, `cycle-closed`;
- one open and not yet due (the due date counts, in UTC): on time;
- open but past due: its late policy (`gcmtrack deadline --late`): `accept` stores it (the
  dashboard marks it late), `warn` stores it with the `late-upload` warning, `refuse` refuses
  it with `deadline-passed`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from gcmtrack.reference.processes import processes_of
from gcmtrack.store import Store

NOT_OPEN = "cycle-not-open"
CLOSED = "cycle-closed"
PASSED = "deadline-passed"

_RANK = {"on-time": 0, "accept": 1, "warn": 2, "refuse": 3}


@dataclass(frozen=True)
class Window:
    """The answer for one State and cycle. `refused` is None when an upload may be stored."""

    state: str
    cycle: int
    refused: str | None = None  # NOT_OPEN, CLOSED or PASSED
    late: bool = False  # stored after its due date
    warn: bool = False  # stored with the late-upload warning
    due: dt.date | None = None  # the deadline that decided (None for NOT_OPEN)
    process: str | None = None  # the process whose deadline decided
    certification: bool = False  # a process of the state's requires certification in this cycle

    @property
    def open(self) -> bool:
        return self.refused is None


def today_utc() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def upload_window(store: Store, state: str, cycle: int, today: dt.date | None = None) -> Window:
    """May `state` send its workbook for `cycle` today?"""
    from gcmtrack.store.deadlines import deadlines_of

    today = today or today_utc()
    current = processes_of(state, cycle)
    rows = deadlines_of(store, current or processes_of(state), cycle)
    if not rows:
        return Window(state, cycle, refused=NOT_OPEN)
    # the certification step (service/people.initial_state), read from the same rows
    certify = any(d.certification for d in rows if d.process in current)
    opened = [d for d in rows if d.is_open]
    if not opened:
        latest = max(rows, key=lambda d: d.due)
        return Window(state, cycle, refused=CLOSED, due=latest.due, process=latest.process, certification=certify)

    def rank(d) -> tuple:
        how = "on-time" if today <= d.due else (d.late_policy if d.late_policy in _RANK else "accept")
        return _RANK[how], -d.due.toordinal()

    best = min(opened, key=rank)
    decided = Window(state, cycle, due=best.due, process=best.process, certification=certify)
    if today <= best.due:
        return decided
    if best.late_policy == "refuse":
        return replace(decided, refused=PASSED, late=True)
    return replace(decided, late=True, warn=best.late_policy == "warn")


def open_cycles(store: Store, state: str, today: dt.date | None = None) -> list[dict]:
    """What the State's home page offers: each open cycle of its processes in which an upload
    would be stored today, soonest due first: {"process", "cycle", "due", "late"}."""
    from gcmtrack.store.deadlines import open_deadlines

    today = today or today_utc()
    offered = []
    for d in open_deadlines(store, processes_of(state)):
        if d.process not in processes_of(state, d.cycle):
            continue
        window = upload_window(store, state, d.cycle, today)
        if window.open:
            offered.append({"process": d.process, "cycle": d.cycle, "due": d.due, "late": today > d.due})
    return offered


def late_warning(window: Window, at: tuple[str, str] | None = None, today: dt.date | None = None):
    """The `late-upload` Problem for a version stored under a `warn` policy (None otherwise),
    located at the workbook's cycle cell `at` (sheet, cell) when it is known."""
    from gcmtrack.intake.problems import Problem

    if not window.warn:
        return None
    received = (today or today_utc()).isoformat()
    sheet, cell = at or (None, None)
    return Problem("late-upload", sheet, cell, window.cycle,
                   {"due": window.due.isoformat(), "process": window.process, "received": received,
                    "cycle": window.cycle})


def ingest_window(store: Store, state: str | None, cycle: int | None) -> Window | None:
    """For `ingest`: the rule's answer when it deserves a warning (refused, or late), else None.
    A store with no deadline at all is used without the portal: nothing to warn about."""
    from gcmtrack.store.deadlines import list_deadlines

    if not state or not cycle:
        return None
    window = upload_window(store, state, cycle)
    if window.refused == NOT_OPEN and not list_deadlines(store):
        return None
    return window if (window.refused or window.late) else None
