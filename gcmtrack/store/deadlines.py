"""Deadlines of a process's review cycle: when submissions are due, whether the cycle is open
for uploads, and what a late upload gets (shown to submitters; 'on time' on the staff
dashboard). The rule that uses them is gcmtrack.service.deadlines."""

from __future__ import annotations

import datetime as dt

from gcmtrack.store.api import Store, cli_actor
from gcmtrack.store.events import Action
from gcmtrack.store.models import Deadline

# What an upload after the due date (the cycle still open) gets.
LATE_POLICIES = ("accept", "warn", "refuse")


def set_deadline(store: Store, process_id: str, cycle: int, due: dt.date, is_open: bool = True, *,
                 late: str | None = None, actor: str | None = None) -> None:
    """Set a process's deadline for a cycle; `late` None keeps the policy it had ("accept" for
    a new deadline)."""
    if late is not None and late not in LATE_POLICIES:
        raise ValueError(f"late policy must be one of {', '.join(LATE_POLICIES)}")
    defaults = {"due": due, "is_open": is_open}
    if late is not None:
        defaults["late_policy"] = late
    with store.transaction():
        row, _ = Deadline.objects.using(store.alias).update_or_create(process=process_id, cycle=cycle,
                                                                      defaults=defaults)
        store.record(actor or cli_actor(), Action.DEADLINE, object_type="process", object_id=process_id,
                     process=process_id, cycle=cycle,
                     detail={"due": due.isoformat(), "open": is_open, "late": row.late_policy})


def deadline_of(store: Store, process_id: str, cycle: int) -> Deadline | None:
    return Deadline.objects.using(store.alias).filter(process=process_id, cycle=cycle).first()


def deadlines_of(store: Store, process_ids, cycle: int) -> list[Deadline]:
    """The deadlines (open or closed) of the given processes for one cycle."""
    return list(Deadline.objects.using(store.alias).filter(process__in=list(process_ids), cycle=cycle)
                .order_by("process"))


def list_deadlines(store: Store) -> list[dict]:
    return [{"process": d.process, "cycle": d.cycle, "due": d.due.isoformat(), "open": d.is_open,
             "late": d.late_policy, "certification": d.certification}
            for d in Deadline.objects.using(store.alias).order_by("cycle", "process")]


def open_deadlines(store: Store, process_ids) -> list[Deadline]:
    """The open cycles of the given processes, soonest due first."""
    rows = Deadline.objects.using(store.alias).filter(process__in=list(process_ids), is_open=True)
    return list(rows.order_by("due", "process"))
