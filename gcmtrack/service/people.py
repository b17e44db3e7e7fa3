"""Several officials per state (issue 19, item 4), as use cases shared by the portal, the API
and the command line: whether a new version waits for certification, a message in a
version's conversation (and who is told), and the staff's daily digest.

The digest is sent by `gcmtrack digest` (run it once a day, e.g. from cron or a systemd
timer, after midnight UTC): each staff account that chose it gets one e-mail about the
versions of its processes' members that arrived, were certified or decided, and the messages
written, on the day before (or `--day`). A day sent is recorded first, so a second run for the
same day sends nothing; a day with nothing to say sends nothing and is recorded too.
"""

from __future__ import annotations

import datetime as dt

from gcmtrack.service import notify
from gcmtrack.store import Store
from gcmtrack.store.events import ReviewState, Role
from gcmtrack.store.people import (
    STAFF_SIDE,
    STATE_SIDE,
    activity,
    add_message,
    digest_accounts,
    release_digest,
    reserve_digest,
)


def initial_state(window) -> str:
    """The review state of a new version: "uncertified" when one of its state's processes
    requires certification for the cycle, else "submitted", as the deadline rule's `window`
    for that state and cycle found it (it reads the processes' deadlines)."""
    return ReviewState.UNCERTIFIED if window.certification else ReviewState.SUBMITTED


def may_write(account, stored) -> bool:
    """Only the state's own officials and the staff of its processes take part in a version's
    conversation (the caller has already checked that the account sees the version)."""
    return account is not None and account.role in (Role.SUBMITTER, Role.STAFF)


def post_message(store: Store, stored, account, text: str) -> dict:
    """Add `account`'s message to the conversation on `stored` and tell the other side."""
    side = STATE_SIDE if account.role == Role.SUBMITTER else STAFF_SIDE
    message = add_message(store, stored.id, account.email, side, text)
    notify.message(store, stored, message, account)
    return message


def open_with_reason(store: Store, stored, actor_email: str, reason: str) -> None:
    """A return's reason opens the version's conversation (its text is already in the audit log)."""
    if reason.strip():
        add_message(store, stored.id, actor_email, STAFF_SIDE, reason, audit=False)


def yesterday() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)


def send_digests(store: Store, day: dt.date | None = None, *, dry_run: bool = False) -> list[dict]:
    """Send each digest-reading staff account what happened on `day` (default: yesterday, UTC)
    to its processes' members. Returns one row per account: {"to", "day", "events", "sent"}
    ("sent": "sent", "nothing" (no event), "already" (sent before) or "dry-run")."""
    from gcmtrack.store.accounts import scope_of

    day = day or yesterday()
    rows = []
    for account in digest_accounts(store):
        s = scope_of(account)
        events = activity(store, sorted(s.states or ()), day)
        row = {"to": account.email, "day": day.isoformat(), "events": len(events)}
        if dry_run:
            rows.append({**row, "sent": "dry-run"})
            continue
        if not reserve_digest(store, account, day):
            rows.append({**row, "sent": "already"})
            continue
        if not events:
            rows.append({**row, "sent": "nothing"})
            continue
        try:
            notify.digest(store, account, day, events)
        except Exception:
            release_digest(store, account, day)  # not sent: a later run sends it
            raise
        rows.append({**row, "sent": "sent"})
    return rows
