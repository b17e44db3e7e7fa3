"""An annotated copy of a submitted workbook: every problem cell highlighted and commented, and
a Problems sheet listing every problem with a link to its cell.

The submitter's bytes are read by the safe reader alone (intake/xlsx.py, with its limits), never
parsed a second time: the copy is a new workbook written from what the reader returned. It keeps
each sheet's name, order and visibility, every cell value, each formula with its saved result,
merged ranges and the cells' own comments, so the copy can be corrected and sent back as it is;
the original's formatting (styles, number formats other than dates, column widths, drop-down
lists, conditional formats, images) is not carried over. A package the reader refuses gives a
copy holding the problem list alone. Problem cells get a comment and a conditional highlight
that lasts only while the cell holds the value that was checked: a corrected cell loses it.
Annotating an annotated copy first drops the previous Problems sheet and our comments (the
previous highlights are not carried over either). Text copied from the workbook into the
Problems sheet is untrusted: anything that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from copy import copy
from functools import cache
from typing import Any, Iterable
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.formatting.rule import Rule
from openpyxl.formula.translate import Translator
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from gcmtrack.errors import WorkbookError
from gcmtrack.intake.cells import a1, parse_a1
from gcmtrack.intake.contract import contract
from gcmtrack.intake.problems_sheet import COLUMNS, is_problems_sheet
from gcmtrack.intake.template import HEADER_FILL, workbook_bytes
from gcmtrack.intake.texts import TemplateText, template_text
from gcmtrack.intake.xlsx import Cell, RawWorkbook, Sheet, read_workbook
from gcmtrack.common.languages import LANGS, lang_or_default
from gcmtrack.common.spreadsheet import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, NEUTRALISER, is_formula_like
from gcmtrack.common.text import fold

MAX_CELL_TEXT = 32_000  # a margin under EXCEL_MAX_CELL_CHARS for the neutraliser and the ellipsis

ERROR_COLOUR, WARNING_COLOUR = "FFFFC7CE", "FFFFEB9C"
ERROR_FILL = PatternFill("solid", fgColor=ERROR_COLOUR)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_COLOUR)
# Conditional formats may only use thin borders: errors solid, warnings dashed (not colour alone).
ERROR_SIDE = Side(style="thin", color="FFC00000")
WARNING_SIDE = Side(style="dashed", color="FF9C5700")
ERROR_BORDER = Border(left=ERROR_SIDE, right=ERROR_SIDE, top=ERROR_SIDE, bottom=ERROR_SIDE)
WARNING_BORDER = Border(left=WARNING_SIDE, right=WARNING_SIDE, top=WARNING_SIDE, bottom=WARNING_SIDE)
ERROR_MARK = DifferentialStyle(fill=PatternFill("solid", fgColor=ERROR_COLOUR, bgColor=ERROR_COLOUR), border=ERROR_BORDER)
WARNING_MARK = DifferentialStyle(fill=PatternFill("solid", fgColor=WARNING_COLOUR, bgColor=WARNING_COLOUR),
                                 border=WARNING_BORDER)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
# the copy's document dates: fixed, so the same file and problems give the same bytes
_COPY_DATE = dt.datetime(2000, 1, 1)
_OLD_COMMENT = "\n\n———\n"  # between our comment and the cell's own comment
_LITERAL_CHARS = 200  # longest text compared in a highlight's condition (Excel: 255 per literal)
_EPOCH = dt.datetime(1899, 12, 30)


@cache
def _authors() -> frozenset[str]:
    """The author names of our comments, in every language (and that of earlier copies)."""
    tt = template_text()
    return frozenset({tt.text("problems.author", lang) for lang in LANGS} | {"gcmtrack"})


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
    cells and listed in a new Problems sheet in `lang`. `data` is read by the safe reader only;
    a package it refuses gives a copy holding the Problems sheet alone."""
    lang = lang_or_default(lang)
    tt = template_text()
    try:
        raw: RawWorkbook | None = read_workbook(data, comments=True)
    except WorkbookError:
        raw = None
    wb = Workbook()
    wb.remove(wb.active)
    sources = _copy_sheets(wb, raw) if raw is not None else {}

    targets: list[tuple[Worksheet, str] | None] = []
    marks: dict[tuple[str, int, int], list[dict]] = {}
    for problem in problems:
        target = _locate(wb, problem)
        targets.append(target)
        if target is None:
            continue
        ws, ref = target
        row, col = sources[ws.title].visible_cell(*parse_a1(ref))  # a merged range's comment sits on its anchor
        marks.setdefault((ws.title, row, col), []).append(problem)
    author = tt.text("problems.author", lang)
    for (title, row, col), group in marks.items():
        _mark(wb[title], row, col, group, author, sources[title].cells.get((row, col)))

    sheet = _problems_sheet(wb, problems, targets, lang, tt, opened=raw is not None)
    saved_results = {title: {pos: cell.value for pos, cell in source.cells.items()
                             if cell.formula and cell.value is not None}
                     for title, source in sources.items()}
    # a link shows its cell reference as its saved result, so nothing reads it as empty
    saved_results[sheet.title] = {(r, 4): target[1] for r, target in enumerate(targets, start=3) if target}
    wb.properties.lastModifiedBy = author
    return workbook_bytes(wb, _COPY_DATE, transform=_FormulaResults(wb, saved_results))


