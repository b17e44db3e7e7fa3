"""Narrative reviews (narrative.md): the use cases behind `gcmtrack narrative ingest|confirm`,
the API's /api/v1/narratives and the portal's confirmation page.

- `receive_narrative` (portal, API) and `ingest_narrative` (command line): read the document
  safely (gcmtrack.narrative.read_document), check that the sender may send for the state and
  that the cycle is open, audit, and store it as an unconfirmed narrative version (nothing of
  it counts yet). A document that cannot be read is refused with its located problems and
  nothing is stored.
- `decide` and `set_statuses`: a person's decisions on passages (the objectives each passage
  speaks to) and per objective the status the document supports, kept with who and when.
- `confirm`: the decisions become the version's content (`build_submission`), a Submission
  like a workbook's, whose rows carry the confirmed statuses and whose quotes are the confirmed
  passages in full with their page and paragraph; the version becomes "submitted" and counts.
- `parse_decisions`: the JSON of decisions (a file for staff who work offline, or the API's
  body), checked with located errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gcmtrack.common.languages import LANGS
from gcmtrack.errors import GcmtrackError, StoreError
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, framework
from gcmtrack.service import notify
from gcmtrack.service.deadlines import Window, upload_window
from gcmtrack.store import IngestOutcome, Store
from gcmtrack.store.accounts import Scope
from gcmtrack.store.events import Action
from gcmtrack.store.narrative import (
    ACCEPTED,
    CHANGED,
    COUNTED_LINKS,
    NOT_STATED,
    REJECTED,
    NarrativeVersion,
    add_narrative,
    get_narrative,
    record_links,
    record_statuses,
)
from gcmtrack.store.narrative import confirm as store_confirm
from gcmtrack.submission import ObjectiveRow, Quote, StoredSubmission, Submission

# What became of an upload (Received.outcome), as for workbooks (service/uploads.py).
REFUSED = "refused"  # a state the sender may not send for (nothing stored)
REJECTED_UPLOAD = "rejected"  # the document could not be read (nothing stored)
STORED = "stored"
DUPLICATE = "duplicate"
CLOSED = "closed"
UNKNOWN_CYCLE = "unknown-cycle"

# The largest decisions file or body read (a 200-page review decided passage by passage is far below).
MAX_DECISIONS_BYTES = 2 * 1024 * 1024


class NarrativeInputError(GcmtrackError):
    """Decisions that cannot be taken: each error is (where, code, message); `where` is a JSON
    path such as "passages[3].objectives[1]"."""

    def __init__(self, errors: list[tuple[str, str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{where}: {message}" if where else message for where, _code, message in errors))

    @property
    def code(self) -> str:
        return self.errors[0][1] if self.errors else "invalid-decisions"

    def to_list(self) -> list[dict]:
        return [{"where": where, "code": code, "message": message} for where, code, message in self.errors]


@dataclass
class Received:
    outcome: str
    reading: Any = None  # gcmtrack.narrative.Reading
    item: IngestOutcome | None = None
    window: Window | None = None
    state: str = ""
    cycle: int = 0

    @property
    def submission_id(self) -> int | None:
        return self.item.submission_id if self.item else None

    def to_dict(self, lang: str = "en") -> dict:
        data: dict[str, Any] = {"outcome": self.outcome, "state": self.state, "cycle": self.cycle,
                                "submission_id": self.submission_id,
                                "duplicate": self.outcome == DUPLICATE,
                                "version": self.item.version if self.item else None}
        if self.reading is not None:
            data.update({"filename": self.reading.filename, "kind": self.reading.kind,
                         "sha256": self.reading.sha256, "pages": self.reading.pages,
                         "passages": len(self.reading.passages),
                         "problems": [p.to_dict(lang) for p in self.reading.problems]})
        return data


# --------------------------------------------------------------------------- receiving

def read(data: bytes, filename: str):
    """The safe reading of a document (stores nothing, never raises for bad input)."""
    from gcmtrack.narrative import read_document

    return read_document(data, filename)


def document_lang(reading) -> str:
    """The language the version is kept in: the document's main language when gcmtrack speaks it."""
    try:
        found = list(reading.languages())
    except Exception:  # noqa: BLE001 - the reading's language is a convenience
        found = []
    for lang in found:
        lang = lang[0] if isinstance(lang, (tuple, list)) else lang
        if lang in LANGS:
            return lang
    return "en"


