"""Annotated copies: problem cells marked and commented, a Problems sheet, the original intact."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from gcmtrack.intake.annotate import annotate, hyperlink_formula, safe_text
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import template_text


def sheet_name(lang: str) -> str:
    return contract().sheets["problems"].names[lang]


def highlights(ws) -> dict[str, tuple[str, str, str]]:
    """cell -> (fill colour, border style, condition) of the conditional highlights."""
    found = {}
    for formatting in ws.conditional_formatting:
        for rule in formatting.rules:
            found[str(formatting.sqref)] = (rule.dxf.fill.fgColor.rgb, rule.dxf.border.left.style, rule.formula[0])
    return found

ROOT = Path(__file__).resolve().parent.parent
QUOTED = "Partner's \"notes\""


def small_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Objectives"
    ws.append(["Objective", "Status", "Measures taken"])
    ws.append(["5 - Regular pathways", "Implementd", "=1+1"])
    ws.append([7, "In progress", "Text with\nnew line"])
    ws["D2"] = dt.datetime(2025, 3, 1)
    ws["A3"].comment = Comment("Original note", "someone")
    ws.merge_cells("E2:F3")
    ws["E2"] = "merged"
    other = wb.create_sheet(QUOTED)
    other["A1"] = "'quoted"
    other["B2"] = 3.5
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problem(severity="error", code="unknown-status", sheet="Objectives", cell="B2", value="Implementd",
            message="Implementd is not a status.", hint="Choose Implemented."):
    return {"severity": severity, "code": code, "sheet": sheet, "cell": cell, "value": value,
            "message": message, "hint": hint}


def load(data: bytes):
    return load_workbook(io.BytesIO(data))


def problems_rows(wb, name="Problems"):
    ws = wb[name]
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def cell_snapshot(wb, names):
    """Every non-empty cell (read sparsely: a far-away marked cell must not make this slow)."""
    return {(name, c.coordinate): (c.value, c.data_type)
            for name in names for c in wb[name]._cells.values() if c.value is not None}


ORIGINAL = small_workbook()


@pytest.fixture(scope="module")
def original() -> bytes:
    return ORIGINAL


def test_problem_cells_are_highlighted_while_they_hold_the_value_checked_and_commented(original):
    problems = [
        problem(),
        problem("warning", "header-near-miss", cell="C1", value="Measures taken", message="Close header.", hint=""),
        problem("warning", "invalid-year", cell="B2", message="Second problem on B2.", hint="Fix it."),
    ]
    wb = load(annotate(original, problems, "en"))
    ws = wb["Objectives"]
    b2, c1 = ws["B2"], ws["C1"]
    marks = highlights(ws)
    # error wins over the warning on the same cell; the highlight lasts while the cell holds the value
    assert marks["B2"] == ("FFFFC7CE", "thin", 'EXACT(B2,"Implementd")')
    assert marks["C1"] == ("FFFFEB9C", "dashed", 'EXACT(C1,"Measures taken")')
    assert b2.fill.fill_type is None and c1.fill.fill_type is None  # the cells' own formats are untouched
    assert b2.comment.text == ("unknown-status: Implementd is not a status. — Choose Implemented.\n\n"
                               "invalid-year: Second problem on B2. — Fix it.")
    assert c1.comment.text == "header-near-miss: Close header."
    assert ws["A2"].comment is None and ws["A2"].fill.fill_type is None


def test_existing_comment_is_kept_and_merged_cells_use_their_anchor(original):
    problems = [problem(cell="A3", message="On a commented cell."), problem(cell="F3", message="In a merge.")]
    wb = load(annotate(original, problems, "en"))
    ws = wb["Objectives"]
    assert "On a commented cell." in ws["A3"].comment.text and "Original note" in ws["A3"].comment.text
    assert "In a merge." in ws["E2"].comment.text
    assert [c.coord for c in ws.merged_cells.ranges] == ["E2:F3"]


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_problems_sheet_lists_every_problem_with_links(original, lang):
    problems = [
        problem(),
        problem("warning", "objective-not-reported", cell=None, value=None, message="Objective 3 not reported."),
        problem(sheet=QUOTED, cell="b2", message="On the quoted sheet."),
        problem(sheet="Nowhere", cell="A1", message="Missing sheet."),
        problem(sheet=None, cell=None, code="zip-bomb", message="Whole file."),
    ]
    wb = load(annotate(original, problems, lang))
    name = sheet_name(lang)
    assert wb.sheetnames == ["Objectives", QUOTED, name]
    assert wb.active.title == name
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets] == [False, False, True]
    ws = wb[name]
    headers = [ws.cell(2, c).value for c in range(1, 8)]
    assert headers == [template_text().text(f"problems.columns.{k}", lang)
                       for k in ("severity", "code", "sheet", "cell", "message", "hint", "value")]
    rows = problems_rows(wb, name)
    assert len(rows) == len(problems)
    assert [r[1] for r in rows] == [p["code"] for p in problems]
    assert [r[4] for r in rows] == [p["message"] for p in problems]
    assert rows[0][0] == template_text().text("problems.severity.error", lang)
    assert rows[0][3] == '=HYPERLINK("#\'Objectives\'!B2","B2")'
    assert rows[2][3] == hyperlink_formula(QUOTED, "B2")
    assert rows[2][3] == '=HYPERLINK("#\'Partner\'\'s ""notes""\'!B2","B2")'
    assert rows[1][3] is None and rows[4][3] is None
    assert rows[3][3] == "A1" and ws.cell(6, 4).data_type == "s"  # no link to a missing sheet
    # located problems only: nothing marked for the missing sheet or the whole-file ones
    assert wb[QUOTED]["B2"].comment.text.startswith("unknown-status: On the quoted sheet.")
    commented = [c.coordinate for c in wb["Objectives"]._cells.values() if c.comment]
    assert commented == ["B2", "A3"]


def test_formula_looking_text_is_never_a_formula(original):
    evil = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]
    problems = [problem(value=text, message=text, hint=text, code=text, sheet=text, cell=text) for text in evil]
    data = annotate(original, problems, "en")
    wb = load(data)
    for row in wb["Problems"].iter_rows(min_row=3):
        assert row[0].value == "Error"
        for cell in row[1:]:
            if cell.value is not None:
                assert cell.data_type == "s"
                assert cell.value.startswith("'")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet3.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert safe_text("=1") == "'=1" and safe_text("plain") == "plain" and safe_text(None) == ""
    assert safe_text(["a", "b"]) == "a, b" and safe_text("bad\x07char") == "bad\ufffdchar"


def test_original_values_are_untouched(original):
    problems = [problem(cell=ref) for ref in ("A1", "B2", "C2", "D2", "E2", "Z99")]
    problems.append(problem(sheet=QUOTED, cell="A1"))
    before = load(original)
    after = load(annotate(original, problems, "es"))
    names = before.sheetnames
    assert after.sheetnames[: len(names)] == names
    assert cell_snapshot(after, names) == cell_snapshot(before, names)
    assert after["Objectives"]["C2"].value == "=1+1"  # a formula stays a formula
    assert after["Objectives"]["D2"].value == dt.datetime(2025, 3, 1)


def test_existing_problems_sheet_gets_a_new_name():
    wb = Workbook()
    wb.active.title = "Problems"
    wb.create_sheet("problems (2)")
    out = io.BytesIO()
    wb.save(out)
    result = load(annotate(out.getvalue(), [problem(sheet="Problems", cell="A1")], "en"))
    assert result.sheetnames == ["Problems", "problems (2)", "Problems (3)"]
    assert result["Problems"]["A1"].comment is not None


def test_bad_cell_references_go_to_the_list_only(original):
    problems = [problem(cell=ref) for ref in ("B", "12", "B0", "XFE1", "A1048577", "B2:C3", "")]
    wb = load(annotate(original, problems, "en"))
    assert len(problems_rows(wb)) == len(problems)
    assert not any(c.comment for c in wb["Objectives"]._cells.values() if c.coordinate != "A3")


def test_unopenable_workbook_still_gets_the_list():
    wb = load(annotate(b"not a workbook at all", [problem(), problem(cell=None)], "fr"))
    assert wb.sheetnames == ["Problèmes"]
    assert template_text().text("problems.unreadable", "fr") in wb["Problèmes"]["A1"].value
    assert len(problems_rows(wb, "Problèmes")) == 2


def test_annotated_sample_marks_the_invalid_email():
    validate = pytest.importorskip("gcmtrack.intake.validate")
    data = (ROOT / "submissions" / "bhs-2026.xlsx").read_bytes()
    result = validate.validate_bytes(data, "bhs-2026.xlsx")
    problems = [p.to_dict(result.lang) for p in result.problems]
    (email,) = [p for p in problems if p["code"] == "invalid-email"]
    wb = load(annotate(data, problems, result.lang))
    cell = wb[email["sheet"]][email["cell"]]
    assert cell.comment.text.startswith("invalid-email: ")
    assert highlights(wb[email["sheet"]])[email["cell"]][0] == "FFFFEB9C"
    assert len(problems_rows(wb)) == len(problems)
    # the annotated copy is still a valid submission: same content, one extra sheet
    again = validate.validate_bytes(annotate(data, problems, result.lang), "annotated.xlsx")
    assert again.valid and again.submission.objectives == result.submission.objectives


# --------------------------------------------------------------------------- property


texts = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["=1+1", "+A1", "-1", "@x", "\t", "'", '"']))
cells = st.one_of(st.none(), st.sampled_from(["A1", "B2", "c3", "E3", "AA10", "XFD1048576", "B0", "??", ""]),
                  st.from_regex(r"[A-Z]{1,2}[1-9][0-9]{0,2}", fullmatch=True))
sheets = st.one_of(st.none(), st.sampled_from(["Objectives", "objectives", QUOTED, "Problems", "Gone"]), st.text(max_size=10))
problem_dicts = st.fixed_dictionaries({
    "severity": st.sampled_from(["error", "warning"]), "code": st.from_regex(r"[a-z]+(-[a-z]+){0,2}", fullmatch=True),
    "sheet": sheets, "cell": cells, "value": st.one_of(texts, st.integers(), st.lists(st.text(max_size=5), max_size=3)),
    "message": st.text(max_size=80), "hint": texts,
})


@settings(max_examples=40, deadline=None)
@given(st.lists(problem_dicts, max_size=12), st.sampled_from(["en", "es", "fr"]))
def test_any_problem_list_gives_an_openable_annotated_copy(problems, lang):
    data = annotate(ORIGINAL, problems, lang)
    wb = load(data)
    name = sheet_name(lang)
    rows = problems_rows(wb, name)
    assert len(rows) == len(problems)
    for row, p in zip(rows, problems):
        assert (row[1] or "") == safe_text(p["code"])
        assert (row[4] or "") == safe_text(p["message"])
        assert (row[6] or "") == safe_text(p["value"])
        link = row[3]
        if isinstance(link, str) and link.startswith("="):
            assert re.fullmatch(r'=HYPERLINK\("#\'.*\'![A-Z]{1,3}\d+","[A-Z]{1,3}\d+"\)', link)
    before = load(ORIGINAL)
    assert cell_snapshot(wb, before.sheetnames) == cell_snapshot(before, before.sheetnames)


# --------------------------------------------------------------------------- issue 11: a copy that goes back as it is


def _with_formulas(data: bytes, sheet: str, results: dict) -> bytes:
    """`data` with formula cells whose saved results are `results` ({(row, col): value}), as
    Excel or LibreOffice would save them (openpyxl alone cannot write a formula's result)."""
    from gcmtrack.intake.annotate import _FormulaResults
    from gcmtrack.intake.template import workbook_bytes
    from tests.builders import BUILT

    wb = load_workbook(io.BytesIO(data))
    for (row, col), value in results.items():
        wb[sheet].cell(row, col).value = f'="{value}"&""'
    return workbook_bytes(wb, BUILT, transform=_FormulaResults(wb, {sheet: results}))


def _built(statuses=None):
    from tests.builders import build_workbook

    rows = [(n, "Implemented", f"measures {n}") for n in range(1, 23)] + [(23, statuses or "Implementd", "m")]
    return build_workbook(objectives=rows, practices=[{"title": "P", "status": "Planned", "objectives": "2"}])


def test_the_annotated_copy_validates_as_the_original_did():
    validate = pytest.importorskip("gcmtrack.intake.validate")
    original = _with_formulas(_built(), "Objectives", {(r, 2): "Implemented" for r in range(2, 14)})
    first = validate.validate_bytes(original, "mex.xlsx")
    assert [(p.code, p.cell) for p in first.problems] == [("unknown-status", "B24")]
    copy = annotate(original, [p.to_dict() for p in first.problems], "en")
    again = validate.validate_bytes(copy, "mex-checked.xlsx")
    # formula results kept; its own Problems sheet ignored without a word (no extra-sheet, no formula-no-value)
    assert [(p.code, p.sheet, p.cell) for p in again.problems] == [(p.code, p.sheet, p.cell) for p in first.problems]
    assert [(p.code, p.sheet, p.cell) for p in validate.validate_bytes(
        annotate(copy, [p.to_dict() for p in again.problems], "en"), "x").problems] == [("unknown-status", "Objectives", "B24")]


def test_a_corrected_copy_sent_back_has_no_problem_and_annotating_it_again_leaves_no_old_mark():
    validate = pytest.importorskip("gcmtrack.intake.validate")
    original = _built()
    first = validate.validate_bytes(original, "mex.xlsx")
    copy = load(annotate(original, [p.to_dict() for p in first.problems], "es"))
    ws = copy["Objectives"]
    assert highlights(ws)["B24"][2] == 'EXACT(B24,"Implementd")'  # the mark goes once B24 holds anything else
    ws["B24"] = "Implemented"  # the official corrects the cell in the copy
    out = io.BytesIO()
    copy.save(out)
    corrected = out.getvalue()
    result = validate.validate_bytes(corrected, "mex-corrected.xlsx")
    assert result.valid and result.problems == []
    fresh = load(annotate(corrected, [], "en"))
    assert fresh.sheetnames == ["Submission", "Objectives", "Practices", "Problems"]
    assert highlights(fresh["Objectives"]) == {}
    assert not [c for c in fresh["Objectives"]._cells.values() if c.comment]


def test_a_cells_own_comment_survives_a_second_annotation(original):
    once = annotate(original, [problem(cell="A3", message="First.")], "en")
    twice = load(annotate(once, [problem(cell="B2", message="Second.")], "en"))
    assert twice["Objectives"]["A3"].comment.text == "Original note"
    assert "Second." in twice["Objectives"]["B2"].comment.text
    assert set(highlights(twice["Objectives"])) == {"B2"}


def test_a_file_with_30000_problems_gives_a_bounded_copy():
    """The copy lists what the validator lists: at most max_problems and one more-problems line
    (the time it takes is in benchmarks/intake.py)."""
    validate = pytest.importorskip("gcmtrack.intake.validate")
    from tests.builders import build_workbook

    practices = [{"title": f"P{i}", "status": "Donee", "objectives": "99", "themes": "zzz"} for i in range(10_000)]
    data = build_workbook(practices=practices)
    result = validate.validate_bytes(data, "big.xlsx")
    assert result.problems[-1].code == "more-problems" and result.problems[-1].params["count"] >= 29_000
    wb = load(annotate(data, [p.to_dict() for p in result.problems], "en"))
    assert len(problems_rows(wb)) == contract().max_problems + 1


# --------------------------------------------------------------------------- issue 17: one reader for an untrusted workbook


def test_the_copy_is_written_from_the_safe_readers_result_alone(original, monkeypatch):
    """openpyxl never reads the submitted bytes: only intake/xlsx.py does, with its limits."""
    import openpyxl.reader.excel

    def refuse(*_args, **_kwargs):
        raise AssertionError("the submitted bytes were parsed by openpyxl")

    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", refuse)
    monkeypatch.setattr(openpyxl.reader.excel.ExcelReader, "read", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    data = annotate(original, [problem()], "en")
    monkeypatch.undo()
    wb = load(data)
    assert wb["Objectives"]["B2"].value == "Implementd" and wb["Objectives"]["B2"].comment is not None
    assert wb["Objectives"]["A3"].comment.text.endswith("Original note")


def test_a_package_the_reader_refuses_gives_the_list_alone_in_bounded_time():
    from tests import hostile

    for refused in (hostile.zip_bomb(), hostile.huge_row(), hostile.billion_laughs()):
        wb = load(annotate(refused, [problem(sheet="Sheet1", cell="A1")], "en"))
        assert wb.sheetnames == ["Problems"]
        assert template_text().text("problems.unreadable", "en") in wb["Problems"]["A1"].value


def test_cell_comments_are_read_only_when_asked_for(original):
    from gcmtrack.intake.xlsx import read_workbook

    assert read_workbook(original).sheets[0].comments == {}
    assert read_workbook(original, comments=True).sheets[0].comments == {(3, 1): ("someone", "Original note")}


def test_text_that_looks_like_a_formula_stays_text_in_the_copy():
    wb = Workbook()
    wb.active.title = "Objectives"
    wb.active["A1"].value = "=1+1"
    wb.active["A1"].data_type = "s"  # text typed with a leading apostrophe
    out = io.BytesIO()
    wb.save(out)
    copy = load(annotate(out.getvalue(), [], "en"))
    assert (copy["Objectives"]["A1"].value, copy["Objectives"]["A1"].data_type) == ("=1+1", "s")


def test_shared_and_array_formulas_are_written_as_excel_shows_them():
    from tests.hostile import minimal_xlsx, raw_sheet

    rows = ('<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1+1</f><v>2</v></c>'
            '<c r="B1"><v>1</v></c><c r="C1"><f t="array" ref="C1:C2">B1:B2*2</f><v>2</v></c></row>'
            '<row r="2"><c r="A2"><f t="shared" si="0"/><v>3</v></c><c r="B2"><v>2</v></c><c r="C2"><v>4</v></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/><v>4</v></c><c r="B3"><v>3</v></c></row>')
    data = annotate(minimal_xlsx({"Objectives": raw_sheet(rows)}), [], "en")
    ws = load(data)["Objectives"]
    assert [ws.cell(r, 1).value for r in (1, 2, 3)] == ["=B1+1", "=B2+1", "=B3+1"]
    assert (ws["C1"].value.ref, ws["C1"].value.text) == ("C1:C2", "=B1:B2*2")
    saved = load_workbook(io.BytesIO(data), data_only=True)["Objectives"]
    assert [saved.cell(r, 1).value for r in (1, 2, 3)] == [2, 3, 4] and saved["C1"].value == 2


@pytest.mark.parametrize("cell", [b'<c r="B2" t="str"><f>"x"&amp;""</f><v/></c>',  # the standard library's writer
                                  b'<c r="B2"><f>SUM(1,2)</f><v></v></c>',  # lxml's (openpyxl takes it when installed)
                                  b'<c r="B2"><f t="shared" si="0"/><v />'])
def test_a_formula_with_an_empty_result_is_found_whichever_writer_openpyxl_used(cell):
    from gcmtrack.intake.annotate import _FORMULA_CELL

    complete = cell if cell.endswith(b"</c>") else cell + b"</c>"
    assert _FORMULA_CELL.fullmatch(complete)