# --------------------------------------------------------------------------- the copy of the original


def _copy_sheets(wb: Workbook, raw: RawWorkbook) -> dict[str, Sheet]:
    """Write the reader's sheets into `wb`, in order, and return copy title -> the sheet read.
    What an earlier annotation added goes: its Problems sheet and our comments (a cell's own
    comment is kept), so a copy annotated again shows only today's problems."""
    authors = _authors()
    sources: dict[str, Sheet] = {}
    for sheet in raw.sheets:
        if is_problems_sheet(sheet.name, [sheet.value(2, 1), sheet.value(2, 2)]):
            continue
        ws = _new_sheet(wb, sheet.name)
        ws.sheet_state = sheet.state
        for (row, col), cell in sheet.cells.items():
            _put_value(ws.cell(row, col), cell, _formula(sheet, row, col, cell.formula))
        for min_row, min_col, max_row, max_col in sheet.merged:
            # the ranges alone: openpyxl's merge_cells() would visit every cell of each range, and
            # its add() compares each range with every other one
            ws.merged_cells.ranges.add(CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row))
        for (row, col), (who, text) in sheet.comments.items():
            if who in authors:  # ours: keep only the cell's own comment we had put after it
                who, text = "", text.split(_OLD_COMMENT, 1)[1] if _OLD_COMMENT in text else ""
            if text:
                ws.cell(row, col).comment = Comment(_clean(text)[:MAX_CELL_TEXT], _clean(who)[:255])
        sources[ws.title] = sheet
    return sources


_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")


def _new_sheet(wb: Workbook, name: str) -> Worksheet:
    """A new sheet named as the original one, or as near as a workbook allows."""
    try:
        return wb.create_sheet(name)
    except ValueError:
        return wb.create_sheet(_BAD_TITLE.sub("_", _clean(name))[:31] or "Sheet")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _formula(sheet: Sheet, row: int, col: int, text: str | None) -> str | ArrayFormula | None:
    """A cell's formula as it is written in the copy: a cell of a shared formula gets the formula
    moved from the cell it is written in (as Excel shows it), an array formula its range."""
    if not text:
        return None
    formula = "=" + _clean(text)
    origin = sheet.formula_origins.get((row, col))
    if origin is not None:
        try:
            formula = Translator(formula, origin=a1(*origin)).translate_formula(a1(row, col))
        except Exception:  # noqa: BLE001 - a formula the translator cannot read is kept as written
            pass
    span = sheet.array_formulas.get((row, col))
    if span is not None:
        return ArrayFormula(f"{a1(span[0], span[1])}:{a1(span[2], span[3])}", formula)
    return formula


def _put_value(target, cell: Cell, formula: str | ArrayFormula | None) -> None:
    """A cell's value (or formula) as the reader read it; text is always text, never a formula."""
    if formula is not None:
        target._value = formula  # noqa: SLF001 - set as is: no check or guessing
        target.data_type = "f"
    elif isinstance(cell.value, str):
        target._value = _clean(cell.value)  # noqa: SLF001
        target.data_type = "s"
    elif isinstance(cell.value, float) and not math.isfinite(cell.value):
        target._value = repr(cell.value)  # noqa: SLF001 - no spreadsheet number for it
        target.data_type = "s"
    else:
        target.value = cell.value  # numbers, booleans and dates (which get a date format)


# --------------------------------------------------------------------------- formulas and their results


# A formula cell as openpyxl writes it, its result empty: `<v/>` with the standard library's
# writer, `<v></v>` with lxml's (openpyxl takes lxml when it is installed).
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*)>(<f(?:\s[^>]*)?>[^<]*</f>|<f(?:\s[^>]*)?/>)<v\s*(?:/>|>\s*</v>)</c>')


class _FormulaResults:
    """Puts the saved result of each formula back beside it as the copy is written (openpyxl
    writes formulas with an empty result, which every reader then takes for an empty cell)."""

    def __init__(self, wb: Workbook, results: dict[str, dict[tuple[int, int], Any]]):
        self.wb, self.results = wb, results

    def __call__(self, part: str, content: bytes) -> bytes:
        if not part.startswith("xl/worksheets/sheet"):
            return content
        parts = {f"xl/worksheets/sheet{ws._id}.xml": ws.title for ws in self.wb.worksheets}  # noqa: SLF001
        values = self.results.get(parts.get(part, ""), {})
        if not values:
            return content

        def fill(match: re.Match) -> bytes:
            from gcmtrack.intake.cells import column_index

            value = values.get((int(match.group(2)), column_index(match.group(1).decode())))
            if value is None:
                return match.group(0)
            kind, text = _typed(value)
            head = f'<c r="{match.group(1).decode()}{match.group(2).decode()}"'.encode() + match.group(3)
            if kind:
                head += f' t="{kind}"'.encode()
            return head + b">" + match.group(4) + b"<v>" + escape(text).encode() + b"</v></c>"

        return _FORMULA_CELL.sub(fill, content)


