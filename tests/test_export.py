"""The compiled dataset: one row per state and objective, neutralised against formula
injection, and a lossless round trip through CSV and XLSX."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from gcmtrack.analysis import load_dataset
from gcmtrack.common.spreadsheet import neutralise, restore
from gcmtrack.export import COLUMNS, dataset_rows, export_dataset, read_export
from gcmtrack.ingest import ingest_bytes
from gcmtrack.store import Store
from tests.builders import build_workbook

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd",
           "'=already quoted", "plain text", "Ñandú — 移民 — \n line two"]


@pytest.mark.parametrize("value", HOSTILE + ["", "'", "a=b"])
def test_neutralise_round_trips(value):
    safe = neutralise(value)
    assert not str(safe).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(safe) == value


@pytest.fixture
def store(tmp_path):
    rows = [(n, "Implemented", HOSTILE[n % len(HOSTILE)], f"evidence {n}", "UNHCR; IOM") for n in range(1, 24)]
    practices = [{"title": "=cmd|' /C calc'!A0", "status": "Planned", "objectives": "3"}]
    with Store(str(tmp_path / "s.db")) as s:
        for state in ("MEX", "GTM"):
            data = build_workbook(state=state, objectives=rows, practices=practices)
            ingest_bytes(s, data, f"{state}.xlsx")
        data = build_workbook(state="ARG")
        ingest_bytes(s, data, "arg.xlsx")
        yield s


def test_dataset_has_one_row_per_state_and_objective(store):
    rows = dataset_rows(store, 2026, "RCM")
    assert all(list(row) == COLUMNS for row in rows)
    assert len(rows) == 2 * 23 and {r["state"] for r in rows} == {"GTM", "MEX"}
    assert len(dataset_rows(store, 2026)) == 3 * 23
    row = next(r for r in rows if r["state"] == "MEX" and r["objective"] == 3)
    assert row["practices"] == "=cmd|' /C calc'!A0"
    assert row["score"] == 1.0 and row["round_table"] == 4


def test_analysis_extra_gives_dataframes(store):
    frames = load_dataset(store, 2026, "RCM")
    assert list(frames.objectives.columns) == COLUMNS
    assert frames.objectives.shape == (2 * 23, len(COLUMNS))
    pivot = frames.objectives.pivot(index="state", columns="objective", values="score")
    assert pivot.loc["MEX", 3] == 1.0
    assert sorted(frames.states["state"]) == ["GTM", "MEX"]
    mex = frames.states.set_index("state").loc["MEX"]
    assert mex["overall"] == 1.0 and mex["version"] == 1


def test_nothing_but_analysis_imports_pandas():
    import subprocess
    import sys
    code = ("import sys, gcmtrack.cli, gcmtrack.export, gcmtrack.report.batch, gcmtrack.demo; "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_and_no_formula(store, tmp_path, suffix):
    out = tmp_path / f"export{suffix}"
    assert export_dataset(store, 2026, "RCM", out) == 46
    original = dataset_rows(store, 2026, "RCM")
    back = read_export(out)
    for column in ("state", "measures", "evidence", "partners", "practices", "sha256"):
        assert [r[column] for r in back] == [str(r[column]) for r in original], column
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
    else:
        wb = openpyxl.load_workbook(out)
        cells = [c.value for row in wb["Dataset"].iter_rows() for c in row]
        assert all(c.data_type != "f" for row in wb["Dataset"].iter_rows() for c in row)
    texts = [c for c in cells if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in texts)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in texts
