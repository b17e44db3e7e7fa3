"""Matched-cycle trends (scoring/trends.py): hand-computed changes over the states in both cycles."""

from __future__ import annotations

from fractions import Fraction

from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, framework
from gcmtrack.scoring import score_process
from gcmtrack.scoring.trends import exact_change, matched_trends
from gcmtrack.submission import ObjectiveRow, Submission

FW = framework()


def sub(state, cycle, rows):
    return Submission(state=state, cycle=cycle, lang="en",
                      objectives={n: ObjectiveRow(n, s) for n, s in rows.items()}, practices=())


def test_only_states_in_both_cycles_are_compared():
    then = {"MEX": sub("MEX", 2022, {2: "planned"}), "CRI": sub("CRI", 2022, {2: "implemented"})}
    now = {"MEX": sub("MEX", 2026, {2: "implemented"}), "CAN": sub("CAN", 2026, {2: "not_started"})}
    trend = matched_trends("RCM", 2026, now, 2022, then, FW)
    assert trend.previous_cycle == 2022 and trend.states == ("MEX",)
    assert trend.before.members == ("MEX",) and trend.now.members == ("MEX",)
    # objective 2: planned (0.25) then implemented (1.0), exactly
    assert trend.change("objectives", 2) == Fraction(3, 4)
    assert trend.state_change("MEX", "objectives", 2) == Fraction(3, 4)
    assert trend.change("overall") == trend.state_change("MEX") == Fraction(3, 4) / 23
    assert trend.state_change("CAN") is None and trend.state_change("CRI") is None
    # the process figures are those of MEX alone, not of every state of either cycle
    alone = score_process("RCM", 2026, ["MEX"], {"MEX": now["MEX"]}, FW)
    assert trend.now.exact == alone.exact


def test_no_state_in_both_cycles_gives_no_trends():
    then = {"CRI": sub("CRI", 2022, {2: "planned"})}
    now = {"MEX": sub("MEX", 2026, {2: "implemented"})}
    assert matched_trends("RCM", 2026, now, 2022, then, FW) is None


def test_changes_are_exact_and_none_without_a_side():
    then = {"MEX": sub("MEX", 2022, {n: "not_applicable" for n in OBJECTIVE_NUMBERS})}
    now = {"MEX": sub("MEX", 2026, {2: "in_progress"})}
    trend = matched_trends("RCM", 2026, now, 2022, then, FW)
    assert trend.change("overall") is None  # every objective excluded then: no score to compare
    assert trend.change("objectives", 2) is None
    assert exact_change(Fraction(1, 3), Fraction(1, 2)) == Fraction(1, 6)
    assert exact_change(None, Fraction(1)) is None and exact_change(Fraction(1), None) is None
