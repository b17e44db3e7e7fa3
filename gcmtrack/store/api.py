"""The store's one interface: every version of every submission, review decisions, the audit
log and the store's own facts, on SQLite (one machine) or PostgreSQL (shared).

Every write is one transaction. A store written by gcmtrack 0.1 is upgraded in place on first
use; a file that belongs to another application is refused untouched; a store this process
may not write is opened read-only and still serves every reading command.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from gcmtrack.errors import StoreError
from gcmtrack.store import database
from gcmtrack.store.location import Location, parse_location, resolve_db
from gcmtrack.submission import StoredSubmission, Submission, render_problems

database.ensure_django()

from django.db import IntegrityError, OperationalError, connections, transaction  # noqa: E402

from gcmtrack.store.events import COUNTING_STATES, TRANSITIONS, Action, ReviewState  # noqa: E402
from gcmtrack.store.models import (  # noqa: E402
    AuditEvent,
    StoredFile,
    StoreMeta,
    SubmissionVersion,
)

WRITE_RETRIES = 5


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as every gcmtrack output writes times."""
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cli_actor() -> str:
    """Who acts from the command line: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "cli"


def version_object(stored: StoredSubmission) -> dict:
    """A stored version as the HTTP API lists it and `review --json` prints it (service.md)."""
    return {"id": stored.id, "state": stored.state, "cycle": stored.cycle, "version": stored.version,
            "review_state": stored.review_state, "stored_at": stored.ingested_at,
            "workbook_date": stored.workbook_date, "filename": stored.filename, "sha256": stored.sha256,
            "warnings": list(stored.problems), "kind": stored.kind}


@dataclass(frozen=True)
class IngestOutcome:
    submission_id: int
    state: str
    cycle: int
    version: int
    duplicate: bool  # True: these exact bytes were already stored; nothing was written
    warnings: tuple[dict, ...] = ()  # warnings the store itself added (older-than-current)


class ReviewError(StoreError):
    """A review decision that the workflow does not allow; `code` is stable (kebab-case)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass
class AuditEntry:
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    state: str | None
    process: str | None
    cycle: int | None
    from_state: str | None
    to_state: str | None
    reason: str
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"at": self.at, "actor": self.actor, "action": self.action, "object_type": self.object_type,
                "object_id": self.object_id, "state": self.state, "process": self.process, "cycle": self.cycle,
                "from": self.from_state, "to": self.to_state, "reason": self.reason, "detail": self.detail}


