"""The safe .xlsx reader: every hostile or broken file is a located problem, never a crash,
a hang or a huge allocation; every ordinary workbook reads back exactly.

Files are built in the test (tests/hostile.py, openpyxl); tests compare codes and places,
never wording. Cost is checked as budgets of bytes decompressed, XML elements walked and
Python memory allocated, never as time (timings are in benchmarks/intake.py)."""

from __future__ import annotations

import datetime as dt
import io
import random
import tracemalloc
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmtrack.errors import WorkbookError
from gcmtrack.intake import xlsx
from gcmtrack.intake.xlsx import Cell, read_workbook
from tests import hostile
from tests.hostile import F, MAIN_NS, minimal_xlsx, raw_sheet, styles_xml


def error_of(data: bytes) -> tuple[str, str | None, str | None]:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data, "test.xlsx")
    problem = caught.value.problem
    assert problem.is_error
    return problem.code, problem.sheet, problem.cell


def code_of(data: bytes) -> str:
    return error_of(data)[0]


def warnings_of(data: bytes) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.sheet, p.cell) for p in read_workbook(data).problems]


def values(data: bytes, sheet: int = 0) -> dict[tuple[int, int], object]:
    return {pos: cell.value for pos, cell in read_workbook(data).sheets[sheet].cells.items()}


@dataclass
class Spent:
    """What one read cost: what it read (or the code of its error), the bytes it decompressed,
    the XML elements it walked (None when it stopped at an error) and its peak Python memory."""

    outcome: object
    bytes: int
    elements: int | None
    peak: int


def spend(monkeypatch, data: bytes) -> Spent:
    """Read `data`, counting what the read costs."""
    counted = {"bytes": 0, "package": None}

    class CountingPackage(xlsx._Package):
        def __init__(self, data):
            super().__init__(data)
            counted["package"] = self

        def chunks(self, info):
            for chunk in super().chunks(info):
                counted["bytes"] += len(chunk)
                yield chunk

    monkeypatch.setattr(xlsx, "_Package", CountingPackage)
    elements = None
    tracemalloc.start()
    try:
        try:
            outcome = read_workbook(data)
            elements = xlsx.MAX_XML_ELEMENTS - counted["package"].elements_left
        except WorkbookError as error:
            outcome = (error.problem.code, error.problem.sheet, error.problem.cell)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Spent(outcome, counted["bytes"], elements, peak)


def declared_bytes(data: bytes) -> int:
    """The uncompressed size the zip's table of contents declares for all its parts."""
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


_MiB = 1 << 20


def openpyxl_bytes(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes | str | None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = [(i.filename, source.read(i)) for i in source.infolist() if i.filename != name]
    if content is not None:
        parts.append((name, content))
    return hostile.zip_bytes(parts)


# ------------------------------------------------------------------------------ 1. sniffing


@pytest.mark.parametrize(
    ("data", "code", "kind"),
    [
        (b"", "file-empty", None),
        (hostile.ole_encrypted(), "encrypted-workbook", None),
        (hostile.legacy_xls(), "legacy-xls", None),
        (hostile.legacy_doc(), "wrong-format", xlsx.KIND_DOC),
        (hostile.pdf_renamed(), "wrong-format", xlsx.KIND_PDF),
        (hostile.csv_renamed(), "wrong-format", xlsx.KIND_TEXT),
        ("Objectif;Statut\r\n1;Réalisé\r\n".encode("cp1252"), "wrong-format", xlsx.KIND_TEXT),
        ("a\tb\n1\t2\n".encode("utf-16"), "wrong-format", xlsx.KIND_TEXT),
        (hostile.html_renamed(), "wrong-format", xlsx.KIND_HTML),
        (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
         b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "wrong-format",
         xlsx.KIND_XML_SPREADSHEET),
        (bytes(range(256)) * 4, "wrong-format", xlsx.KIND_UNKNOWN),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "wrong-format", xlsx.KIND_UNKNOWN),
        (hostile.ods_renamed(), "wrong-format", xlsx.KIND_ODS),
        (hostile.docx_renamed(), "not-a-workbook", None),
    ],
    ids=["empty", "encrypted", "xls", "doc", "pdf", "csv", "cp1252-csv", "utf16-text", "html",
         "xml-2003", "binary", "png", "ods", "docx"],
)
def test_what_is_not_an_xlsx_is_named(data, code, kind):
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data)
    assert caught.value.problem.code == code
    if kind is not None:
        assert caught.value.problem.params["kind"] == kind


