"""An annotated copy of a submitted workbook: every problem cell highlighted and commented, and
a Problems sheet listing every problem with a link to its cell.

The input is the submitter's original bytes (already judged safe to open by the reader). Cell
values of the original sheets are left as they are; only fills, borders and comments of the
problem cells change, and one sheet is added. Text copied from the workbook into the Problems
sheet is untrusted: anything that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gcmtrack.intake.cells import parse_a1
from gcmtrack.intake.template import HEADER_FILL, TemplateText, template_text, workbook_bytes
from gcmtrack.common.languages import check_lang
from gcmtrack.common.spreadsheet import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, NEUTRALISER, is_formula_like
from gcmtrack.common.text import fold

#: Columns of the Problems sheet, in order (their headings are in template_text.yaml).
COLUMNS = ("severity", "code", "sheet", "cell", "message", "hint", "value")
MAX_CELL_TEXT = 32_000  # a margin under EXCEL_MAX_CELL_CHARS for the neutraliser and the ellipsis

ERROR_FILL = PatternFill("solid", fgColor="FFFFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFFFEB9C")
ERROR_SIDE = Side(style="thick", color="FFC00000")
WARNING_SIDE = Side(style="mediumDashed", color="FF9C5700")
ERROR_BORDER = Border(left=ERROR_SIDE, right=ERROR_SIDE, top=ERROR_SIDE, bottom=ERROR_SIDE)
WARNING_BORDER = Border(left=WARNING_SIDE, right=WARNING_SIDE, top=WARNING_SIDE, bottom=WARNING_SIDE)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_FALLBACK_DATE = dt.datetime(2000, 1, 1)


def safe_text(value: Any) -> str:
    """Untrusted content as inert cell text: no control characters, bounded length, and a
    leading ' when it would otherwise start like a formula."""
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = ", ".join("" if v is None else str(v) for v in value)
    else:
        text = str(value)
    risky = is_formula_like(text)
    # XML turns a lone CR into LF on reading: write line ends the way they will be read back
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return NEUTRALISER + text if risky else text


def _put_text(ws: Worksheet, row: int, col: int, value: Any):
    cell = ws.cell(row, col)
    cell.value = safe_text(value)
    cell.data_type = "s"
    return cell


def hyperlink_formula(sheet: str, cell: str) -> str:
    """=HYPERLINK("#'Sheet'!B7","B7") with the sheet name's quotes escaped."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell.replace('"', '""') + '")'


def annotate(data: bytes, problems: list[dict], lang: str) -> bytes:
    """A copy of the workbook `data` with `problems` (Problem.to_dict form) marked on their
    cells and listed in a new Problems sheet in `lang`."""
    lang = check_lang(lang)
    tt = template_text()
    try:
        wb = load_workbook(io.BytesIO(data), keep_vba=False, rich_text=True)
        opened = True
    except Exception:  # noqa: BLE001 - openpyxl raises many types; the list alone is still useful
        wb = Workbook()
        wb.remove(wb.active)
        opened = False

    created = wb.properties.created
    modified = wb.properties.modified or created or _FALLBACK_DATE
    targets: list[tuple[Worksheet, str] | None] = []
    marks: dict[tuple[str, int, int], list[dict]] = {}
    for problem in problems:
        target = _locate(wb, problem)
        targets.append(target)
        if target is None:
            continue
        ws, ref = target
        row, col = _anchor(ws, *parse_a1(ref))
        marks.setdefault((ws.title, row, col), []).append(problem)
    for (title, row, col), group in marks.items():
        _mark(wb[title].cell(row, col), group)

    _problems_sheet(wb, problems, targets, lang, tt, opened)
    wb.properties.lastModifiedBy = tt.text("workbook.creator", lang)
    return workbook_bytes(wb, modified, created=created)


# --------------------------------------------------------------------------- locating


def _find_sheet(wb: Workbook, name: Any) -> Worksheet | None:
    if not name:
        return None
    name = str(name)
    if name in wb.sheetnames:
        sheet = wb[name]
    else:
        matches = [n for n in wb.sheetnames if fold(n) == fold(name)]
        if len(matches) != 1:
            return None
        sheet = wb[matches[0]]
    return sheet if isinstance(sheet, Worksheet) else None


def _locate(wb: Workbook, problem: dict) -> tuple[Worksheet, str] | None:
    """The worksheet and normalised A1 reference a problem points at, or None (list only)."""
    cell = problem.get("cell")
    ws = _find_sheet(wb, problem.get("sheet"))
    if ws is None or not cell:
        return None
    try:
        row, col = parse_a1(str(cell))
    except ValueError:
        return None
    if not (1 <= row <= EXCEL_MAX_ROWS and 1 <= col <= EXCEL_MAX_COLS):
        return None
    return ws, f"{get_column_letter(col)}{row}"


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The cell that can hold a comment: the top-left cell of a merged range."""
    if isinstance(ws._cells.get((row, col)), MergedCell):  # noqa: SLF001 - avoid creating cells
        for merged in ws.merged_cells.ranges:
            if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
                return merged.min_row, merged.min_col
    return row, col


