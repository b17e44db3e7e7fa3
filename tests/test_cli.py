"""The command line: help on every command, exit codes and output shapes of cli.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcmtrack.cli import main
from tests.builders import build_workbook

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(main.commands)


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    for flag in ("--help", "-h"):
        result = run(command, flag)
        assert result.exit_code == 0
        assert "Example" in result.output, f"{command} --help has no example"
    assert f"gcmtrack {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and re.search(r"gcmtrack, version \d+\.\d+", result.output)


def test_objectives_edition_2022_shows_the_four_round_tables():
    result = run("objectives", "--edition", "2022")
    assert result.exit_code == 0
    assert "Round table 1: objectives 2, 5, 6, 12, 18" in result.output
    assert "Round table 2: objectives 4, 8, 9, 10, 11, 13, 21" in result.output
    assert "Round table 3: objectives 14, 15, 16, 19, 20, 22" in result.output
    assert "Round table 4: objectives 1, 3, 7, 17, 23" in result.output


def test_objectives_json_in_french():
    data = json.loads(run("objectives", "--lang", "fr", "--json", "--edition", "2026").stdout)
    assert len(data["objectives"]) == 23 and data["edition"]["status"] == "provisional"
    assert data["objectives"][19]["label"] == "Envois de fonds"


def test_unknown_edition_is_one_line_and_exit_1():
    result = run("objectives", "--edition", "2024")
    assert result.exit_code == 1
    assert "no IMRF edition 2024" in result.output and "Traceback" not in result.output


def test_processes_lists_member_counts():
    result = run("processes")
    for pid, count in [("RCM", 11), ("CMC", 23), ("SACM", 12), ("MIRPS", 7), ("SICA", 8)]:
        assert re.search(rf"^{pid}\s.*: {count} members$", result.output, re.M), pid
    data = json.loads(run("processes", "--json").stdout)
    assert {p["id"]: len(p["members"]) for p in data["processes"]}["CMC"] == 23


def test_usage_error_is_exit_2():
    assert run("score", "--cycle", "2026").exit_code == 2
    assert run("validate").exit_code == 2


def test_validate_exit_codes_and_json(tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(build_workbook())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build_workbook(objectives=[(n, "Implemented") for n in range(1, 23)] + [(23, "Done-ish")]))
    assert run("validate", good).exit_code == 0
    result = run("validate", good, bad, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert [f["valid"] for f in data["files"]] == [True, False]
    problem = data["files"][1]["problems"][0]
    assert (problem["code"], problem["sheet"], problem["cell"], problem["value"]) == \
        ("unknown-status", "Objectives", "B24", "Done-ish")


def test_validate_unreadable_and_missing_files(tmp_path):
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%...")
    result = run("validate", pdf, tmp_path / "nope.xlsx", "--json")
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [f["problems"][0]["code"] for f in files] == ["wrong-format", "file-unreadable"]
    assert files[0]["state"] is None and files[0]["cycle"] is None


def test_ingest_status_score_and_export(tmp_path):
    db = tmp_path / "s.db"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mex.xlsx").write_bytes(build_workbook(state="MEX"))
    (folder / "gtm.xlsx").write_bytes(build_workbook(state="Guatemala", objectives=[(n, "Planned") for n in range(1, 24)]))
    (folder / "bad.xlsx").write_bytes(build_workbook(state="Atlantis"))
    result = run("ingest", folder, "--db", db, "--json")
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [(f["accepted"], f["duplicate"]) for f in files] == [(False, False), (True, False), (True, False)]
    assert files[0]["submission_id"] is None and isinstance(files[1]["submission_id"], int)
    again = run("ingest", folder / "mex.xlsx", "--db", db)
    assert again.exit_code == 0 and "identical file" in again.output

    status = json.loads(run("status", "--db", db, "--json", "--process", "RCM").stdout)
    rcm = status["cycles"][0]["processes"][0]
    assert rcm["submitted"] == ["GTM", "MEX"] and len(rcm["members"]) == 11

    data = json.loads(run("score", "--process", "RCM", "--cycle", "2026", "--db", db, "--json").stdout)
    assert data["submitted"] == ["GTM", "MEX"]
    assert data["states"]["MEX"]["overall"] == 1.0 and data["states"]["GTM"]["overall"] == 0.25
    assert data["overall"] == 0.625 and data["participation"] == round(2 / 11, 4)
    csv_out = run("score", "--process", "RCM", "--cycle", "2026", "--db", db, "--csv").output.splitlines()
    assert csv_out[0] == "process,cycle,state,objective,score" and len(csv_out) == 1 + 2 * 23

    out = tmp_path / "export.csv"
    result = run("export", "--cycle", "2026", "--process", "RCM", "--db", db, "--output", out)
    assert result.exit_code == 0 and "46 rows" in result.output


def test_store_via_environment_variable(tmp_path):
    db = tmp_path / "env.db"
    wb = tmp_path / "mex.xlsx"
    wb.write_bytes(build_workbook())
    assert run("ingest", wb, env={"GCMTRACK_DB": str(db)}).exit_code == 0
    assert db.exists()


def test_commands_on_a_missing_store_fail_cleanly(tmp_path):
    result = run("score", "--process", "RCM", "--cycle", "2026", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no store" in result.output


def test_unknown_process_is_exit_1(tmp_path):
    wb = tmp_path / "mex.xlsx"
    wb.write_bytes(build_workbook())
    run("ingest", wb, "--db", tmp_path / "s.db")
    result = run("score", "--process", "XYZ", "--cycle", "2026", "--db", tmp_path / "s.db")
    assert result.exit_code == 1 and "unknown process 'XYZ'" in result.output


def test_every_problem_code_is_documented_in_the_readme():
    from gcmtrack.intake.problems import catalogue

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code for code in catalogue() if f"`{code}`" not in readme]
    assert missing == []


def test_every_safety_limit_is_documented_in_the_readme():
    from gcmtrack.intake import xlsx

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [n for n in dir(xlsx) if n.startswith("MAX_")]
    assert names and [n for n in names if f"`{n}`" not in readme] == []
