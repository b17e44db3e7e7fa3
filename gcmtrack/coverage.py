"""What a submission says per objective: the one rule that scoring, explain and validation read.

For each of the 23 objectives (scoring.md, "One state, one cycle"):

- the Objectives row and its weight: the status weight of the row, or none when the row says
  not applicable (a status without a weight) or there is no row;
- every practice mapped to it, by naming the objective or through one of its themes, with its
  weight (none when it says not applicable);
- the score: the largest of the row's weight and the practices' weights, 0 when nothing has a
  weight; excluded (None) when the row says not applicable and no practice maps to it;
- what decided it: the row when its weight is at least every practice's, else the decisive
  practice, the first by row on the Practices sheet of the highest weight;
- two disagreements a reviewer should see: a contradiction (the row weighs less than a mapped
  practice: the score follows the practice; validation warns `status-below-practice`), and a
  row that says not applicable while practices map to it (they count as usual; validation
  warns `not-applicable-with-practices`).

Scores are exact fractions; rounding for people stays in scoring/rounding.py. Nothing here
names a status or a weight: they come from objectives/statuses.yaml through the framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping

from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Framework
from gcmtrack.submission import ObjectiveRow, Practice, Submission

# what decided an objective's score
ROW = "row"
PRACTICE = "practice"
NONE = "none"  # not reported anywhere, or excluded

NAMED = "objectives"  # a practice names the objective in its objectives column
THEME = "theme"  # a practice maps to it through one of its themes


@dataclass(frozen=True)
class MappedPractice:
    """A practice mapped to an objective."""

    index: int  # 1-based position of the practice in the submission (its catalogue number)
    practice: Practice
    weight: float | None  # the framework's weight of its status; None: not applicable
    via: str  # NAMED or THEME
    theme: str | None  # the theme key when via == THEME


@dataclass(frozen=True)
class ObjectiveCoverage:
    """What a submission says about one objective."""

    number: int
    row: ObjectiveRow | None  # the Objectives row; None when the sheet has no row with a status for it
    row_weight: float | None  # the framework's weight of the row's status; None: no row, or not applicable
    practices: tuple[MappedPractice, ...]  # in the submission's order
    best: float | None  # the highest weight among the mapped practices; None when none has a weight
    score: Fraction | None  # exact; None: excluded
    decided_by: str  # ROW, PRACTICE or NONE
    decisive: MappedPractice | None  # the practice that set the score, when a practice did

    @property
    def excluded(self) -> bool:
        return self.score is None

    @property
    def not_applicable(self) -> bool:
        """The row says not applicable (a status without a weight)."""
        return self.row is not None and self.row_weight is None

    @property
    def contradiction(self) -> bool:
        """The row's status weighs less than a practice mapped to the objective."""
        return self.row_weight is not None and self.best is not None and self.row_weight < self.best

    @property
    def not_applicable_with_practices(self) -> bool:
        """The row says not applicable, yet practices map to the objective (they count as usual)."""
        return self.not_applicable and bool(self.practices)

    @property
    def by_row(self) -> tuple[MappedPractice, ...]:
        """The mapped practices by row on the Practices sheet (then by position)."""
        return tuple(sorted(self.practices, key=_sheet_order))


def _sheet_order(mapped: MappedPractice) -> tuple[int, int]:
    return mapped.practice.row, mapped.index


def _via(practice: Practice, objective: int, fw: Framework) -> tuple[str, str | None]:
    if objective in practice.objectives:
        return NAMED, None
    for theme in fw.themes:
        if theme.key in practice.themes and objective in theme.objectives:
            return THEME, theme.key
    return THEME, None


def _decide(number: int, row: ObjectiveRow | None, practices: tuple[MappedPractice, ...],
            weights: Mapping[str, float | None]) -> ObjectiveCoverage:
    row_weight = weights.get(row.status) if row is not None else None
    best = max((m.weight for m in practices if m.weight is not None), default=None)
    if row is not None and row_weight is None and not practices:
        score = None  # not applicable, and nothing maps to it
    else:
        candidates = [Fraction(0) if best is None else Fraction(best)]
        if row_weight is not None:
            candidates.append(Fraction(row_weight))
        score = max(candidates)
    decisive = None
    if score is None:
        decided = NONE
    elif row_weight is not None and (best is None or row_weight >= best):
        decided = ROW
    elif practices:
        decided = PRACTICE  # best is None only when every mapped practice is "not applicable"
        decisive = next(m for m in sorted(practices, key=_sheet_order) if m.weight == best)
    else:
        decided = NONE
    return ObjectiveCoverage(number, row, row_weight, practices, best, score, decided, decisive)


def objective_coverage(rows: Mapping[int, ObjectiveRow], practices: Iterable[Practice],
                       fw: Framework) -> dict[int, ObjectiveCoverage]:
    """What the Objectives rows and the practices say about each objective (all 23, in order)."""
    weights = fw.weights
    mapped: dict[int, list[MappedPractice]] = {}
    for index, practice in enumerate(practices, start=1):
        weight = weights.get(practice.status)
        for number in practice.mapped_objectives(fw):
            via, theme = _via(practice, number, fw)
            mapped.setdefault(number, []).append(MappedPractice(index, practice, weight, via, theme))
    return {number: _decide(number, rows.get(number), tuple(mapped.get(number, ())), weights)
            for number in OBJECTIVE_NUMBERS}


def submission_coverage(submission: Submission, fw: Framework) -> dict[int, ObjectiveCoverage]:
    """What a submission says about each objective (all 23, in order)."""
    return objective_coverage(submission.objectives, submission.practices, fw)
