"""Every scoped lookup of the portal and the API, through the one scoping function.

Anything outside the caller's scope is answered 404, exactly as if it did not exist, and the
refused access is written to the audit log (who, what, which path).
"""

from __future__ import annotations

from django.http import Http404

from gcmtrack.errors import StoreError
from gcmtrack.portal.context import store
from gcmtrack.store.accounts import Scope, scope_of
from gcmtrack.store.events import Role


def scope(request) -> Scope:
    if request.account is None:
        return Scope("anonymous", frozenset(), frozenset())
    return scope_of(request.account)


def refuse(request, what: str, ident: object = "", reason: str = "out-of-scope") -> Http404:
    """Record a refused access (counted per actor, path and hour: store/audit.py) and return the
    404 to raise."""
    from gcmtrack.store.audit import record_refused

    actor = request.account.email if request.account is not None else "anonymous"
    record_refused(store(), actor, request.path, object_type=what, object_id=str(ident)[:64],
                   detail={"path": request.path[:300], "method": request.method, "why": reason})
    return Http404(what)


def existing(request, what: str, ident: object, row):
    """`row` when there is one, else the audited 404 of a `what` that does not exist."""
    if row is None:
        raise refuse(request, what, ident, "absent")
    return row


def require_role(request, roles: tuple[str, ...], page: str) -> Scope:
    """The caller's scope when its role is one of `roles`, else 404 (audited)."""
    s = scope(request)
    if s.role not in roles:
        raise refuse(request, "page", page, "role")
    return s


def visible_submission(request, submission_id: int):
    """A stored version the caller may see, else 404 (audited)."""
    s = scope(request)
    if not s.reads_submissions:
        raise refuse(request, "submission", submission_id, "role")
    try:
        stored = store().get(int(submission_id))
    except (StoreError, ValueError, OverflowError):
        raise refuse(request, "submission", submission_id, "absent") from None
    if not s.sees_state(stored.state):
        raise refuse(request, "submission", submission_id)
    return stored


def visible_narrative(request, submission_id: int, *, to_decide: bool = False):
    """A narrative version the caller may see (to_decide: and decide on: the state's submitter or
    staff of one of its processes), else 404 (audited)."""
    stored = visible_submission(request, submission_id)
    if not stored.is_narrative:
        raise refuse(request, "narrative", submission_id, "absent")
    if to_decide and scope(request).role not in (Role.SUBMITTER, Role.STAFF):
        raise refuse(request, "narrative", submission_id, "role")
    return stored


def visible_process(request, process_id: str, *, to_review: bool = False):
    """A process the caller works on (staff, admin) or reads (reviewers, unless to_review)."""
    from gcmtrack.errors import UnknownProcessError
    from gcmtrack.reference.processes import get_process

    s = scope(request)
    try:
        process = get_process(process_id)
    except UnknownProcessError:
        raise refuse(request, "process", process_id, "absent") from None
    allowed = s.sees_process(process.id) and (s.reviews if to_review else s.role in (Role.STAFF, Role.ADMIN, Role.REVIEWER))
    if not allowed:
        raise refuse(request, "process", process_id)
    return process


def visible_cycle(request, cycle: int) -> int:
    from gcmtrack.errors import UnknownEditionError
    from gcmtrack.reference.framework import framework

    try:
        framework().edition(int(cycle))
    except (UnknownEditionError, ValueError):
        raise refuse(request, "cycle", cycle, "absent") from None
    return int(cycle)


def authoring_process(request, process_id: str):
    """A process whose review the caller may write: staff of that process only (anyone else,
    admins included, gets 404, audited)."""
    from gcmtrack.errors import UnknownProcessError
    from gcmtrack.reference.processes import get_process

    s = scope(request)
    try:
        process = get_process(process_id)
    except UnknownProcessError:
        raise refuse(request, "process", process_id, "absent") from None
    if s.role != Role.STAFF or not s.sees_process(process.id):
        raise refuse(request, "authoring", process_id)
    return process


def may_decide(request, stored, decision: str) -> None:
    """Who may take a decision on a version the caller sees: staff (and admins) review; the
    state's own officials withdraw, and its certifying official certifies. Anyone else: 404
    (audited). Whether the workflow allows it from the version's state is the store's answer."""
    from gcmtrack.store.events import REVIEWS, Decision

    s = scope(request)
    if decision == Decision.CERTIFY:
        allowed = s.role == Role.SUBMITTER and bool(getattr(request.account, "certifier", False))
    elif decision == Decision.WITHDRAW:
        allowed = s.reads_submissions
    else:
        allowed = s.role in REVIEWS
    if not allowed:
        raise refuse(request, "decision", stored.id, "role")
