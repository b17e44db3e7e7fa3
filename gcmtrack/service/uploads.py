"""Receiving an upload, the one use case behind the portal's upload page and the API's
POST /api/v1/submissions: validate the workbook, check that the uploader may send for its
state, audit, store a valid one, keep a rejected one's check for the uploader's annotated
copy, and tell staff. The page and the API each present the returned `Received`."""

from __future__ import annotations

from dataclasses import dataclass

from gcmtrack.intake.validate import FileResult, validate_bytes
from gcmtrack.service import notify
from gcmtrack.service.deadlines import Window, late_warning, upload_window
from gcmtrack.service.ingest import IngestResult, store_result
from gcmtrack.store import Store
from gcmtrack.store.accounts import Scope
from gcmtrack.store.checks import keep_check
from gcmtrack.store.events import Action, ReviewState

# What became of an upload (Received.outcome).
REFUSED = "refused"  # the workbook is for a state the uploader may not send for (nothing stored)
REJECTED = "rejected"  # the workbook is not valid (nothing stored; a check kept when asked)
STORED = "stored"  # a new version
DUPLICATE = "duplicate"  # these exact bytes were stored before (nothing written)
CLOSED = "closed"  # the cycle is not open for the State's processes (nothing stored; window says why)


@dataclass(frozen=True)
class NewVersion:
    """A version just stored, as the notices to staff and certifiers name it."""

    id: int
    state: str
    cycle: int
    version: int
    problems: tuple  # its warnings, as stored with it


@dataclass
class Received:
    outcome: str
    result: FileResult
    item: IngestResult | None = None  # STORED and DUPLICATE: where it is
    check: str | None = None  # REJECTED with keep_check: the token of the kept check
    window: Window | None = None  # the deadline rule's answer, once the workbook's cycle is known

    @property
    def submission_id(self) -> int | None:
        return self.item.outcome.submission_id if self.item and self.item.outcome else None


def receive_upload(store: Store, account, scope: Scope, filename: str, data: bytes, *,
                   keep_rejected: bool = False) -> Received:
    """Validate, scope, audit, store and notify one uploaded workbook for `account` (whose
    `scope` says which states it may send for). With `keep_rejected`, an invalid workbook is
    kept for a day as an upload check (the page offers its annotated copy). The page and the
    API record the same audit events with the same fields."""
    result = validate_bytes(data, filename)
    if result.state and not scope.sees_state(result.state):
        store.audit(account.email, Action.UPLOAD_REFUSED, object_type="upload", object_id=filename[:64],
                    state=account.state, detail={"reason": "state-mismatch", "workbook_state": result.state})
        return Received(REFUSED, result)
    window = upload_window(store, result.state, result.cycle) if result.state and result.cycle else None
    if window is not None and not window.open:
        # the cycle decides before the workbook's errors: correcting them would not help
        store.audit(account.email, Action.UPLOAD_REFUSED, object_type="upload", object_id=filename[:64],
                    state=account.state, cycle=result.cycle,
                    detail={"reason": window.refused, "process": window.process,
                            "due": window.due.isoformat() if window.due else None})
        result.raw = None
        return Received(CLOSED, result, window=window)
    if not result.valid:
        check = None
        # an annotated copy only of what the safe reader could read: a refused package gets none
        if keep_rejected and result.raw is not None:
            check = keep_check(store, account, filename, data, result.lang,
                               [p.to_stored() for p in result.problems])
        store.audit(account.email, Action.UPLOAD_REJECTED, object_type="upload", object_id=filename[:64],
                    state=account.state, detail={"errors": len(result.errors)})
        return Received(REJECTED, result, check=check, window=window)
    late = late_warning(window, result.cycle_at) if window is not None else None
    if late is not None:
        result.problems.append(late)
    from gcmtrack.service.people import initial_state

    initial = initial_state(window)  # a valid workbook names its state and cycle: window is set
    item = store_result(store, result, data, filename, actor=account.email, action=Action.UPLOAD,
                        uploaded_by=account.pk, review_state=initial)
    if item.duplicate:
        return Received(DUPLICATE, result, item, window=window)
    done = item.outcome
    # what the notices need of the new version, as stored, without reading it back
    stored = NewVersion(done.submission_id, done.state, done.cycle, done.version, tuple(result.problems))
    if initial == ReviewState.UNCERTIFIED:
        notify.to_certify(store, stored, account)  # staff hear of it once it is certified
    else:
        notify.new_upload(store, stored, account)
    return Received(STORED, result, item, window=window)
