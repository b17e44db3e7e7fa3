"""An annotated copy of a submitted workbook: every problem cell highlighted and commented, and
a Problems sheet listing every problem with a link to its cell.

The input is the submitter's original bytes (already judged safe to open by the reader). Cell
values, formulas and the saved results of formulas of the original sheets are kept, so the
copy can be corrected and sent back as it is. Problem cells get a comment and a conditional
highlight that lasts only while the cell holds the value that was checked: a corrected cell
loses it. Annotating an annotated copy first removes the previous Problems sheet, comments and
highlights. Text copied from the workbook into the Problems sheet is untrusted: anything that
a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from copy import copy
from functools import cache
from typing import Any, Iterable
from xml.sax.saxutils import escape

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gcmtrack.intake.cells import parse_a1
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import HEADER_FILL, TemplateText, template_text, workbook_bytes
from gcmtrack.common.languages import LANGS, lang_or_default
from gcmtrack.common.spreadsheet import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, NEUTRALISER, is_formula_like
from gcmtrack.common.text import fold

#: Columns of the Problems sheet, in order (their headings are in the template catalogue).
COLUMNS = ("severity", "code", "sheet", "cell", "message", "hint", "value")
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
_FALLBACK_DATE = dt.datetime(2000, 1, 1)
_OLD_COMMENT = "\n\n———\n"  # between our comment and the cell's own comment
_LITERAL_CHARS = 200  # longest text compared in a highlight's condition (Excel: 255 per literal)
_EPOCH = dt.datetime(1899, 12, 30)


@cache
def _authors() -> frozenset[str]:
    """The author names of our comments, in every language (and that of earlier copies)."""
    tt = template_text()
    return frozenset({tt.text("problems.author", lang) for lang in LANGS} | {"gcmtrack"})


@cache
def _headings() -> tuple[frozenset[str], ...]:
    tt = template_text()
    return tuple(frozenset(fold(tt.text(f"problems.columns.{key}", lang)) for lang in LANGS) for key in COLUMNS)


def is_problems_sheet(name: str, header: list[Any]) -> bool:
    """True for the Problems sheet of an annotated copy: named as `problems` in contract.yaml
    (any language, "Problems (2)" too) with the column headings of COLUMNS in its row 2."""
    base = re.sub(r"\s*\(\d+\)$", "", str(name))
    if contract().sheet_key(base) != "problems":
        return False
    headings = _headings()
    return len(header) >= 2 and all(fold(header[i]) in headings[i] for i in range(2))


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
    lang = lang_or_default(lang)
    tt = template_text()
    try:
        wb = load_workbook(io.BytesIO(data), keep_vba=False, rich_text=True)
        opened = True
    except Exception:  # noqa: BLE001 - openpyxl raises many types; the list alone is still useful
        wb = Workbook()
        wb.remove(wb.active)
        opened = False
    saved_results = _formula_results(data) if opened else {}
    _remove_previous_annotation(wb)

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
    author = tt.text("problems.author", lang)
    for (title, row, col), group in marks.items():
        ws = wb[title]
        _mark(ws, ws.cell(row, col), group, author, saved_results.get(title, {}).get((row, col)))

    sheet = _problems_sheet(wb, problems, targets, lang, tt, opened)
    # a link shows its cell reference as its saved result, so nothing reads it as empty
    saved_results[sheet.title] = {(r, 4): target[1] for r, target in enumerate(targets, start=3) if target}
    wb.properties.lastModifiedBy = tt.text("problems.author", lang)
    return workbook_bytes(wb, modified, created=created, transform=_FormulaResults(wb, saved_results))


# --------------------------------------------------------------------------- formulas and their results


def _formula_results(data: bytes) -> dict[str, dict[tuple[int, int], Any]]:
    """sheet name -> {(row, col): saved result} of every formula cell with a saved result, read by
    the safe reader (openpyxl keeps either a formula or its result, never both)."""
    from gcmtrack.errors import WorkbookError
    from gcmtrack.intake.xlsx import read_workbook

    try:
        raw = read_workbook(data)
    except WorkbookError:
        return {}
    return {sheet.name: {pos: cell.value for pos, cell in sheet.cells.items()
                         if cell.formula is not None and cell.value is not None}
            for sheet in raw.sheets}


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*)>(<f(?:\s[^>]*)?>[^<]*</f>|<f(?:\s[^>]*)?/>)<v\s*/>(?:</v>)?</c>')


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


# --------------------------------------------------------------------------- a previous annotation


def _remove_previous_annotation(wb: Workbook) -> None:
    """Remove what an earlier annotation added: its Problems sheet, our comments (a cell's own
    comment is kept) and our highlights, so a copy annotated again shows only today's problems."""
    for ws in list(wb.worksheets):
        if is_problems_sheet(ws.title, [ws.cell(2, 1).value, ws.cell(2, 2).value]):
            wb.remove(ws)
    authors = _authors()
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):  # noqa: SLF001 - only the cells that exist
            if True:
                comment = cell.comment
                if comment is not None and comment.author in authors:
                    own = comment.text.split(_OLD_COMMENT, 1)[1] if _OLD_COMMENT in comment.text else None
                    cell.comment = Comment(own, "") if own else None
        kept = ConditionalFormattingList()
        removed = False
        for formatting in ws.conditional_formatting:
            for rule in formatting.rules:
                if _is_our_rule(rule):
                    removed = True
                else:
                    kept.add(formatting.sqref, rule)
        if removed:
            ws.conditional_formatting = kept


def _is_our_rule(rule: Rule) -> bool:
    fill = rule.dxf.fill if rule.dxf is not None else None
    colours = {getattr(fill.fgColor, "rgb", None), getattr(fill.bgColor, "rgb", None)} if fill is not None else set()
    return rule.type == "expression" and bool(colours & {ERROR_COLOUR, WARNING_COLOUR})


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


def _mark(ws: Worksheet, cell, group: list[dict], author: str, saved_result: Any = None) -> None:
    is_error = any(p.get("severity") == "error" for p in group)
    rule = Rule(type="expression", dxf=ERROR_MARK if is_error else WARNING_MARK,
                formula=[_still_holds(cell, saved_result)])
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


def _still_holds(cell, saved_result: Any = None) -> str:
    """A condition (a formula) true while the cell holds the value that was checked, so the
    highlight goes when the submitter corrects the cell."""
    ref = cell.coordinate
    value = cell.value
    if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
        value = saved_result  # a formula: what it showed when it was checked
        if value is None:
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
