"""The compiled dataset as CSV or XLSX: one row per state and objective, every practice with all
its fields, and each submission's own details (workbook date, reporting period, institution,
language, file name, SHA-256, review state).

XLSX cells are typed as text, so text is kept exactly as written (no apostrophe is added: a
text cell is never run as a formula); control characters are written as Excel writes them
(_x0001_), and a text longer than a cell holds is cut with a visible mark, never silently.
CSV has no types: every field is quoted (a CR or LF never ends a row) and text that a
spreadsheet could read as a formula, also after whitespace or controls, is neutralised
(common.spreadsheet), and nothing is cut. Plain csv and openpyxl write it; analysts who want
DataFrames use gcmtrack.analysis.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from gcmtrack.common.files import write_atomic
from gcmtrack.common.languages import lang_or_default
from gcmtrack.common.spreadsheet import EXCEL_MAX_CELL_CHARS, csv_writer, neutralise, restore
from gcmtrack.intake.contract import contract
from gcmtrack.reference.framework import framework
from gcmtrack.reference.processes import get_process
from gcmtrack.reference.states import states
from gcmtrack.scoring import score_submission
from gcmtrack.scoring.rounding import round_half_up
from gcmtrack.store import Store
from gcmtrack.submission import location_text

SHEET = "Dataset"
PRACTICES_SHEET = "Practices"
#: The sheet that names every cell cut at Excel's limit (written only when one was cut).
NOTES_SHEET = "Notes"
NOTES_COLUMNS = ["sheet", "cell", "state", "objective", "practice_row", "column", "characters", "kept", "note"]
#: The columns of the Objectives sheet copied as submitted (lists joined with ", "): all but the
#: objective and its status, which the dataset gives in their own forms (label, round table, score).
SUBMITTED_COLUMNS = [key for key, f in contract().columns["objectives"].items()
                     if f.type not in ("objective", "status")]
#: Each submission's own details, repeated on each of its rows.
SUBMISSION_COLUMNS = ["version", "review_state", "workbook_date", "period", "institution", "language",
                      "filename", "sha256", "ingested_at"]
#: "workbook" or "narrative"; for a narrative review, where the confirmed passages of the objective
#: are in the document ("page 4, paragraph 2; page 5, paragraph 1"), instead of a sheet and a row.
SOURCE_COLUMNS = ["kind", "passages"]
COLUMNS = [
    "cycle", "state", "state_name", "objective", "objective_label", "round_table", "status", "status_label",
    "score", *SUBMITTED_COLUMNS, "practices", *SUBMISSION_COLUMNS, *SOURCE_COLUMNS,
]
#: Every field of a practice (contract order), with its status label and the submission it came from.
PRACTICE_FIELDS = [key for key in contract().columns["practices"]]
PRACTICE_COLUMNS = ["cycle", "state", "state_name", "row", *PRACTICE_FIELDS, "status_label", "mapped_objectives",
                    "version", "filename", "sha256"]
_WIDTHS = {"measures": 60, "evidence": 40, "practices": 50, "state_name": 24, "objective_label": 30,
           "title": 36, "description": 60, "institution": 30, "filename": 24, "sha256": 20,
           "passages": 30}
#: Shown at the end of a text cut to fit an XLSX cell; {more} is the number of characters left out.
CUT_MARK = " […{more} more characters: the CSV export holds the whole text]"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class CutCell:
    """An XLSX cell whose text was longer than a cell holds, cut with CUT_MARK: where it is, whose
    text it is, and how much of it the cell kept (the CSV export holds the whole text)."""

    sheet: str  # SHEET or PRACTICES_SHEET
    cell: str  # e.g. "L4"
    state: str  # ISO3
    column: str  # a name of COLUMNS or PRACTICE_COLUMNS
    characters: int  # the whole text's length (characters)
    kept: int  # characters the cell kept before the mark
    objective: int | None = None  # Dataset rows
    practice_row: int | None = None  # Practices rows: the practice's row in the state's workbook

    def where(self) -> str:
        """Plain words, codes and numbers only (no submitted text): safe on any terminal."""
        item = f"objective {self.objective}" if self.objective is not None else f"practice in row {self.practice_row}"
        return (f"{self.sheet}!{self.cell}: {self.state}, {item}, column {self.column} "
                f"({self.characters:,} characters, {self.kept:,} kept)")


@dataclass
class ExportSummary:
    rows: int  # dataset rows (state x objective)
    practices: int
    files: list[Path]
    cut: list[CutCell] = field(default_factory=list)  # XLSX cells cut at a cell's limit, named in NOTES_SHEET

    @property
    def cut_cells(self) -> int:
        """How many XLSX cells were cut (CUT_MARK)."""
        return len(self.cut)


def _for_people(value: float | None) -> float | None:
    """A score as people read it: 2 decimals, half-up from the exact value (the rounding rule)."""
    number = round_half_up(value)
    return None if number is None else float(number)


def dataset_rows(store: Store, cycle: int, process_id: str | None = None, lang: str = "en",
                 *, accepted_only: bool = False) -> list[dict[str, Any]]:
    """The dataset as rows (dicts keyed by COLUMNS), raw values, not neutralised; names and
    status labels in `lang`; scores rounded for people (the rounding rule)."""
    lang = lang_or_default(lang)
    fw = framework()
    edition = fw.edition(cycle)
    rows = []
    for code, stored in _latest(store, cycle, process_id, accepted_only).items():
        sub = stored.submission
        scores = score_submission(sub, fw, edition)
        details = _details(stored)
        for number, objective in fw.objectives.items():
            row = sub.objectives.get(number)
            practices = [p.title for p in sub.practices if number in p.mapped_objectives(fw)]
            rows.append({
                "cycle": cycle, "state": code, "state_name": states().get(code).name(lang),
                "objective": number, "objective_label": objective.label(lang),
                "round_table": edition.round_table_of(number),
                "status": row.status if row else "not_reported",
                "status_label": fw.status(row.status).name(lang) if row else _NOT_REPORTED[lang],
                "score": _for_people(scores.objectives[number]),
                **{key: _submitted(getattr(row, key)) if row else "" for key in SUBMITTED_COLUMNS},
                "practices": "\n".join(practices),
                **details,
                "kind": sub.kind,
                "passages": "; ".join(location_text(q.page, q.paragraph) for q in sub.quotes_for(number)),
            })
    return rows


def practice_rows(store: Store, cycle: int, process_id: str | None = None, lang: str = "en",
                  *, accepted_only: bool = False) -> list[dict[str, Any]]:
    """Every practice of the submissions that count, with all its fields (PRACTICE_COLUMNS)."""
    lang = lang_or_default(lang)
    fw = framework()
    rows = []
    for code, stored in _latest(store, cycle, process_id, accepted_only).items():
        for practice in stored.submission.practices:
            rows.append({
                "cycle": cycle, "state": code, "state_name": states().get(code).name(lang), "row": practice.row,
                **{key: _submitted(getattr(practice, key)) for key in PRACTICE_FIELDS},
                "status_label": fw.status(practice.status).name(lang),
                "mapped_objectives": _submitted(practice.mapped_objectives(fw)),
                "version": stored.version, "filename": stored.filename, "sha256": stored.sha256,
            })
    return rows


_NOT_REPORTED = {"en": "Not reported", "es": "No informado", "fr": "Non communiqué", "ar": "لم يبلغ عنه",
                 "zh": "未报告", "ru": "Не сообщено", "pt": "Não informado"}


def _latest(store: Store, cycle: int, process_id: str | None, accepted_only: bool = False):
    wanted = sorted(get_process(process_id).members(cycle)) if process_id else None
    return store.latest(cycle, wanted, accepted_only=accepted_only)


def _details(stored) -> dict[str, Any]:
    sub = stored.submission
    return {"version": stored.version, "review_state": stored.review_state,
            "workbook_date": stored.workbook_date or sub.date or "", "period": sub.period,
            "institution": sub.institution, "language": sub.lang, "filename": stored.filename,
            "sha256": stored.sha256, "ingested_at": stored.ingested_at}


def _submitted(value: Any) -> Any:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def practices_path(output: Path) -> Path:
    """Where a CSV export puts its practices: beside the dataset, `<name>-practices.csv`."""
    return output.with_name(f"{output.stem}-practices{output.suffix}")


def export_dataset(store: Store, cycle: int, process_id: str | None, output: Path, lang: str = "en",
                   *, accepted_only: bool = False) -> int:
    """Write the dataset to .csv or .xlsx atomically; returns the number of dataset rows."""
    return write_export(store, cycle, process_id, output, lang, accepted_only=accepted_only).rows


def write_export(store: Store, cycle: int, process_id: str | None, output: Path, lang: str = "en",
                 *, accepted_only: bool = False) -> ExportSummary:
    """Write the export atomically: an .xlsx with a Dataset and a Practices sheet, or a .csv of
    the dataset with the practices in practices_path(output)."""
    rows = dataset_rows(store, cycle, process_id, lang, accepted_only=accepted_only)
    practices = practice_rows(store, cycle, process_id, lang, accepted_only=accepted_only)
    if output.suffix.lower() == ".csv":
        write_atomic(output, _csv(COLUMNS, rows))
        write_atomic(practices_path(output), _csv(PRACTICE_COLUMNS, practices))
        return ExportSummary(len(rows), len(practices), [output, practices_path(output)])
    wb = Workbook()
    cut = _sheet(wb.active, SHEET, COLUMNS, rows)
    cut += _sheet(wb.create_sheet(), PRACTICES_SHEET, PRACTICE_COLUMNS, practices)
    if cut:
        _notes(wb.create_sheet(), cut)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(output, buffer.getvalue())
    return ExportSummary(len(rows), len(practices), [output], cut)


def _notes(sheet, cut: list[CutCell]) -> None:
    """The Notes sheet: one row per cut cell, with a link to it."""
    sheet.title = NOTES_SHEET
    sheet.append(NOTES_COLUMNS)
    note = (f"Longer than a spreadsheet cell holds ({EXCEL_MAX_CELL_CHARS:,} characters): cut, ending with "
            f"the mark \u201c{CUT_MARK.strip()}\u201d. The CSV export holds the whole text.")
    for item in cut:
        sheet.append([item.sheet, item.cell, item.state, item.objective, item.practice_row, item.column,
                      item.characters, item.kept, note])
        link = sheet.cell(sheet.max_row, 2)
        link.hyperlink = f"#'{item.sheet}'!{item.cell}"
        link.style = "Hyperlink"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (10, 8, 8, 10, 12, 14, 12, 10, 80)):
        sheet.column_dimensions[letter].width = width


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    writer.writerows([["" if row[c] is None else neutralise(row[c]) for c in columns] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet(sheet, title: str, columns: list[str], rows: list[dict[str, Any]]) -> list[CutCell]:
    """Fill one XLSX sheet; returns the cells that had to be cut."""
    sheet.title = title
    sheet.append(columns)
    cut = []
    for number, row in enumerate(rows, start=2):
        values = []
        for index, column in enumerate(columns, start=1):
            value = row[column]
            if isinstance(value, str):
                value, was_cut = xlsx_text(value)
                if was_cut:
                    cut.append(CutCell(title, f"{get_column_letter(index)}{number}", row["state"], column,
                                       len(row[column]), _kept(value), objective=row.get("objective"),
                                       practice_row=row.get("row") if title == PRACTICES_SHEET else None))
            values.append(value)
        sheet.append(values)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, whatever it starts with: never a formula
    sheet.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = _WIDTHS.get(name, 12)
    return cut


def xlsx_text(text: str) -> tuple[str, bool]:
    """Text as an XLSX cell holds it, and whether it had to be cut: characters XML cannot carry
    are written as Excel writes them (_x0001_; a literal "_x0001_" becomes "_x005F_x0001_"), and
    text longer than EXCEL_MAX_CELL_CHARS (counted as Excel counts, in UTF-16 units) is cut,
    ending with CUT_MARK."""
    encoded = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", _ESCAPE_LIKE.sub(r"_x005F_\1", text))
    if _utf16(encoded) <= EXCEL_MAX_CELL_CHARS:
        return encoded, False
    kept = encoded
    mark = CUT_MARK.format(more=len(text))
    while _utf16(kept) + _utf16(mark) > EXCEL_MAX_CELL_CHARS:
        over = _utf16(kept) + _utf16(mark) - EXCEL_MAX_CELL_CHARS
        kept = kept[: len(kept) - max(1, over // 2)]
    kept = re.sub(r"_x[0-9A-Fa-f]{0,4}$", "", kept)  # never end in half an escape
    more = len(_decode(encoded)) - len(_decode(kept))
    return kept + CUT_MARK.format(more=more), True


_MARK_AT_END = re.compile(re.escape(CUT_MARK).replace(re.escape("{more}"), r"\d+") + "$")


def _kept(cut: str) -> int:
    """How many characters of the text a cut cell (xlsx_text's result) kept before CUT_MARK."""
    return len(_decode(_MARK_AT_END.sub("", cut)))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode(text: str) -> str:
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_export(path: Path, sheet: str = SHEET) -> list[dict[str, str]]:
    """Read an export back as text rows, exactly as exported: the CSV's neutralising prefix
    removed, the XLSX's _xHHHH_ escapes decoded; empty cells read as "". `sheet` chooses the
    Practices sheet (XLSX) or file (CSV, practices_path)."""
    if path.suffix.lower() == ".csv":
        source = practices_path(path) if sheet == PRACTICES_SHEET else path
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            lines = list(reader)
        return [{name: str(restore(v)) for name, v in zip(header, line)} for line in lines]
    wb = load_workbook(path, read_only=True)
    values = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    header, lines = [str(v) for v in values[0]], values[1:]
    return [{name: "" if v is None else _decode(v) if isinstance(v, str) else str(v)
             for name, v in zip(header, line)} for line in lines]