class Store:
    """An open gcmtrack store. Use as a context manager, or call close().

    `create=False` is for commands that only read: no store there is an error, and a store
    this process may not write is opened read-only.
    """

    def __init__(self, location: str | None = None, *, create: bool = True):
        self.location: Location = parse_location(resolve_db(location))
        self.readonly = False
        if self.location.is_sqlite:
            self._open_sqlite(create)
        else:
            self.alias = database.alias_for(self.location)
            try:
                kind = database.database_kind(self.alias)
            except OperationalError as exc:
                raise StoreError(f"cannot connect to {self.location.text}: {str(exc).strip()}") from None
            if not self._ready(kind):
                with database.creation_lock(self.location, self.alias):
                    self._prepare(database.database_kind(self.alias), create)

    # ------------------------------------------------------------------ opening

    def _open_sqlite(self, create: bool) -> None:
        path = self.location.path
        kind = database.sqlite_kind(path)
        if kind in ("missing", "empty") and not create:
            raise StoreError(f"no store at {path}; ingest submissions first (gcmtrack ingest PATH)")
        if kind in ("store", "v1") and not database.writable(path):
            self.readonly = True
            self.alias = database.alias_for(self.location, readonly=True)
            self._prepare(kind, create)
            return
        if kind == "foreign" and not database.writable(path):
            raise StoreError(f"{path} is not a gcmtrack store (it holds other data); nothing was changed")
        # "foreign" may also be a store another process is creating: looked at again under the lock
        if kind == "missing" and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {path.parent} for the store: "
                                 f"{exc.strerror or exc}") from None
        if not database.writable(path):
            raise StoreError(f"cannot create a store at {path}: the folder is not writable")
        self.alias = database.alias_for(self.location)
        if self._ready(kind):
            return
        # another process may be creating it right now: wait for it, then look again
        with database.creation_lock(self.location, self.alias):
            self._prepare(database.sqlite_kind(path), create)

    def _ready(self, kind: str) -> bool:
        """A finished store of this version (the common case: no lock needed)."""
        if kind != "store":
            return False
        try:
            return not database.pending_migrations(self.alias)
        except OperationalError:
            return False

    def _prepare(self, kind: str, create: bool) -> None:
        if kind == "foreign":
            raise StoreError(f"{self.location.text} is not a gcmtrack store (it holds other data); "
                             "nothing was changed")
        if kind in ("missing", "empty") and not create:
            raise StoreError(f"no store at {self.location.text}; ingest submissions first (gcmtrack ingest PATH)")
        try:
            pending = kind != "store" or database.pending_migrations(self.alias)
        except OperationalError as exc:
            raise StoreError(f"{self.location.text} cannot be opened: {exc}") from None
        if pending:
            if self.readonly:
                raise StoreError(f"{self.location.text} is read-only and was written by an older gcmtrack; "
                                 "open it once with write access to upgrade it")
            database.migrate(self.alias)

    def close(self) -> None:
        connection = connections[self.alias]
        connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def _versions(self):
        return SubmissionVersion.objects.using(self.alias)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): what is written inside it is kept
        together or not at all."""
        if self.readonly:
            raise StoreError(f"{self.location.text} is read-only here; nothing can be written")
        with transaction.atomic(using=self.alias):
            yield

    def record(self, actor: str, action: str, *, object_type: str = "", object_id: Any = "",
                state: str | None = None, process: str | None = None, cycle: int | None = None,
                from_state: str | None = None, to_state: str | None = None, reason: str = "",
                detail: dict | None = None, at: dt.datetime | None = None):
        """Append one event to the audit log inside the caller's transaction() (returns its row,
        for the store's own modules)."""
        return AuditEvent.objects.using(self.alias).create(
            at=at or utc_now(), actor=actor, action=str(action), object_type=object_type, object_id=str(object_id),
            state=state, process=process, cycle=cycle, from_state=from_state, to_state=to_state,
            reason=reason or "", detail=detail or {})

    def audit(self, actor: str, action: str, **fields: Any) -> None:
        """Append one event to the audit log in its own transaction. On a read-only store the
        event cannot be kept and is skipped (reading commands still work there)."""
        if self.readonly:
            return
        with self.transaction():
            self.record(actor, action, **fields)

    # ------------------------------------------------------------------ writing

    def add(self, data: bytes, filename: str, submission: Submission, warnings: list[dict], *,
            actor: str | None = None, action: str = Action.INGEST, uploaded_by: int | None = None,
            now: dt.datetime | str | None = None,
            older_warning: Callable[[str, str, int], dict] | None = None,
            review_state: str = ReviewState.SUBMITTED) -> IngestOutcome:
        """Store one valid submission as a new version of its state and cycle, with the original
        bytes and the warnings it was accepted with (as dicts). Identical bytes already stored
        are a no-op that says so (`duplicate`). A version dated earlier (by the workbook's own
        date) than the one that counts gets the warning that `older_warning(its date, the
        counting version's date, that version's number)` makes (the store knows no wording).
        `review_state` is "uncertified" for a version that waits for its state's certifying
        official (a process's certification step), else "submitted"."""
        digest = sha256(data)
        moment = _moment(now)
        for attempt in range(WRITE_RETRIES):
            try:
                with self.transaction():
                    return self._add(data, digest, filename, submission, list(warnings), actor or cli_actor(),
                                     action, uploaded_by, moment, older_warning, str(review_state))
            except IntegrityError:
                # a concurrent writer took this version number or stored these bytes first
                if attempt == WRITE_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _add(self, data, digest, filename, submission, warnings, actor, action, uploaded_by, moment, older_warning,
             review_state):
        existing = self._versions().filter(file_id=digest).first()
        if existing:
            return IngestOutcome(existing.id, existing.state, existing.cycle, existing.version, duplicate=True)
        if connections[self.alias].vendor == "postgresql":
            with connections[self.alias].cursor() as cursor:  # one writer per state and cycle at a time
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               [f"gcmtrack:{submission.state}:{submission.cycle}"])
        versions = self._versions().filter(state=submission.state, cycle=submission.cycle)
        last = versions.order_by("-version").values_list("version", flat=True).first() or 0
        workbook_date = _date_or_none(submission.date)
        added: list[dict] = []
        current = self._counting(versions).only("id", "version", "workbook_date").first()  # not its content
        if (older_warning and current and current.workbook_date and workbook_date
                and workbook_date < current.workbook_date):
            added.append(older_warning(workbook_date.isoformat(), current.workbook_date.isoformat(), current.version))
        # one INSERT … ON CONFLICT DO NOTHING (the bytes may be stored already, for another kind
        # of version or a concurrent upload) instead of get_or_create's read, savepoint and insert
        StoredFile.objects.using(self.alias).bulk_create([StoredFile(sha256=digest, size=len(data), content=data)],
                                                         ignore_conflicts=True)
        row = SubmissionVersion.objects.using(self.alias).create(
            state=submission.state, cycle=submission.cycle, version=last + 1, filename=Path(filename).name[:255],
            file_id=digest, ingested_at=moment, template_version=submission.template_version,
            lang=submission.lang, problems=warnings + added, content=submission.to_json(),
            workbook_date=workbook_date, review_state=review_state, uploaded_by_id=uploaded_by)
        self.record(actor, action, object_type="submission", object_id=row.id, state=row.state, cycle=row.cycle,
                     to_state=review_state, at=moment,
                     detail={"filename": row.filename, "sha256": digest, "version": row.version,
                             "warnings": len(row.problems)})
        return IngestOutcome(row.id, row.state, row.cycle, row.version, duplicate=False, warnings=tuple(added))

    def review(self, submission_id: int, decision: str, *, actor: str | None = None,
               reason: str = "") -> StoredSubmission:
        """Take a review decision (accept, return, withdraw, reopen) on one version."""
        if decision not in TRANSITIONS:
            raise ReviewError("unknown-decision", f"unknown decision {decision!r}; "
                                                  f"choose one of {', '.join(TRANSITIONS)}")
        sources, target, needs_reason = TRANSITIONS[decision]
        reason = (reason or "").strip()
        if needs_reason and not reason:
            raise ReviewError("reason-required", f"a reason is required to {decision} a submission")
        with self.transaction():
            row = self._versions().select_for_update().filter(id=submission_id).first()
            if row is None:
                raise StoreError(f"no submission {submission_id}")
            if row.review_state not in sources:
                allowed = " or ".join(sorted(sources))
                raise ReviewError("transition-not-allowed",
                                  f"submission {submission_id} is {row.review_state}; {decision} applies only to "
                                  f"a {allowed} version")
            before = row.review_state
            row.review_state = target
            row.save(update_fields=["review_state"])
            self.record(actor or cli_actor(), decision, object_type="submission", object_id=row.id,
                         state=row.state, cycle=row.cycle, from_state=before, to_state=target, reason=reason)
        return self.get(submission_id)

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _stored(row: SubmissionVersion) -> StoredSubmission:
        return StoredSubmission(
            id=row.id, state=row.state, cycle=row.cycle, version=row.version, filename=row.filename,
            sha256=row.file_id, ingested_at=iso(row.ingested_at), template_version=row.template_version,
            problems=tuple(render_problems(row.problems, row.lang)), problem_data=tuple(row.problems),
            submission=Submission.from_json(row.content),
            review_state=row.review_state,
            workbook_date=row.workbook_date.isoformat() if row.workbook_date else None,
            kind=row.kind,
        )

    @staticmethod
    def _counting(versions, accepted_only: bool = False):
        states = (ReviewState.ACCEPTED,) if accepted_only else COUNTING_STATES
        return versions.filter(review_state__in=states).order_by("-id")

    def submissions(self, cycle: int | None = None, state: str | None = None) -> list[StoredSubmission]:
        """Every stored version, oldest first."""
        rows = self._versions()
        if cycle is not None:
            rows = rows.filter(cycle=cycle)
        if state is not None:
            rows = rows.filter(state=state)
        return [self._stored(r) for r in rows.order_by("id")]

    def get(self, submission_id: int) -> StoredSubmission:
        """One stored version by id; StoreError when there is none."""
        row = self._versions().filter(id=submission_id).first()
        if row is None:
            raise StoreError(f"no submission {submission_id}")
        return self._stored(row)

    def latest(self, cycle: int, states: Iterable[str] | None = None, *,
               accepted_only: bool = False) -> dict[str, StoredSubmission]:
        """The version that counts for each state of a cycle: the most recently stored one that
        is submitted or accepted (only accepted ones with `accepted_only`)."""
        rows = self._counting(self._versions().filter(cycle=cycle), accepted_only)
        if states is not None:
            rows = rows.filter(state__in=list(states))
        result: dict[str, StoredSubmission] = {}
        for row in rows:
            if row.state not in result:
                result[row.state] = self._stored(row)
        return dict(sorted(result.items()))

    def version_counts(self, cycle: int) -> dict[str, int]:
        from django.db.models import Count

        rows = self._versions().filter(cycle=cycle).values("state").annotate(n=Count("id"))
        return {r["state"]: r["n"] for r in rows}

    def review_states(self, cycle: int) -> dict[str, str]:
        """Each state's review state for a cycle: that of the version that counts, else that of
        its latest version (e.g. "returned")."""
        latest: dict[str, str] = {}
        counting: dict[str, str] = {}  # as latest() picks the version that counts, without parsing it
        for row in self._versions().filter(cycle=cycle).order_by("-id").values("state", "review_state"):
            latest.setdefault(row["state"], row["review_state"])
            if row["review_state"] in COUNTING_STATES:
                counting.setdefault(row["state"], row["review_state"])
        return {**latest, **counting}

    def cycles(self) -> list[int]:
        return sorted(set(self._versions().values_list("cycle", flat=True)))

    def original(self, submission_id: int) -> bytes:
        row = self._versions().filter(id=submission_id).select_related("file").first()
        if row is None:
            raise StoreError(f"no submission {submission_id}")
        return bytes(row.file.content)

    def history(self, state: str, cycle: int) -> dict:
        """Every version of a state's submission for a cycle, oldest first, with its events
        (the JSON of `gcmtrack history --json`)."""
        rows = list(self._versions().filter(state=state, cycle=cycle).order_by("id"))
        counting = self._counting(self._versions().filter(state=state, cycle=cycle)).first()
        events: dict[str, list[dict]] = {}
        ids = [str(r.id) for r in rows]
        for event in AuditEvent.objects.using(self.alias).filter(object_type="submission",
                                                                  object_id__in=ids).order_by("id"):
            events.setdefault(event.object_id, []).append({
                "at": iso(event.at), "actor": event.actor, "action": event.action,
                "from": event.from_state, "to": event.to_state, "reason": event.reason or None})
        return {"state": state, "cycle": cycle, "versions": [{
            "id": r.id, "version": r.version, "review_state": r.review_state,
            "counts": counting is not None and counting.id == r.id,
            "workbook_date": r.workbook_date.isoformat() if r.workbook_date else None,
            "stored_at": iso(r.ingested_at), "filename": r.filename, "sha256": r.file_id, "kind": r.kind,
            "warnings": render_problems(r.problems, r.lang), "events": events.get(str(r.id), []),
        } for r in rows]}

    def audit_log(self, since: dt.datetime | None = None, limit: int | None = None) -> list[AuditEntry]:
        """The audit log, oldest first: every event (since a moment), or with `limit` the most
        recent `limit` of them (as `tail` would: the last five is what `audit --limit 5` asks)."""
        rows = AuditEvent.objects.using(self.alias)
        if since is not None:
            rows = rows.filter(at__gte=since)
        if limit:
            rows = reversed(list(rows.order_by("-id")[:limit]))
        else:
            rows = rows.order_by("id")
        return [AuditEntry(iso(e.at), e.actor, e.action, e.object_type, e.object_id, e.state, e.process, e.cycle,
                           e.from_state, e.to_state, e.reason, e.detail) for e in rows]

    def count_events(self, action: str, since: dt.datetime, *, object_id: str | None = None,
                     **detail: Any) -> int:
        """How many events of one action the log holds since a moment (for one object, or with
        the given detail values), e.g. failed sign-ins of an address in the last minutes."""
        rows = AuditEvent.objects.using(self.alias).filter(action=str(action), at__gte=since)
        if object_id is not None:
            rows = rows.filter(object_id=object_id)
        if detail:
            rows = rows.filter(**{f"detail__{key}": value for key, value in detail.items()})
        return rows.count()

    def last_reasons(self, submission_ids: Iterable[int]) -> dict[int, str]:
        """The reason of each version's latest decision that had one (return, reopen)."""
        rows = AuditEvent.objects.using(self.alias).filter(
            object_type="submission", object_id__in=[str(i) for i in submission_ids]).exclude(reason="").order_by("id")
        return {int(r.object_id): r.reason for r in rows}

    def get_meta(self, key: str) -> str | None:
        row = StoreMeta.objects.using(self.alias).filter(key=key).first()
        return None if row is None else row.value

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            StoreMeta.objects.using(self.alias).update_or_create(key=key, defaults={"value": value})

    def secret_key(self) -> str:
        """The key that signs sessions, CSRF tokens and invitations: $GCMTRACK_SECRET_KEY, else
        one generated on first use and kept with the store (never a default in the code)."""
        import os
        import secrets

        given = os.environ.get("GCMTRACK_SECRET_KEY")
        if given:
            return given
        key = self.get_meta("secret_key")
        if key:
            return key
        if self.readonly:
            raise StoreError("this read-only store has no secret key yet; set GCMTRACK_SECRET_KEY")
        with self.transaction():
            row, _created = StoreMeta.objects.using(self.alias).get_or_create(
                key="secret_key", defaults={"value": secrets.token_urlsafe(50)})
        return row.value

    def authored_review(self, process_id: str, cycle: int, lang: str):
        """What staff wrote and chose for a process's review in one language, as a
        gcmtrack.authored.AuthoredReview (gcmtrack/store/authoring.py)."""
        from gcmtrack.store.authoring import authored_review

        return authored_review(self, process_id, cycle, lang)

    @property
    def holds_samples(self) -> bool:
        """True for a store made from the bundled fictional samples (`gcmtrack demo`): every
        report rendered from it says so on its cover."""
        return self.get_meta("sample_data") == "1"

    @property
    def vendor(self) -> str:
        return connections[self.alias].vendor

    def integrity_check(self) -> str:
        if self.vendor != "sqlite":
            return "ok"
        with connections[self.alias].cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            return cursor.fetchone()[0]

    def iter_ids(self) -> Iterator[int]:
        yield from self._versions().order_by("id").values_list("id", flat=True)


def _moment(now: dt.datetime | str | None) -> dt.datetime:
    if now is None:
        return utc_now()
    if isinstance(now, str):
        return dt.datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    return now


def _date_or_none(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text or "")[:10])
    except ValueError:
        return None
