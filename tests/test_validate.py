"""Validation rules of submission-workbook.md, each on a small workbook built in the test.

Tests compare (code, sheet, cell), never wording."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gcmtrack.intake.contract import contract
from gcmtrack.intake.validate import parse_objective_ref, validate_bytes
from gcmtrack.reference.framework import framework
from tests.builders import build_workbook, codes, ct_status

ALL = [(n, "Implemented") for n in range(1, 24)]
PRACTICE = [{"title": "Labour mobility scheme", "status": "In progress", "objectives": "5"}]


def check(data: bytes):
    return validate_bytes(data, "test.xlsx")


def test_a_complete_english_workbook_is_valid():
    result = check(build_workbook(practices=[
        {"title": "Labour mobility scheme", "status": "In progress", "objectives": "5, 6", "themes": "Labour migration",
         "start_year": 2021, "link": "https://example.org/scheme", "principles": "a, f"}]))
    assert result.valid, codes(result)
    assert result.problems == []
    sub = result.submission
    assert sub.state == "MEX" and sub.cycle == 2026 and sub.lang == "en"
    assert len(sub.objectives) == 23
    practice = sub.practices[0]
    assert practice.objectives == (5, 6) and practice.themes == ("labour_migration",)
    assert practice.principles == ("a", "f") and practice.start_year == 2021 and practice.row == 2


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_spanish_and_french_workbooks(lang):
    rows = [(n, ct_status("in_progress", lang)) for n in range(1, 24)]
    result = check(build_workbook(lang, state="Belice" if lang == "es" else "Haïti", objectives=rows))
    assert result.valid, codes(result)
    assert result.lang == lang
    assert result.submission.state == ("BLZ" if lang == "es" else "HTI")
    assert {r.status for r in result.submission.objectives.values()} == {"in_progress"}


def test_messages_are_in_the_workbook_language():
    result = check(build_workbook("es", objectives=[(n, "Implementado") for n in range(1, 23)] + [(23, "Implementd")]))
    problem = next(p for p in result.problems if p.code == "unknown-status")
    assert result.lang == "es"
    [as_json] = [p for p in result.to_dict()["problems"] if p["code"] == "unknown-status"]
    assert (as_json["message"], as_json["hint"]) == (problem.message("es"), problem.hint("es"))
    assert as_json["message"] != problem.message("en")
    assert problem.params["choices"] == [s.name("es") for s in framework().statuses]


def test_header_row_below_title_rows_and_row_numbers_as_seen():
    result = check(build_workbook(title_rows=3, objectives=ALL[:22] + [(23, "Done-ish")]))
    # header on row 4, objective 23 on row 4 + 23 = 27, status in column B
    assert ("unknown-status", "Objectives", "B27") in codes(result)


def test_column_order_is_free_and_blank_rows_are_skipped():
    cols = ["status", "objective", "measures"]
    rows = [("Implemented", n, f"measures {n}") for n in range(1, 12)] + [(None, None, None)] * 3 + \
           [("Planned", n, None) for n in range(12, 24)]
    result = check(build_workbook(obj_columns=cols, objectives=rows))
    assert result.valid, codes(result)
    assert result.submission.objectives[12].status == "planned"
    assert result.submission.objectives[12].row == 2 + 11 + 3
    assert result.submission.objectives[3].measures == "measures 3"


def test_extra_columns_and_sheets_are_warnings():
    cols = ["objective", "status", "Internal notes"]
    result = check(build_workbook(obj_columns=cols, objectives=[(n, "Implemented", "x") for n in range(1, 24)],
                                  extra_sheets=["Notes"]))
    assert result.valid
    assert ("extra-column", "Objectives", "C1") in codes(result)
    assert ("extra-sheet", "Notes", None) in codes(result)


def test_header_near_miss_is_an_error_with_suggestion():
    result = check(build_workbook(headers={"measures": "Measure taken"}))
    problem = next(p for p in result.problems if p.code == "header-near-miss")
    assert (problem.sheet, problem.cell) == ("Objectives", "C1")
    assert problem.params == {"target": contract().columns["objectives"]["measures"].names["en"]}


def test_missing_required_sheets():
    result = check(build_workbook(omit_sheets=["submission", "objectives"]))
    assert not result.valid
    assert [c for c in codes(result) if c[0] == "missing-sheet"] == [("missing-sheet", None, None)] * 2
    assert result.state is None and result.cycle is None


def test_sheet_names_match_ignoring_case_accents_and_colon():
    result = check(build_workbook("es", sheet_names={"submission": "PRESENTACION", "objectives": " objetivos "},
                                  objectives=[(n, "Implementado") for n in range(1, 24)]))
    assert result.valid, codes(result)


@pytest.mark.parametrize("lang, extra, expected", [("en", "Objetivos", "Objectives"), ("es", "Objectifs", "Objetivos"),
                                                   ("fr", "Practices", "Pratiques")])
def test_two_sheets_for_one_template_sheet(lang, extra, expected):
    """A second sheet named (in any language) like a template sheet; the first one is read."""
    statuses = [(n, ct_status("implemented", lang)) for n in range(1, 24)]
    result = check(build_workbook(lang, objectives=statuses, extra_sheets=[extra]))
    assert [c for c in codes(result) if c[0] != "no-practices"] == [("duplicate-sheet", extra, None)]
    assert not result.valid
    [problem] = result.errors
    assert problem.value == [expected, extra]
    assert problem.params == {"expected": contract().sheets[contract().sheet_key(extra)].names["en"]}


def test_two_columns_for_one_template_column():
    # "Status" over the measures column: the status column is now given twice
    result = check(build_workbook(headers={"measures": "Status"}, objectives=[(n, "Planned") for n in range(1, 24)]))
    assert codes(result) == [("duplicate-column", "Objectives", "C1"), ("no-practices", "Practices", None)]
    assert not result.valid
    assert (result.problems[0].value, result.problems[0].params) == ("Status", {"other": "B1"})
    # the practices sheet too, and in another language and form of the name
    result = check(build_workbook("es", objectives=[(n, "Implementado") for n in range(1, 24)],
                                  headers={"p.partners": "enlace"}))
    assert codes(result)[0] == ("duplicate-column", "Prácticas", "H1")
    assert result.problems[0].params == {"other": "G1"}


def test_no_practices_sheet_is_a_warning():
    result = check(build_workbook(include_practices_sheet=False))
    assert result.valid
    assert codes(result) == [("no-practices", None, None)]
    assert result.submission.practices == ()
    # a practices sheet with its header and no practice, or with nothing at all: the same warning
    assert codes(check(build_workbook(practices=[]))) == [("no-practices", "Practices", None)]
    empty = check(build_workbook(headers={f"p.{k}": " " for k in contract().columns["practices"]}))
    assert empty.valid and codes(empty) == [("no-practices", "Practices", None)]


def test_missing_header():
    result = check(build_workbook(obj_columns=["objective", "measures"], objectives=[(1, "x")]))
    assert ("missing-header", "Objectives", None) in codes(result)
    problem = next(p for p in result.problems if p.code == "missing-header")
    assert problem.params["missing"] == [contract().columns["objectives"]["status"].names["en"]]


@pytest.mark.parametrize("state, code", [("Atlantis", "unknown-state"), ("St. Martin", "ambiguous-state"),
                                         ("Jamaika", "unknown-state")])
def test_state_problems(state, code):
    result = check(build_workbook(state=state))
    assert (code, "Submission", "B1") in codes(result)
    assert result.state is None


def test_ambiguous_state_lists_both_codes():
    result = check(build_workbook(state="St. Martin"))
    problem = next(p for p in result.problems if p.code == "ambiguous-state")
    assert sorted(problem.params["codes"]) == ["MAF", "SXM"]


def test_unknown_state_suggests():
    result = check(build_workbook(state="Jamaika"))
    problem = next(p for p in result.problems if p.code == "unknown-state")
    assert problem.params["suggestions"] == ["Jamaica (JAM)"]


@pytest.mark.parametrize("cycle, ok", [(2026, True), ("2026", True), ("IMRF 2026", True), (2026.0, True),
                                       ("FEMI 2026", True), (2024, False), ("next year", False), (20260, False)])
def test_cycle_forms(cycle, ok):
    result = check(build_workbook(cycle=cycle))
    assert result.valid is ok, codes(result)
    if ok:
        assert result.cycle == 2026
    else:
        assert ("invalid-cycle", "Submission", "B2") in codes(result)


def test_missing_state_value_and_label():
    result = check(build_workbook(state=None))
    assert ("missing-label", "Submission", None) in codes(result)
    result = check(build_workbook(state="   "))
    assert ("missing-value", "Submission", "B1") in codes(result)


def test_a_missing_template_version_is_a_warning():
    result = check(build_workbook(labels={"template_version": None}, practices=PRACTICE))
    assert result.valid and codes(result) == [("template-version", "Submission", None)]
    result = check(build_workbook(labels={"template_version": " "}, practices=PRACTICE))
    assert result.valid and codes(result) == [("template-version", "Submission", "B3")]
    assert result.submission.template_version is None


def test_email_date_and_template_version_warnings():
    result = check(build_workbook(labels={"email": "not an address", "date": "yesterday", "template_version": "0.3"}))
    assert result.valid
    got = {c[0] for c in codes(result)}
    assert {"invalid-email", "invalid-date", "template-version"} <= got


def test_real_date_cell_and_iso_string():
    result = check(build_workbook(labels={"date": dt.datetime(2025, 11, 30)}))
    assert result.submission.date == "2025-11-30"
    result = check(build_workbook(labels={"date": "2025-11-30"}))
    assert result.submission.date == "2025-11-30"


@pytest.mark.parametrize("ref, number", [
    (5, 5), ("5", 5), ("Objective 5", 5), ("Obj. 5", 5), ("O5", 5), ("Objetivo 5", 5), ("Objectif 5", 5),
    ("5 - Regular pathways", 5), ("Regular pathways", 5), ("Vías de migración regular", 5), ("objectif nº 5", 5),
    ("Filières de migration régulière", 5), ("Remesas", 20), (20.0, 20), ("  o 23 ", 23),
    ("Enhance availability and flexibility of pathways for regular migration", 5),
    (24, None), ("Objective 24", None), ("0", None), ("5 - Remittances", None), ("banana", None), (True, None),
])
def test_objective_reference_forms(ref, number):
    assert parse_objective_ref(ref) == number


def test_unknown_objective_and_duplicates():
    rows = ALL[:21] + [("Objective 24", "Implemented"), ("Objective 5", "Planned")]
    result = check(build_workbook(objectives=rows))
    assert ("unknown-objective", "Objectives", "A23") in codes(result)
    dup = next(p for p in result.problems if p.code == "duplicate-objective")
    assert dup.cell == "A24" and dup.params["other"] == "A6"
    assert ("objective-not-reported", "Objectives", None) in codes(result)


def test_near_miss_objective_title_gets_a_suggestion():
    rows = ALL[:22] + [("International coperation", "Implemented")]
    result = check(build_workbook(objectives=rows))
    problem = next(p for p in result.problems if p.code == "unknown-objective")
    assert problem.params["closest"] == f"23 ({framework().objectives[23].label('en')})"


def test_objective_not_reported_is_a_warning():
    result = check(build_workbook(objectives=ALL[:20]))
    assert result.valid
    [problem] = [p for p in result.problems if p.code == "objective-not-reported"]
    assert problem.params["objectives"] == [21, 22, 23] and problem.value == [21, 22, 23]


@pytest.mark.parametrize("status", ["Implementd", "en progreso", "Done-ish"])
def test_status_near_miss_is_an_error(status):
    result = check(build_workbook(objectives=ALL[:22] + [(23, status)]))
    assert ("unknown-status", "Objectives", "B24") in codes(result)


def test_status_near_miss_suggests_closest():
    result = check(build_workbook(objectives=ALL[:22] + [(23, "Implementd")]))
    problem = next(p for p in result.problems if p.code == "unknown-status")
    assert problem.params["closest"] == ct_status("implemented", "en")
    result = check(build_workbook("es", objectives=[(n, "Implementado") for n in range(1, 23)] + [(23, "en progreso")]))
    problem = next(p for p in result.problems if p.code == "unknown-status")
    assert problem.params["closest"] == ct_status("in_progress", "es")


@pytest.mark.parametrize("status, key", [("implemented", "implemented"), (" IN PROGRESS ", "in_progress"),
                                         ("Mis en oeuvre", "implemented"), ("Sans objet", "not_applicable"),
                                         ("no iniciado", "not_started"), ("Prévu", "planned")])
def test_status_matching_ignores_case_accents_spaces_and_language(status, key):
    result = check(build_workbook(objectives=ALL[:22] + [(23, status)]))
    assert result.valid, codes(result)
    assert result.submission.objectives[23].status == key


def test_a_blank_status_beside_text_is_not_reported_with_a_warning():
    """The template says: leave the status empty to not report an objective. Text beside an
    empty status is therefore a warning saying it is not counted, not a 'required' error."""
    result = check(build_workbook(objectives=ALL[:22] + [(23, None, "some measures")]))
    assert result.valid
    assert ("status-blank-with-text", "Objectives", "B24") in codes(result)
    [problem] = [p for p in result.problems if p.code == "status-blank-with-text"]
    assert problem.params["objective"] == 23 and problem.params["columns"] == ["Measures taken"]
    assert 23 not in result.submission.objectives
    [missing] = [p for p in result.problems if p.code == "objective-not-reported"]
    assert missing.params["objectives"] == [23]


def test_principles_by_letter_and_name():
    rows = ALL[:22] + [(23, "Implemented", None, None, None, "a; Human rights\nChild-sensitive, (j)")]
    result = check(build_workbook(objectives=rows))
    assert result.submission.objectives[23].principles == ("a", "f", "h", "j")
    rows = ALL[:22] + [(23, "Implemented", None, None, None, "Human rigths")]
    result = check(build_workbook(objectives=rows))
    assert ("unknown-principle", "Objectives", "F24") in codes(result)


def test_practice_rules():
    practices = [
        {"title": "Mapped by theme", "status": "Planned", "themes": "Remesas"},
        {"title": "Mapped nowhere", "status": "Planned"},
        {"title": "Bad theme", "status": "Planned", "themes": "Remitances"},
        {"title": "Bad year", "status": "Planned", "objectives": "2 and 5", "start_year": "soon"},
        {"status": "Planned", "objectives": "3"},
        {"title": "Bad link", "status": "Planned", "objectives": "Objetivo 7; O8\n9", "link": "see annex"},
        {"title": "Bad objective", "status": "Planned", "objectives": "2, 99"},
    ]
    result = check(build_workbook(practices=practices))
    got = codes(result)
    assert ("practice-unmapped", "Practices", "C3") in got
    assert ("unknown-theme", "Practices", "D4") in got
    assert ("invalid-year", "Practices", "F5") in got
    assert ("missing-value", "Practices", "A6") in got
    assert ("invalid-link", "Practices", "H7") in got
    assert ("unknown-objective", "Practices", "C8") in got
    assert not result.valid


def test_practice_objective_lists():
    practices = [{"title": "p", "status": "Planned", "objectives": "2, 5; 6"},
                 {"title": "q", "status": "Planned", "objectives": "Objetivo 7 y O8\n9"},
                 {"title": "r", "status": "Planned", "objectives": "Facilitate fair and ethical recruitment and "
                                                                    "safeguard conditions that ensure decent work"}]
    result = check(build_workbook(practices=practices))
    assert result.valid, codes(result)
    assert [p.objectives for p in result.submission.practices] == [(2, 5, 6), (7, 8, 9), (6,)]


def test_not_applicable_with_practices_is_a_warning():
    rows = ALL[:19] + [(20, "Not applicable")] + ALL[20:]
    result = check(build_workbook(objectives=rows, practices=[{"title": "p", "status": "Planned", "themes": "Remittances"}]))
    assert result.valid
    assert ("not-applicable-with-practices", "Objectives", "A21") in codes(result)


def test_long_and_non_latin_text_is_kept_whole():
    long_text = ("Mesures détaillées — 移民 — مهاجر — " * 900)[:32000]
    rows = ALL[:22] + [(23, "Implemented", long_text)]
    result = check(build_workbook(objectives=rows))
    assert result.submission.objectives[23].measures == long_text


def test_json_shape():
    result = check(build_workbook(objectives=ALL[:22] + [(23, "Done-ish")]))
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"path", "valid", "state", "cycle", "problems"}
    assert data["state"] == "MEX" and data["cycle"] == 2026 and data["valid"] is False
    assert set(data["problems"][0]) == {"severity", "code", "sheet", "cell", "value", "message", "hint"}
    assert data["problems"][0]["value"] == "Done-ish"


def test_every_problem_of_the_file_in_one_pass():
    rows = ALL[:20] + [(21, "Implementd"), ("Obj 99", "Implemented"), (23, "")]
    result = check(build_workbook(state="Atlantis", cycle="soon", objectives=rows,
                                  practices=[{"title": "x", "status": "Planned"}]))
    got = {c[0] for c in codes(result)}
    assert {"unknown-state", "invalid-cycle", "unknown-status", "unknown-objective", "practice-unmapped"} <= got


# ----------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_validate_never_raises_on_arbitrary_bytes(data):
    result = validate_bytes(data, "fuzz.xlsx")
    assert not result.valid
    assert all(p.code for p in result.problems)


_VALID = build_workbook(practices=[{"title": "p", "status": "Planned", "objectives": "2"}])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_VALID) - 1), st.integers(0, 255), st.integers(1, len(_VALID)))
def test_validate_never_raises_on_damaged_workbooks(position, byte, cut):
    mutated = bytearray(_VALID)
    mutated[position] = byte
    for data in (bytes(mutated), _VALID[:cut]):
        result = validate_bytes(data, "damaged.xlsx")
        assert isinstance(result.valid, bool)
        json.dumps(result.to_dict())


def test_template_rows_left_blank_are_not_reported_not_errors():
    rows = ALL[:20] + [(21, None), ("Objective 22", None), (23, None, "some measures")]
    result = check(build_workbook(objectives=rows))
    assert ("status-blank-with-text", "Objectives", "B24") in codes(result)  # measures without a status
    [problem] = [p for p in result.problems if p.code == "objective-not-reported"]
    assert problem.params["objectives"] == [21, 22, 23]


@pytest.mark.parametrize("text, letters", [
    ("c) National sovereignty", ("c",)), ("(f) Human rights; h", ("f", "h")), ("Derechos humanos", ("f",)),
    ("2 y 5", None),
])
def test_principle_forms_including_the_hint_form(text, letters):
    rows = ALL[:22] + [(23, "Implemented", None, None, None, text)]
    result = check(build_workbook(objectives=rows))
    if letters is None:
        assert ("unknown-principle", "Objectives", "F24") in codes(result)
    else:
        assert result.submission.objectives[23].principles == letters


def test_mismatched_letter_and_name_is_not_understood():
    rows = ALL[:22] + [(23, "Implemented", None, None, None, "c) Human rights")]
    assert ("unknown-principle", "Objectives", "F24") in codes(check(build_workbook(objectives=rows)))


@pytest.mark.parametrize("text", ["2 y 5", "2 and 5", "2 et 5", "Objetivo 2 y Objetivo 5"])
def test_practice_objectives_joined_by_conjunctions(text):
    result = check(build_workbook(practices=[{"title": "p", "status": "Planned", "objectives": text}]))
    assert result.submission.practices[0].objectives == (2, 5)


# --------------------------------------------------------------------------- issue 11: never misread, never guess


def _edit(data: bytes, change) -> bytes:
    """The workbook `data` changed by `change(wb)` (openpyxl), saved with fixed dates."""
    import io

    from openpyxl import load_workbook

    from gcmtrack.intake.template import workbook_bytes
    from tests.builders import BUILT

    wb = load_workbook(io.BytesIO(data))
    change(wb)
    return workbook_bytes(wb, BUILT)


@pytest.mark.parametrize("cycle", ["2022 - 2025", "2026 2030", "2022-2026", "2026/2030", "IMRF 2026 2030"])
def test_a_cycle_written_as_a_range_is_invalid_not_its_first_year(cycle):
    result = check(build_workbook(cycle=cycle))
    assert ("invalid-cycle", "Submission", "B2") in codes(result) and result.cycle is None


@pytest.mark.parametrize("state", ["NA", "no", "in", "MX", "GT"])
def test_two_letter_words_are_not_alpha2_codes(state):
    from gcmtrack.intake.template import UnknownStateError, write_template

    result = check(build_workbook(state=state))
    assert result.state is None
    assert codes(result)[0] == ("unknown-state", "Submission", "B1")
    with pytest.raises(UnknownStateError):
        write_template(state, 2026)
    assert check(build_workbook(state="NAM")).state == "NAM"  # alpha-3 codes and names still work


def _merged_state(value):
    def change(wb):
        ws = wb["Submission"]
        ws["A1"], ws["B1"], ws["C1"] = "State", None, value
        ws.merge_cells("A1:B1")
    return change


def test_a_label_merged_over_its_value_cell_reads_the_cell_right_of_the_merge():
    result = check(_edit(build_workbook(practices=PRACTICE), _merged_state("Mexico")))
    assert result.valid and result.state == "MEX", codes(result)
    bad = check(_edit(build_workbook(), _merged_state("Narnia")))
    assert ("unknown-state", "Submission", "C1") in codes(bad)
    empty = check(_edit(build_workbook(), _merged_state(None)))
    assert ("missing-value", "Submission", "C1") in codes(empty)


def test_a_problem_inside_a_merged_range_is_located_at_the_cell_the_user_sees():
    def change(wb):
        ws = wb["Objectives"]
        ws["B24"] = "Implementd"
        ws.merge_cells("B24:C24")
    result = check(_edit(build_workbook(), change))
    assert ("unknown-status", "Objectives", "B24") in codes(result)

    def title_merge(wb):  # the practice's title merged over two columns, its status unknown
        ws = wb["Practices"]
        ws["A2"], ws["E2"], ws["C2"] = "Programme", "Donee", "5"
        ws.merge_cells("E2:F2")
    result = check(_edit(build_workbook(), title_merge))
    assert ("unknown-status", "Practices", "E2") in codes(result)


def test_a_state_in_no_process_is_accepted_with_a_warning():
    result = check(build_workbook(state="ATA", practices=PRACTICE))
    assert result.valid
    assert codes(result) == [("state-in-no-process", "Submission", "B1")]
    assert result.problems[0].params["cycle"] == 2026


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
@pytest.mark.parametrize("hidden_first", [True, False])
def test_a_hidden_copy_of_a_required_sheet_is_reported_never_preferred(state, hidden_first):
    def change(wb):
        copy = wb.copy_worksheet(wb["Objectives"])
        copy.title = "Objetivos"
        copy["B2"] = "Planned"
        copy.sheet_state = state
        if hidden_first:
            wb.move_sheet(copy, -(len(wb.sheetnames) - 2))
    result = check(_edit(build_workbook(practices=PRACTICE), change))
    assert ("hidden-sheet-copy", "Objetivos", None) in codes(result)
    assert not result.valid
    [problem] = [p for p in result.problems if p.code == "hidden-sheet-copy"]
    assert problem.params["visible"] == "Objectives" and problem.params["state"] == state

    def hide_only(wb):
        wb["Objectives"].sheet_state = state
    alone = check(_edit(build_workbook(practices=PRACTICE), hide_only))
    assert alone.valid and codes(alone) == [("hidden-sheet-read", "Objectives", None)]


_SERIAL = (dt.date(2025, 11, 30) - dt.date(1899, 12, 30)).days


@pytest.mark.parametrize("value", ["30/11/2025", "30-11-2025", "30.11.2025", "2025-11-30", "2025/11/30",
                                   "30 de noviembre de 2025", "30 novembre 2025", "30 nov. 2025",
                                   "November 30, 2025", "30 November 2025", "lunes, 30 de noviembre de 2025",
                                   "11/30/2025", _SERIAL, dt.datetime(2025, 11, 30)])
def test_dates_as_officials_type_them(value):
    result = check(build_workbook(labels={"date": value}, practices=PRACTICE))
    assert result.valid and result.problems == [], codes(result)
    assert result.submission.date == "2025-11-30"


def test_an_ambiguous_date_is_read_day_first_and_said():
    result = check(build_workbook(labels={"date": "05/06/2025"}, practices=PRACTICE))
    assert result.submission.date == "2025-06-05"
    [problem] = result.problems
    assert (problem.code, problem.params["date"], problem.params["other"]) == ("ambiguous-date", "2025-06-05", "2025-05-06")


@pytest.mark.parametrize("value", ["31/02/2025", "30/11/25", "soon", "2025", 12])
def test_what_is_not_a_date_is_said(value):
    result = check(build_workbook(labels={"date": value}, practices=PRACTICE))
    assert codes(result) == [("invalid-date", "Submission", "B5")] and result.submission.date is None


@pytest.mark.parametrize("lang, value, key", [("es", "En proceso", "in_progress"), ("fr", "Terminé", "implemented"),
                                              ("en", "Ongoing", "in_progress"), ("es", "Pendiente", "not_started"),
                                              ("es", "Hecho", "implemented"), ("pt", "Feito", "implemented")])
def test_near_misses_get_a_suggestion_from_the_synonym_table_never_accepted(lang, value, key):
    rows = [(n, ct_status("implemented", lang)) for n in range(1, 23)] + [(23, value)]
    result = check(build_workbook(lang, objectives=rows))
    assert not result.valid
    [problem] = [p for p in result.problems if p.code == "unknown-status"]
    assert problem.params["closest"] == framework().status(key).name(lang)


def test_every_synonym_names_a_status():
    keys = {s.key for s in framework().statuses}
    assert set(contract().status_synonyms.values()) <= keys


def test_consistency_warnings_of_a_row():
    rows = [(n, "Implemented", f"m{n}") for n in range(1, 21)] + [
        (21, "Not applicable"),                        # no explanation
        (22, "Implemented", None, "a decree"),         # no measures
        (23, "Planned", "a plan"),                     # below a practice mapped to it
    ]
    practices = [{"title": "Done programme", "status": "Implemented", "objectives": "23"}]
    result = check(build_workbook(objectives=rows, practices=practices, obj_columns=["objective", "status", "measures",
                                                                                     "evidence"]))
    assert result.valid
    assert codes(result) == [("not-applicable-unexplained", "Objectives", "C22"),
                             ("implemented-without-measures", "Objectives", "C23"),
                             ("status-below-practice", "Objectives", "B24")]
    below = result.problems[-1].params
    assert (below["objective"], below["practice"], below["line"]) == (23, "Done programme", 2)


def test_the_problems_of_a_file_are_bounded_with_one_saying_how_many_more():
    limit = contract().max_problems
    items = ", ".join(f"zz{i}" for i in range(2_000))
    rows = [(n, "Implemented", "m", None, None, items) for n in range(1, 24)]
    result = check(build_workbook(objectives=rows))
    assert len(result.problems) == limit + 1
    more = result.problems[-1]
    # errors first: the no-practices warning is among those not listed. Each cell lists 2,000
    # values: it is reported list-too-long and its first MAX_LIST_ITEMS are read (issue 19.5)
    from gcmtrack.intake.validate import MAX_LIST_ITEMS

    found = 23 * (1 + MAX_LIST_ITEMS)
    assert more.code == "more-problems" and more.params["count"] == found - limit + 1
    assert (more.params["errors"], more.params["warnings"]) == (found - limit, 1) and more.severity == "error"
    assert not result.valid
    assert len(json.dumps(result.to_dict())) < 3 * 2**20
