"""Blank submission workbooks, pre-filled for one state and review cycle, in one language.

The workbook follows the submission contract (contract.yaml) exactly: every sheet name, label
and column header, column width and drop-down comes from `contract()` (by field type), every
vocabulary and status meaning from `framework()`, every piece of prose from
the template catalogue (gcmtrack/common/catalogue.py). The same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any, Callable, Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from gcmtrack.errors import GcmtrackError, UnknownEditionError
from gcmtrack.common.languages import UnknownLanguageError, check_lang, direction  # noqa: F401 (UnknownLanguageError: raised by check_lang; callers catch it from here)
from gcmtrack.common.text import display_width
from gcmtrack.reference.framework import Framework, framework
from gcmtrack.intake.contract import Contract, contract
from gcmtrack.intake.texts import TemplateText, template_text  # noqa: F401 - their home before texts.py
from gcmtrack.reference.states import states

#: Last row of the Practices sheet that gets the drop-down lists.
PRACTICE_ROWS = 500


class UnknownStateError(GcmtrackError, ValueError):
    """A state given to `template` that is not one ISO 3166-1 entity (unknown or ambiguous)."""


class UnknownCycleError(UnknownEditionError, ValueError):
    """A review cycle given to `template` that no IMRF edition defines."""




# --------------------------------------------------------------------------- styles

HEADER_FILL = PatternFill("solid", fgColor="FFDCE6F1")
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
MUTED = Font(italic=True, color="FF595959")
READ_ONLY_FILL = PatternFill("solid", fgColor="FFF2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFBE6")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="FFBFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


OPEN = Protection(locked=False)
LINE_POINTS = 15  # height of one line of 11-point text
PADDING_POINTS = 4


def lines_needed(text: Any, width: float, bold: bool = False, size: float = 11) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide, counted on the wide
    side (LibreOffice's default font is wider than Excel's), so a row sized by it never hides
    or overlaps text in either program."""
    per_line = max(1.0, width * (0.95 if bold else 1.05) * 11 / size)
    total = 0
    for paragraph in str(text or "").split("\n"):
        total += max(1, -(-display_width(paragraph) // int(per_line)))  # a Chinese character takes two
    return total


def fit_row(ws: Worksheet, row: int, cells: list[tuple[Any, float, bool]], size: float = 11) -> None:
    """Set a row's height to hold the tallest of `cells` ((text, width, bold)) wrapped."""
    lines = max((lines_needed(text, width, bold, size) for text, width, bold in cells), default=1)
    ws.row_dimensions[row].height = lines * LINE_POINTS * size / 11 + PADDING_POINTS


def _protect(ws: Worksheet) -> None:
    """Protect a sheet without a password: locked cells (what the template fills in) cannot be
    changed; open cells can. Rows may be added and rows and columns resized."""
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, insertRows=False,
                                    insertHyperlinks=False, selectLockedCells=False, selectUnlockedCells=False)


def _header_row(ws: Worksheet, row: int, names: list[str], widths: list[float] | None = None) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row, col, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
    if widths:
        fit_row(ws, row, [(name, width, True) for name, width in zip(names, widths)])


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows


# --------------------------------------------------------------------------- deterministic save


def workbook_bytes(wb: Workbook, when: dt.datetime, created: dt.datetime | None = None,
                   transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Save `wb` to bytes with fixed document dates and zip timestamps, so equal content gives
    equal bytes (openpyxl's own save stamps the current time into both). `when` is the
    modification date (and the creation date unless `created` is given). `transform(part, data)`
    may rewrite a part as it is copied (annotate.py puts back the saved results of formulas)."""
    wb.properties.created = created or when
    wb.properties.modified = when
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes the archive; leaves `modified` as set above
    return _fixed_zip_times(buffer.getvalue(), when, transform)


def _fixed_zip_times(data: bytes, when: dt.datetime, transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info)
            dst.writestr(fixed, transform(info.filename, content) if transform else content)
    return out.getvalue()


def template_datetime(cycle: int) -> dt.datetime:
    """The fixed document date of a template: 1 January of the year before the cycle."""
    return dt.datetime(int(cycle) - 1, 1, 1)


# --------------------------------------------------------------------------- the workbook


def resolve_state(state: str) -> str:
    """An ISO3 code for a code or name; UnknownStateError when none or several match."""
    resolution = states().resolve(state)
    if resolution.code:
        return resolution.code
    if resolution.ambiguous:
        raise UnknownStateError(f"{state!r} may be any of {', '.join(resolution.codes)}; give the ISO3 code")
    hint = f"; did you mean {', '.join(resolution.suggestions)}?" if resolution.suggestions else ""
    raise UnknownStateError(f"unknown state {state!r}{hint}")


def write_template(state: str, cycle: int, lang: str = "en", *,
                   deadlines: Mapping[str, dt.date | None] | None = None) -> bytes:
    """The blank submission workbook of `state` (code or name) for review `cycle`, in `lang`.

    `deadlines` (process id -> due date, e.g. from store.deadlines) puts each deadline of the
    state's processes in the instructions, beside the process's contact when its file gives one;
    without it the instructions name the processes only."""
    check_lang(lang)
    code = resolve_state(state)
    fw = framework()
    try:
        edition = fw.edition(cycle)
    except UnknownEditionError as exc:
        raise UnknownCycleError(str(exc)) from None
    builder = _Builder(code, edition.year, lang, fw, contract(), template_text(), deadlines or {})
    return workbook_bytes(builder.build(), template_datetime(edition.year))


def processes_of(code: str, cycle: int) -> list:
    """The processes `code` belongs to in `cycle`, by id."""
    from gcmtrack.reference.processes import processes

    return [p for _id, p in sorted(processes().items()) if code in p.members(cycle)]


class _Builder:
    def __init__(self, code: str, cycle: int, lang: str, fw: Framework, ct: Contract, tt: TemplateText,
                 deadlines: Mapping[str, dt.date | None] | None = None):
        self.code, self.cycle, self.lang = code, cycle, lang
        self.fw, self.ct, self.tt = fw, ct, tt
        self.deadlines = dict(deadlines or {})
        self.state_name = states().get(code).name(lang)
        self.sheet_names = {key: f.names[lang] for key, f in ct.sheets.items()}
        self.theme_range = ""  # set by the Instructions sheet, used by Practices

    def t(self, path: str, **params: Any) -> str:
        params.setdefault("state", self.state_name)
        params.setdefault("code", self.code)
        params.setdefault("cycle", self.cycle)
        return self.tt.text(path, self.lang, **params)

    def build(self) -> Workbook:
        wb = Workbook()
        wb.remove(wb.active)
        wb.properties.creator = self.tt.text("workbook.creator", self.lang)
        wb.properties.lastModifiedBy = wb.properties.creator
        wb.properties.title = self.t("workbook.title")
        wb.properties.language = self.lang
        self._instructions(wb.create_sheet(self.sheet_names["instructions"]))
        self._submission(wb.create_sheet(self.sheet_names["submission"]))
        self._objectives(wb.create_sheet(self.sheet_names["objectives"]))
        self._practices(wb.create_sheet(self.sheet_names["practices"]))
        for ws in wb.worksheets:
            _protect(ws)
            if direction(self.lang) == "rtl":  # an Arabic workbook opens right to left (column A on the right)
                ws.sheet_view.rightToLeft = True
        # sheets cannot be renamed, moved, added or deleted; no password, as nothing is secret
        wb.security = WorkbookProtection(lockStructure=True)
        wb.active = 0
        return wb

    # -- Instructions

    def _instructions(self, ws: Worksheet) -> None:
        _widths(ws, [16, 44, 90])
        ws.sheet_view.showGridLines = False
        row = 1
        title = ws.cell(row, 1, self.t("instructions.title"))
        title.font = TITLE_FONT
        title.alignment = WRAP_TOP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        fit_row(ws, row, [(title.value, 150, True)], size=14)
        row += 2
        row = self._paragraph(ws, row, self.t("instructions.intro"))
        row = self._heading(ws, row + 1, self.t("instructions.how_heading"))
        columns = {k: f.names[self.lang] for k, f in self.ct.columns["practices"].items()}
        for number, step in enumerate(self.tt.texts(
                "instructions.steps", self.lang, submission=self.sheet_names["submission"],
                objectives=self.sheet_names["objectives"], practices=self.sheet_names["practices"],
                col_objectives=columns["objectives"], col_principles=columns["principles"]), start=1):
            ws.cell(row, 1, number).alignment = Alignment(horizontal="right", vertical="top")
            cell = ws.cell(row, 2, step)
            cell.alignment = WRAP_TOP
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
            fit_row(ws, row, [(step, 44 + 90, False)])
            row += 1
        row = self._paragraph(ws, row + 1, self.t("instructions.evidence"))

        # statuses: weight | name | meaning
        row = self._heading(ws, row + 1, self.t("instructions.status_heading"))
        _header_row(ws, row, self.tt.texts("instructions.status_columns", self.lang), [16, 44, 90])
        row += 1
        for status in self.fw.statuses:
            weight = self.t("instructions.status_excluded") if status.weight is None else _weight(status.weight, self.lang)
            self._table_row(ws, row, [weight, status.name(self.lang), status.meaning(self.lang)])
            row += 1

        # objectives: number | short label | title
        row = self._heading(ws, row + 1, self.t("instructions.objectives_heading"))
        _header_row(ws, row, self.tt.texts("instructions.objectives_columns", self.lang), [16, 44, 90])
        row += 1
        for number, objective in self.fw.objectives.items():
            self._table_row(ws, row, [number, objective.label(self.lang), objective.title(self.lang)])
            row += 1

        # themes: objectives | name | labels of the objectives
        row = self._heading(ws, row + 1, self.t("instructions.themes_heading"))
        _header_row(ws, row, self.tt.texts("instructions.themes_columns", self.lang), [16, 44, 90])
        row += 1
        first = row
        for theme in self.fw.themes:
            numbers = ", ".join(str(n) for n in theme.objectives)
            labels = "; ".join(f"{n} {self.fw.objectives[n].label(self.lang)}" for n in theme.objectives)
            self._table_row(ws, row, [numbers, theme.name(self.lang), labels])
            row += 1
        self.theme_range = f"{quote_sheetname(ws.title)}!$B${first}:$B${row - 1}"
        row = self._paragraph(ws, row, self.t("instructions.themes_note"), font=MUTED)

        # principles: letter | name
        row = self._heading(ws, row + 1, self.t("instructions.principles_heading"))
        _header_row(ws, row, self.tt.texts("instructions.principles_columns", self.lang), [16, 44, 90])
        row += 1
        for principle in self.fw.principles:
            self._table_row(ws, row, [principle.letter, principle.name(self.lang)])
            row += 1

        row = self._heading(ws, row + 1, self.t("instructions.sending_heading"))
        row = self._paragraph(ws, row, self.t("instructions.sending", file=f"{self.code.lower()}-{self.cycle}.xlsx"))
        for process in processes_of(self.code, self.cycle):
            due = self.deadlines.get(process.id)
            key = "instructions.process_due" if due else "instructions.process"
            name, acronym = process.name(self.lang), process.acronym(self.lang)
            line = self.t(key, process=name if f"({acronym})" in name else f"{name} ({acronym})",
                          due=_long_date(due, self.lang) if due else "")
            if process.contact:
                line += " " + self.t("instructions.process_contact", contact=process.contact)
            row = self._paragraph(ws, row, "• " + line)
        self._paragraph(ws, row, self.t("instructions.links"))
        _print_setup(ws, None)
        ws.page_setup.orientation = "portrait"

    def _heading(self, ws: Worksheet, row: int, text: str) -> int:
        ws.cell(row, 1, text).font = HEADING_FONT
        ws.row_dimensions[row].height = 20
        return row + 1

    def _paragraph(self, ws: Worksheet, row: int, text: str, font: Font | None = None) -> int:
        cell = ws.cell(row, 1, text)
        cell.alignment = WRAP_TOP
        if font is not None:
            cell.font = font
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        fit_row(ws, row, [(text, 16 + 44 + 90, False)])
        return row + 1

    def _table_row(self, ws: Worksheet, row: int, values: list[Any]) -> None:
        widths = [16, 44, 90]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.alignment = WRAP_TOP if col > 1 else Alignment(horizontal="left", vertical="top")
            cell.border = GRID
        fit_row(ws, row, [(value, widths[col - 1], False) for col, value in enumerate(values, start=1)])

    # -- Submission

    def _submission(self, ws: Worksheet) -> None:
        _widths(ws, [34, 44, 56])
        ws.cell(1, 1, self.t("submission.title")).font = TITLE_FONT
        ws.row_dimensions[1].height = 22
        previous = max((y for y in self.fw.editions if y < self.cycle), default=self.cycle - 4)
        # what gcmtrack fills in, by field type; the submitter fills in the rest
        prefilled: dict[str, Any] = {"state": self.code, "cycle": self.cycle, "version": self.ct.template_version}
        row = 3
        for key, f in self.ct.labels.items():
            label = ws.cell(row, 1, f.names[self.lang])
            label.font = BOLD
            label.fill = HEADER_FILL
            label.border = GRID
            value = ws.cell(row, 2, prefilled.get(f.type))
            value.border = GRID
            value.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            value.fill = READ_ONLY_FILL if f.type in prefilled else INPUT_FILL
            if f.type not in prefilled:
                value.protection = OPEN
            if f.type == "date":
                value.number_format = "yyyy-mm-dd"
            if f.type == "version":
                value.number_format = "@"  # "1.0" stays text: a number would read back as 1
            if f.type == "state":  # the name beside the code, so a wrong state is seen at once
                note = ws.cell(row, 3, self.state_name)
                note.font = BOLD
            else:
                note = ws.cell(row, 3, self.t(f"submission.hints.{key}", period=f"{previous}-{self.cycle - 1}",
                                              date=f"{self.cycle - 1}-11-30"))
                note.font = MUTED
            note.alignment = WRAP_TOP
            fit_row(ws, row, [(label.value, 34, True), (note.value, 56, False)])
            row += 1
        ws.freeze_panes = "A3"
        _print_setup(ws, None)
        ws.page_setup.orientation = "portrait"

    # -- Objectives

    def _objectives(self, ws: Worksheet) -> None:
        columns = self.ct.columns["objectives"]
        keys = list(columns)
        ws.cell(1, 1, self.t("objectives.title")).font = TITLE_FONT
        ws.row_dimensions[1].height = 22
        header = 2
        widths = [columns[k].width for k in keys]
        _header_row(ws, header, [columns[k].names[self.lang] for k in keys], widths)
        _widths(ws, widths)
        for col, key in enumerate(keys, start=1):
            if columns[key].role != "key":  # the submitter's columns are open, the objectives locked
                ws.column_dimensions[get_column_letter(col)].protection = OPEN
        status_cols = [keys.index(k) + 1 for k in self.ct.of_type("objectives", "status")]
        objective_col = keys.index(self.ct.role("objectives", "key")) + 1  # one row per objective
        for offset, (number, objective) in enumerate(self.fw.objectives.items(), start=1):
            row = header + offset
            for col in range(1, len(keys) + 1):
                cell = ws.cell(row, col)
                cell.alignment = WRAP_TOP
                cell.border = GRID
                if col != objective_col:
                    cell.protection = OPEN
            label = f"{number} - {objective.label(self.lang)}"
            cell = ws.cell(row, objective_col, label)
            cell.fill = READ_ONLY_FILL
            cell.font = BOLD
            text = self._objective_note(number)
            comment = Comment(text, self.tt.text("workbook.creator", self.lang))
            comment.width = 420
            comment.height = 24 + 15 * lines_needed(text, 60)
            cell.comment = comment
            fit_row(ws, row, [(label, widths[objective_col - 1], True)])
            for col in status_cols:
                ws.cell(row, col).fill = INPUT_FILL
        last = header + len(self.fw.objectives)
        for col in status_cols:
            letter = get_column_letter(col)
            ws.add_data_validation(self._status_validation(f"{letter}{header + 1}:{letter}{last}"))
        ws.freeze_panes = ws.cell(header + 1, objective_col + 1).coordinate
        _print_setup(ws, f"{header}:{header}")

    def _objective_note(self, number: int) -> str:
        """The comment of an objective's row: its title, its GCM actions and examples of evidence."""
        objective = self.fw.objectives[number]
        actions = "\n".join(f"({a.letter}) {a.label}" for a in objective.actions)
        return "\n\n".join(part for part in (
            self.t("objectives.comment", number=number, title=objective.title(self.lang)),
            self.t("objectives.actions", actions=actions) if actions else "",
            self.t("objectives.evidence_examples"),
        ) if part)

    def _status_validation(self, ref: str) -> DataValidation:
        names = [s.name(self.lang) for s in self.fw.statuses]
        dv = DataValidation(type="list", formula1='"' + ",".join(names) + '"', allow_blank=True,
                            showDropDown=False, showErrorMessage=True, showInputMessage=True)
        dv.error = self.t("objectives.status_error")
        dv.prompt = self.t("objectives.status_prompt")
        dv.add(ref)
        return dv

    # -- Practices

    def _practices(self, ws: Worksheet) -> None:
        columns = self.ct.columns["practices"]
        keys = list(columns)
        widths = [columns[k].width for k in keys]
        _header_row(ws, 1, [columns[k].names[self.lang] for k in keys], widths)
        _widths(ws, widths)
        for key in keys:
            letter = get_column_letter(keys.index(key) + 1)
            ws.column_dimensions[letter].alignment = WRAP_TOP
            ws.column_dimensions[letter].protection = OPEN  # every row below the header is the submitter's

        def letters(*types: str) -> list[str]:
            return [get_column_letter(keys.index(k) + 1) for k in self.ct.of_type("practices", *types)]

        for status in letters("status"):
            ws.add_data_validation(self._status_validation(f"{status}2:{status}{PRACTICE_ROWS}"))
        # a prompt, not a check: several themes may be typed in one cell
        for themes in letters("theme_list") if self.theme_range else []:
            dv = DataValidation(type="list", formula1=self.theme_range, allow_blank=True,
                                showErrorMessage=False, showInputMessage=True)
            dv.prompt = self.t("objectives.themes_prompt")
            dv.add(f"{themes}2:{themes}{PRACTICE_ROWS}")
            ws.add_data_validation(dv)
        for key in self.ct.of_type("practices", "year"):
            year = get_column_letter(keys.index(key) + 1)
            dv = DataValidation(type="whole", operator="between", formula1=str(columns[key].min),
                                formula2=str(columns[key].max), allow_blank=True, showErrorMessage=True,
                                errorStyle="warning")
            dv.add(f"{year}2:{year}{PRACTICE_ROWS}")
            ws.add_data_validation(dv)
        ws.freeze_panes = "B2"
        _print_setup(ws, "1:1")


#: How each language writes a long date, with the month names of the template catalogue
#: ("months": "November", "noviembre", "تشرين الثاني/نوفمبر", "11月", "ноября", "novembro").
_LONG_DATE = {"en": "{d} {m} {y}", "es": "{d} de {m} de {y}", "fr": "{d} {m} {y}", "ar": "{d} {m} {y}",
              "zh": "{y}年{m}{d}日", "ru": "{d} {m} {y} г.", "pt": "{d} de {m} de {y}"}
#: The decimal separator of each language (CLDR): the weights of the statuses in the instructions.
_DECIMAL_COMMA = {"es", "fr", "ru", "pt"}


def _long_date(day: dt.date, lang: str) -> str:
    """30 November 2025 · 30 de noviembre de 2025 · 30 novembre 2025 · 2025年11月30日 ·
    30 ноября 2025 г. · 30 تشرين الثاني/نوفمبر 2025 · 30 de novembro de 2025."""
    months = template_text().texts("months", lang)
    return _LONG_DATE[lang].format(d=day.day, m=months[day.month - 1], y=day.year)


def _weight(weight: float, lang: str) -> str:
    text = f"{weight:g}"
    return text.replace(".", ",") if lang in _DECIMAL_COMMA else text