def _known_cycle(cycle: int) -> bool:
    from gcmtrack.errors import UnknownEditionError

    try:
        framework().edition(int(cycle))
        return True
    except (UnknownEditionError, ValueError):
        return False


def receive_narrative(store: Store, account, scope: Scope, filename: str, data: bytes, state: str,
                      cycle: int) -> Received:
    """Read, scope, audit, store and notify one uploaded narrative review for `account`."""
    state = (state or "").upper()
    if not scope.sees_state(state):
        store.audit(account.email, Action.UPLOAD_REFUSED, object_type="upload", object_id=filename[:64],
                    state=account.state, detail={"reason": "state-mismatch", "narrative_state": state[:3]})
        return Received(REFUSED, state=state, cycle=cycle)
    if not _known_cycle(cycle):
        return Received(UNKNOWN_CYCLE, state=state, cycle=cycle)
    window = upload_window(store, state, cycle)
    if not window.open:
        store.audit(account.email, Action.UPLOAD_REFUSED, object_type="upload", object_id=filename[:64],
                    state=state, cycle=cycle,
                    detail={"reason": window.refused, "process": window.process, "kind": "narrative",
                            "due": window.due.isoformat() if window.due else None})
        return Received(CLOSED, window=window, state=state, cycle=cycle)
    reading = read(data, filename)
    if not reading.ok:
        store.audit(account.email, Action.UPLOAD_REJECTED, object_type="upload", object_id=filename[:64],
                    state=state, cycle=cycle,
                    detail={"kind": "narrative", "errors": sum(1 for p in reading.problems if p.is_error),
                            "codes": sorted({str(getattr(p, "code", "")) for p in reading.problems})[:10]})
        return Received(REJECTED_UPLOAD, reading, window=window, state=state, cycle=cycle)
    item = _store(store, reading, data, filename, state, cycle, actor=account.email, action=Action.UPLOAD,
                  uploaded_by=account.pk)
    if not item.duplicate:
        notify.new_upload(store, store.get(item.submission_id), account)
    return Received(DUPLICATE if item.duplicate else STORED, reading, item, window, state, cycle)


def ingest_narrative(store: Store, data: bytes, filename: str, state: str, cycle: int, *,
                     actor: str) -> Received:
    """`gcmtrack narrative ingest`: read and store a document for a state and cycle (staff at
    the command line decide who sends what; the deadline rule is the portal's)."""
    state = (state or "").upper()
    if not _is_state(state):
        return Received(REFUSED, state=state, cycle=cycle)
    if not _known_cycle(cycle):
        return Received(UNKNOWN_CYCLE, state=state, cycle=cycle)
    reading = read(data, filename)
    if not reading.ok:
        store.audit(actor, Action.UPLOAD_REJECTED, object_type="upload", object_id=filename[:64], state=state,
                    cycle=cycle, detail={"kind": "narrative",
                                         "errors": sum(1 for p in reading.problems if p.is_error)})
        return Received(REJECTED_UPLOAD, reading, state=state, cycle=cycle)
    item = _store(store, reading, data, filename, state, cycle, actor=actor, action=Action.INGEST)
    return Received(DUPLICATE if item.duplicate else STORED, reading, item, None, state, cycle)


def _is_state(code: str) -> bool:
    from gcmtrack.reference.states import states

    return code in states()


def _store(store, reading, data, filename, state, cycle, *, actor, action, uploaded_by=None) -> IngestOutcome:
    lang = document_lang(reading)
    warnings = [p.to_stored() for p in reading.problems]
    return add_narrative(store, data, filename, state, int(cycle), lang, reading.to_dict(), warnings,
                         actor=actor, action=action, uploaded_by=uploaded_by)


# --------------------------------------------------------------------------- deciding

