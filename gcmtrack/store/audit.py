"""Reading the audit log with filters and pages (the portal's audit view, its CSV export), and
refused accesses counted instead of written one row each.

A refused access (a look outside the caller's scope, answered 404) is written to the audit log
once per actor, path and REFUSED_WINDOW; every later one in that window only adds to the count
in `gcm_refused_tally`, which the audit view shows beside that row ("refused ×1,204"). The log
stays append-only, and a client probing thousands of URLs adds at most one row per path and
window instead of one per request.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import IntegrityError
from django.db.models import F, Q

from gcmtrack.common.spreadsheet import csv_writer, neutralise
from gcmtrack.store.api import AuditEntry, Store, iso, utc_now
from gcmtrack.store.events import Action
from gcmtrack.store.models import AuditEvent, RefusedTally

REFUSED_WINDOW = dt.timedelta(hours=1)
PAGE_SIZE = 50
CSV_MAX_ROWS = 100_000  # an export larger than this is cut (the page says so): narrow the filters


def _window_start(moment: dt.datetime) -> dt.datetime:
    seconds = int(REFUSED_WINDOW.total_seconds())
    epoch = int(moment.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.timezone.utc)


def record_refused(store: Store, actor: str, path: str, *, object_type: str, object_id: str,
                   detail: dict) -> bool:
    """Count a refused access; the first of its actor, path and window is written to the audit
    log (returns True then), the others only raise its count."""
    if store.readonly:
        return False
    now = utc_now()
    start = _window_start(now)
    path = path[:300]
    actor = actor[:320]
    rows = RefusedTally.objects.using(store.alias)
    for _attempt in range(2):
        try:
            with store.transaction():
                if rows.filter(actor=actor, path=path, window_start=start).update(count=F("count") + 1, last_at=now):
                    return False
                tally = rows.create(actor=actor, path=path, window_start=start, count=1, last_at=now)
                event = store.record(actor, Action.REFUSED, object_type=object_type, object_id=object_id,
                                     detail=detail, at=now)
                rows.filter(pk=tally.pk).update(event=event)
                return True
        except IntegrityError:
            continue  # another worker wrote the first row of this window at the same moment: count on it
    return False


@dataclass(frozen=True)
class AuditFilter:
    """What the audit view is asked for; every field optional."""

    actor: str = ""  # part of the actor (an e-mail address, "cli:<user>", "anonymous"), case-insensitive
    action: str = ""  # one Action value
    state: str = ""  # ISO3 of the state the event concerns
    since: dt.date | None = None  # from this day (UTC) on
    until: dt.date | None = None  # up to and with this day (UTC)
    states: frozenset[str] | None = None  # the caller's scope: only events of these states / processes
    processes: frozenset[str] | None = None


def _rows(store: Store, f: AuditFilter):
    rows = AuditEvent.objects.using(store.alias)
    if f.actor:
        rows = rows.filter(actor__icontains=f.actor[:320])
    if f.action:
        rows = rows.filter(action=f.action[:40])
    if f.state:
        rows = rows.filter(state=f.state.upper()[:3])
    if f.since is not None:
        rows = rows.filter(at__gte=dt.datetime.combine(f.since, dt.time(0), tzinfo=dt.timezone.utc))
    if f.until is not None:
        rows = rows.filter(at__lt=dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time(0),
                                                      tzinfo=dt.timezone.utc))
    if f.states is not None or f.processes is not None:
        rows = rows.filter(Q(state__in=sorted(f.states or ())) | Q(process__in=sorted(f.processes or ())))
    return rows


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    counts: dict[int, int]  # position in entries -> how many refused accesses the row stands for
    page: int
    pages: int
    total: int


def audit_page(store: Store, f: AuditFilter, page: int = 1, size: int = PAGE_SIZE) -> AuditPage:
    """One page of the events matching `f`, newest first."""
    rows = _rows(store, f)
    total = rows.count()
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    chosen = list(rows.order_by("-at", "-id")[(page - 1) * size: page * size])
    entries = [_entry(e) for e in chosen]
    tallies = dict(RefusedTally.objects.using(store.alias).filter(
        event_id__in=[e.pk for e in chosen if e.action == Action.REFUSED]).values_list("event_id", "count"))
    counts = {i: tallies[e.pk] for i, e in enumerate(chosen) if e.pk in tallies}
    return AuditPage(entries, counts, page, pages, total)


def _entry(e: AuditEvent) -> AuditEntry:
    return AuditEntry(iso(e.at), e.actor, e.action, e.object_type, e.object_id, e.state, e.process, e.cycle,
                      e.from_state, e.to_state, e.reason, e.detail)


CSV_COLUMNS = ("at", "actor", "action", "count", "object_type", "object_id", "state", "process", "cycle",
               "from", "to", "reason", "path")


def audit_csv(store: Store, f: AuditFilter) -> tuple[bytes, bool]:
    """The events matching `f` as CSV (UTF-8 with BOM, every field quoted, every text neutralised
    against formulas), newest first; and whether it was cut at CSV_MAX_ROWS."""
    rows = _rows(store, f).order_by("-at", "-id")
    chosen = list(rows[:CSV_MAX_ROWS + 1])
    cut = len(chosen) > CSV_MAX_ROWS
    chosen = chosen[:CSV_MAX_ROWS]
    tallies = dict(RefusedTally.objects.using(store.alias).filter(event__isnull=False, event_id__in=[
        e.pk for e in chosen if e.action == Action.REFUSED]).values_list("event_id", "count")) if chosen else {}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in chosen:
        path = e.detail.get("path", "") if isinstance(e.detail, dict) else ""
        writer.writerow([neutralise(v) for v in (
            iso(e.at), e.actor, e.action, tallies.get(e.pk, 1), e.object_type, e.object_id, e.state or "",
            e.process or "", "" if e.cycle is None else e.cycle, e.from_state or "", e.to_state or "", e.reason,
            str(path))])
    return out.getvalue().encode("utf-8"), cut


def actions() -> list[str]:
    """Every action the log may hold, for the view's filter."""
    return sorted(a.value for a in Action)

