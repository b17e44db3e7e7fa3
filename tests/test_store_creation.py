"""A store that does not exist yet, opened by several processes at once (issue 19, item 6): one
creates it under the creation lock, the others find it made, and none fails; on SQLite (a file
lock beside the database, in a folder created on demand) and PostgreSQL (an advisory lock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import build_workbook

ROOT = Path(__file__).resolve().parent.parent
STATES = ["JAM", "MEX", "GTM", "CRI", "PAN", "HND"]

# Each child imports gcmtrack first, then waits for a common moment, so that all of them open
# the store within milliseconds of each other (the race the notes saw: 5 of 6 failed).
CHILD = """
import sys, time
from gcmtrack.cli import main
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
sys.argv = ["gcmtrack"] + sys.argv[2:]
main()
"""


def _new_location(request, kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return str(tmp_path / "not" / "yet" / "there" / "review.db")  # the folders do not exist either
    return request.getfixturevalue("empty_pg")


def _run_together(commands: list[list[str]], tmp_path: Path) -> list[subprocess.CompletedProcess]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.time() + 4  # every child has imported gcmtrack by then
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(start), *cmd], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for cmd in commands]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode()))
    return done


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_six_ingests_create_a_new_store_once_and_none_fails(request, kind, tmp_path):
    location = _new_location(request, kind, tmp_path)
    commands = []
    for state in STATES:
        path = tmp_path / f"{state.lower()}.xlsx"
        path.write_bytes(build_workbook(state=state))
        commands.append(["ingest", str(path), "--db", location, "--json"])
    # two render workers start on the same new store too
    commands += [["worker", "--once", "--db", location]] * 2
    results = _run_together(commands, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    stored = [json.loads(r.stdout)["files"][0] for r in results[:len(STATES)]]
    assert sorted(f["state"] for f in stored if f["accepted"]) == sorted(STATES)
    from gcmtrack.store import Store

    with Store(location, create=False) as store:
        assert sorted(s.state for s in store.submissions()) == sorted(STATES)
        assert all(s.version == 1 for s in store.submissions())
    if kind == "sqlite":
        assert Path(location).with_name("review.db.lock").exists()  # the lock stays beside it


def test_a_store_in_a_missing_folder_is_created(tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    book = tmp_path / "jam.xlsx"
    book.write_bytes(build_workbook(state="JAM"))
    target = tmp_path / "a" / "b" / "review.db"
    result = CliRunner().invoke(main, ["ingest", str(book), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    book = tmp_path / "jam.xlsx"
    book.write_bytes(build_workbook(state="JAM"))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(main, ["ingest", str(book), "--db", str(blocker / "sub" / "review.db")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "cannot create the folder" in result.output