def _typed(value: Any) -> tuple[str, str]:
    """(cell type attribute, <v> text) of a formula's saved result."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, (int, float)):
        return "", repr(value)
    if isinstance(value, dt.datetime):
        return "", repr((value - _EPOCH).total_seconds() / 86400)
    if isinstance(value, dt.date):
        return "", str((value - _EPOCH.date()).days)
    return "str", ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


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


# --------------------------------------------------------------------------- marking


def _problem_line(problem: dict) -> str:
    line = f"{problem.get('code') or ''}: {problem.get('message') or ''}"
    hint = problem.get("hint")
    return f"{line} — {hint}" if hint else line


def _mark(ws: Worksheet, row: int, col: int, group: list[dict], author: str, checked: Cell | None) -> None:
    """Highlight and comment one cell for its problems; `checked` is the cell as it was read."""
    cell = ws.cell(row, col)
    is_error = any(p.get("severity") == "error" for p in group)
    rule = Rule(type="expression", dxf=ERROR_MARK if is_error else WARNING_MARK,
                formula=[_still_holds(cell.coordinate, checked)])
    ws.conditional_formatting.add(cell.coordinate, rule)
    text = "\n\n".join(_problem_line(p) for p in group)
    if cell.comment is not None and cell.comment.text:
        text = f"{text}{_OLD_COMMENT}{cell.comment.text}"
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_CELL_TEXT]
    comment = Comment(text, author)
    comment.width = 360
    comment.height = min(600, 60 + 16 * (text.count("\n") + len(text) // 50))
    cell.comment = comment


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _still_holds(ref: str, checked: Cell | None) -> str:
    """A condition (a formula) true while the cell holds the value that was checked, so the
    highlight goes when the submitter corrects the cell. A formula is judged by its saved
    result (what it showed when it was checked)."""
    value = checked.value if checked is not None else None
    if checked is not None and checked.formula and value is None:
        return "TRUE"
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"LEN(TRIM({ref}))=0"
    if isinstance(value, bool):
        return f"{ref}={'TRUE' if value else 'FALSE'}"
    if isinstance(value, (int, float)):
        return f"{ref}={value!r}"
    if isinstance(value, (dt.datetime, dt.date)):
        kind, serial = _typed(value)
        return f"{ref}={serial}"
    text = str(value)
    literal = re.split(r"[\x00-\x1f\x7f-\x9f]", text, maxsplit=1)[0][:_LITERAL_CHARS]
    quoted = '"' + literal.replace('"', '""') + '"'
    if literal == text:
        return f"EXACT({ref},{quoted})"
    return f"AND(LEN({ref})={_utf16_len(text)},EXACT(LEFT({ref},{_utf16_len(literal)}),{quoted}))"


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
    ws = wb.create_sheet(_sheet_name(wb, contract().sheets["problems"].names[lang]))
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
    # one styled cell per look, whose style is copied: styling 200,000 cells one attribute at a
    # time is most of the cost of a long list
    looks = {}
    for name, fill, font in (("text", None, None), ("error", ERROR_FILL, None), ("warning", WARNING_FILL, None),
                             ("link", None, Font(color="FF0563C1", underline="single"))):
        proto = ws.cell(header + 1, 1)
        proto.alignment = WRAP_TOP
        if fill is not None:
            proto.fill = fill
        if font is not None:
            proto.font = font
        looks[name] = copy(proto._style)  # noqa: SLF001
        proto._style = copy(ws.cell(1, 2)._style)  # noqa: SLF001 - back to no style
    labels = {severity: tt.text(f"problems.severity.{severity}", lang) for severity in ("error", "warning")}
    for row, (problem, target) in enumerate(zip(problems, targets), start=header + 1):
        severity = problem.get("severity")
        values = {**problem, "severity": labels.get(severity, severity)}
        for col, key in enumerate(COLUMNS, start=1):
            if key == "cell" and target is not None:
                sheet, ref = target
                cell = ws.cell(row, col, hyperlink_formula(sheet.title, ref))
                cell._style = copy(looks["link"])  # noqa: SLF001
            else:
                cell = _put_text(ws, row, col, values.get(key))
                look = severity if col == 1 and severity in ("error", "warning") else "text"
                cell._style = copy(looks[look])  # noqa: SLF001
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
