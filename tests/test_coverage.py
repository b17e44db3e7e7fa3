"""The one objective rule (gcmtrack/coverage.py): what a submission says per objective, and that
validation's warnings about it say what explain says, on generated workbooks."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gcmtrack.coverage import NAMED, NONE, PRACTICE, ROW, THEME, objective_coverage, submission_coverage
from gcmtrack.intake.validate import validate_bytes
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, framework
from gcmtrack.scoring import score_submission
from gcmtrack.scoring.explain import explain_submission
from gcmtrack.submission import ObjectiveRow, Practice, Submission
from tests.builders import build_workbook

FW = framework()


def said(rows=None, practices=()):
    return submission_coverage(Submission("MEX", 2026, "en", {n: ObjectiveRow(n, s, row=n + 1)
                                                              for n, s in (rows or {}).items()},
                                          tuple(practices)), FW)


def test_every_objective_is_covered_once_in_order():
    assert list(said()) == list(OBJECTIVE_NUMBERS)
    nothing = said()[4]
    assert (nothing.row, nothing.row_weight, nothing.practices, nothing.best) == (None, None, (), None)
    assert (nothing.score, nothing.decided_by, nothing.decisive, nothing.excluded) == (Fraction(0), NONE, None, False)


def test_the_row_decides_when_it_weighs_at_least_every_practice():
    o = said({3: "in_progress"}, [Practice("A", "in_progress", objectives=(3,), row=2),
                                  Practice("B", "planned", objectives=(3,), row=3)])[3]
    assert (o.row_weight, o.best, o.score, o.decided_by, o.decisive) == (0.5, 0.5, Fraction(1, 2), ROW, None)
    assert not o.contradiction and not o.not_applicable_with_practices


def test_a_practice_above_the_row_decides_and_is_a_contradiction():
    o = said({3: "planned"}, [Practice("A", "in_progress", objectives=(3,), row=2),
                              Practice("B", "implemented", objectives=(3,), row=3)])[3]
    assert (o.score, o.decided_by, o.decisive.practice.title, o.decisive.index) == (Fraction(1), PRACTICE, "B", 2)
    assert o.contradiction and not o.not_applicable_with_practices


def test_the_decisive_practice_is_the_first_by_row_of_the_highest_weight():
    # C comes first in the submission but sits lower on the sheet than D
    covered = said({}, [Practice("C", "implemented", objectives=(1,), row=9),
                        Practice("D", "implemented", objectives=(1,), row=4)])[1]
    assert covered.decisive.practice.title == "D"
    assert [m.practice.title for m in covered.practices] == ["C", "D"]  # the submission's order
    assert [m.practice.title for m in covered.by_row] == ["D", "C"]  # the sheet's order


def test_no_row_but_a_practice():
    o = said({}, [Practice("A", "planned", objectives=(9,))])[9]
    assert (o.score, o.decided_by, o.contradiction) == (Fraction(1, 4), PRACTICE, False)


def test_not_applicable_alone_is_excluded():
    o = said({6: "not_applicable"})[6]
    assert (o.score, o.excluded, o.decided_by, o.not_applicable) == (None, True, NONE, True)
    assert not o.not_applicable_with_practices and not o.contradiction


def test_not_applicable_with_practices_counts_them_and_is_no_contradiction():
    o = said({6: "not_applicable"}, [Practice("Seasonal workers", "in_progress", themes=("labour_migration",))])[6]
    assert (o.score, o.excluded, o.decided_by, o.decisive.practice.title) == (Fraction(1, 2), False, PRACTICE,
                                                                               "Seasonal workers")
    assert o.not_applicable_with_practices and not o.contradiction


def test_practices_that_are_all_not_applicable_score_zero():
    o = said({}, [Practice("A", "not_applicable", objectives=(2,)), Practice("B", "not_applicable", objectives=(2,))])[2]
    assert (o.best, o.score, o.decided_by, o.decisive.practice.title) == (None, Fraction(0), PRACTICE, "A")
    row = said({2: "not_started"}, [Practice("A", "not_applicable", objectives=(2,))])[2]
    assert (row.score, row.decided_by, row.contradiction) == (Fraction(0), ROW, False)


def test_named_or_through_a_theme():
    # labour_migration maps to 5 and 6; the practice also names 5
    covered = said({}, [Practice("A", "planned", objectives=(5,), themes=("labour_migration",))])
    assert (covered[5].practices[0].via, covered[5].practices[0].theme) == (NAMED, None)
    assert (covered[6].practices[0].via, covered[6].practices[0].theme) == (THEME, "labour_migration")
    assert covered[7].practices == ()


def test_scores_are_exact_fractions_and_scoring_reads_them():
    s = Submission("MEX", 2026, "en", {1: ObjectiveRow(1, "planned")},
                   (Practice("A", "in_progress", objectives=(2,)),))
    covered = submission_coverage(s, FW)
    assert all(isinstance(o.score, Fraction) for o in covered.values())
    assert score_submission(s, FW, FW.edition(2026)).exact["objectives"] == {n: o.score for n, o in covered.items()}


def test_rows_and_practices_before_a_submission_exists():
    covered = objective_coverage({1: ObjectiveRow(1, "planned")}, [Practice("A", "implemented", objectives=(1,))], FW)
    assert covered[1].contradiction


# --------------------------------------------------------------------------- validation = explain

# objectives 1-8 only, and the themes that reach them, so that practices and rows meet often
NUMBERS = range(1, 9)
THEMES = [t for t in FW.themes if set(t.objectives) & set(NUMBERS)]
STATUS_NAMES = {s.name("en"): s for s in FW.statuses}

rows_strategy = st.dictionaries(st.sampled_from(list(NUMBERS)), st.sampled_from(list(STATUS_NAMES)), min_size=1)
practice_strategy = st.fixed_dictionaries({
    "status": st.sampled_from(list(STATUS_NAMES)),
    "objectives": st.lists(st.sampled_from(list(NUMBERS)), max_size=3, unique=True),
    "themes": st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
})


def _workbook(rows: dict[int, str], practices: list[dict]) -> bytes:
    return build_workbook(
        objectives=[(n, rows[n]) for n in sorted(rows)],
        practices=[{"title": f"Practice {i}", "status": p["status"],
                    "objectives": ", ".join(str(n) for n in p["objectives"]) or None,
                    "themes": ", ".join(t.name("en") for t in p["themes"]) or None}
                   for i, p in enumerate(practices, start=1)])


def _expected(rows: dict[int, str], practices: list[dict]) -> tuple[set[int], set[int]]:
    """The rule of scoring.md written out from the generated data alone: (objectives whose row
    weighs less than a mapped practice, objectives said not applicable with practices mapped)."""
    below, not_applicable = set(), set()
    for number, name in rows.items():
        weight = STATUS_NAMES[name].weight
        mapped = [STATUS_NAMES[p["status"]].weight for p in practices
                  if number in p["objectives"] or any(number in t.objectives for t in p["themes"])]
        if weight is None and mapped:
            not_applicable.add(number)
        if weight is not None and any(w is not None and w > weight for w in mapped):
            below.add(number)
    return below, not_applicable


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, practices=st.lists(practice_strategy, max_size=6))
def test_validation_warns_where_explain_sees_a_contradiction(rows, practices):
    result = validate_bytes(_workbook(rows, practices), "generated.xlsx")
    assume(result.valid)
    warned_below = {p.params["objective"]: p for p in result.warnings if p.code == "status-below-practice"}
    warned_not_applicable = {p.params["objective"] for p in result.warnings
                             if p.code == "not-applicable-with-practices"}
    explained = explain_submission(result.submission)
    # a row below a practice: validation's warning is explain's contradiction, naming its decisive practice
    assert set(warned_below) == set(explained.contradictions)
    for number, problem in warned_below.items():
        decisive = explained.objectives[number].decisive_practice
        assert (problem.params["practice"], problem.params["line"]) == (decisive.title, decisive.row)
    # not applicable with practices: explain shows a row without weight, practices, and a score
    assert warned_not_applicable == {n for n, o in explained.objectives.items()
                                     if o.row is not None and o.row.weight is None and o.practices}
    assert all(not explained.objectives[n].excluded for n in warned_not_applicable)
    # and both are what scoring.md says of the generated data
    assert (set(warned_below), warned_not_applicable) == _expected(rows, practices)
