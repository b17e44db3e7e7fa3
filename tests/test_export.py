"""The compiled dataset: one row per state and objective, neutralised against formula
injection, and a lossless round trip through CSV and XLSX."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from gcmtrack.export import COLUMNS, dataset, export_dataset, neutralise, read_export, restore
from gcmtrack.intake.validate import validate_bytes
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
            s.ingest(data, f"{state}.xlsx", validate_bytes(data, f"{state}.xlsx"))
        data = build_workbook(state="ARG")
        s.ingest(data, "arg.xlsx", validate_bytes(data, "arg.xlsx"))
        yield s


def test_dataset_has_one_row_per_state_and_objective(store):
    frame = dataset(store, 2026, "RCM")
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 2 * 23 and set(frame["state"]) == {"GTM", "MEX"}
    assert len(dataset(store, 2026)) == 3 * 23
    row = frame[(frame.state == "MEX") & (frame.objective == 3)].iloc[0]
    assert row["practices"] == "=cmd|' /C calc'!A0"
    assert row["score"] == 1.0 and row["round_table"] == 4


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_and_no_formula(store, tmp_path, suffix):
    out = tmp_path / f"export{suffix}"
    assert export_dataset(store, 2026, "RCM", out) == 46
    original = dataset(store, 2026, "RCM").astype(str)
    back = read_export(out)
    for column in ("state", "measures", "evidence", "partners", "practices", "sha256"):
        assert list(back[column]) == list(original[column]), column
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
