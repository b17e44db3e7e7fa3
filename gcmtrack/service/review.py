"""A review decision (accept, return, withdraw, reopen) on one version, taken from the portal's
page, the API or the command line: recorded by the store (TRANSITIONS), then the state's
submitters are told. Who may decide is checked by the caller's access door first.

Before a decision changes which version counts, the caller shows what will count afterwards
(`outcome`) and asks for a confirmation: returning or withdrawing the version that counts
makes an earlier version count (one nobody may have reviewed), and reopening a version makes
it count over the one that counts now. A decision after which the same version counts, or
none at all, needs no confirmation (the API stays as it was for those)."""

from __future__ import annotations

from dataclasses import dataclass

from gcmtrack.errors import GcmtrackError
from gcmtrack.service import notify
from gcmtrack.store import Store, cli_actor
from gcmtrack.store.events import COUNTING_STATES, TRANSITIONS, Decision
from gcmtrack.submission import StoredSubmission

REASON_MAX = 4000


class ConfirmationRequired(GcmtrackError):
    """The decision would change which version counts and was not confirmed."""

    code = "confirmation-required"

    def __init__(self, outcome: "Outcome"):
        self.outcome = outcome
        after = f"version {outcome.version_after}" if outcome.counts_after else "no version"
        super().__init__(f"after this decision {after} counts instead of version {outcome.version_now}; "
                         "confirm to go on")


@dataclass(frozen=True)
class Outcome:
    """Which version of the State's submission counts now and would count after a decision."""

    counts_now: int | None
    version_now: int | None
    counts_after: int | None
    version_after: int | None

    @property
    def changes(self) -> bool:
        return self.counts_now != self.counts_after

    @property
    def needs_confirmation(self) -> bool:
        """Another stored version would count afterwards (nothing counting is plain to see)."""
        return self.changes and self.counts_after is not None

    def to_dict(self) -> dict:
        return {"counts_now": self.counts_now, "version_now": self.version_now,
                "counts_after": self.counts_after, "version_after": self.version_after,
                "changes": self.changes, "confirmation_required": self.needs_confirmation}


def outcome(store: Store, stored: StoredSubmission, decision: str) -> Outcome:
    """What counts now and after `decision` on `stored` (as if the decision were allowed)."""
    versions = store.history(stored.state, stored.cycle)["versions"]
    target = TRANSITIONS[decision][1] if decision in TRANSITIONS else None

    def counting(override: dict) -> dict | None:
        live = [v for v in versions if override.get(v["id"], v["review_state"]) in COUNTING_STATES]
        return max(live, key=lambda v: v["id"]) if live else None

    now = counting({})
    after = counting({stored.id: target} if target else {})
    return Outcome(now["id"] if now else None, now["version"] if now else None,
                   after["id"] if after else None, after["version"] if after else None)


def decide(store: Store, submission_id: int, decision: str, *, account=None, actor: str | None = None,
           reason: str = "", confirm: bool | None = None) -> StoredSubmission:
    """Take `decision` on a version for `account` (portal, API) or `actor` (command line), and,
    for an account, tell the state's submitters. Raises ReviewError for a decision the
    workflow does not allow, and ConfirmationRequired when `confirm` is False and another
    version would count afterwards (None: not asked, as the command line's own tool). The
    portal and the API keep at most REASON_MAX characters of a reason."""
    if confirm is False and decision in TRANSITIONS:
        found = outcome(store, store.get(submission_id), decision)
        stored_state = store.get(submission_id).review_state
        if found.needs_confirmation and stored_state in TRANSITIONS[decision][0]:
            raise ConfirmationRequired(found)
    updated = store.review(submission_id, decision, actor=account.email if account is not None else actor,
                           reason=reason)
    if decision == Decision.RETURN:
        from gcmtrack.service.people import open_with_reason

        open_with_reason(store, updated, account.email if account is not None else actor or cli_actor(), reason)
    if account is not None:
        notify.decision(store, updated, decision, account, reason)
    if decision == Decision.CERTIFY:
        notify.new_upload(store, updated, account)  # now staff have it to review
    return updated