def test_a_zip_without_a_workbook_part_is_not_a_workbook():
    assert code_of(hostile.zip_bytes({"readme.txt": "hello"})) == "not-a-workbook"
    assert code_of(replace_part(minimal_xlsx(), "xl/workbook.xml", None)) == "not-a-workbook"


# ------------------------------------------------------------------------------ 2. zip checks


def test_a_file_over_the_size_limit_is_refused_before_unzipping():
    assert code_of(b"PK\x03\x04" + bytes(xlsx.MAX_FILE_BYTES)) == "file-too-large"


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_file_is_a_corrupt_zip(keep):
    assert code_of(hostile.truncated(minimal_xlsx(), keep)) == "corrupt-zip"


def test_a_checksum_error_is_a_corrupt_zip():
    data = bytearray(minimal_xlsx({"Sheet1": [["x" * 50]]}))
    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    stored = [(i.filename, source.read(i)) for i in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for name, content in stored:
            target.writestr(name, content)
    data = bytearray(buffer.getvalue())
    data[data.index(b"xxxxxxxxxx")] = ord("y")  # inside the stored sheet part
    assert code_of(bytes(data)) == "corrupt-zip"


def test_a_compression_method_other_than_deflate_is_refused():
    # bzip2/lzma cannot be inflated in bounded steps by zipfile, so they are not tried
    source = zipfile.ZipFile(io.BytesIO(minimal_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    assert code_of(buffer.getvalue()) == "corrupt-zip"


def test_too_many_entries():
    assert code_of(hostile.too_many_entries()) == "zip-too-many-entries"


def test_an_oversized_table_of_contents_is_refused_before_zipfile_reads_it(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_CENTRAL_DIRECTORY_BYTES", 200)
    assert code_of(minimal_xlsx()) == "zip-too-many-entries"


@pytest.mark.parametrize("case_only", [False, True])
def test_duplicate_part_names(case_only):
    assert code_of(hostile.duplicate_part(case_only)) == "zip-duplicate-part"


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_inflating_anything(monkeypatch):
    data = hostile.zip_bomb()
    assert len(data) < 2 * _MiB
    spent = spend(monkeypatch, data)
    assert spent.outcome == ("zip-bomb", None, None)
    assert spent.bytes == 0 and spent.peak < 2 * _MiB


def test_a_part_hiding_its_real_size_is_cut_off_at_the_declared_size(monkeypatch):
    data = hostile.zip_bomb_understated()
    spent = spend(monkeypatch, data)
    assert spent.outcome == ("corrupt-zip", None, None)  # checksum of the cut
    assert spent.bytes <= declared_bytes(data) < 64 * 1024  # of the 64 MiB behind the part
    assert spent.peak < 1 * _MiB


def test_declared_part_and_total_sizes(monkeypatch):
    text = [[f"{n} {n * 7919 % 104729}"] for n in range(3000)]  # compresses ~5:1
    data = minimal_xlsx({"Sheet1": text})
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 20_000)
    assert code_of(data) == "zip-part-too-large"
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 10_000_000)
    monkeypatch.setattr(xlsx, "MAX_TOTAL_BYTES", 20_000)
    assert code_of(data) == "zip-total-too-large"


def test_decompression_is_limited_while_streaming_not_only_by_declared_sizes(monkeypatch):
    data = minimal_xlsx({"Sheet1": [["x" * 200_000]]})
    package = xlsx._Package(data)  # passes the declared-size checks
    info = package.find("xl/worksheets/sheet1.xml")
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 100_000)
    with pytest.raises(WorkbookError) as caught:
        for _chunk in package.chunks(info):
            pass
    assert caught.value.problem.code == "zip-part-too-large"
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 10_000_000)
    monkeypatch.setattr(xlsx, "RATIO_CHECK_BYTES", 100_000)
    with pytest.raises(WorkbookError) as caught:
        for _chunk in xlsx._Package(data).chunks(info):
            pass
    assert caught.value.problem.code == "zip-bomb"


# ------------------------------------------------------------------------------ 3. XML safety


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (hostile.billion_laughs(), "xl/sharedStrings.xml"),
        (hostile.xxe(), "xl/worksheets/sheet1.xml"),
        (hostile.xxe("utf-16"), "xl/worksheets/sheet1.xml"),
    ],
    ids=["billion-laughs", "xxe", "xxe-utf16"],
)
def test_dtds_and_entities_are_forbidden(data, part, monkeypatch):
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data)
    assert caught.value.problem.code == "xml-forbidden"
    assert caught.value.problem.params["part"] == part
    # without the byte scan, the parser itself still refuses them
    monkeypatch.setattr(xlsx, "_FORBIDDEN_MARKERS", [])
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data)
    assert caught.value.problem.code == "xml-forbidden"


