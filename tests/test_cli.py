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


# --------------------------------------------------------------------------- issue 11: the command line as a careful tool


def _phrase(key, lang, **params):
    from gcmtrack.intake.problems import phrase

    return phrase(key, lang).format(**params)


def test_every_line_about_a_workbook_is_in_its_language_or_lang(tmp_path):
    path = tmp_path / "mex.xlsx"
    path.write_bytes(build_workbook("es", cycle="2022 - 2025"))
    result = run("validate", path)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert _phrase("cli-invalid", "es") in first and _phrase("cli-counts", "es", errors=1, warnings=1) in first
    assert f"  {_phrase('cli-error', 'es')}" in result.output
    french = run("validate", path, "--lang", "fr")
    assert _phrase("cli-invalid", "fr") in french.output and f"  {_phrase('cli-error', 'fr')}" in french.output


def test_validate_takes_folders_and_refuses_to_annotate_onto_its_input(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        (folder / name).write_bytes(build_workbook())
    result = run("validate", folder, "--json")
    assert result.exit_code == 0 and len(json.loads(result.output)["files"]) == 2
    target = folder / "a.xlsx"
    before = target.read_bytes()
    for out in (target, folder / "." / "a.xlsx"):
        refused = run("validate", target, "--annotate", out)
        assert refused.exit_code == 2
    assert target.read_bytes() == before


def test_cell_text_never_reaches_the_terminal_as_escape_sequences(tmp_path):
    path = tmp_path / "esc.xlsx"
    # written as Excel writes control characters: the reader decodes _x001B_ to ESC, _x009B_ to CSI
    rows = [(n, "Implemented") for n in range(1, 23)] + [(23, "_x001B_[2J_x001B_[31mvalid_x009B_1m\u202e")]
    path.write_bytes(build_workbook(objectives=rows))
    result = run("validate", path)
    assert "\x1b" not in result.output and "\x9b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[2J" in result.output
    as_json = run("validate", path, "--json").output
    assert "\x1b" not in as_json and "\x9b" not in as_json and "\u202e" not in as_json
    assert json.loads(as_json)["files"][0]["problems"][0]["value"].startswith("\x1b[2J")


def test_a_file_name_that_is_not_utf8_never_aborts_a_batch(tmp_path):
    import os

    folder = tmp_path / "inbox"
    folder.mkdir()
    names = [b"a.xlsx", b"caf\xe9-mex.xlsx", b"z.xlsx"]
    for name, state in zip(names, ("MEX", "GTM", "BLZ")):
        (folder / os.fsdecode(name)).write_bytes(build_workbook(state=state))
    result = run("ingest", folder, "--db", tmp_path / "s.db")
    assert result.exit_code == 0, result.output
    assert _phrase("cli-batch", "en", accepted=3, files=3) in result.output
    assert "caf\\xe9-mex.xlsx" in result.output
    as_json = json.loads(run("validate", folder, "--json").output)
    assert [f["path"].rsplit("/", 1)[-1] for f in as_json["files"]] == ["a.xlsx", "caf\\xe9-mex.xlsx", "z.xlsx"]


def test_a_fifo_is_refused_and_a_huge_file_is_refused_from_its_size(tmp_path):
    import os

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse.xlsx"
    with sparse.open("wb") as handle:
        handle.truncate(3 * 2**30)  # 3 GiB that take no disk and must not be read
    result = json.loads(run("validate", fifo, sparse, "--json").output)
    [pipe, huge] = result["files"]
    assert [p["code"] for p in pipe["problems"]] == ["not-a-regular-file"]
    assert [p["code"] for p in huge["problems"]] == ["file-too-large"]
    assert str(3 * 2**30) in huge["problems"][0]["message"]
    # a folder skips what is not a regular file instead of waiting on it
    os.mkfifo(tmp_path / "other.xlsx")
    (tmp_path / "ok.xlsx").write_bytes(build_workbook())
    (tmp_path / "sub").mkdir()
    assert len(json.loads(run("validate", tmp_path / "sub", tmp_path / "ok.xlsx", "--json").output)["files"]) == 1


def test_piping_into_head_ends_quietly(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "many.xlsx"
    items = ", ".join(f"zz{i}" for i in range(60))
    path.write_bytes(build_workbook(objectives=[(n, "Implemented", "m", None, None, items) for n in range(1, 24)]))
    done = subprocess.run(f'"{sys.executable}" -m gcmtrack validate "{path}" | head -n 1', shell=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 1
    assert done.stderr == "", done.stderr


def test_status_lists_warnings_and_states_in_no_process(tmp_path):
    db = tmp_path / "s.db"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mex.xlsx").write_bytes(build_workbook(state="MEX", labels={"email": "not-an-address"}))
    (folder / "ata.xlsx").write_bytes(build_workbook(state="ATA"))
    assert run("ingest", folder, "--db", db).exit_code == 0
    text = run("status", "--cycle", 2026, "--warnings", "--db", db).output
    assert "invalid-email [Submission B4]" in text
    assert "In no process in 2026" in text and "ATA" in text
    data = json.loads(run("status", "--cycle", 2026, "--warnings", "--json", "--db", db).output)
    cycle = data["cycles"][0]
    assert cycle["non_members"] == ["ATA"]
    [ata] = cycle["non_member_rows"]
    assert "state-in-no-process" in [w["code"] for w in ata["warning_list"]]
