"""Several officials per state (issue 19, item 4): the certification step of a process's cycle
and the state's certifying official, a conversation on each version between the state and
staff, and the staff's daily digest (the preference, the activity of a day, the days sent).

A state may have any number of submitter accounts (nothing in the store assumes one): each
may upload and withdraw for it, each is told of decisions and messages; those flagged
`certifier` also certify. Where certification is required is a setting of the process's
cycle, kept with its deadline (set by staff on the dashboard or `gcmtrack deadline
--certification`), so that it changes with the cycle and needs no edit of the bundled
process data.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from gcmtrack.store.api import Store, cli_actor, iso, utc_now
from gcmtrack.store.events import Action, Role
from gcmtrack.store.models import Account, AuditEvent, Deadline, DigestSent, SubmissionVersion, VersionMessage

MESSAGE_MAX = 2000  # characters of one message
STATE_SIDE = "state"
STAFF_SIDE = "staff"


class MessageError(ValueError):
    """A message that cannot be kept; `code` is stable (kebab-case)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


# ---------------------------------------------------------------------------- certification


def set_certification(store: Store, process_id: str, cycle: int, required: bool, *,
                      actor: str | None = None) -> None:
    """Require (or no longer require) certification for a process's cycle; the cycle must have a
    deadline (it is opened first)."""
    with store.transaction():
        updated = Deadline.objects.using(store.alias).filter(process=process_id, cycle=cycle).update(
            certification=bool(required))
        if not updated:
            raise ValueError(f"{process_id} {cycle} has no deadline yet: open the cycle first")
        store.record(actor or cli_actor(), Action.CERTIFICATION, object_type="process", object_id=process_id,
                     process=process_id, cycle=cycle, detail={"required": bool(required)})


def set_certifier(store: Store, account: Account, on: bool, *, actor: str | None = None) -> None:
    """Make a submitter its state's certifying official (a state may have several), or not."""
    if on and account.role != Role.SUBMITTER:
        raise ValueError("only a state's submitter account can be its certifying official")
    with store.transaction():
        Account.objects.using(store.alias).filter(pk=account.pk).update(certifier=bool(on))
        store.record(actor or cli_actor(), Action.CERTIFIER, object_type="account", object_id=account.email,
                     state=account.state, detail={"certifier": bool(on)})
    account.certifier = bool(on)


def certifiers(store: Store, state: str) -> list[Account]:
    return list(Account.objects.using(store.alias).filter(is_active=True, role=Role.SUBMITTER, state=state,
                                                          certifier=True).order_by("email"))


# ---------------------------------------------------------------------------- messages


def clean_message(text: str) -> str:
    """The message as kept: line ends made \\n, other control characters removed, trimmed;
    MessageError when it is empty or longer than MESSAGE_MAX."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    text = text.strip()
    if not text:
        raise MessageError("message-empty", "the message is empty")
    if len(text) > MESSAGE_MAX:
        raise MessageError("message-too-long", f"the message is longer than {MESSAGE_MAX} characters")
    return text


def add_message(store: Store, submission_id: int, author: str, side: str, text: str, *,
                audit: bool = True) -> dict:
    """Add a message to a version's conversation (who may write is the caller's access check).
    `audit` False: the event that opened it already holds the text (a return's reason)."""
    if side not in (STATE_SIDE, STAFF_SIDE):
        raise ValueError(f"side must be {STATE_SIDE} or {STAFF_SIDE}")
    text = clean_message(text)
    with store.transaction():
        version = SubmissionVersion.objects.using(store.alias).filter(id=submission_id).first()
        if version is None:
            raise MessageError("no-submission", f"no submission {submission_id}")
        row = VersionMessage.objects.using(store.alias).create(submission=version, author=author, side=side,
                                                                text=text, created_at=utc_now())
        if audit:
            store.record(author, Action.MESSAGE, object_type="message", object_id=row.id, state=version.state,
                         cycle=version.cycle, detail={"submission": version.id, "side": side, "length": len(text)})
    return _message(row)


def _message(row: VersionMessage) -> dict:
    return {"id": row.id, "submission": row.submission_id, "author": row.author, "side": row.side,
            "text": row.text, "at": iso(row.created_at)}


def messages(store: Store, submission_id: int) -> list[dict]:
    """A version's conversation, oldest first."""
    rows = VersionMessage.objects.using(store.alias).filter(submission_id=submission_id).order_by("id")
    return [_message(r) for r in rows]


def message_counts(store: Store, submission_ids) -> dict[int, int]:
    from django.db.models import Count

    rows = (VersionMessage.objects.using(store.alias).filter(submission_id__in=list(submission_ids))
            .values("submission_id").annotate(n=Count("id")))
    return {r["submission_id"]: r["n"] for r in rows}


# ---------------------------------------------------------------------------- the staff digest


def set_digest(store: Store, account: Account, on: bool, *, actor: str | None = None) -> None:
    """A staff account's preference: one e-mail a day (the digest) instead of one per event."""
    with store.transaction():
        Account.objects.using(store.alias).filter(pk=account.pk).update(digest=bool(on))
        store.record(actor or account.email, Action.DIGEST_PREFERENCE, object_type="account",
                     object_id=account.email, detail={"digest": bool(on)})
    account.digest = bool(on)


def digest_accounts(store: Store) -> list[Account]:
    return list(Account.objects.using(store.alias).filter(is_active=True, role=Role.STAFF, digest=True)
                .order_by("email"))


# What a digest reports: versions arriving, certified, decided, and messages.
DIGEST_ACTIONS = (Action.UPLOAD, Action.INGEST, Action.CERTIFY, Action.ACCEPT, Action.RETURN, Action.WITHDRAW,
                  Action.REOPEN, Action.MESSAGE)


def activity(store: Store, states, day: dt.date) -> list[dict]:
    """What happened on `day` (UTC) to the versions of these states, oldest first."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    rows = (AuditEvent.objects.using(store.alias)
            .filter(at__gte=start, at__lt=start + dt.timedelta(days=1), state__in=list(states),
                    action__in=[str(a) for a in DIGEST_ACTIONS])
            .order_by("id"))
    return [{"at": iso(e.at), "actor": e.actor, "action": e.action, "state": e.state, "cycle": e.cycle,
             "submission": e.detail.get("submission") if e.object_type == "message" else int(e.object_id),
             "to": e.to_state} for e in rows if e.object_type in ("message", "submission")]


def reserve_digest(store: Store, account: Account, day: dt.date) -> bool:
    """Claim the digest of `day` for an account; False when it was sent (or claimed) already."""
    from django.db import IntegrityError

    try:
        with store.transaction():
            DigestSent.objects.using(store.alias).create(account=account, day=day, sent_at=utc_now())
    except IntegrityError:
        return False
    return True


def release_digest(store: Store, account: Account, day: dt.date) -> None:
    """Give a claimed day back (its e-mail could not be sent), so that a later run sends it."""
    with store.transaction():
        DigestSent.objects.using(store.alias).filter(account=account, day=day).delete()


def digest_sent(store: Store, account: Account, day: dt.date) -> bool:
    return DigestSent.objects.using(store.alias).filter(account=account, day=day).exists()