# --------------------------------------------------------------------------- marking


def _problem_line(problem: dict) -> str:
    line = f"{problem.get('code') or ''}: {problem.get('message') or ''}"
    hint = problem.get("hint")
    return f"{line} — {hint}" if hint else line


def _mark(cell, group: list[dict]) -> None:
    is_error = any(p.get("severity") == "error" for p in group)
    cell.fill = ERROR_FILL if is_error else WARNING_FILL
    cell.border = ERROR_BORDER if is_error else WARNING_BORDER
    text = "\n\n".join(_problem_line(p) for p in group)
    if cell.comment is not None and cell.comment.text:
        text = f"{text}\n\n———\n{cell.comment.text}"
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_CELL_TEXT]
    comment = Comment(text, "gcmtrack")
    comment.width = 360
    comment.height = min(600, 60 + 16 * (text.count("\n") + len(text) // 50))
    cell.comment = comment


# --------------------------------------------------------------------------- the Problems sheet


def _sheet_name(wb: Workbook, base: str) -> str:
    taken = {name.casefold() for name in wb.sheetnames}
    if base.casefold() not in taken:
        return base
    number = 2
    while f"{base} ({number})".casefold() in taken:
        number += 1
    return f"{base} ({number})"


def _problems_sheet(wb: Workbook, problems: list[dict], targets: Iterable[tuple[Worksheet, str] | None],
                    lang: str, tt: TemplateText, opened: bool) -> Worksheet:
    ws = wb.create_sheet(_sheet_name(wb, tt.text("problems.sheet", lang)))
    errors = sum(1 for p in problems if p.get("severity") == "error")
    title = tt.text("problems.title", lang, errors=errors, warnings=len(problems) - errors)
    if not opened:
        title = f"{title} {tt.text('problems.unreadable', lang)}"
    ws.cell(1, 1, title).font = Font(bold=True, size=12)
    header = 2
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(header, col, tt.text(f"problems.columns.{key}", lang))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row, (problem, target) in enumerate(zip(problems, targets), start=header + 1):
        severity = problem.get("severity")
        label = tt.text(f"problems.severity.{severity}", lang) if severity in ("error", "warning") else severity
        values = {**problem, "severity": label}
        for col, key in enumerate(COLUMNS, start=1):
            if key == "cell" and target is not None:
                sheet, ref = target
                cell = ws.cell(row, col, hyperlink_formula(sheet.title, ref))
                cell.font = Font(color="FF0563C1", underline="single")
            else:
                cell = _put_text(ws, row, col, values.get(key))
            cell.alignment = WRAP_TOP
        if severity in ("error", "warning"):
            ws.cell(row, 1).fill = ERROR_FILL if severity == "error" else WARNING_FILL
    last = header + len(problems)
    for col, width in enumerate((13, 28, 16, 9, 60, 60, 30), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(COLUMNS))}{max(last, header)}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = wb.sheetnames.index(ws.title)
    return ws
