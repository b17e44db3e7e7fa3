"""The one objective rule (gcmtrack.coverage): what a submission says per objective, and the
proof that validation, scoring and explain read it alike."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmtrack.coverage import NONE, PRACTICE, ROW, objective_coverage
from gcmtrack.intake.validate import validate_bytes
from gcmtrack.reference.framework import framework
from gcmtrack.scoring import score_submission
from gcmtrack.scoring.explain import explain_submission
from gcmtrack.submission import ObjectiveRow, Practice
from tests.builders import build_workbook, ct_status

FW = framework()
W = FW.weights


def _row(n: int, status: str, row: int = 0) -> ObjectiveRow:
    return ObjectiveRow(n, status, measures="m", row=row or n + 1)


def test_the_row_decides_when_no_practice_weighs_more():
    covered = objective_coverage({5: _row(5, "implemented")}, [Practice("p", "planned", objectives=(5,), row=2)], FW)
    c = covered[5]
    assert (c.decided_by, c.decisive, c.contradiction) == (ROW, None, False)
    assert c.score == Fraction(W["implemented"])


def test_a_practice_above_the_row_decides_and_is_a_contradiction():
    practices = [Practice("late", "implemented", objectives=(7,), row=9),
                 Practice("early", "implemented", objectives=(7,), row=3),
                 Practice("low", "planned", objectives=(7,), row=2)]
    c = objective_coverage({7: _row(7, "planned")}, practices, FW)[7]
    assert c.decided_by == PRACTICE and c.contradiction
    assert c.decisive.practice.title == "early"  # the first by row of the highest weight, not by position
    assert c.score == Fraction(W["implemented"])
    assert [m.practice.title for m in c.by_row] == ["low", "early", "late"]
    assert [m.practice.title for m in c.practices] == ["late", "early", "low"]


def test_not_applicable_alone_is_excluded_and_with_practices_is_flagged():
    na = next(key for key, weight in W.items() if weight is None)
    alone = objective_coverage({3: _row(3, na)}, [], FW)[3]
    assert alone.excluded and alone.decided_by == NONE and not alone.not_applicable_with_practices
    theme = next(t for t in FW.themes if 3 in t.objectives)
    flagged = objective_coverage({3: _row(3, na)}, [Practice("p", "planned", themes=(theme.key,), row=2)], FW)[3]
    assert not flagged.excluded and flagged.not_applicable_with_practices and not flagged.contradiction
    assert flagged.practices[0].via == "theme" and flagged.practices[0].theme == theme.key
    assert flagged.score == Fraction(W["planned"])


def test_an_objective_nobody_reported_scores_zero_decided_by_nothing():
    c = objective_coverage({}, [], FW)[11]
    assert (c.score, c.decided_by, c.row, c.practices) == (Fraction(0), NONE, None, ())


# -------------------------------------------------------------- validation agrees with explain

STATUS_KEYS = [s.key for s in FW.statuses]
THEMES = {t.key: t for t in FW.themes}
THEME_KEYS = list(THEMES)

practice_entries = st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(STATUS_KEYS),
    "objectives": st.sets(st.integers(1, 23), max_size=3),
    "themes": st.sets(st.sampled_from(THEME_KEYS), max_size=2),
}).filter(lambda p: p["objectives"] or p["themes"]), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.dictionaries(st.integers(1, 23), st.sampled_from(STATUS_KEYS), min_size=1, max_size=23),
       practices=practice_entries, lang=st.sampled_from(["en", "es", "fr"]))
def test_validation_warns_exactly_where_explain_finds_a_contradiction(rows, practices, lang):
    """On generated workbooks: the objectives validation warns about (status-below-practice,
    not-applicable-with-practices) are exactly those explain marks, and the practice validation
    names is the one explain calls decisive."""
    objectives = [(n, ct_status(status, lang), f"Measures {n}", "evidence", "partners")
                  for n, status in sorted(rows.items())]
    workbook_practices = [{
        "title": f"Practice {i}", "status": ct_status(p["status"], lang), "description": "what was done",
        "objectives": ", ".join(str(n) for n in sorted(p["objectives"])) or None,
        "themes": ", ".join(THEMES[t].name(lang) for t in sorted(p["themes"])) or None,
    } for i, p in enumerate(practices, start=1)]
    result = validate_bytes(build_workbook(lang, objectives=objectives, practices=workbook_practices), "g.xlsx")
    assert result.valid, [(p.code, p.cell, p.message()) for p in result.errors]
    sub = result.submission
    explained = explain_submission(sub)
    below = {p.params["objective"]: p.params["line"] for p in result.problems
             if p.code == "status-below-practice"}
    assert set(below) == set(explained.contradictions)
    for number, line in below.items():
        assert explained.objectives[number].decisive_practice.row == line
    flagged = {p.params["objective"] for p in result.problems if p.code == "not-applicable-with-practices"}
    assert flagged == set(score_submission(sub, FW, FW.edition(sub.cycle)).inconsistent_not_applicable)
    assert flagged == {n for n, o in explained.objectives.items()
                       if o.row is not None and o.row.weight is None and o.practices}
