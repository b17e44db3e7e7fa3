"""The blank submission template, and the sample workbooks made from it."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl import load_workbook

from gcmtrack.errors import GcmtrackError, UnknownEditionError
from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import framework
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import (
    UnknownCycleError,
    UnknownLanguageError,
    UnknownStateError,
    template_text,
    write_template,
)
from gcmtrack.reference.states import states

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "submissions"
SAMPLES = sorted(SUBMISSIONS.glob("*.xlsx"))


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def template_bytes(lang) -> bytes:
    return write_template("MEX", 2026, lang)


def _wb(data: bytes):
    return load_workbook(io.BytesIO(data))


def _sheet(wb, key: str, lang: str):
    return wb[contract().sheets[key].names[lang]]


def _header(ws, sheet_key: str, lang: str) -> tuple[int, dict[str, int]]:
    names = {f.names[lang]: key for key, f in contract().columns[sheet_key].items()}
    for row in range(1, contract().header_search_rows + 1):
        found = {names[c.value]: c.column for c in ws[row] if c.value in names}
        if len(found) == len(names):
            return row, found
    raise AssertionError(f"no header row in {ws.title}")


def _labels(ws) -> dict[str, tuple[int, int]]:
    """label key -> (row, column of the value)."""
    positions = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and contract().label_key(cell.value):
                positions.setdefault(contract().label_key(cell.value), (cell.row, cell.column + 1))
    return positions


# --------------------------------------------------------------------------- structure


def test_sheets_are_named_in_the_language(template_bytes, lang):
    wb = _wb(template_bytes)
    expected = [contract().sheets[k].names[lang] for k in ("instructions", "submission", "objectives", "practices")]
    assert wb.sheetnames == expected


def test_objectives_sheet_has_23_rows_with_label_and_title(template_bytes, lang):
    ws = _sheet(_wb(template_bytes), "objectives", lang)
    header, cols = _header(ws, "objectives", lang)
    assert header == 2  # a title row above the header row
    assert "MEX" not in str(ws.cell(1, 1).value) and states().get("MEX").name(lang) in ws.cell(1, 1).value
    rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, cols["objective"]).value]
    assert len(rows) == 23
    for number, row in enumerate(rows, start=1):
        objective = framework().objectives[number]
        cell = ws.cell(row, cols["objective"])
        assert cell.value == f"{number} - {objective.label(lang)}"
        assert objective.title(lang) in cell.comment.text
        assert ws.cell(row, cols["status"]).value is None
    assert ws.freeze_panes is not None


def test_status_dropdowns_use_the_status_names_of_the_language(template_bytes, lang):
    wb = _wb(template_bytes)
    names = [s.name(lang) for s in framework().statuses]
    for key, first, last in (("objectives", 3, 25), ("practices", 2, 500)):
        ws = _sheet(wb, key, lang)
        _header_row, cols = _header(ws, key, lang)
        letter = ws.cell(1, cols["status"]).column_letter
        lists = [dv for dv in ws.data_validations.dataValidation
                 if dv.type == "list" and f"{letter}{first}" in dv.sqref and f"{letter}{last}" in dv.sqref]
        assert len(lists) == 1, key
        assert lists[0].formula1 == '"' + ",".join(names) + '"'


def test_theme_dropdown_points_at_the_theme_names_in_instructions(template_bytes, lang):
    wb = _wb(template_bytes)
    ws = _sheet(wb, "practices", lang)
    _row, cols = _header(ws, "practices", lang)
    letter = ws.cell(1, cols["themes"]).column_letter
    (dv,) = [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert dv.showErrorMessage is False  # several themes may be typed in one cell
    match = re.fullmatch(r"'(.+)'!\$B\$(\d+):\$B\$(\d+)", dv.formula1)
    assert match and match.group(1) == contract().sheets["instructions"].names[lang]
    source = wb[match.group(1)]
    values = [source.cell(r, 2).value for r in range(int(match.group(2)), int(match.group(3)) + 1)]
    assert values == [t.name(lang) for t in framework().themes]


def test_submission_is_prefilled(template_bytes, lang):
    ws = _sheet(_wb(template_bytes), "submission", lang)
    positions = _labels(ws)
    assert set(positions) == set(contract().labels)
    value = lambda key: ws.cell(*positions[key]).value  # noqa: E731
    assert value("state") == "MEX"
    row, col = positions["state"]
    assert ws.cell(row, col + 1).value == states().get("MEX").name(lang)
    assert value("cycle") == 2026
    assert value("template_version") == contract().template_version
    for key in ("period", "institution", "email", "date"):
        assert value(key) is None


def test_instructions_list_every_vocabulary(template_bytes, lang):
    ws = _sheet(_wb(template_bytes), "instructions", lang)
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    fw = framework()
    for status in fw.statuses:
        assert status.name(lang) in text
        assert status.meaning(lang) in text
    for objective in fw.objectives.values():
        assert objective.title(lang) in text
    for theme in fw.themes:
        assert theme.name(lang) in text
    for principle in fw.principles:
        assert principle.name(lang) in text
    assert template_text().text("instructions.links", lang) in text
    assert "mex-2026.xlsx" in text


def test_template_text_has_every_language():
    tt = template_text()
    for path in ("instructions.title", "instructions.sending", "problems.author", "objectives.title"):
        assert {tt.text(path, lang) for lang in LANGS}
    assert len(tt.texts("instructions.steps", "fr")) == len(tt.texts("instructions.steps", "en"))


# --------------------------------------------------------------------------- inputs


def test_state_name_or_code_give_the_same_workbook():
    assert write_template("Jamaica", 2026, "en") == write_template("jam", 2026, "en")
    assert write_template("Haïti", 2026, "fr") == write_template("HTI", 2026, "fr")


def test_output_is_deterministic_with_fixed_dates():
    data = write_template("BLZ", 2026, "es")
    assert data == write_template("BLZ", 2026, "es")
    wb = _wb(data)
    assert wb.properties.created == dt.datetime(2025, 1, 1)
    assert wb.properties.modified == dt.datetime(2025, 1, 1)


@pytest.mark.parametrize("state", ["Atlantis", "XXX", ""])
def test_unknown_state_is_an_error(state):
    with pytest.raises(UnknownStateError) as info:
        write_template(state, 2026, "en")
    assert isinstance(info.value, GcmtrackError) and isinstance(info.value, ValueError)


def test_ambiguous_state_is_an_error_naming_both():
    with pytest.raises(UnknownStateError, match="MAF.*SXM|SXM.*MAF"):
        write_template("St. Martin", 2026, "en")


@pytest.mark.parametrize("cycle", [2025, 1999, "soon"])
def test_unknown_cycle_is_an_error(cycle):
    with pytest.raises(UnknownCycleError) as info:
        write_template("MEX", cycle, "en")
    assert isinstance(info.value, UnknownEditionError) and isinstance(info.value, ValueError)


def test_unknown_language_is_an_error():
    with pytest.raises(UnknownLanguageError):
        write_template("MEX", 2026, "de")


# --------------------------------------------------------------------------- validation


def _fill(data: bytes, lang: str) -> bytes:
    """Fill a template as a submitter would (statuses, one practice) and save it with openpyxl."""
    wb = _wb(data)
    fw = framework()
    ws = _sheet(wb, "objectives", lang)
    header, cols = _header(ws, "objectives", lang)
    statuses = [s.name(lang) for s in fw.statuses if s.weight is not None]
    for i, row in enumerate(range(header + 1, header + 24)):
        ws.cell(row, cols["status"]).value = statuses[i % len(statuses)]
        ws.cell(row, cols["measures"]).value = f"Measure {i}"
    ws.cell(header + 1, cols["principles"]).value = "a, f"
    ws = _sheet(wb, "practices", lang)
    header, cols = _header(ws, "practices", lang)
    ws.cell(header + 1, cols["title"]).value = "Practice"
    ws.cell(header + 1, cols["status"]).value = statuses[1]
    ws.cell(header + 1, cols["objectives"]).value = "2, 5; 6"
    ws.cell(header + 1, cols["themes"]).value = fw.themes[0].name(lang)
    ws.cell(header + 1, cols["start_year"]).value = 2021
    ws.cell(header + 1, cols["link"]).value = "https://www.example.org/practice"
    ws = _sheet(wb, "submission", lang)
    positions = _labels(ws)
    ws.cell(*positions["email"]).value = "focal.point@example.org"
    ws.cell(*positions["date"]).value = dt.date(2025, 11, 30)
    ws.cell(*positions["institution"]).value = "Ministry of Foreign Affairs"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_blank_template_only_lacks_statuses(template_bytes, lang):
    """Nothing is wrong with a blank template except that no objective has a status yet."""
    validate = pytest.importorskip("gcmtrack.intake.validate")
    result = validate.validate_bytes(template_bytes, "blank.xlsx")
    assert result.lang == lang
    assert not result.valid
    # and, at their cells, that the institution, contact and date are still to be written (issue 19 item 7)
    codes = [p.code for p in result.problems]
    assert [c for c in codes if c != "missing-recommended"] == ["nothing-reported", "objective-not-reported",
                                                                "no-practices"]
    assert result.problems[codes.index("objective-not-reported")].params["objectives"] == list(range(1, 24))
    recommended = [p for p in result.problems if p.code == "missing-recommended"]
    assert len(recommended) == 3 and all(p.cell for p in recommended)


def test_filled_template_validates(template_bytes, lang):
    validate = pytest.importorskip("gcmtrack.intake.validate")
    result = validate.validate_bytes(_fill(template_bytes, lang), "filled.xlsx")
    assert result.valid, [p.to_dict() for p in result.errors]
    assert result.problems == []
    assert result.lang == lang
    submission = result.submission
    assert (submission.state, submission.cycle) == ("MEX", 2026)
    assert sorted(submission.objectives) == list(range(1, 24))
    assert submission.objectives[1].principles == ("a", "f")
    (practice,) = submission.practices
    assert practice.objectives == (2, 5, 6) and practice.themes == (framework().themes[0].key,)


# --------------------------------------------------------------------------- the samples


def test_sample_set_is_present():
    names = {p.name for p in SAMPLES}
    assert len([n for n in names if "-2026" in n]) == 38
    assert len([n for n in names if "-2022" in n]) == 15  # the previous cycle, for trends
    assert {"jam-2026-v1.xlsx", "jam-2026-v2.xlsx", "hti-2026.xlsx", "mex-2026.xlsx"} <= names
    assert not {"usa-2026.xlsx", "dom-2026.xlsx", "msr-2026.xlsx", "sxm-2026.xlsx", "pry-2026.xlsx"} & names


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_validates_without_error(path):
    validate = pytest.importorskip("gcmtrack.intake.validate")
    result = validate.validate_bytes(path.read_bytes(), path.name)
    assert result.valid, [p.to_dict() for p in result.errors]
    assert result.submission.cycle in (2022, 2026)
    assert path.name.startswith(f"{result.submission.state.lower()}-{result.submission.cycle}")
    # the samples are fictional and include contradictions on purpose (a practice above its row)
    allowed = {"objective-not-reported", "invalid-email", "template-version", "no-practices", "status-below-practice"}
    assert {p.code for p in result.warnings} <= allowed


def test_samples_raise_the_intended_warnings():
    validate = pytest.importorskip("gcmtrack.intake.validate")
    codes = {path.name: {p.code for p in validate.validate_bytes(path.read_bytes(), path.name).problems}
             for path in SAMPLES}
    assert "invalid-email" in codes["bhs-2026.xlsx"]
    assert "template-version" in codes["grd-2026.xlsx"]
    assert "objective-not-reported" in codes["jam-2026-v1.xlsx"]
    assert "objective-not-reported" not in codes["jam-2026-v2.xlsx"]
    langs = {path.name: validate.validate_bytes(path.read_bytes(), path.name).lang
             for path in SAMPLES if path.name[:3] in ("hti", "mex", "jam", "bra") and "-2026" in path.name}
    assert langs == {"hti-2026.xlsx": "fr", "mex-2026.xlsx": "es", "jam-2026-v1.xlsx": "en",
                     "jam-2026-v2.xlsx": "en", "bra-2026.xlsx": "en"}


def test_jamaica_v2_is_ingested_last_and_improves():
    ingest = pytest.importorskip("gcmtrack.service.ingest")
    order = [p.name for p in ingest.expand_paths([SUBMISSIONS])]
    assert order.index("jam-2026-v1.xlsx") < order.index("jam-2026-v2.xlsx")
    validate = pytest.importorskip("gcmtrack.intake.validate")
    weights = framework().weights

    def score(name: str) -> float:
        sub = validate.validate_bytes((SUBMISSIONS / name).read_bytes(), name).submission
        return sum(weights[row.status] or 0 for row in sub.objectives.values())

    assert score("jam-2026-v2.xlsx") > score("jam-2026-v1.xlsx")


def test_samples_are_fictional_and_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    try:
        spec.loader.exec_module(module)
        assert module.main(["--output", str(tmp_path), "--no-check"]) == 0
    finally:
        sys.modules.pop("make_samples", None)
    for path in SAMPLES:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} is stale: rerun make_samples.py"
    for path in SAMPLES[:3]:
        ws = _wb(path.read_bytes()).worksheets[1]
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert re.search(r"fictional|ficticio|fictif", text)


# --------------------------------------------------------------------------- issue 11: a template that guides


def _open(lang="en", **kwargs):
    from gcmtrack.intake.template import write_template

    return openpyxl.load_workbook(io.BytesIO(write_template("MEX", 2026, lang, **kwargs)))


@pytest.mark.parametrize("lang", LANGS)
def test_prefilled_cells_are_locked_input_cells_open_structure_protected_without_password(lang):
    wb = _open(lang)
    assert wb.security.lockStructure and not wb.security.workbookPassword
    names = {k: f.names[lang] for k, f in contract().sheets.items()}
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
    sub = wb[names["submission"]]
    labels = {sub.cell(r, 1).value: r for r in range(3, 3 + len(contract().labels))}
    locked = {key: sub.cell(labels[f.names[lang]], 2).protection.locked for key, f in contract().labels.items()}
    assert locked == {"state": True, "cycle": True, "period": False, "institution": False, "email": False,
                      "date": False, "template_version": True}
    obj = wb[names["objectives"]]
    for row in range(3, 26):
        assert obj.cell(row, 1).protection.locked
        assert not any(obj.cell(row, col).protection.locked for col in range(2, 7))
    assert obj.cell(2, 2).protection.locked  # headers too
    practices = wb[names["practices"]]
    assert practices.cell(1, 1).protection.locked
    assert all(practices.column_dimensions[c].protection.locked is False for c in "ABCDEFGHI")


@pytest.mark.parametrize("lang", LANGS)
def test_rows_are_tall_enough_for_their_wrapped_text(lang):
    from gcmtrack.intake.template import LINE_POINTS, lines_needed

    wb = _open(lang)
    obj = wb[contract().sheets["objectives"].names[lang]]
    widths = [f.width for f in contract().columns["objectives"].values()]
    for row in range(2, 26):
        for col, width in enumerate(widths, start=1):
            text = obj.cell(row, col).value
            if text:
                assert obj.row_dimensions[row].height >= lines_needed(text, width, bold=True) * LINE_POINTS


def test_each_objective_lists_its_actions_and_examples_of_evidence_and_no_tool_name():
    fw = framework()
    for lang in LANGS:
        wb = _open(lang, deadlines={"RCM": dt.date(2026, 3, 31)})
        obj = wb[contract().sheets["objectives"].names[lang]]
        for number, objective in fw.objectives.items():
            note = obj.cell(2 + number, 1).comment.text
            assert all(f"({a.letter}) {a.label}" in note for a in objective.actions)
            assert template_text().text("objectives.evidence_examples", lang) in note
        seen = [wb.properties.creator or "", wb.properties.lastModifiedBy or "", wb.properties.title or ""]
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    seen += [str(cell.value or ""), cell.comment.text if cell.comment else "",
                             cell.comment.author if cell.comment else ""]
            for dv in ws.data_validations.dataValidation:
                seen += [dv.prompt or "", dv.error or ""]
        assert not [s for s in seen if "gcmtrack" in s.lower()]


def test_the_deadline_and_the_processes_of_the_state_are_in_the_instructions(tmp_path):
    from click.testing import CliRunner

    from gcmtrack.cli import main
    from gcmtrack.intake.template import _long_date

    wb = _open("es", deadlines={"RCM": dt.date(2026, 3, 31)})
    texts = [str(c.value) for c in wb[contract().sheets["instructions"].names["es"]]["A"] if c.value]
    assert any("31 de marzo de 2026" in t and "(CRM)" in t for t in texts)
    assert _long_date(dt.date(2026, 3, 31), "fr") == "31 mars 2026"
    db = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(main, ["deadline", "--process", "RCM", "--cycle", "2026", "--due", "2026-03-31",
                                "--db", str(db)]).exit_code == 0
    out = tmp_path / "mex.xlsx"
    assert runner.invoke(main, ["template", "--state", "MEX", "--cycle", "2026", "--db", str(db),
                                "--output", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Instructions"]
    assert any("31 March 2026" in str(c.value) for c in sheet["A"] if c.value)
