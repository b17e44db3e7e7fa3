"""explain and diff (cli.md v2) on hand-computed cases, and the one rounding rule."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner

from gcmtrack.common.languages import LANGS
from gcmtrack.cli import main
from gcmtrack.reference.framework import Text, Theme, framework
from gcmtrack.report.i18n import format_score
from gcmtrack.scoring import score_process
from gcmtrack.scoring.diff import diff_submissions
from gcmtrack.scoring.explain import explain_submission
from gcmtrack.scoring.rounding import printed, published, round_half_up
from gcmtrack.submission import ObjectiveRow, Practice, StoredSubmission, Submission
from tests.builders import build_workbook, ct_status

FW = framework()
ED = FW.edition(2026)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize("value, expected", [
    (0.475, "0.48"), (0.125, "0.13"), (0.625, "0.63"), (0.375, "0.38"), (0.005, "0.01"), (2.675, "2.68"),
    (0.124951, "0.12"),  # from the exact value, never from an already rounded 0.1250
    (Fraction(19, 40), "0.48"), (0.0, "0.00"), (1.0, "1.00"),
])
def test_half_up_from_the_exact_value(value, expected):
    assert str(round_half_up(value, 2)) == expected
    assert printed(value) == expected
    assert format_score(float(value), "en") == expected
    assert format_score(float(value), "fr") == expected.replace(".", ",")


def test_json_keeps_four_decimals_half_up():
    assert published(0.12345) == 0.1235 and published(0.475) == 0.475 and published(None) is None
    assert printed(None) == "\u2013" and printed(0.1, sign=True) == "+0.10" and printed(-0.001, sign=True) == "0.00"


def test_a_process_mean_of_exactly_0475_prints_048_everywhere():
    # 20 states: 9 implemented, 1 in progress, 10 not started on objective 1 -> mean 9.5 / 20 = 0.475
    statuses = ["implemented"] * 9 + ["in_progress"] + ["not_started"] * 10
    codes = [f"S{i:02d}" for i in range(20)]
    latest = {c: Submission(c, 2026, "en", {1: ObjectiveRow(1, s)}) for c, s in zip(codes, statuses)}
    result = score_process("X", 2026, codes, latest, FW)
    assert Decimal(repr(result.objectives[1])) == Decimal("0.475")
    assert result.to_json()["objectives"]["1"] == 0.475
    assert printed(result.objectives[1]) == format_score(result.objectives[1], "en") == "0.48"
    csv_rows = [line.split(",") for line in result.to_csv().splitlines()[1:]]
    assert {r[4] for r in csv_rows if r[3] == "1"} == {"1.00", "0.50", "0.00"}


# --------------------------------------------------------------------------- explain


def framework_with_one_theme():
    """The framework with a single theme "t" that maps to objective 2 only (hand-computable)."""
    return dataclasses.replace(FW, themes=(Theme("t", Text(*["T"] * len(LANGS)), (2,)),))


def hand_case() -> Submission:
    rows = {1: ObjectiveRow(1, "planned", row=3), 2: ObjectiveRow(2, "implemented", row=4),
            4: ObjectiveRow(4, "not_applicable", row=6), 6: ObjectiveRow(6, "not_applicable", row=8)}
    practices = (
        Practice("A", "implemented", objectives=(1,), row=2),
        Practice("B", "in_progress", themes=("t",), row=3),
        Practice("C", "planned", objectives=(5,), row=4),
        Practice("D", "in_progress", objectives=(6,), row=5),
        Practice("E", "implemented", objectives=(1,), row=6),  # same weight as A: A, the first, decides
    )
    return Submission("MEX", 2026, "es", rows, practices)


def test_explain_hand_computed():
    e = explain_submission(hand_case(), fw=framework_with_one_theme(), submission_id=7, version=2)
    o = e.objectives
    # 1: row planned (0.25) below practice A (1.0): the practice decides, a contradiction
    assert (o[1].score, o[1].decided_by, o[1].contradiction) == (1.0, "practice", True)
    assert [(p.title, p.decisive, p.via) for p in o[1].practices] == [("A", True, "objectives"), ("E", False, "objectives")]
    assert (o[1].row.sheet, o[1].row.row, o[1].row.status, o[1].row.weight) == ("Objetivos", 3, "planned", 0.25)
    assert o[1].practices[0].sheet == "Prácticas" and o[1].practices[0].row == 2
    # 2: row implemented beats practice B (in progress, through theme t)
    assert (o[2].score, o[2].decided_by, o[2].contradiction) == (1.0, "row", False)
    assert [(p.title, p.via, p.theme, p.decisive) for p in o[2].practices] == [("B", "theme", "t", False)]
    # 3: reported nowhere; 4: not applicable and nothing maps to it: excluded
    assert (o[3].score, o[3].decided_by, o[3].row, o[3].practices) == (0.0, "none", None, ())
    assert (o[4].score, o[4].excluded, o[4].decided_by) == (None, True, "none")
    # 5: no row, practice C planned; 6: not applicable but practice D maps to it (counts, no contradiction)
    assert (o[5].score, o[5].decided_by, o[5].contradiction) == (0.25, "practice", False)
    assert (o[6].score, o[6].decided_by, o[6].contradiction, o[6].excluded) == (0.5, "practice", False, False)
    assert e.contradictions == (1,)
    # round table 1 = objectives 2, 5, 6, 12, 18 -> (1 + 0.25 + 0.5 + 0 + 0) / 5
    assert e.round_tables[1].score == pytest.approx(0.35) and e.round_tables[1].excluded == ()
    # round table 2 = 4, 8, 9, 10, 11, 13, 21: 4 excluded, the rest 0
    assert e.round_tables[2].score == 0.0 and e.round_tables[2].excluded == (4,)
    # overall: (1 + 1 + 0.25 + 0.5) / 22 = 0.125 -> JSON 0.125, people 0.13
    assert e.overall.score == 0.125 and e.overall.excluded == (4,)
    data = e.to_json()
    assert data["overall"] == {"score": 0.125, "excluded": [4]}
    assert data["submission_id"] == 7 and data["version"] == 2 and data["state"] == "MEX"
    assert data["objectives"]["1"]["decided_by"] == "practice" and data["objectives"]["1"]["contradiction"] is True
    assert data["round_tables"]["1"] == {"score": 0.35, "objectives": [2, 5, 6, 12, 18], "excluded": []}
    assert data["objectives"]["2"]["practices"][0] == {
        "sheet": "Prácticas", "row": 3, "title": "B", "status": "in_progress", "weight": 0.5, "via": "theme",
        "theme": "t", "decisive": False}


def test_explain_scores_equal_the_scoring():
    from gcmtrack.scoring import score_submission

    fw = framework_with_one_theme()
    e = explain_submission(hand_case(), fw=fw)
    scored = score_submission(hand_case(), fw, ED)
    assert {n: o.score for n, o in e.objectives.items()} == scored.objectives
    assert e.overall.score == scored.overall


def test_explain_cli_names_the_actual_sheet_and_cell(tmp_path):
    # Spanish workbook, two title rows, the status in column C (column order is free)
    columns = ("objective", "measures", "status")
    rows = [(1, "Medidas", ct_status("planned", "es")), (2, "", ct_status("implemented", "es"))]
    data = build_workbook("es", objectives=rows, obj_columns=columns, title_rows=2, practices=[
        {"title": "Programa X", "status": ct_status("implemented", "es"), "objectives": "1"}])
    path = tmp_path / "mex.xlsx"
    path.write_bytes(data)
    db = tmp_path / "s.db"
    assert run("ingest", path, "--db", db).exit_code == 0
    result = run("explain", "--state", "MEX", "--cycle", 2026, "--objective", 1, "--json", "--db", db)
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    one = got["objectives"]["1"]
    assert list(got["objectives"]) == ["1"]
    assert one["row"]["sheet"] == "Objetivos" and one["row"]["cell"] == "C4" and one["row"]["row"] == 4
    assert one["practices"][0]["sheet"] == "Prácticas" and one["practices"][0]["row"] == 2
    assert (one["decided_by"], one["contradiction"], one["score"]) == ("practice", True, 1.0)
    text = run("explain", "--state", "MEX", "--cycle", 2026, "--db", db)
    assert text.exit_code == 0 and "Objetivos C4" in text.output
    assert run("explain", "--state", "MEX", "--cycle", 2022, "--db", db).exit_code == 1  # nothing for 2022
    assert run("explain", "--db", db).exit_code == 2
    assert run("explain", "--submission", 99, "--db", db).exit_code == 1


# --------------------------------------------------------------------------- diff


def stored(id_: int, cycle: int, version: int, sub: Submission) -> StoredSubmission:
    return StoredSubmission(id_, sub.state, cycle, version, "f.xlsx", "0" * 64, "2026-01-01T00:00:00Z", "1.0", (), sub)


def test_diff_hand_computed():
    a = Submission("JAM", 2026, "en", {7: ObjectiveRow(7, "planned", measures="x"),
                                       9: ObjectiveRow(9, "in_progress", measures="same")},
                   (Practice("Same", "planned", objectives=(7,)), Practice("Old", "not_started", objectives=(7,))))
    b = Submission("JAM", 2026, "en", {7: ObjectiveRow(7, "implemented", measures="y", evidence="e"),
                                       9: ObjectiveRow(9, "in_progress", measures="same")},
                   (Practice(" same ", "in_progress", objectives=(7,)), Practice("P1", "planned", objectives=(7,))))
    d = diff_submissions(stored(3, 2026, 1, a), stored(9, 2026, 2, b))
    assert list(d.objectives) == [7]  # objective 9 did not change: not listed
    change = d.objectives[7]
    assert change.status == ("planned", "implemented") and change.score == (0.25, 1.0)
    assert change.changed_fields == ("measures", "evidence")
    assert d.added == ("P1",) and d.removed == ("Old",)
    assert [(c.title, c.fields) for c in d.changed] == [(" same ", ("status",))]
    # overall: (0.25 + 0.5) / 23 -> (1 + 0.5) / 23; round table 4 (1, 3, 7, 17, 23): 0.05 -> 0.2
    assert d.overall == pytest.approx((0.75 / 23, 1.5 / 23))
    assert list(d.round_tables) == [4] and d.round_tables[4] == pytest.approx((0.05, 0.2))
    data = d.to_json()
    assert data["from"] == {"submission_id": 3, "state": "JAM", "cycle": 2026, "version": 1}
    assert data["to"]["submission_id"] == 9 and data["to"]["version"] == 2
    assert data["objectives"] == {"7": {"status": ["planned", "implemented"], "score": [0.25, 1.0],
                                        "changed_fields": ["measures", "evidence"]}}
    assert data["practices"] == {"added": ["P1"], "removed": ["Old"], "changed": [{"title": " same ", "fields": ["status"]}]}
    assert data["overall"] == [0.0326, 0.0652] and data["round_tables"] == {"4": [0.05, 0.2]}


def test_diff_of_identical_versions_is_empty():
    a = Submission("JAM", 2026, "en", {1: ObjectiveRow(1, "planned")})
    d = diff_submissions(stored(1, 2026, 1, a), stored(2, 2026, 2, a))
    assert d.empty and d.to_json()["objectives"] == {} and d.to_json()["round_tables"] == {}


def test_diff_cli_modes(tmp_path):
    one = build_workbook(objectives=[(1, ct_status("planned"))])
    two = build_workbook(objectives=[(1, ct_status("implemented"))], labels={"institution": "Ministry"})
    old = build_workbook(cycle=2022, objectives=[(1, ct_status("not_started"))])
    db = tmp_path / "s.db"
    for name, data in (("a.xlsx", one), ("b.xlsx", two), ("c.xlsx", old)):
        (tmp_path / name).write_bytes(data)
        assert run("ingest", tmp_path / name, "--db", db).exit_code == 0
    by_ids = json.loads(run("diff", 1, 2, "--json", "--db", db).output)
    by_cycle = json.loads(run("diff", "--state", "MEX", "--cycle", 2026, "--json", "--db", db).output)
    assert by_ids == by_cycle
    assert by_ids["objectives"]["1"]["status"] == ["planned", "implemented"]
    across = json.loads(run("diff", "--state", "MEX", "--from-cycle", 2022, "--to-cycle", 2026, "--json",
                            "--db", db).output)
    assert across["from"]["cycle"] == 2022 and across["to"]["cycle"] == 2026
    assert across["objectives"]["1"]["score"] == [0.0, 1.0]
    human = run("diff", "--state", "MEX", "--from-cycle", 2022, "--to-cycle", 2026, "--db", db)
    assert human.exit_code == 0 and "0.04" in human.output  # overall 0 -> 1/23
    assert run("diff", 1, "--db", db).exit_code == 2
    assert run("diff", "--state", "MEX", "--cycle", 2022, "--db", db).exit_code == 1  # one version only
    assert run("diff", 1, 42, "--db", db).exit_code == 1