def narrative(store: Store, version_id: int) -> NarrativeVersion:
    return get_narrative(store, version_id)


def suggested(passage: dict) -> tuple[int, ...]:
    """The objectives suggested for a passage, best first."""
    return tuple(int(s["objective"]) for s in passage.get("suggestions", ()) if "objective" in s)


def links_for(passage: dict, objectives: list[int]) -> list[tuple[int, str]]:
    """A person's chosen objectives for a passage as decisions: a chosen suggestion is
    accepted, a chosen objective that was not suggested is a change, an unchosen suggestion is
    rejected."""
    offered = suggested(passage)
    chosen = list(dict.fromkeys(objectives))
    links = [(n, ACCEPTED if n in offered else CHANGED) for n in chosen]
    links += [(n, REJECTED) for n in offered if n not in chosen]
    return links


def decide(store: Store, version_id: int, choices: dict[int, list[int]], *, actor: str) -> NarrativeVersion:
    """Record the objectives chosen for passages: {passage number: [objective, …]} ([] rejects
    every suggestion). Unknown passages or objectives are refused with located errors."""
    found = get_narrative(store, version_id)
    errors = []
    numbers = {p.get("number") for p in found.passages}
    for passage, objectives in choices.items():
        if passage not in numbers:
            errors.append((f"passages[{passage}]", "unknown-passage", f"the document has no passage {passage}"))
        for objective in objectives:
            if objective not in OBJECTIVE_NUMBERS:
                errors.append((f"passages[{passage}]", "unknown-objective",
                               f"{objective} is not an objective (1-23)"))
    if errors:
        raise NarrativeInputError(errors)
    record_links(store, version_id, {p: links_for(found.passage(p), objs) for p, objs in choices.items()},
                 actor=actor)
    return get_narrative(store, version_id)


def status_keys() -> tuple[str, ...]:
    """What a person may say the document supports for an objective."""
    return tuple(s.key for s in framework().statuses) + (NOT_STATED,)


def set_statuses(store: Store, version_id: int, statuses: dict[int, str], *, actor: str) -> NarrativeVersion:
    errors = []
    allowed = status_keys()
    for objective, status in statuses.items():
        if objective not in OBJECTIVE_NUMBERS:
            errors.append((f"statuses.{objective}", "unknown-objective", f"{objective} is not an objective (1-23)"))
        if status not in allowed:
            errors.append((f"statuses.{objective}", "unknown-status",
                           f"{status!r} is not a status; use one of {', '.join(allowed)}"))
    if errors:
        raise NarrativeInputError(errors)
    get_narrative(store, version_id)
    record_statuses(store, version_id, statuses, actor=actor)
    return get_narrative(store, version_id)


def linked_objectives(found: NarrativeVersion) -> dict[int, list[int]]:
    """{objective: [passage, …]} of the counted links (accepted or changed)."""
    linked: dict[int, list[int]] = {}
    for link in found.links:
        if link.decision in COUNTED_LINKS:
            linked.setdefault(link.objective, []).append(link.passage)
    return dict(sorted(linked.items()))


def missing_statuses(found: NarrativeVersion) -> list[int]:
    """Objectives with confirmed passages but no status yet (a status, or "not stated", is required)."""
    return [n for n in linked_objectives(found) if n not in found.statuses]


