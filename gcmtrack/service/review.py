"""A review decision (accept, return, withdraw, reopen) on one version, taken from the portal's
page, the API or the command line: recorded by the store (TRANSITIONS), then the state's
submitters are told. Who may decide is checked by the caller's access door first."""

from __future__ import annotations

from gcmtrack.service import notify
from gcmtrack.store import Store
from gcmtrack.submission import StoredSubmission

REASON_MAX = 4000


def decide(store: Store, submission_id: int, decision: str, *, account=None, actor: str | None = None,
           reason: str = "") -> StoredSubmission:
    """Take `decision` on a version for `account` (portal, API) or `actor` (command line), and,
    for an account, tell the state's submitters. Raises ReviewError for a decision the
    workflow does not allow. The portal and the API keep at most REASON_MAX characters of a
    reason."""
    updated = store.review(submission_id, decision, actor=account.email if account is not None else actor,
                           reason=reason)
    if account is not None:
        notify.decision(store, updated, decision, account, reason)
    return updated
