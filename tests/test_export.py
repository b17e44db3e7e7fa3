"""The compiled dataset: one row per state and objective, neutralised against formula
injection, and a lossless round trip through CSV and XLSX."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from gcmtrack.analysis import load_dataset
from gcmtrack.common.spreadsheet import neutralise, restore
from gcmtrack.export import COLUMNS, dataset_rows, export_dataset, read_export
from gcmtrack.service.ingest import ingest_bytes
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
    code = ("import sys, gcmtrack.cli, gcmtrack.export, gcmtrack.report.batch, gcmtrack.service.demo; "
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
    if suffix == ".csv":  # no types in CSV: what could run is neutralised
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in texts)
        assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in texts
    else:  # typed text cells: kept as written, never a formula
        assert "=HYPERLINK(\"http://evil.example\",\"x\")" in texts and "-2" in texts


# --------------------------------------------------------------------------- issue 11: exports that hold everything


@pytest.fixture
def full_store(tmp_path):
    # 20,000 characters that Excel counts twice (UTF-16): more than a cell holds
    long_text = "\U0001F30D" * 20_000
    # written as Excel writes them: the reader decodes _x0007_ to a control character, and
    # _x005F_x0001_ to the literal text "_x0001_"
    rows = [(n, "Implemented", "- first action" if n == 1 else "_x005F_x0001_ literal" if n == 2 else long_text
             if n == 3 else "bell _x0007_ and _x0001_", "+52 55 1234 5678", "IOM") for n in range(1, 24)]
    practices = [{"title": "Programme A", "description": "Desc\nline 2", "status": "Planned", "objectives": "3, 5",
                  "themes": "Labour migration", "start_year": 2021, "partners": "IOM",
                  "link": "https://example.org/a", "principles": "a, f"},
                 {"title": "- Dash title", "status": "Implemented", "objectives": "7"}]
    labels = {"period": "2022-2025", "institution": "Secretaría de Relaciones Exteriores", "date": "30/11/2025"}
    with Store(str(tmp_path / "full.db")) as s:
        ingest_bytes(s, build_workbook("es", state="MEX", objectives=rows, practices=practices, labels=labels),
                     "mex-2026.xlsx")
        yield s


def test_exports_hold_every_practice_and_the_submission_details(full_store, tmp_path):
    from gcmtrack.export import PRACTICE_COLUMNS, PRACTICES_SHEET, practices_path, write_export

    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"all{suffix}"
        summary = write_export(full_store, 2026, None, out, lang="es")
        assert (summary.rows, summary.practices) == (23, 2)
        rows = read_export(out)
        first = rows[0]
        assert (first["workbook_date"], first["period"], first["institution"], first["language"]) == \
            ("2025-11-30", "2022-2025", "Secretaría de Relaciones Exteriores", "es")
        assert first["filename"] == "mex-2026.xlsx" and len(first["sha256"]) == 64
        assert first["review_state"] == "submitted"
        assert first["status_label"] == "Implementado" and first["state_name"] == "México"
        practices = read_export(out, PRACTICES_SHEET)
        assert list(practices[0]) == PRACTICE_COLUMNS
        a = next(p for p in practices if p["title"] == "Programme A")
        assert (a["description"], a["objectives"], a["themes"], a["start_year"], a["link"], a["principles"],
                a["status_label"]) == ("Desc\nline 2", "3, 5", "labour_migration", "2021", "https://example.org/a",
                                       "a, f", "Planificado")
        assert any(p["title"] == "- Dash title" for p in practices)
        if suffix == ".csv":
            assert practices_path(out).exists()


def test_xlsx_keeps_typed_text_as_written_escapes_controls_and_marks_what_it_cuts(full_store, tmp_path):
    from gcmtrack.export import write_export

    out = tmp_path / "all.xlsx"
    summary = write_export(full_store, 2026, None, out)  # used to crash on \x01 (IllegalCharacterError)
    assert summary.cut_cells == 1
    wb = openpyxl.load_workbook(out)
    raw = {c.value for row in wb["Dataset"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "- first action" in raw and "+52 55 1234 5678" in raw  # no apostrophe added
    assert "bell \x07 and \x01".replace("\x07", "_x0007_").replace("\x01", "_x0001_") in raw
    assert "_x005F_x0001_ literal" in raw
    back = {r["objective"]: r for r in read_export(out)}
    assert back["2"]["measures"] == "_x0001_ literal" and back["4"]["measures"] == "bell \x07 and \x01"
    cut = back["3"]["measures"]
    assert len(cut.encode("utf-16-le")) // 2 <= 32_767 and cut.startswith("\U0001F30D") and "more characters" in cut
    # the CSV keeps the whole text, and its neutralisation
    csv_out = tmp_path / "all.csv"
    write_export(full_store, 2026, None, csv_out)
    whole = {r["objective"]: r for r in read_export(csv_out)}
    assert whole["3"]["measures"] == "\U0001F30D" * 20_000
    with csv_out.open(encoding="utf-8-sig") as handle:
        assert "'- first action" in handle.read()


# --------------------------------------------------------------------------- issue 19 item 8: a CR-led cell

from gcmtrack.common.spreadsheet import FORMULA_TRIGGERS, csv_writer, is_formula_like  # noqa: E402

# what starts a row, or a cell, as a formula once a reader splits a cell at its CR or LF
CR_LED = ["\r=1+1", "\n=1+1", "\r\n@SUM(A1)", " \r+cmd", "\u200b=1+1", "\ufeff-2", "\t\r=x", "\uff1dSUM(A1)",
          "text\r=HYPERLINK(\"http://evil.example\")", "line\n-2", "\r\n", " leading space", "\rplain"]


def _live(cell: str) -> bool:
    """A cell a spreadsheet could run: a trigger first, or after whitespace and controls."""
    return is_formula_like(cell)


@pytest.mark.parametrize("value", CR_LED)
def test_neutralise_covers_whitespace_and_controls_before_a_trigger(value):
    safe = neutralise(value)
    assert restore(safe) == value
    assert not _live(str(safe))
    if value.lstrip(" \r\n\t\u200b\ufeff").startswith(FORMULA_TRIGGERS):
        assert safe == "'" + value
    if value in ("text\r=HYPERLINK(\"http://evil.example\")", "line\n-2", " leading space", "\rplain"):
        assert not is_formula_like(value) or value.startswith("\r")


@pytest.mark.parametrize("value", ["\r=1+1", "text\r=1+1", "a,\"b\"\n=2"])
def test_the_csv_writer_keeps_a_cr_inside_its_cell(value):
    import io

    buffer = io.StringIO()
    csv_writer(buffer).writerow([neutralise(value), "x"])
    csv_writer(buffer, quote_all=False).writerow([neutralise(value), "y"])
    text = buffer.getvalue()
    # every physical line of the file starts a row or continues a quoted cell, never a formula
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [restore(r[0]) for r in rows] == [value, value] and [r[1] for r in rows] == ["x", "y"]


@pytest.fixture
def cr_store(tmp_path):
    # as Excel writes a CR in a cell (_x000D_), and a LF typed with Alt+Enter
    texts = ["_x000D_=1+1", "_x000D_\n@SUM(A1)", "before_x000D_=HYPERLINK(\"http://evil.example\",\"x\")",
             "\n-2+3", "ok"]
    rows = [(n, "Implemented", texts[n % len(texts)], texts[(n + 1) % len(texts)], texts[(n + 2) % len(texts)])
            for n in range(1, 24)]
    practices = [{"title": "_x000D_=cmd|' /C calc'!A0", "description": "_x000D_+1", "status": "Planned",
                  "objectives": "3", "partners": "\r\n=2"}]
    with Store(str(tmp_path / "cr.db")) as s:
        ingest_bytes(s, build_workbook(state="MEX", objectives=rows, practices=practices), "mex.xlsx")
        yield s


def _csv_cells(data: bytes) -> list[list[str]]:
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_no_csv_gcmtrack_writes_starts_a_row_or_a_cell_with_a_formula(cr_store, tmp_path):
    from gcmtrack.export import PRACTICE_COLUMNS, practice_rows, practices_path, write_export
    from gcmtrack.service.exports import export_file

    stored = {r["objective"]: r for r in dataset_rows(cr_store, 2026, "RCM")}
    assert any("\r" in r["measures"] for r in stored.values())  # the CR reaches the export
    out = tmp_path / "cr.csv"
    write_export(cr_store, 2026, "RCM", out)
    portal, _ = export_file(cr_store, "RCM", 2026, "csv", "en", actor="staff")
    portal_practices, _ = export_file(cr_store, "RCM", 2026, "practices.csv", "en", actor="staff")
    for data, columns, count in ((out.read_bytes(), COLUMNS, 23), (portal, COLUMNS, 23),
                                 (practices_path(out).read_bytes(), PRACTICE_COLUMNS, 1),
                                 (portal_practices, PRACTICE_COLUMNS, 1)):
        rows = _csv_cells(data)
        assert rows[0] == columns and len(rows) == 1 + count  # no row was split at a CR or LF
        assert all(len(r) == len(columns) for r in rows)
        assert not [c for r in rows for c in r if _live(c)]
    back = {r["objective"]: r for r in read_export(out)}
    assert {k: back[str(k)]["measures"] for k in stored} == {k: str(v["measures"]) for k, v in stored.items()}
    assert read_export(out, "Practices")[0]["title"] == practice_rows(cr_store, 2026, "RCM")[0]["title"]


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_csv_with_no_formula(cr_store, tmp_path):
    import subprocess

    from gcmtrack.export import write_export

    out = tmp_path / "cr.csv"
    write_export(cr_store, 2026, "RCM", out)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "lo-out"), str(out)], check=True, capture_output=True, timeout=180)
    wb = openpyxl.load_workbook(tmp_path / "lo-out" / "cr.xlsx")
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert wb.active.max_row == 24
    assert not [c.coordinate for c in cells if c.data_type == "f" or (isinstance(c.value, str) and
                                                                      c.value.startswith("="))]


# --------------------------------------------------------------------------- issue 18 item 3: the cut cells named


@pytest.fixture
def long_store(tmp_path):
    long_text = "Acción \U0001F30D " * 3_500  # 31,500 characters, 35,000 as Excel counts (UTF-16)
    rows = [(n, "Implemented", long_text if n == 4 else f"measures {n}", "evidence", long_text if n == 9 else "IOM")
            for n in range(1, 24)]
    practices = [{"title": "Programme A", "description": "\U0001F30D" * 17_000, "status": "Planned", "objectives": "3"}]
    with Store(str(tmp_path / "long.db")) as s:
        ingest_bytes(s, build_workbook(state="MEX", objectives=rows, practices=practices), "mex.xlsx")
        yield s


def test_the_export_names_every_cell_it_cut_and_the_csv_keeps_it_whole(long_store, tmp_path):
    from gcmtrack.export import NOTES_SHEET, PRACTICES_SHEET, write_export

    out = tmp_path / "long.xlsx"
    summary = write_export(long_store, 2026, "RCM", out)
    named = {(c.sheet, c.state, c.objective, c.practice_row, c.column) for c in summary.cut}
    assert named == {("Dataset", "MEX", 4, None, "measures"), ("Dataset", "MEX", 9, None, "partners"),
                     ("Practices", "MEX", None, 2, "description")}
    wb = openpyxl.load_workbook(out)
    notes = [list(r) for r in wb[NOTES_SHEET].iter_rows(values_only=True)]
    assert notes[0][:8] == ["sheet", "cell", "state", "objective", "practice_row", "column", "characters", "kept"]
    assert len(notes) == 4
    for sheet, cell, state, objective, practice_row, column, characters, kept, note in notes[1:]:
        target = wb[sheet][cell].value
        assert wb[sheet].cell(1, wb[sheet][cell].column).value == column
        assert "more characters" in target and "CSV" in note and kept < characters
        if sheet == "Dataset":
            assert characters == 31_500 and target.startswith("Acción \U0001F30D Acción")
            assert wb[sheet].cell(wb[sheet][cell].row, 4).value == objective  # the objective column
        else:
            assert characters == 17_000 and practice_row == 2
    whole = tmp_path / "long.csv"
    write_export(long_store, 2026, "RCM", whole)
    back = {r["objective"]: r for r in read_export(whole)}
    assert back["4"]["measures"] == back["9"]["partners"] == "Acción \U0001F30D " * 3_500
    assert read_export(whole, PRACTICES_SHEET)[0]["description"] == "\U0001F30D" * 17_000
    # no Notes sheet when nothing was cut
    assert not write_export(long_store, 2026, "CMC", tmp_path / "none.xlsx").cut


def test_the_export_command_names_the_cut_cells(long_store, tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main

    out = tmp_path / "cli.xlsx"
    result = CliRunner().invoke(main, ["export", "--cycle", "2026", "--process", "RCM", "--db", str(tmp_path / "long.db"),
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 text(s) longer" in result.output and "Notes sheet" in result.output
    assert "Dataset!" in result.output and "MEX, objective 4, column measures" in result.output
    assert "MEX, practice in row 2, column description" in result.output