def build_submission(found: NarrativeVersion) -> Submission:
    """What a confirmed narrative says, as a Submission: a row per objective with a status
    (not "not stated"), its measures the confirmed passages in full; every confirmed passage
    kept as a Quote with its page, paragraph and heading path. Suggestions never enter it."""
    stored = found.stored
    quotes: list[Quote] = []
    for link in found.links:
        if link.decision not in COUNTED_LINKS:
            continue
        passage = found.passage(link.passage) or {}
        quotes.append(Quote(objective=link.objective, passage=link.passage,
                            paragraph=int(passage.get("paragraph") or 0), text=str(passage.get("text", "")),
                            page=passage.get("page"), headings=tuple(passage.get("headings", ())),
                            lang=passage.get("lang")))
    quotes.sort(key=lambda q: (q.objective, q.passage))
    rows = {}
    for objective, choice in sorted(found.statuses.items()):
        if choice.status == NOT_STATED:
            continue
        texts = [q.text for q in quotes if q.objective == objective]
        rows[objective] = ObjectiveRow(objective=objective, status=choice.status, measures="\n\n".join(texts))
    extra = {"kind": "narrative",
             "document": {"filename": stored.filename, "sha256": stored.sha256,
                          "format": found.reading.get("kind"), "pages": found.reading.get("pages")},
             "quotes": [{"objective": q.objective, "passage": q.passage, "paragraph": q.paragraph, "text": q.text,
                         "page": q.page, "headings": list(q.headings), "lang": q.lang} for q in quotes]}
    return Submission(state=stored.state, cycle=stored.cycle, lang=stored.submission.lang, objectives=rows,
                      extra=extra)


def confirm(store: Store, version_id: int, *, account=None, actor: str | None = None) -> StoredSubmission:
    """Confirm the decisions: the version counts from now on (as a submitted workbook does)."""
    found = get_narrative(store, version_id)
    missing = missing_statuses(found)
    if missing:
        raise NarrativeInputError([(f"statuses.{n}", "status-required",
                                    f"objective {n} has confirmed passages but no status; set the status the "
                                    "document supports, or \"not-stated\"") for n in missing])
    who = account.email if account is not None else actor
    return store_confirm(store, version_id, build_submission(found), actor=who or "cli")


# --------------------------------------------------------------------------- decisions as JSON

DECISIONS_SHAPE = """{
  "passages": [{"passage": 12, "objectives": [5, 7]}, {"passage": 13, "objectives": []}],
  "statuses": {"5": "implemented", "7": "in_progress", "9": "not-stated"},
  "confirm": true
}"""


@dataclass
class Decisions:
    choices: dict[int, list[int]] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    confirm: bool = False


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_decisions(data: Any) -> Decisions:
    """Check decisions given as JSON (bytes, text or the parsed object); NarrativeInputError
    with every located error. The shape is DECISIONS_SHAPE (README: "Narrative decisions")."""
    errors: list[tuple[str, str, str]] = []
    if isinstance(data, (bytes, str)):
        if len(data) > MAX_DECISIONS_BYTES:
            raise NarrativeInputError([("", "too-large", f"the decisions are larger than {MAX_DECISIONS_BYTES} bytes")])
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            where = f"line {exc.lineno}, column {exc.colno}" if hasattr(exc, "lineno") else ""
            raise NarrativeInputError([(where, "invalid-json", "not valid JSON")]) from None
    if not isinstance(data, dict):
        raise NarrativeInputError([("", "invalid-json", "the decisions must be a JSON object")])
    unknown = sorted(set(data) - {"passages", "statuses", "confirm"})
    for key in unknown:
        errors.append((str(key)[:40], "unknown-key", "unknown key; use passages, statuses and confirm"))
    result = Decisions()
    passages = data.get("passages", [])
    if not isinstance(passages, list):
        errors.append(("passages", "invalid-type", "must be a list of {\"passage\": N, \"objectives\": [...]}"))
        passages = []
    for i, item in enumerate(passages):
        where = f"passages[{i}]"
        if not isinstance(item, dict):
            errors.append((where, "invalid-type", "must be an object {\"passage\": N, \"objectives\": [...]}"))
            continue
        number = _integer(item.get("passage"))
        if number is None or number < 1:
            errors.append((f"{where}.passage", "invalid-passage", "must be a passage number (1 or more)"))
        objectives = item.get("objectives")
        if not isinstance(objectives, list):
            errors.append((f"{where}.objectives", "invalid-type", "must be a list of objective numbers ([] rejects)"))
            continue
        chosen = []
        for j, value in enumerate(objectives):
            n = _integer(value)
            if n is None or n not in OBJECTIVE_NUMBERS:
                errors.append((f"{where}.objectives[{j}]", "unknown-objective",
                               f"{str(value)[:20]!r} is not an objective (1-23)"))
            else:
                chosen.append(n)
        if number is not None:
            if number in result.choices:
                errors.append((f"{where}.passage", "repeated-passage", f"passage {number} is given twice"))
            result.choices[number] = chosen
    statuses = data.get("statuses", {})
    if not isinstance(statuses, dict):
        errors.append(("statuses", "invalid-type", "must be an object {\"objective\": \"status\"}"))
        statuses = {}
    allowed = status_keys()
    for key, value in statuses.items():
        where = f"statuses.{str(key)[:10]}"
        n = _integer(key)
        if n is None or n not in OBJECTIVE_NUMBERS:
            errors.append((where, "unknown-objective", f"{str(key)[:20]!r} is not an objective (1-23)"))
            continue
        if not isinstance(value, str) or value not in allowed:
            errors.append((where, "unknown-status", f"{str(value)[:30]!r} is not a status; use one of "
                                                    f"{', '.join(allowed)}"))
            continue
        result.statuses[n] = value
    confirm_flag = data.get("confirm", False)
    if not isinstance(confirm_flag, bool):
        errors.append(("confirm", "invalid-type", "must be true or false"))
    else:
        result.confirm = confirm_flag
    if errors:
        raise NarrativeInputError(errors)
    return result


