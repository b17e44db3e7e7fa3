"""Build small submission workbooks inside tests (no binary fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from openpyxl import Workbook

from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import workbook_bytes

# Saved with fixed dates, so equal arguments give equal bytes however slow the machine (openpyxl
# stamps the current second into the file: two builds a second apart would differ).
BUILT = dt.datetime(2025, 1, 1)

# The columns in contract order: rows of `objectives` give their values in this order.
OBJ_KEYS = list(contract().columns["objectives"])
PRACTICE_KEYS = list(contract().columns["practices"])


def build_workbook(
    lang: str = "en",
    state: Any = "MEX",
    cycle: Any = 2026,
    objectives: Sequence[Sequence[Any]] | None = None,
    practices: Sequence[dict] | None = None,
    *,
    labels: dict[str, Any] | None = None,
    title_rows: int = 0,
    obj_columns: Sequence[str] = OBJ_KEYS,
    extra_sheets: Sequence[str] = (),
    omit_sheets: Sequence[str] = (),
    sheet_names: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    include_practices_sheet: bool = True,
) -> bytes:
    """A workbook following the contract in `lang`.

    objectives: rows of values in the order of `obj_columns` (default: all 23 implemented). With
        the default columns, a row of just (objective, status) gets a text in Measures taken, so
        that a test sees only the problems it is about (not implemented-without-measures).
    practices: dicts keyed by contract field (title, status, objectives, themes, …).
    headers: override header text by field key (to test near misses).
    """
    ct = contract()
    names = {k: f.names[lang] for k, f in ct.sheets.items()}
    names.update(sheet_names or {})
    wb = Workbook()
    wb.remove(wb.active)
    if "submission" not in omit_sheets:
        ws = wb.create_sheet(names["submission"])
        values = {"state": state, "cycle": cycle, "template_version": ct.template_version,
                  "email": "focal.point@example.gov"}
        values.update(labels or {})
        # what a complete workbook gives too (no missing-recommended warning), in the last rows
        values.setdefault("date", "2026-01-15")
        values.setdefault("institution", "Ministry of Foreign Affairs")
        row = 1
        for key, value in values.items():
            if value is None:
                continue
            ws.cell(row, 1, ct.labels[key].names[lang])
            ws.cell(row, 2, value)
            row += 1
    if "objectives" not in omit_sheets:
        ws = wb.create_sheet(names["objectives"])
        for r in range(1, title_rows + 1):
            ws.cell(r, 1, f"Title row {r}")
        header_row = title_rows + 1
        for c, key in enumerate(obj_columns, start=1):
            text = (headers or {}).get(key) or ct.columns["objectives"][key].names[lang] if key in ct.columns["objectives"] else key
            ws.cell(header_row, c, text)
        rows = objectives if objectives is not None else [
            (n, ct_status("implemented", lang), f"Measures for objective {n}") for n in range(1, 24)]
        for i, values in enumerate(rows, start=header_row + 1):
            if list(obj_columns) == OBJ_KEYS and len(values) == 2 and values[0] is not None and values[1]:
                values = (*values, f"Measures for objective {values[0]}")
            for c, value in enumerate(values, start=1):
                if value is not None:
                    put(ws, i, c, value)
    if include_practices_sheet and "practices" not in omit_sheets:
        ws = wb.create_sheet(names["practices"])
        for c, key in enumerate(PRACTICE_KEYS, start=1):
            ws.cell(1, c, (headers or {}).get("p." + key) or ct.columns["practices"][key].names[lang])
        for i, practice in enumerate(practices or [], start=2):
            for c, key in enumerate(PRACTICE_KEYS, start=1):
                if practice.get(key) is not None:
                    put(ws, i, c, practice[key])
    for name in extra_sheets:
        wb.create_sheet(name).cell(1, 1, "notes")
    return workbook_bytes(wb, BUILT)


def put(ws, row: int, col: int, value: Any) -> None:
    """Write a value; text starting with "=" stays text (openpyxl would write a formula)."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def ct_status(key: str, lang: str = "en") -> str:
    from gcmtrack.reference.framework import framework

    return framework().status(key).name(lang)


def codes(result) -> list[tuple[str, str | None, str | None]]:
    """(code, sheet, cell) of every problem: what tests compare, never the wording."""
    return [(p.code, p.sheet, p.cell) for p in result.problems]
