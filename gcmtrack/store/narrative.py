"""Narrative versions (narrative.md): a document in prose kept as a version of kind "narrative"
beside the workbook versions of its state and cycle, numbered with them, going through the same
review workflow.

It is stored "unconfirmed" with its original bytes, its reading (passages and suggestions) and
an empty content: it does not count. A person's decisions are kept per passage and objective
(accepted, changed, rejected: who and when) and per objective (the status the document
supports). `confirm` writes what they say into the version's content, the Submission that
scoring and reports read (service/narrative.py builds it), and makes the version "submitted":
from then on it counts exactly as a workbook version would, and its decisions are frozen.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, connections

from gcmtrack.errors import StoreError
from gcmtrack.store.api import WRITE_RETRIES, IngestOutcome, ReviewError, Store, _moment, iso, sha256
from gcmtrack.store.events import Action, Kind, ReviewState
from gcmtrack.store.models import (
    NarrativeDocument,
    NarrativeLink,
    NarrativeStatus,
    StoredFile,
    SubmissionVersion,
)
from gcmtrack.submission import StoredSubmission, Submission

# A person's decision on one objective for one passage.
ACCEPTED = "accepted"  # a suggestion kept
CHANGED = "changed"  # an objective the person chose that was not suggested
REJECTED = "rejected"  # a suggestion turned down
LINK_DECISIONS = (ACCEPTED, CHANGED, REJECTED)
COUNTED_LINKS = (ACCEPTED, CHANGED)
# The status of an objective the document does not speak to (no row: it scores as not reported).
NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Link:
    passage: int
    objective: int
    decision: str  # ACCEPTED, CHANGED or REJECTED
    actor: str
    at: str  # ISO 8601, UTC

    def to_dict(self) -> dict:
        return {"passage": self.passage, "objective": self.objective, "decision": self.decision,
                "by": self.actor, "at": self.at}


@dataclass(frozen=True)
class StatusChoice:
    objective: int
    status: str  # a key of objectives/statuses.yaml, or NOT_STATED
    actor: str
    at: str

    def to_dict(self) -> dict:
        return {"objective": self.objective, "status": self.status, "by": self.actor, "at": self.at}


@dataclass(frozen=True)
class NarrativeVersion:
    """A narrative version with its reading and the decisions taken on it so far."""

    stored: StoredSubmission
    reading: dict  # Reading.to_json(): filename, kind, sha256, pages, passages, problems
    links: tuple[Link, ...]
    statuses: dict[int, StatusChoice]
    confirmed_by: str
    confirmed_at: str | None

    @property
    def id(self) -> int:
        return self.stored.id

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def passages(self) -> list[dict]:
        return list(self.reading.get("passages", ()))

    def passage(self, number: int) -> dict | None:
        return next((p for p in self.passages if p.get("number") == number), None)

    def links_of(self, passage: int) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.passage == passage)

    def decided(self, passage: int) -> bool:
        return any(link.passage == passage for link in self.links)


def is_narrative(store: Store, version_id: int) -> bool:
    return SubmissionVersion.objects.using(store.alias).filter(id=version_id, kind=Kind.NARRATIVE).exists()


def add_narrative(store: Store, data: bytes, filename: str, state: str, cycle: int, lang: str, reading: dict,
                  warnings: list[dict], *, actor: str, action: str = Action.INGEST, uploaded_by: int | None = None,
                  now: dt.datetime | str | None = None) -> IngestOutcome:
    """Store a read document as a new, unconfirmed narrative version of `state` and `cycle`:
    its bytes, its reading and the warnings it was read with. The same bytes stored before are
    a no-op that says so (`duplicate`)."""
    digest = sha256(data)
    moment = _moment(now)
    for attempt in range(WRITE_RETRIES):
        try:
            with store.transaction():
                return _add(store, data, digest, filename, state, cycle, lang, reading, warnings, actor, action,
                            uploaded_by, moment)
        except IntegrityError:
            if attempt == WRITE_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _add(store, data, digest, filename, state, cycle, lang, reading, warnings, actor, action, uploaded_by, moment):
    versions = SubmissionVersion.objects.using(store.alias)
    existing = versions.filter(file_id=digest).first()
    if existing:
        return IngestOutcome(existing.id, existing.state, existing.cycle, existing.version, duplicate=True)
    if connections[store.alias].vendor == "postgresql":
        with connections[store.alias].cursor() as cursor:  # one writer per state and cycle at a time
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"gcmtrack:{state}:{cycle}"])
    last = versions.filter(state=state, cycle=cycle).order_by("-version").values_list("version", flat=True).first()
    StoredFile.objects.using(store.alias).get_or_create(sha256=digest, defaults={"size": len(data), "content": data})
    empty = Submission(state=state, cycle=cycle, lang=lang, objectives={}, extra={"kind": Kind.NARRATIVE.value})
    row = versions.create(
        state=state, cycle=cycle, version=(last or 0) + 1, filename=Path(filename).name[:255], file_id=digest,
        ingested_at=moment, template_version=None, lang=lang, problems=list(warnings), content=empty.to_json(),
        workbook_date=None, review_state=ReviewState.UNCONFIRMED, uploaded_by_id=uploaded_by, kind=Kind.NARRATIVE)
    NarrativeDocument.objects.using(store.alias).create(version=row, reading=reading)
    store.record(actor, action, object_type="submission", object_id=row.id, state=state, cycle=cycle,
                 to_state=ReviewState.UNCONFIRMED, at=moment,
                 detail={"filename": row.filename, "sha256": digest, "version": row.version, "kind": "narrative",
                         "passages": len(reading.get("passages", ())), "warnings": len(warnings)})
    return IngestOutcome(row.id, state, cycle, row.version, duplicate=False)


def get_narrative(store: Store, version_id: int) -> NarrativeVersion:
    """A narrative version with its decisions; StoreError when `version_id` is none."""
    document = (NarrativeDocument.objects.using(store.alias).select_related("version")
                .filter(version_id=version_id).first())
    if document is None:
        raise StoreError(f"no narrative version {version_id}")
    links = tuple(Link(r.passage, r.objective, r.decision, r.actor, iso(r.at)) for r in
                  NarrativeLink.objects.using(store.alias).filter(version_id=version_id)
                  .order_by("passage", "objective"))
    statuses = {r.objective: StatusChoice(r.objective, r.status, r.actor, iso(r.at)) for r in
                NarrativeStatus.objects.using(store.alias).filter(version_id=version_id).order_by("objective")}
    return NarrativeVersion(store._stored(document.version), document.reading, links, statuses,
                            document.confirmed_by, iso(document.confirmed_at))


def _unconfirmed(store: Store, version_id: int) -> SubmissionVersion:
    """The narrative version, locked, when decisions may still change; else ReviewError."""
    row = (SubmissionVersion.objects.using(store.alias).select_for_update()
           .filter(id=version_id, kind=Kind.NARRATIVE).first())
    if row is None:
        raise StoreError(f"no narrative version {version_id}")
    if row.review_state != ReviewState.UNCONFIRMED:
        raise ReviewError("already-confirmed",
                          f"narrative version {version_id} is {row.review_state}; its decisions were confirmed "
                          "and no longer change (upload the document again for new decisions)")
    return row


def record_links(store: Store, version_id: int, decisions: dict[int, list[tuple[int, str]]], *, actor: str,
                 now: dt.datetime | None = None) -> None:
    """Replace the decisions on the given passages: {passage: [(objective, ACCEPTED|CHANGED|REJECTED)]}
    (an empty list: the passage links to nothing). Only while the version is unconfirmed."""
    moment = now or _moment(None)
    with store.transaction():
        row = _unconfirmed(store, version_id)
        links = NarrativeLink.objects.using(store.alias)
        links.filter(version_id=version_id, passage__in=list(decisions)).delete()
        links.bulk_create([NarrativeLink(version_id=version_id, passage=passage, objective=objective,
                                         decision=decision, actor=actor, at=moment)
                           for passage, chosen in decisions.items() for objective, decision in chosen])
        store.record(actor, Action.NARRATIVE_DECIDE, object_type="submission", object_id=version_id,
                     state=row.state, cycle=row.cycle, at=moment,
                     detail={"passages": sorted(decisions)[:200],
                             "links": {str(p): [[o, d] for o, d in chosen] for p, chosen in
                                       sorted(decisions.items())[:200]}})


def record_statuses(store: Store, version_id: int, statuses: dict[int, str], *, actor: str,
                    now: dt.datetime | None = None) -> None:
    """Set the status the document supports for the given objectives. Only while unconfirmed."""
    moment = now or _moment(None)
    with store.transaction():
        row = _unconfirmed(store, version_id)
        for objective, status in sorted(statuses.items()):
            NarrativeStatus.objects.using(store.alias).update_or_create(
                version_id=version_id, objective=objective,
                defaults={"status": status, "actor": actor, "at": moment})
        store.record(actor, Action.NARRATIVE_STATUS, object_type="submission", object_id=version_id,
                     state=row.state, cycle=row.cycle, at=moment,
                     detail={"statuses": {str(o): s for o, s in sorted(statuses.items())}})


def confirm(store: Store, version_id: int, content: Submission, *, actor: str,
            now: dt.datetime | None = None) -> StoredSubmission:
    """Confirm a narrative's decisions: `content` (what they say, built by the service) becomes
    the version's content and the version is "submitted", counting like any version."""
    moment = now or _moment(None)
    with store.transaction():
        row = _unconfirmed(store, version_id)
        row.content = content.to_json()
        row.review_state = ReviewState.SUBMITTED
        row.save(update_fields=["content", "review_state"])
        NarrativeDocument.objects.using(store.alias).filter(version_id=version_id).update(
            confirmed_by=actor, confirmed_at=moment)
        store.record(actor, Action.NARRATIVE_CONFIRM, object_type="submission", object_id=version_id,
                     state=row.state, cycle=row.cycle, from_state=ReviewState.UNCONFIRMED,
                     to_state=ReviewState.SUBMITTED, at=moment,
                     detail={"objectives": sorted(content.objectives), "quotes": len(content.quotes)})
    return store.get(version_id)
