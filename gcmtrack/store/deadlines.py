"""Deadlines of a process's review cycle: when submissions are due, and whether the cycle is
open for uploads (shown to submitters; 'on time' on the staff dashboard)."""

from __future__ import annotations

import datetime as dt

from gcmtrack.store.api import Store, cli_actor
from gcmtrack.store.events import Action
from gcmtrack.store.models import Deadline


def set_deadline(store: Store, process_id: str, cycle: int, due: dt.date, is_open: bool = True, *,
                 actor: str | None = None) -> None:
    with store.transaction():
        Deadline.objects.using(store.alias).update_or_create(process=process_id, cycle=cycle,
                                                             defaults={"due": due, "is_open": is_open})
        store.record(actor or cli_actor(), Action.DEADLINE, object_type="process", object_id=process_id,
                      process=process_id, cycle=cycle, detail={"due": due.isoformat(), "open": is_open})


def deadline_of(store: Store, process_id: str, cycle: int) -> Deadline | None:
    return Deadline.objects.using(store.alias).filter(process=process_id, cycle=cycle).first()


def list_deadlines(store: Store) -> list[dict]:
    return [{"process": d.process, "cycle": d.cycle, "due": d.due.isoformat(), "open": d.is_open}
            for d in Deadline.objects.using(store.alias).order_by("cycle", "process")]


def open_deadlines(store: Store, process_ids) -> list[Deadline]:
    """The open cycles of the given processes, soonest due first."""
    rows = Deadline.objects.using(store.alias).filter(process__in=list(process_ids), is_open=True)
    return list(rows.order_by("due", "process"))
