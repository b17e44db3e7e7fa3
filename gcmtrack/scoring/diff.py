"""What changed between two stored versions (`gcmtrack diff`, cli.md v2): of one state in one
cycle, or the versions that count in two cycles.

Only what changed is listed: objectives whose status, score or text changed, practices added,
removed or changed (matched by title, ignoring case and spacing), round tables whose score
changed; the overall score is always given as [from, to].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gcmtrack.common.text import fold
from gcmtrack.errors import GcmtrackError
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, framework
from gcmtrack.scoring import score_submission
from gcmtrack.scoring.explain import NoSubmissionError, counted_submission
from gcmtrack.scoring.rounding import published
from gcmtrack.submission import Practice, StoredSubmission, location_text

ROW_FIELDS = ("measures", "evidence", "partners", "principles")
PRACTICE_FIELDS = ("description", "objectives", "themes", "status", "start_year", "partners", "link", "principles")


@dataclass(frozen=True)
class Side:
    submission_id: int
    state: str
    cycle: int
    version: int

    def to_json(self) -> dict[str, Any]:
        return {"submission_id": self.submission_id, "state": self.state, "cycle": self.cycle, "version": self.version}


@dataclass(frozen=True)
class ObjectiveChange:
    number: int
    status: tuple[str | None, str | None]  # status keys; None: no row
    score: tuple[float | None, float | None]
    changed_fields: tuple[str, ...]  # of ROW_FIELDS, and "passages" when a narrative's quoted passages changed
    # a narrative review's confirmed passages, on each side: "page 4, paragraph 2" (none for a workbook)
    passages: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def to_json(self) -> dict[str, Any]:
        data = {"status": list(self.status), "score": [published(v) for v in self.score],
                "changed_fields": list(self.changed_fields)}
        if self.passages != ((), ()):
            data["passages"] = [list(self.passages[0]), list(self.passages[1])]
        return data


@dataclass(frozen=True)
class PracticeChange:
    title: str
    fields: tuple[str, ...]  # of PRACTICE_FIELDS

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "fields": list(self.fields)}


@dataclass(frozen=True)
class Diff:
    from_: Side
    to: Side
    objectives: dict[int, ObjectiveChange]
    added: tuple[str, ...]  # practice titles
    removed: tuple[str, ...]
    changed: tuple[PracticeChange, ...]
    overall: tuple[float | None, float | None]
    round_tables: dict[int, tuple[float | None, float | None]]

    @property
    def empty(self) -> bool:
        return not (self.objectives or self.added or self.removed or self.changed or self.round_tables
                    or self.overall[0] != self.overall[1])

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.from_.to_json(), "to": self.to.to_json(),
            "objectives": {str(n): c.to_json() for n, c in self.objectives.items()},
            "practices": {"added": list(self.added), "removed": list(self.removed),
                          "changed": [c.to_json() for c in self.changed]},
            "overall": [published(v) for v in self.overall],
            "round_tables": {str(n): [published(v) for v in pair] for n, pair in self.round_tables.items()},
        }


def _key(title: str) -> str:
    return " ".join(fold(title).split())


def _practice_changes(a: tuple[Practice, ...], b: tuple[Practice, ...]):
    """Practices matched by folded title; duplicates of a title are matched in order."""
    left: dict[str, list[Practice]] = {}
    for p in a:
        left.setdefault(_key(p.title), []).append(p)
    added, changed = [], []
    for p in b:
        bucket = left.get(_key(p.title))
        if not bucket:
            added.append(p.title)
            continue
        old = bucket.pop(0)
        fields = tuple(f for f in PRACTICE_FIELDS if getattr(old, f) != getattr(p, f))
        if fields:
            changed.append(PracticeChange(p.title, fields))
    removed = [p.title for bucket in left.values() for p in bucket]
    return tuple(added), tuple(removed), tuple(changed)


def _places(stored: StoredSubmission, objective: int) -> tuple[str, ...]:
    """Where a narrative's confirmed passages for an objective are ("page 4, paragraph 2")."""
    return tuple(location_text(q.page, q.paragraph) for q in stored.submission.quotes_for(objective))


def _field(row, name: str):
    """A row's field, or its empty value when there is no row."""
    if row is None:
        return () if name == "principles" else ""
    return getattr(row, name)


def diff_submissions(a: StoredSubmission, b: StoredSubmission) -> Diff:
    """What changed from `a` to `b` (any two stored versions, of the same state or not)."""
    fw = framework()
    score_a = score_submission(a.submission, fw, fw.edition(a.cycle))
    score_b = score_submission(b.submission, fw, fw.edition(b.cycle))
    objectives = {}
    for n in OBJECTIVE_NUMBERS:
        row_a, row_b = a.submission.objectives.get(n), b.submission.objectives.get(n)
        status = (row_a.status if row_a else None, row_b.status if row_b else None)
        score = (score_a.objectives[n], score_b.objectives[n])
        fields = tuple(f for f in ROW_FIELDS if _field(row_a, f) != _field(row_b, f))
        passages = (_places(a, n), _places(b, n))
        if passages[0] != passages[1]:
            fields += ("passages",)
        if status[0] != status[1] or score[0] != score[1] or fields:
            objectives[n] = ObjectiveChange(n, status, score, fields, passages)
    added, removed, changed = _practice_changes(a.submission.practices, b.submission.practices)
    tables = sorted(set(score_a.round_tables) | set(score_b.round_tables))
    round_tables = {t: (score_a.round_tables.get(t), score_b.round_tables.get(t)) for t in tables
                    if score_a.round_tables.get(t) != score_b.round_tables.get(t)}
    side = lambda s: Side(s.id, s.state, s.cycle, s.version)  # noqa: E731
    return Diff(side(a), side(b), objectives, added, removed, changed, (score_a.overall, score_b.overall),
                round_tables)


def diff_latest_versions(store, state: str, cycle: int) -> Diff:
    """The two latest accepted versions of a state in a cycle (the one that counts, and the one before)."""
    framework().edition(cycle)
    versions = [s for s in store.submissions(cycle) if s.state == state.upper()]
    if len(versions) < 2:
        raise NoSubmissionError(f"{state.upper()} has {len(versions)} accepted version(s) for cycle {cycle}; "
                                "a diff needs two")
    return diff_submissions(versions[-2], versions[-1])


def diff_cycles(store, state: str, from_cycle: int, to_cycle: int) -> Diff:
    """The versions that count for a state in two cycles."""
    return diff_submissions(counted_submission(store, state.upper(), from_cycle),
                            counted_submission(store, state.upper(), to_cycle))


def diff_ids(store, first: int, second: int) -> Diff:
    """Two stored versions by id."""
    try:
        a, b = store.get(first), store.get(second)
    except GcmtrackError as exc:  # the store's "no submission N"
        raise NoSubmissionError(str(exc)) from None
    return diff_submissions(a, b)
