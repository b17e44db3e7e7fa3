"""The default coverage scoring method (scoring.md, v1): per state, then per process and cycle.

Weights come from objectives/statuses.yaml; nothing here names a status or a weight.
Means are computed exactly (fractions) and handed out as the nearest float, so that rounding
for people (rounding.py) starts from the exact value: 0.475 is 0.475, never 0.47499….
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Mapping

from gcmtrack.common.spreadsheet import csv_writer
from gcmtrack.coverage import ObjectiveCoverage, submission_coverage
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Edition, Framework
from gcmtrack.scoring.rounding import PRINTED_DECIMALS, published, round_half_up
from gcmtrack.submission import Submission


def _exact_mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [v for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _round(value: float | None) -> float | None:
    return published(value)


@dataclass(frozen=True)
class StateScore:
    """One state's scores for a cycle (scoring.md, "One state, one cycle"), as floats."""

    state: str
    objectives: dict[int, float | None]
    round_tables: dict[int, float | None]
    overall: float | None
    reported_share: float | None
    # objective -> titles of practices mapped to an objective the state marked not applicable
    inconsistent_not_applicable: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # the same scores as exact fractions ("objectives", "round_tables": dicts; "overall"), which the
    # process means start from
    exact: Mapping = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "overall": _round(self.overall),
            "reported_share": _round(self.reported_share),
            "objectives": {str(o): _round(s) for o, s in self.objectives.items()},
            "round_tables": {str(t): _round(s) for t, s in self.round_tables.items()},
        }


@dataclass(frozen=True)
class ProcessScore:
    """A process's scores for a cycle (scoring.md, "One process, one cycle"), as floats; the JSON
    of `gcmtrack score --json` (to_json) and its CSV (to_csv)."""

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
    # the process scores as exact fractions ("objectives", "round_tables": dicts; "overall")
    exact: Mapping = field(default_factory=dict, repr=False, compare=False)

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
        """One CSV row per submitted state and objective: process, cycle, state, objective, score
        (a figure for people: PRINTED_DECIMALS decimals, half-up; empty when excluded)."""
        buffer = io.StringIO()
        writer = csv_writer(buffer, quote_all=False)  # codes and numbers only
        writer.writerow(["process", "cycle", "state", "objective", "score"])
        for code in self.submitted:
            for objective, value in self.states[code].objectives.items():
                number = round_half_up(value, PRINTED_DECIMALS)
                writer.writerow([self.process, self.cycle, code, objective, "" if number is None else str(number)])
        return buffer.getvalue()


def score_submission(submission: Submission, framework: Framework, edition: Edition) -> StateScore:
    """Score one state's submission (scoring.md, "One state, one cycle")."""
    return score_coverage(submission.state, submission_coverage(submission, framework), edition)


def score_coverage(state: str, covered: Mapping[int, ObjectiveCoverage], edition: Edition) -> StateScore:
    """Score what a state's submission says per objective (gcmtrack.coverage's rule gives each
    objective's exact score; this takes the means)."""
    scores: dict[int, Fraction | None] = {number: said.score for number, said in covered.items()}
    inconsistent = {number: tuple(m.practice.title for m in said.practices)
                    for number, said in covered.items() if said.not_applicable_with_practices}
    round_tables = {table.number: _exact_mean(scores[o] for o in table.objectives) for table in edition.round_tables}
    counted = [s for s in scores.values() if s is not None]
    overall = _exact_mean(counted)
    return StateScore(
        state=state,
        objectives={o: _float(v) for o, v in scores.items()},
        round_tables={t: _float(v) for t, v in round_tables.items()},
        overall=_float(overall),
        reported_share=(sum(1 for s in counted if s > 0) / len(counted)) if counted else None,
        inconsistent_not_applicable=inconsistent,
        exact={"objectives": scores, "round_tables": round_tables, "overall": overall},
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
    exact = [s.exact for s in states.values()]
    overall = _exact_mean(e["overall"] for e in exact)
    objectives = {o: _exact_mean(e["objectives"][o] for e in exact) for o in OBJECTIVE_NUMBERS}
    round_tables = {t.number: _exact_mean(e["round_tables"][t.number] for e in exact) for t in edition.round_tables}
    return ProcessScore(
        process=process_id,
        cycle=int(cycle),
        edition=edition.name,
        members=member_list,
        submitted=submitted,
        participation=(len(submitted) / len(member_list)) if member_list else None,
        overall=_float(overall),
        objectives={o: _float(v) for o, v in objectives.items()},
        round_tables={t: _float(v) for t, v in round_tables.items()},
        states=states,
        exact={"objectives": objectives, "round_tables": round_tables, "overall": overall},
    )
