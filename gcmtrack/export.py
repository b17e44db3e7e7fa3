"""The compiled dataset: one row per state and objective, as CSV or XLSX, safe to open in a
spreadsheet (text that could be read as a formula is neutralised by common.spreadsheet).

Plain csv and openpyxl write it; analysts who want DataFrames use gcmtrack.analysis.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from gcmtrack.common.files import write_atomic
from gcmtrack.common.spreadsheet import neutralise, restore
from gcmtrack.reference.framework import framework
from gcmtrack.reference.processes import get_process
from gcmtrack.reference.states import states
from gcmtrack.scoring import score_submission
from gcmtrack.scoring.rounding import round_half_up
from gcmtrack.store import Store

SHEET = "Dataset"
COLUMNS = [
    "cycle", "state", "state_name", "objective", "objective_label", "round_table", "status", "score",
    "measures", "evidence", "partners", "principles", "practices", "version", "filename", "sha256", "ingested_at",
]
_WIDTHS = {"measures": 60, "evidence": 40, "practices": 50, "state_name": 24, "objective_label": 30}


def _for_people(value: float | None) -> float | None:
    """A score as people read it: 2 decimals, half-up from the exact value (the rounding rule)."""
    number = round_half_up(value)
    return None if number is None else float(number)


def dataset_rows(store: Store, cycle: int, process_id: str | None = None) -> list[dict[str, Any]]:
    """The dataset as rows (dicts keyed by COLUMNS), raw values, not neutralised."""
    fw = framework()
    edition = fw.edition(cycle)
    wanted = sorted(get_process(process_id).members(cycle)) if process_id else None
    rows = []
    for code, stored in store.latest(cycle, wanted).items():
        sub = stored.submission
        scores = score_submission(sub, fw, edition)
        for number, objective in fw.objectives.items():
            row = sub.objectives.get(number)
            practices = [p.title for p in sub.practices if number in p.mapped_objectives(fw)]
            rows.append({
                "cycle": cycle, "state": code, "state_name": states().get(code).name("en"),
                "objective": number, "objective_label": objective.label("en"),
                "round_table": edition.round_table_of(number),
                "status": row.status if row else "not_reported",
                "score": _for_people(scores.objectives[number]),
                "measures": row.measures if row else "", "evidence": row.evidence if row else "",
                "partners": row.partners if row else "",
                "principles": ", ".join(row.principles) if row else "",
                "practices": "\n".join(practices),
                "version": stored.version, "filename": stored.filename, "sha256": stored.sha256,
                "ingested_at": stored.ingested_at,
            })
    return rows


def export_dataset(store: Store, cycle: int, process_id: str | None, output: Path) -> int:
    """Write the dataset to .csv or .xlsx atomically; returns the number of rows."""
    rows = dataset_rows(store, cycle, process_id)
    table = [[neutralise(row[c]) for c in COLUMNS] for row in rows]
    if output.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([["" if v is None else v for v in values] for values in table])
        data = buffer.getvalue().encode("utf-8-sig")
    else:
        wb = Workbook()
        sheet = wb.active
        sheet.title = SHEET
        sheet.append(COLUMNS)
        for values in table:
            sheet.append(values)
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        sheet.freeze_panes = "A2"
        for index, name in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = _WIDTHS.get(name, 12)
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    write_atomic(output, data)
    return len(rows)


def read_export(path: Path) -> list[dict[str, str]]:
    """Read an export back as text rows with the neutralising prefix removed (the round trip of
    `export_dataset`); empty cells read as ""."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            lines = list(reader)
    else:
        wb = load_workbook(path, read_only=True)
        values = [list(r) for r in wb[SHEET].iter_rows(values_only=True)]
        wb.close()
        header, lines = [str(v) for v in values[0]], values[1:]
    return [{name: "" if v is None else str(restore(v)) for name, v in zip(header, line)} for line in lines]
