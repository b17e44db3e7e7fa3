"""The default coverage scoring method (scoring.md, v1): per state, then per process and cycle.

Weights come from objectives/statuses.yaml; nothing here names a status or a weight.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from statistics import fmean
from typing import Iterable, Mapping

from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Edition, Framework
from gcmtrack.submission import Submission


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class StateScore:
    state: str
    objectives: dict[int, float | None]
    round_tables: dict[int, float | None]
    overall: float | None
    reported_share: float | None
    # objective -> titles of practices mapped to an objective the state marked not applicable
    inconsistent_not_applicable: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "overall": _round(self.overall),
            "reported_share": _round(self.reported_share),
            "objectives": {str(o): _round(s) for o, s in self.objectives.items()},
            "round_tables": {str(t): _round(s) for t, s in self.round_tables.items()},
        }


@dataclass(frozen=True)
class ProcessScore:
    process: str
    cycle: int
    edition: str
    members: tuple[str, ...]
    submitted: tuple[str, ...]
    participation: float | None
    overall: float | None
    objectives: dict[int, float | None]
    round_tables: dict[int, float | None]
    states: dict[str, StateScore]

    @property
    def not_submitted(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m not in self.states)

    def to_json(self) -> dict:
        return {
            "process": self.process,
            "cycle": self.cycle,
            "edition": self.edition,
            "members": list(self.members),
            "submitted": list(self.submitted),
            "participation": _round(self.participation),
            "overall": _round(self.overall),
            "objectives": {str(o): _round(s) for o, s in self.objectives.items()},
            "round_tables": {str(t): _round(s) for t, s in self.round_tables.items()},
            "states": {code: self.states[code].to_json() for code in self.submitted},
        }

    def to_csv(self) -> str:
        """One CSV row per submitted state and objective: process, cycle, state, objective, score."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["process", "cycle", "state", "objective", "score"])
        for code in self.submitted:
            for objective, value in self.states[code].objectives.items():
                writer.writerow([self.process, self.cycle, code, objective, "" if value is None else _round(value)])
        return buffer.getvalue()


def score_submission(submission: Submission, framework: Framework, edition: Edition) -> StateScore:
    """Score one state's submission (scoring.md, "One state, one cycle")."""
    weights = framework.weights
    best: dict[int, float] = {}
    practice_titles: dict[int, list[str]] = {}
    for practice in submission.practices:
        weight = weights.get(practice.status)
        for objective in practice.mapped_objectives(framework):
            practice_titles.setdefault(objective, []).append(practice.title)
            if weight is not None:
                best[objective] = max(best.get(objective, 0.0), weight)
            else:
                best.setdefault(objective, 0.0)
    scores: dict[int, float | None] = {}
    inconsistent: dict[int, tuple[str, ...]] = {}
    for objective in OBJECTIVE_NUMBERS:
        row = submission.objectives.get(objective)
        row_weight = weights.get(row.status) if row else None
        if row is not None and row_weight is None and objective not in practice_titles:
            scores[objective] = None  # not applicable, and nothing maps to it
            continue
        if row is not None and row_weight is None:
            inconsistent[objective] = tuple(practice_titles[objective])
        candidates = [best.get(objective, 0.0)]
        if row_weight is not None:
            candidates.append(row_weight)
        scores[objective] = max(candidates)
    round_tables = {
        table.number: _mean(scores[o] for o in table.objectives) for table in edition.round_tables
    }
    counted = [s for s in scores.values() if s is not None]
    return StateScore(
        state=submission.state,
        objectives=scores,
        round_tables=round_tables,
        overall=_mean(counted),
        reported_share=(sum(1 for s in counted if s > 0) / len(counted)) if counted else None,
        inconsistent_not_applicable=inconsistent,
    )


def score_process(process_id: str, cycle: int, members: Iterable[str],
                  latest: Mapping[str, Submission], framework: Framework) -> ProcessScore:
    """Score a process for a cycle from the latest accepted submission of each state.

    `latest` may hold states that are not members; only members count. Members without a
    submission are listed, never counted as 0.
    """
    edition = framework.edition(cycle)
    member_list = tuple(dict.fromkeys(members))
    states = {
        code: score_submission(latest[code], framework, edition)
        for code in member_list if code in latest
    }
    submitted = tuple(sorted(states))
    return ProcessScore(
        process=process_id,
        cycle=int(cycle),
        edition=edition.name,
        members=member_list,
        submitted=submitted,
        participation=(len(submitted) / len(member_list)) if member_list else None,
        overall=_mean(s.overall for s in states.values()),
        objectives={o: _mean(s.objectives[o] for s in states.values()) for o in OBJECTIVE_NUMBERS},
        round_tables={t.number: _mean(s.round_tables[t.number] for s in states.values())
                      for t in edition.round_tables},
        states=states,
    )
