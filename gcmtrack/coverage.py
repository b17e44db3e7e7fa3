"""What a submission says per objective: the one rule that scoring, explain and validation share.

For each objective: the Objectives row and its weight, the practices mapped to it (named, or
through one of their themes), the best practice weight and the decisive practice (the first,
by row, of that weight), the objective's exact score, what decided it (the row, a practice or
nothing), whether the row's status is below a mapped practice (a contradiction: the score
follows the practice) and whether a row marked "not applicable" still has practices mapped to
it. Scoring (scoring.md) reads the scores, `explain` shows the whole record, and validation
warns about the contradictions and the not-applicable rows, so the three can never disagree.

Weights come from the framework (objectives/statuses.yaml); a status without a weight is "not
applicable". Scores are exact fractions; rounding for people happens elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Framework
from gcmtrack.submission import ObjectiveRow, Practice

ROW = "row"
PRACTICE = "practice"
NONE = "none"


@dataclass(frozen=True)
class MappedPractice:
    """A practice counted for an objective."""

    index: int  # 1-based position of the practice in the submission (its catalogue number)
    practice: Practice
    weight: float | None  # None: "not applicable"
    via: str  # "objectives": it names the objective; "theme": through one of its themes
    theme: str | None  # the theme key when via == "theme"


@dataclass(frozen=True)
class ObjectiveCoverage:
    """What a submission says about one objective, and the score that follows from it."""

    number: int
    row: ObjectiveRow | None  # None: no row with a status for this objective
    row_weight: float | None  # None: no row, or a row marked not applicable
    practices: tuple[MappedPractice, ...]  # in the order of the submission
    best: float | None  # the highest weight of a mapped practice (None: none has a weight)
    decisive: MappedPractice | None  # the practice that set the score, when one did
    score: Fraction | None  # None: excluded (not applicable, and nothing maps to it)
    decided_by: str  # ROW, PRACTICE or NONE

    @property
    def excluded(self) -> bool:
        return self.score is None

    @property
    def contradiction(self) -> bool:
        """The row's own status weighs less than a practice mapped to the same objective."""
        return self.row_weight is not None and self.best is not None and Fraction(self.row_weight) < Fraction(self.best)

    @property
    def not_applicable_with_practices(self) -> bool:
        """The row says "not applicable", yet practices are mapped to the objective."""
        return self.row is not None and self.row_weight is None and bool(self.practices)

    @property
    def by_row(self) -> tuple[MappedPractice, ...]:
        """The mapped practices in the order of their rows (as explain lists them)."""
        return tuple(sorted(self.practices, key=lambda m: (m.practice.row, m.index)))


def _via(practice: Practice, objective: int, fw: Framework) -> tuple[str, str | None]:
    if objective in practice.objectives:
        return "objectives", None
    for theme in fw.themes:
        if theme.key in practice.themes and objective in theme.objectives:
            return "theme", theme.key
    return "theme", None


def objective_coverage(rows: Mapping[int, ObjectiveRow], practices: Iterable[Practice],
                       fw: Framework) -> dict[int, ObjectiveCoverage]:
    """Every objective's coverage from the Objectives rows and the practices of a workbook
    (a parsed Submission's `objectives` and `practices`, or validation's rows on their way)."""
    weights = fw.weights
    mapped: dict[int, list[MappedPractice]] = {}
    for index, practice in enumerate(practices, start=1):
        weight = weights.get(practice.status)
        for objective in practice.mapped_objectives(fw):
            via, theme = _via(practice, objective, fw)
            mapped.setdefault(objective, []).append(MappedPractice(index, practice, weight, via, theme))
    result: dict[int, ObjectiveCoverage] = {}
    for number in OBJECTIVE_NUMBERS:
        row = rows.get(number)
        row_weight = weights.get(row.status) if row is not None else None
        entries = tuple(mapped.get(number, ()))
        best = max((m.weight for m in entries if m.weight is not None), default=None)
        if row is not None and row_weight is None and not entries:
            score = None  # not applicable, and nothing maps to it
        else:
            candidates = [Fraction(best) if best is not None else Fraction(0)]
            if row_weight is not None:
                candidates.append(Fraction(row_weight))
            score = max(candidates)
        decisive = None
        if score is None:
            decided = NONE
        elif row_weight is not None and (best is None or row_weight >= best):
            decided = ROW
        elif entries:
            decided = PRACTICE  # best is None only when every mapped practice is "not applicable"
            decisive = next(m for m in sorted(entries, key=lambda m: (m.practice.row, m.index)) if m.weight == best)
        else:
            decided = NONE
        result[number] = ObjectiveCoverage(number, row, row_weight, entries, best, decisive, score, decided)
    return result
