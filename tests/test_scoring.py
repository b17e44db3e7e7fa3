"""The default scoring method of scoring.md: hand-computed values and properties."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, framework
from gcmtrack.submission import ObjectiveRow, Practice, Submission
from gcmtrack.scoring import score_process, score_submission

FW = framework()
ED = FW.edition(2026)
STATUSES = [s.key for s in FW.statuses]
ORDER = ["not_started", "planned", "in_progress", "implemented"]  # by weight


def sub(state="MEX", rows=None, practices=()):
    rows = rows or {}
    return Submission(state=state, cycle=2026, lang="en",
                      objectives={n: ObjectiveRow(n, s) for n, s in rows.items()}, practices=tuple(practices))


def test_hand_computed_state_scores():
    # RT1 = 2, 5, 6, 12, 18. Rows: 2 implemented, 5 planned, 6 not applicable, 12 in progress;
    # 18 not reported. A practice (in progress) via theme "Labour migration" maps to 5 and 6.
    s = sub(rows={2: "implemented", 5: "planned", 6: "not_applicable", 12: "in_progress"},
            practices=[Practice("Seasonal workers", "in_progress", themes=("labour_migration",))])
    score = score_submission(s, FW, ED)
    assert score.objectives[2] == 1.0
    assert score.objectives[5] == 0.5  # max(planned 0.25, practice 0.5)
    assert score.objectives[6] == 0.5  # not applicable, but a practice maps to it: counts as usual
    assert score.inconsistent_not_applicable == {6: ("Seasonal workers",)}
    assert score.objectives[12] == 0.5
    assert score.objectives[18] == 0.0
    assert score.round_tables[1] == pytest.approx((1 + 0.5 + 0.5 + 0.5 + 0) / 5)
    assert score.overall == pytest.approx(2.5 / 23)
    assert score.reported_share == pytest.approx(4 / 23)


def test_not_applicable_without_practice_is_excluded():
    s = sub(rows={1: "not_applicable", 3: "implemented"})
    score = score_submission(s, FW, ED)
    assert score.objectives[1] is None
    assert score.round_tables[4] == pytest.approx(1.0 / 4)  # RT4 = 1, 3, 7, 17, 23 without 1
    assert score.overall == pytest.approx(1.0 / 22)
    assert score.reported_share == pytest.approx(1 / 22)


def test_all_excluded_round_table_is_null():
    s = sub(rows={n: "not_applicable" for n in (2, 5, 6, 12, 18)})
    score = score_submission(s, FW, ED)
    assert score.round_tables[1] is None
    assert score.to_json()["round_tables"]["1"] is None


def test_process_means_ignore_non_submitters_and_nulls():
    latest = {
        "MEX": sub("MEX", {1: "implemented"}),
        "GTM": sub("GTM", {1: "not_applicable", 2: "in_progress"}),
        "FRA": sub("FRA", {1: "implemented"}),  # not a member: ignored
    }
    result = score_process("RCM", 2026, ["MEX", "GTM", "HND", "CAN"], latest, FW)
    assert result.submitted == ("GTM", "MEX")
    assert result.not_submitted == ("HND", "CAN")
    assert result.participation == 0.5
    assert result.objectives[1] == 1.0  # GTM excluded (null), HND/CAN not counted as 0
    assert result.objectives[2] == pytest.approx(0.25)
    assert result.overall == pytest.approx((1 / 23 + 0.5 / 22) / 2)
    data = result.to_json()
    assert set(data) == {"process", "cycle", "edition", "members", "submitted", "participation", "overall",
                         "objectives", "round_tables", "states"}
    assert data["edition"] == "IMRF 2026"
    assert list(data["objectives"]) == [str(n) for n in OBJECTIVE_NUMBERS]
    assert list(data["round_tables"]) == ["1", "2", "3", "4"]
    assert set(data["states"]) == {"MEX", "GTM"}
    assert data["states"]["MEX"]["overall"] == round(1 / 23, 4)


def test_no_submission_at_all():
    result = score_process("RCM", 2026, ["MEX"], {}, FW)
    assert result.overall is None and result.participation == 0.0
    assert all(v is None for v in result.objectives.values())


# ----------------------------------------------------------------- properties

theme_keys = [t.key for t in FW.themes]
practices_st = st.lists(st.builds(
    Practice,
    title=st.text(min_size=1, max_size=10),
    status=st.sampled_from(STATUSES),
    objectives=st.lists(st.sampled_from(OBJECTIVE_NUMBERS), max_size=3).map(tuple),
    themes=st.lists(st.sampled_from(theme_keys), max_size=2).map(tuple),
), max_size=6)
rows_st = st.dictionaries(st.sampled_from(OBJECTIVE_NUMBERS), st.sampled_from(STATUSES), max_size=23)


@settings(max_examples=150, deadline=None)
@given(rows_st, practices_st)
def test_scores_are_in_unit_interval_or_null(rows, practices):
    score = score_submission(sub(rows=rows, practices=practices), FW, ED)
    values = list(score.objectives.values()) + list(score.round_tables.values()) + [score.overall, score.reported_share]
    assert all(v is None or 0.0 <= v <= 1.0 for v in values)


@settings(max_examples=100, deadline=None)
@given(rows_st, practices_st, st.randoms())
def test_reordering_changes_nothing(rows, practices, rnd):
    a = score_submission(sub(rows=rows, practices=practices), FW, ED)
    items = list(rows.items())
    rnd.shuffle(items)
    shuffled = list(practices)
    rnd.shuffle(shuffled)
    b = score_submission(sub(rows=dict(items), practices=shuffled), FW, ED)
    assert a.to_json() == b.to_json()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(rows_st, practices_st), min_size=1, max_size=4), st.randoms())
def test_reordering_states_changes_nothing(entries, rnd):
    codes = ["MEX", "GTM", "HND", "SLV"][: len(entries)]
    latest = {c: sub(c, r, p) for c, (r, p) in zip(codes, entries)}
    members = list(codes) + ["CAN"]
    a = score_process("RCM", 2026, members, latest, FW).to_json()
    shuffled_members = list(members)
    rnd.shuffle(shuffled_members)
    shuffled_latest = dict(rnd.sample(list(latest.items()), len(latest)))
    b = score_process("RCM", 2026, shuffled_members, shuffled_latest, FW).to_json()
    a.pop("members"), b.pop("members")
    assert a == b


def _raise(status):
    return ORDER[min(ORDER.index(status) + 1, len(ORDER) - 1)] if status in ORDER else status


@settings(max_examples=150, deadline=None)
@given(rows_st, practices_st, st.data())
def test_raising_a_status_never_lowers_any_score(rows, practices, data):
    before = score_submission(sub(rows=rows, practices=practices), FW, ED)
    raised_rows = dict(rows)
    raised_practices = list(practices)
    if rows and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(rows)))
        raised_rows[key] = _raise(rows[key])
    elif practices:
        i = data.draw(st.integers(0, len(practices) - 1))
        p = practices[i]
        raised_practices[i] = Practice(p.title, _raise(p.status), objectives=p.objectives, themes=p.themes)
    after = score_submission(sub(rows=raised_rows, practices=raised_practices), FW, ED)
    for o in OBJECTIVE_NUMBERS:
        if before.objectives[o] is not None and after.objectives[o] is not None:
            assert after.objectives[o] >= before.objectives[o]
    for t in before.round_tables:
        if before.round_tables[t] is not None and after.round_tables[t] is not None:
            assert after.round_tables[t] >= before.round_tables[t] - 1e-12
    assert (after.overall or 0) >= (before.overall or 0) - 1e-12


@settings(max_examples=100, deadline=None)
@given(rows_st)
def test_not_applicable_exclusion(rows):
    score = score_submission(sub(rows=rows), FW, ED)
    for o in OBJECTIVE_NUMBERS:
        assert (score.objectives[o] is None) == (rows.get(o) == "not_applicable")