def test_a_dtd_in_a_part_that_is_never_parsed_is_refused_too():
    core = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    assert code_of(minimal_xlsx(extra_parts={"docProps/core.xml": core})) == "xml-forbidden"


def test_malformed_xml_names_the_part():
    data = minimal_xlsx({"Sheet1": raw_sheet('<row r="1"><c r="A1"><v>1</v></row>')})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data)
    assert caught.value.problem.code == "xml-malformed"
    assert caught.value.problem.params["part"] == "xl/worksheets/sheet1.xml"


def test_a_flood_of_elements_is_cut_off(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_XML_ELEMENTS", 5000)
    junk = "".join(f"<x{n % 97}/>" for n in range(6000))
    data = minimal_xlsx({"Sheet1": raw_sheet('<row r="1"><c r="A1"><v>1</v></c></row>' + junk)})
    assert code_of(data) == "xml-too-complex"
    strings = f'<sst xmlns="{MAIN_NS}"><si>{junk}</si></sst>'
    assert code_of(minimal_xlsx(shared_strings=strings)) == "xml-too-complex"


# ------------------------------------------------------------------------------ 4. cells


def test_declared_dimension_is_not_trusted(monkeypatch):
    one_cell = spend(monkeypatch, hostile.huge_dimension_one_cell())
    assert {pos: cell.value for pos, cell in one_cell.outcome.sheets[0].cells.items()} == {(1, 1): "only"}
    assert one_cell.elements < 50 and one_cell.peak < 256 * 1024  # nothing sized by the 17 billion cells
    corners = spend(monkeypatch, hostile.huge_dimension())
    assert corners.outcome == ("sheet-too-large", "Sheet1", "XFD1048576")
    assert corners.peak < 256 * 1024
    sheet = read_workbook(hostile.dimension_a1_for_full_sheet(500)).sheets[0]
    assert (sheet.max_row, sheet.max_col, len(sheet.cells)) == (500, 3, 1500)
    assert sheet.value(500, 1) == "row 500" and sheet.value(500, 3) == 250


def test_cells_beyond_the_row_and_column_limits_are_located():
    far_right = raw_sheet(f'<row r="2"><c r="{xlsx.a1(2, xlsx.MAX_COLS + 1)}"><v>1</v></c></row>')
    assert error_of(minimal_xlsx({"S": far_right})) == ("sheet-too-large", "S", "GS2")
    far_down = raw_sheet(f'<row r="{xlsx.MAX_ROWS + 1}"><c r="B{xlsx.MAX_ROWS + 1}" t="inlineStr">'
                         "<is><t>stray</t></is></c></row>")
    assert error_of(minimal_xlsx({"S": far_down})) == ("sheet-too-large", "S", f"B{xlsx.MAX_ROWS + 1}")
    # styled but empty cells far away are not content
    empty = raw_sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="0"/></row>')
    assert values(minimal_xlsx({"S": empty})) == {(1, 1): 1}


@pytest.mark.parametrize(
    ("make", "cell"),
    [(hostile.million_letter_column, "XFE1"), (hostile.huge_row_in_cell, "A1048577"), (hostile.huge_row, "A1048577")],
    ids=["million-letters", "huge-row-in-cell", "huge-row"],
)
def test_absurd_references_are_out_of_bounds(monkeypatch, make, cell):
    data = make()
    spent = spend(monkeypatch, data)
    assert spent.outcome == ("sheet-too-large", "S", cell)
    # the reference itself is the only large thing held (a few bytes per character)
    assert spent.bytes == declared_bytes(data) and spent.peak < 8 * _MiB


def test_too_many_cells(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_CELLS", 25)
    data = minimal_xlsx({"A": [[1] * 5] * 4, "B": [[2] * 5] * 2})
    assert error_of(data) == ("too-many-cells", "B", None)


def test_too_many_shared_strings(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 3)
    strings = f'<sst xmlns="{MAIN_NS}">' + "<si><t>s</t></si>" * 4 + "</sst>"
    assert code_of(minimal_xlsx(shared_strings=strings)) == "too-many-strings"


def test_cells_without_r_are_placed_by_counting():
    assert values(hostile.no_r_attributes()) == {(1, 1): "a", (1, 2): "c", (3, 1): 1, (3, 2): 2, (3, 3): 3}
    mixed = raw_sheet('<row r="4"><c r="C4"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>')
    assert values(minimal_xlsx({"S": mixed})) == {(4, 3): 1, (4, 4): 2, (5, 1): 3}


def test_shared_strings_rich_text_and_phonetic_runs():
    strings = (
        f'<sst xmlns="{MAIN_NS}"><si><t>plain</t></si>'
        '<si><r><rPr><b/></rPr><t xml:space="preserve">Bold </t></r><r><t>and not</t></r></si>'
        "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
        "<si><t>line one\nline two_x000D_</t></si><si><t/></si></sst>"
    )
    cells = "".join(f'<c r="{col}1" t="s"><v>{n}</v></c>' for n, col in enumerate("ABCDE"))
    data = minimal_xlsx({"S": raw_sheet(f'<row r="1">{cells}<c r="F1" t="s"><v/></c></row>')}, shared_strings=strings)
    assert values(data) == {(1, 1): "plain", (1, 2): "Bold and not", (1, 3): "東京", (1, 4): "line one\nline two\r"}


def test_a_missing_shared_string_is_located():
    data = minimal_xlsx({"S": raw_sheet('<row r="3"><c r="B3" t="s"><v>7</v></c></row>')},
                        shared_strings=f'<sst xmlns="{MAIN_NS}"><si><t>only</t></si></sst>')
    assert error_of(data) == ("corrupt-zip", "S", "B3")


def test_value_types():
    row = ('<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
           '<c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="str"><f>A1&amp;"x"</f><v>TRUEx</v></c>'
           '<c r="E1"><v>42</v></c><c r="F1"><v>42.0</v></c><c r="G1"><v>1E3</v></c><c r="H1"><v>0.1</v></c>'
           '<c r="I1" t="n"><v>-7.25</v></c><c r="J1" t="d"><v>2024-03-01T10:30:00</v></c>'
           '<c r="K1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
           '<c r="L1"><v>12345678901234567890</v></c></row>')
    got = values(minimal_xlsx({"S": raw_sheet(row)}))
    assert got == {
        (1, 1): True, (1, 2): False, (1, 3): "#N/A", (1, 4): "TRUEx", (1, 5): 42, (1, 6): 42, (1, 7): 1000,
        (1, 8): 0.1, (1, 9): -7.25, (1, 10): dt.datetime(2024, 3, 1, 10, 30), (1, 11): "inline",
        (1, 12): 12345678901234567890,
    }
    assert type(got[(1, 6)]) is int and type(got[(1, 1)]) is bool
    assert read_workbook(minimal_xlsx({"S": raw_sheet(row)})).sheets[0].cells[(1, 4)] == Cell("TRUEx", 'A1&"x"')


@pytest.mark.parametrize(
    ("fmt_id", "code", "is_date"),
    [
        (14, None, True), (22, None, True), (47, None, True), (0, None, False), (2, None, False),
        (164, "dd/mm/yyyy", True), (165, "[$-409]mmmm d, yyyy;@", True), (166, "h:mm AM/PM", True),
        (167, '0.0 "days"', False), (168, "[Red]#,##0.00", False), (169, "#,##0\\ \\m", False),
        (170, "_-* #,##0_-;-* #,##0_-", False), (171, "General", False),
    ],
)
def test_date_formats(fmt_id, code, is_date):
    styles = styles_xml({fmt_id: code} if code else {}, [0, fmt_id])
    data = minimal_xlsx({"S": raw_sheet('<row r="1"><c r="A1" s="1"><v>45292.5</v></c></row>')}, styles=styles)
    expected = dt.datetime(2024, 1, 1, 12) if is_date else 45292.5
    assert values(data) == {(1, 1): expected}


def test_date1904_and_the_1900_leap_year_bug():
    styles = styles_xml({}, [0, 14])
    sheet = raw_sheet('<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>61</v></c>'
                      '<c r="C1" s="1"><v>-5</v></c></row>')
    assert values(minimal_xlsx({"S": sheet}, styles=styles)) == {
        (1, 1): dt.datetime(1900, 1, 1), (1, 2): dt.datetime(1900, 3, 1), (1, 3): -5}
    assert values(minimal_xlsx({"S": sheet}, styles=styles, date1904=True))[(1, 1)] == dt.datetime(1904, 1, 2)


def test_openpyxl_workbooks_read_back_exactly():
    long_text = ("Programme de régularisation — " * 1200)[:32_000]
    written = {
        (1, 1): "Objective", (1, 2): 7, (1, 3): 2.75, (1, 4): dt.datetime(2024, 5, 17, 0, 0),
        (2, 1): long_text, (2, 2): True, (2, 3): -1_000_000, (2, 4): dt.datetime(2023, 12, 31, 23, 59, 58),
        (3, 1): "línea 1\nlínea 2\nخط ٣\n第四行 🌍", (3, 2): "Миграция", (3, 3): "  spaces kept  ",
        (30, 26): "far cell",
    }

    def build(workbook):
        sheet = workbook.active
        sheet.title = "Objectives"
        for (row, col), value in written.items():
            sheet.cell(row, col, value)
        sheet.cell(4, 1, "=B1*2")
        workbook.create_sheet("Practices").cell(1, 1, "second")
        workbook.create_sheet("Empty")

    raw = read_workbook(openpyxl_bytes(build))
    assert [s.name for s in raw.sheets] == ["Objectives", "Practices", "Empty"]
    sheet = raw.sheets[0]
    for pos, value in written.items():
        assert sheet.value(*pos) == value and type(sheet.value(*pos)) is type(value), pos
    assert len(sheet.value(2, 1)) == 32_000
    assert sheet.cells[(4, 1)] == Cell(None, "B1*2")
    assert (sheet.max_row, sheet.max_col) == (30, 26)
    assert raw.sheets[1].cells == {(1, 1): Cell("second")}
    assert raw.sheets[2].cells == {} and raw.sheets[2].max_row == 0
    assert raw.problems and {p.code for p in raw.problems} == {"formula-no-value"}
    assert not raw.has_macros


def test_strict_ooxml_and_prefixed_elements_read_alike():
    expected = {(1, 1): "strict", (1, 2): 7, (2, 1): True, (2, 2): 2.5}
    assert values(hostile.strict_ooxml()) == expected
    assert values(hostile.strict_ooxml("x:")) == expected


def test_sheet_parts_are_found_through_relationships():
    data = minimal_xlsx({"First": [["one"]], "Second": [["two"]]})
    rels = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels").decode()
    # absolute targets, other case, and the parts renamed away from the usual names
    rels = rels.replace('Target="worksheets/sheet1.xml"', 'Target="/XL/Data/One.xml"')
    rels = rels.replace('Target="worksheets/sheet2.xml"', 'Target="../xl/data/two%20b.xml"')
    data = replace_part(data, "xl/_rels/workbook.xml.rels", rels)
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: source.read(i) for i in source.infolist()}
    parts["xl/data/one.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/data/two b.xml"] = parts.pop("xl/worksheets/sheet2.xml")
    raw = read_workbook(hostile.zip_bytes(parts))
    assert [(s.name, s.value(1, 1)) for s in raw.sheets] == [("First", "one"), ("Second", "two")]


def test_backslash_part_names_and_missing_relationships_fall_back():
    source = zipfile.ZipFile(io.BytesIO(minimal_xlsx({"S": [["ok"]]})))
    parts = {i.filename.replace("/", "\\"): source.read(i) for i in source.infolist()
             if i.filename != "xl/_rels/workbook.xml.rels"}
    assert values(hostile.zip_bytes(parts)) == {(1, 1): "ok"}


def test_a_sheet_part_missing_from_the_package_is_corrupt():
    data = replace_part(minimal_xlsx({"S": [[1]], "T": [[2]]}), "xl/worksheets/sheet2.xml", None)
    assert code_of(data) == "corrupt-zip"


# ------------------------------------------------------------------------------ 5. warnings


def test_macros_are_ignored_with_a_warning():
    raw = read_workbook(hostile.macro_workbook())
    assert raw.has_macros
    assert [(p.code, p.sheet) for p in raw.problems] == [("macros-ignored", None)]
    assert raw.sheets[0].value(1, 1) == "with macros"


def test_external_links_name_the_other_workbook():
    raw = read_workbook(hostile.external_link_workbook())
    assert [(p.code, p.params["target"]) for p in raw.problems] == [("external-link", "Budget 2024.xlsx")]
    assert raw.sheets[0].cells[(1, 1)] == Cell(42, "[1]Sheet1!A1")
    data = replace_part(hostile.external_link_workbook(), "xl/externalLinks/_rels/externalLink1.xml.rels", None)
    assert [p.params["target"] for p in read_workbook(data).problems] == ["another workbook"]


def test_formula_without_saved_value():
    raw = read_workbook(hostile.formula_without_value())
    assert [(p.code, p.sheet, p.cell, p.params["formula"]) for p in raw.problems] == [
        ("formula-no-value", "Sheet1", "B1", "A1*2")]
    assert raw.sheets[0].value(1, 2) is None


def test_formula_warnings_are_capped_per_sheet():
    problems = read_workbook(hostile.formula_without_value(xlsx.MAX_FORMULA_WARNINGS + 30)).problems
    assert len(problems) == xlsx.MAX_FORMULA_WARNINGS


def test_shared_formulas_keep_their_text():
    row = ('<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1+1</f><v>2</v></c></row>'
           '<row r="2"><c r="A2"><f t="shared" si="0"/><v>3</v></c></row>')
    cells = read_workbook(minimal_xlsx({"S": raw_sheet(row)})).sheets[0].cells
    assert cells[(1, 1)] == Cell(2, "B1+1") and cells[(2, 1)] == Cell(3, "B1+1")


# ------------------------------------------------------------------------------ 6. speed


def test_a_typical_submission_reads_within_its_budget(monkeypatch):
    rnd = random.Random(0)  # made-up words, so the file does not compress to nothing

    def text() -> str:
        return " ".join("".join(rnd.choices("aeioubcdfglmnprstvéñ", k=rnd.randint(2, 10))) for _ in range(40))

    def build(workbook):
        workbook.active.title = "Submission"
        for r in range(1, 8):
            workbook.active.append([f"Label {r}", f"Value {r}"])
        for title, rows, cols in (("Objectives", 24, 6), ("Practices", 51, 9), ("Lists", 40, 4)):
            sheet = workbook.create_sheet(title)
            for r in range(rows):
                sheet.append([text() for _ in range(cols)])

    data = openpyxl_bytes(build)
    assert 50_000 < len(data) < 200_000
    spent = spend(monkeypatch, data)
    raw = spent.outcome
    assert len(raw.sheets) == 4 and raw.sheets[2].max_row == 51
    cells = sum(len(sheet.cells) for sheet in raw.sheets)
    assert cells == 7 * 2 + 24 * 6 + 51 * 9 + 40 * 4
    assert spent.bytes == declared_bytes(data)  # every part inflated once
    assert spent.elements <= 4 * cells + 200  # a cell and its text: <c>, <v>, <si>, <t>
    assert spent.peak < 2 * _MiB  # the text it holds (~0.2 MiB) and a few chunks


# ------------------------------------------------------------------------------ robustness

_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_VALID = minimal_xlsx(
    {"S": [["text", 1, 2.5, True, F("A1", 3)], ["é", None, "x" * 40]]},
    styles=styles_xml({164: "d/m/yy"}, [0, 164]),
    shared_strings=f'<sst xmlns="{MAIN_NS}"><si><t>shared</t></si></sst>',
)


def _read_or_workbook_error(data: bytes) -> None:
    try:
        read_workbook(data)
    except WorkbookError:
        pass


@_FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_workbook_error(data):
    _read_or_workbook_error(data)
    _read_or_workbook_error(b"PK\x03\x04" + data)


@_FUZZ
@given(st.data())
def test_mutated_workbooks_raise_only_workbook_error(data):
    mutated = bytearray(_VALID)
    if data.draw(st.booleans(), label="truncate"):
        del mutated[data.draw(st.integers(0, len(mutated) - 1), label="cut at"):]
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        if not mutated:
            break
        index = data.draw(st.integers(0, len(mutated) - 1), label="index")
        mutated[index] = data.draw(st.integers(0, 255), label="byte")
    _read_or_workbook_error(bytes(mutated))


@_FUZZ
@given(st.data())
def test_mutated_xml_raises_only_workbook_error(data):
    # flips inside the XML itself (the zip stays valid), so the parsers see the damage
    source = zipfile.ZipFile(io.BytesIO(_VALID))
    parts = {i.filename: bytearray(source.read(i)) for i in source.infolist()}
    name = data.draw(st.sampled_from(sorted(parts)), label="part")
    part = parts[name]
    for _ in range(data.draw(st.integers(1, 4), label="flips")):
        index = data.draw(st.integers(0, len(part) - 1), label="index")
        part[index] = data.draw(st.sampled_from(b'<>/="&;:x0 \xff'), label="byte")
    _read_or_workbook_error(hostile.zip_bytes({n: bytes(p) for n, p in parts.items()}))
