"""The compiled dataset: one row per state and objective, as CSV or XLSX, safe to open in a
spreadsheet (text that could be read as a formula is neutralised)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from gcmtrack.fileio import write_atomic
from gcmtrack.framework import framework
from gcmtrack.processes import get_process
from gcmtrack.scoring import score_submission
from gcmtrack.states import states
from gcmtrack.store import Store

# A spreadsheet reads a cell starting with one of these as a formula (or DDE payload).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"

COLUMNS = [
    "cycle", "state", "state_name", "objective", "objective_label", "round_table", "status", "score",
    "measures", "evidence", "partners", "principles", "practices", "version", "filename", "sha256", "ingested_at",
]


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet could execute (or that already starts with the prefix) with
    an apostrophe, so it is shown as text. `restore` undoes it exactly."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS + (NEUTRALISER,)):
        return NEUTRALISER + value
    return value


def restore(value: object) -> object:
    if isinstance(value, str) and value.startswith(NEUTRALISER):
        return value[1:]
    return value


def dataset(store: Store, cycle: int, process_id: str | None = None) -> pd.DataFrame:
    """The dataset as a DataFrame (raw values, not neutralised)."""
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
                "score": scores.objectives[number],
                "measures": row.measures if row else "", "evidence": row.evidence if row else "",
                "partners": row.partners if row else "",
                "principles": ", ".join(row.principles) if row else "",
                "practices": "\n".join(practices),
                "version": stored.version, "filename": stored.filename, "sha256": stored.sha256,
                "ingested_at": stored.ingested_at,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def export_dataset(store: Store, cycle: int, process_id: str | None, output: Path) -> int:
    """Write the dataset to .csv or .xlsx atomically; returns the number of rows."""
    frame = dataset(store, cycle, process_id)
    safe = frame.map(neutralise)
    if output.suffix.lower() == ".csv":
        data = safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    else:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            safe.to_excel(writer, index=False, sheet_name="Dataset")
            sheet = writer.sheets["Dataset"]
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # never a formula, whatever the text
            sheet.freeze_panes = "A2"
            widths = {"measures": 60, "evidence": 40, "practices": 50, "state_name": 24, "objective_label": 30}
            for index, name in enumerate(COLUMNS, start=1):
                sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(name, 12)
        data = buffer.getvalue()
    write_atomic(output, data)
    return len(frame)


def read_export(path: Path) -> pd.DataFrame:
    """Read an export back with the neutralising prefix removed (the round trip of `export_dataset`)."""
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    else:
        frame = pd.read_excel(path, sheet_name="Dataset", keep_default_na=False, dtype=str)
    return frame.map(restore)