def apply_decisions(store: Store, version_id: int, decisions: Decisions, *, account=None,
                    actor: str | None = None) -> NarrativeVersion | StoredSubmission:
    """Record parsed decisions (and confirm when they say so), all checked before anything is written."""
    who = account.email if account is not None else (actor or "cli")
    found = get_narrative(store, version_id)
    numbers = {p.get("number") for p in found.passages}
    unknown = [(f"passages[{i}].passage", "unknown-passage", f"the document has no passage {n}")
               for i, n in enumerate(decisions.choices) if n not in numbers]
    if unknown:
        raise NarrativeInputError(unknown)
    if found.confirmed or found.stored.review_state != "unconfirmed":
        raise NarrativeInputError([("", "already-confirmed",
                                    f"narrative version {version_id} is {found.stored.review_state}; its "
                                    "decisions no longer change")])
    if decisions.choices:
        decide(store, version_id, decisions.choices, actor=who)
    if decisions.statuses:
        set_statuses(store, version_id, decisions.statuses, actor=who)
    if decisions.confirm:
        return confirm(store, version_id, account=account, actor=who)
    return get_narrative(store, version_id)


def narrative_or_error(store: Store, version_id: int) -> NarrativeVersion:
    try:
        return get_narrative(store, version_id)
    except StoreError:
        raise NarrativeInputError([("", "not-a-narrative", f"version {version_id} is not a narrative version")]) \
            from None


# --------------------------------------------------------------------------- what the API and the pages show

def passage_decision(found: NarrativeVersion, number: int) -> dict | None:
    """A passage's decision: the objectives it was linked to and every link with who and when;
    None while undecided."""
    links = found.links_of(number)
    if not links:
        return None
    return {"objectives": [l.objective for l in links if l.decision in COUNTED_LINKS],
            "links": [l.to_dict() for l in links]}


def narrative_object(found: NarrativeVersion) -> dict:
    """A narrative version as the API gives it: the version, the document, every passage with its
    suggestions and decision, the statuses set, and what still blocks confirmation."""
    from gcmtrack.store import version_object

    reading = found.reading
    body = version_object(found.stored)
    body.update({
        "confirmed": found.confirmed, "confirmed_by": found.confirmed_by or None, "confirmed_at": found.confirmed_at,
        "document": {"filename": found.stored.filename, "format": reading.get("kind"), "pages": reading.get("pages"),
                     "sha256": found.stored.sha256},
        "passages": [{**{k: p.get(k) for k in ("number", "page", "paragraph", "headings", "text", "lang", "kind",
                                                "suggestions")},
                      "decision": passage_decision(found, p.get("number"))} for p in found.passages],
        "statuses": {str(n): c.to_dict() for n, c in found.statuses.items()},
        "missing_statuses": missing_statuses(found),
        "status_keys": list(status_keys()),
    })
    return body
