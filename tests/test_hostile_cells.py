"""Cells that mean something other than what they show (issue 19, item 8): a date typed as a
number in a workbook on the 1904 date system, and Excel error values in text cells."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from gcmtrack.intake.validate import validate_bytes
from gcmtrack.intake.xlsx import ExcelError, read_workbook
from tests.builders import build_workbook

ERRORS = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA"]


def _edit(data: bytes, change) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _label_cell(book, label: str):
    ws = book["Submission"]
    for row in ws.iter_rows():
        if row[0].value == label:
            return row[1]
    raise KeyError(label)


@pytest.mark.parametrize("date1904", [False, True])
def test_a_date_typed_as_a_number_follows_the_workbooks_date_system(date1904):
    serial = 46037 if not date1904 else 46037 - 1462  # 2026-01-15 in each system

    def change(book):
        if date1904:
            book.epoch = CALENDAR_MAC_1904
        cell = _label_cell(book, "Date of submission")
        cell.value = serial
        cell.number_format = "General"  # a plain number, not a date cell

    data = _edit(build_workbook(state="JAM", labels={"date": "2026-01-01"}), change)
    assert read_workbook(data).date1904 is date1904
    result = validate_bytes(data, "jam.xlsx")
    assert result.valid, [p.code for p in result.errors]
    assert result.submission.date == "2026-01-15"


def test_a_date_cell_of_a_1904_workbook_is_read_with_1904():
    import datetime as dt

    def change(book):
        book.epoch = CALENDAR_MAC_1904
        _label_cell(book, "Date of submission").value = dt.date(2026, 1, 15)

    data = _edit(build_workbook(state="JAM", labels={"date": "2026-01-01"}), change)
    assert validate_bytes(data, "jam.xlsx").submission.date == "2026-01-15"


def test_excel_error_values_in_text_cells_are_warned_and_never_kept_as_words():
    objectives = [(n, "Planned", ERRORS[n % len(ERRORS)] if n <= len(ERRORS) else f"measures {n}")
                  for n in range(1, 24)]
    data = build_workbook(state="JAM", objectives=objectives, labels={"institution": "#REF!"})
    raw = read_workbook(data)
    objectives_sheet = next(s for s in raw.sheets if s.name == "Objectives")
    assert isinstance(objectives_sheet.value(2, 3), ExcelError)  # openpyxl wrote them as error cells (t="e")
    result = validate_bytes(data, "jam.xlsx")
    assert result.valid
    flagged = [p for p in result.problems if p.code == "excel-error-value"]
    assert len(flagged) == len(ERRORS) + 1 and all(p.severity == "warning" for p in flagged)
    assert {p.value for p in flagged} == set(ERRORS)
    institution = next(p for p in flagged if p.sheet == "Submission")
    assert institution.cell == "B5" and institution.value == "#REF!"
    assert "holds the Excel error #REF!" in institution.message("en")
    assert "erreur Excel" in institution.message("fr") and "error de Excel" in institution.message("es")
    words = repr(result.submission)
    assert not any(code in words for code in ERRORS)


def test_an_error_value_typed_as_text_is_flagged_too():
    objectives = [(1, "Planned", "  #n/a ")] + [(n, "Planned", "m") for n in range(2, 24)]
    data = build_workbook(state="JAM", objectives=objectives)
    result = validate_bytes(data, "jam.xlsx")
    assert [(p.code, p.sheet) for p in result.problems if p.code == "excel-error-value"] == [
        ("excel-error-value", "Objectives")]
    assert "#n/a" not in repr(result.submission).lower()


def test_a_required_text_holding_an_error_value_is_missing():
    practices = [{"title": "#REF!", "status": "Planned", "objectives": "1"}]
    result = validate_bytes(build_workbook(state="JAM", practices=practices), "jam.xlsx")
    codes = [p.code for p in result.problems]
    assert "excel-error-value" in codes and "missing-value" in codes
