"""Workbooks in Arabic, Chinese, Russian and Portuguese (issue 21): a template written in each
language, filled with openpyxl the way an official of that language would fill it (statuses,
dates, objective references and lists as they are typed there), reads with no problem; a wrong
value gives a problem at its cell, in the workbook's language. And the forms of each language's
dates and objective references, one by one."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gcmtrack.common.languages import LANGS, RTL_LANGS, direction
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import write_template
from gcmtrack.intake.validate import parse_objective_ref, read_date, validate_bytes
from gcmtrack.reference.framework import framework
from gcmtrack.reference.states import states
from tests.builders import build_workbook
from tests.test_template import _header, _labels, _sheet

NEW = ("ar", "zh", "ru", "pt")

#: How an official of each language fills the workbook: a state of the language's region, the
#: date as typed there, one objective reference of the Objectives sheet written in full, the
#: practice's objectives as a list with the language's separators and conjunction, and its
#: guiding principles by letter and by name.
FILLED = {
    "ar": {"state": "EGY", "date": "30 تشرين الثاني/نوفمبر 2025", "objective": "الهدف ٧",
           "practice_objectives": "الهدف ٢، ٥ و٦", "period": "2022-2025"},
    "zh": {"state": "CHN", "date": "2025年11月30日", "objective": "第7项目标",
           "practice_objectives": "目标2、目标5和目标6", "period": "2022—2025年"},
    "ru": {"state": "KAZ", "date": "30 ноября 2025 г.", "objective": "Цель № 7",
           "practice_objectives": "2, 5 и 6", "period": "2022–2025 гг."},
    "pt": {"state": "BRA", "date": "30 de novembro de 2025", "objective": "Objetivo 7",
           "practice_objectives": "2; 5 e 6", "period": "2022-2025"},
}

#: The submitting institution, as each official writes it (fictional test content).
INSTITUTION = {"ar": "وزارة الخارجية (مثال للاختبار)", "zh": "外交部（测试示例）",
               "ru": "Министерство иностранных дел (тестовый пример)", "pt": "Ministério das Relações Exteriores (exemplo de teste)"}


def _fill(lang: str, *, status_of_3: str | None = None) -> bytes:
    """The template of FILLED[lang], filled in with openpyxl in the language."""
    fw, case = framework(), FILLED[lang]
    wb = load_workbook(io.BytesIO(write_template(case["state"], 2026, lang)))
    statuses = [s for s in fw.statuses if s.weight is not None]
    ws = _sheet(wb, "objectives", lang)
    header, cols = _header(ws, "objectives", lang)
    for i, row in enumerate(range(header + 1, header + 24)):
        ws.cell(row, cols["status"]).value = statuses[i % len(statuses)].name(lang)
        ws.cell(row, cols["measures"]).value = fw.objectives[i + 1].label(lang)
    ws.cell(header + 7, cols["objective"]).value = case["objective"]  # the row of objective 7, retyped
    ws.cell(header + 1, cols["principles"]).value = f"a، {fw.principles[5].name(lang)}" if lang == "ar" else \
        f"a{'、' if lang == 'zh' else ', '}{fw.principles[5].name(lang)}"
    if status_of_3 is not None:
        ws.cell(header + 3, cols["status"]).value = status_of_3
    ws = _sheet(wb, "practices", lang)
    header, cols = _header(ws, "practices", lang)
    ws.cell(header + 1, cols["title"]).value = fw.themes[0].name(lang)
    ws.cell(header + 1, cols["status"]).value = fw.status("in_progress").name(lang)
    ws.cell(header + 1, cols["objectives"]).value = case["practice_objectives"]
    ws.cell(header + 1, cols["themes"]).value = f"{fw.themes[0].name(lang)}; {fw.themes[5].name(lang)}"
    ws.cell(header + 1, cols["start_year"]).value = 2021
    ws.cell(header + 1, cols["link"]).value = "https://www.example.org/practice"
    ws = _sheet(wb, "submission", lang)
    cells = _labels(ws)
    ws.cell(*cells["email"]).value = "focal.point@example.org"
    ws.cell(*cells["institution"]).value = INSTITUTION[lang]  # recommended: a blank one is a warning
    ws.cell(*cells["date"]).value = case["date"]  # typed as text, as the language writes it
    ws.cell(*cells["period"]).value = case["period"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module", params=NEW)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def filled(lang) -> bytes:
    return _fill(lang)


def test_the_languages_and_their_direction():
    assert LANGS == ("en", "es", "fr", "ar", "zh", "ru", "pt") and RTL_LANGS == ("ar",)
    assert [direction(lang) for lang in LANGS] == ["ltr"] * 3 + ["rtl"] + ["ltr"] * 3
    assert direction(None) == direction("de") == "ltr"


def test_the_template_is_written_in_the_language_and_arabic_opens_right_to_left(lang):
    wb = load_workbook(io.BytesIO(write_template(FILLED[lang]["state"], 2026, lang)))
    assert wb.sheetnames == [contract().sheets[k].names[lang] for k in ("instructions", "submission",
                                                                         "objectives", "practices")]
    for ws in wb.worksheets:
        assert bool(ws.sheet_view.rightToLeft) is (lang == "ar"), ws.title
    ws = _sheet(wb, "submission", lang)
    cells = _labels(ws)
    assert set(cells) == set(contract().labels)
    assert ws.cell(*cells["state"]).value == FILLED[lang]["state"]
    everything = " ".join(str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value)
    assert states().get(FILLED[lang]["state"]).name(lang) in everything  # the UN name, in the language
    obj = _sheet(wb, "objectives", lang)
    header, cols = _header(obj, "objectives", lang)
    assert obj.cell(header + 5, cols["objective"]).value == f"5 - {framework().objectives[5].label(lang)}"
    dropdowns = [dv.formula1 for dv in obj.data_validations.dataValidation]
    assert any(framework().status("implemented").name(lang) in (f or "") for f in dropdowns)


def test_a_workbook_filled_in_the_language_reads_with_no_problem(filled, lang):
    result = validate_bytes(filled, f"filled-{lang}.xlsx")
    assert result.problems == [], [p.to_dict(lang) for p in result.problems]
    assert result.valid and result.lang == lang
    sub = result.submission
    assert (sub.state, sub.cycle, sub.lang) == (FILLED[lang]["state"], 2026, lang)
    assert sorted(sub.objectives) == list(range(1, 24))
    keys = [s.key for s in framework().statuses if s.weight is not None]
    assert [sub.objectives[n].status for n in range(1, 24)] == [keys[i % len(keys)] for i in range(23)]
    assert sub.objectives[1].principles == ("a", "f")
    assert sub.date == dt.date(2025, 11, 30).isoformat()
    (practice,) = sub.practices
    assert practice.objectives == (2, 5, 6)
    assert practice.themes == (framework().themes[0].key, framework().themes[5].key)
    assert practice.status == "in_progress" and practice.start_year == 2021


def test_a_wrong_status_is_a_problem_at_its_cell_in_the_language(lang):
    fw = framework()
    typo = {"ar": "منفد", "zh": "已实", "ru": "Выполнен0", "pt": "Implementad"}[lang]
    result = validate_bytes(_fill(lang, status_of_3=typo), f"typo-{lang}.xlsx")
    assert not result.valid
    (problem,) = result.errors
    ws_name = contract().sheets["objectives"].names[lang]
    assert (problem.code, problem.sheet, problem.value) == ("unknown-status", ws_name, typo)
    ws = _sheet(load_workbook(io.BytesIO(write_template(FILLED[lang]["state"], 2026, lang))), "objectives", lang)
    header, cols = _header(ws, "objectives", lang)
    assert problem.cell == f"{get_column_letter(cols['status'])}{header + 3}"  # objective 3's status
    assert problem.params["closest"] == fw.status("implemented").name(lang)
    assert problem.params["choices"] == [s.name(lang) for s in fw.statuses]
    rendered = problem.to_dict(lang)
    assert fw.status("implemented").name(lang) in rendered["hint"]


def test_a_wrong_objective_reference_is_a_problem_in_the_language(lang):
    fw = framework()
    wrong = {"ar": "الهدف ٢٤", "zh": "目标24", "ru": "Цель 24", "pt": "Objetivo 24"}[lang]
    data = build_workbook(lang, practices=[{"title": "x", "status": fw.status("planned").name(lang),
                                            "objectives": f"5, {wrong}"}])
    result = validate_bytes(data, "wrong.xlsx")
    assert result.lang == lang
    problems = [p for p in result.errors if p.code == "unknown-objective"]
    assert [(p.sheet, p.value) for p in problems] == [(contract().sheets["practices"].names[lang], wrong)]
    assert problems[0].cell


@pytest.mark.parametrize("lang", NEW)
def test_every_name_of_the_contract_is_the_languages_own(lang):
    """No sheet, label or header of a new language falls back on another language's name (except
    where Portuguese and Spanish write the same word), and every sheet name fits Excel's 31."""
    ct = contract()
    for named in [*ct.sheets.values(), *ct.labels.values(), *(f for t in ct.columns.values() for f in t.values())]:
        name = named.names[lang]
        assert name and name not in (named.names["en"], named.names["fr"]) or lang == "pt", (lang, named.key)
    for named in ct.sheets.values():
        assert len(named.names[lang]) <= 31 and not set(named.names[lang]) & set("[]:*?/\\")


@pytest.mark.parametrize("text, expected", [
    ("الهدف ٥", 5), ("الهدف 5", 5), ("الهدف رقم 12", 12), ("٥", 5), ("الأهداف ٧", 7),
    ("目标5", 5), ("目标 5：正常移民途径", 5), ("第5项目标", 5), ("５", 5),
    ("Цель 5", 5), ("цель № 5", 5), ("Цель 5 - Пути легальной миграции", 5),
    ("Objetivo 5", 5), ("Objetivo nº 5", 5), ("5 - Vias de migração regular", 5),
    ("الهدف ٢٤", None), ("目标0", None), ("Цель 5 - Денежные переводы", None), ("第24项目标", None),
])
def test_objective_references_of_each_language(text, expected):
    assert parse_objective_ref(text) == expected


def test_every_title_and_short_label_names_its_objective():
    fw = framework()
    for number, objective in fw.objectives.items():
        for lang in LANGS:
            assert parse_objective_ref(objective.title(lang)) == number, (lang, number)
            assert parse_objective_ref(f"{number} - {objective.label(lang)}") == number, (lang, number)


@pytest.mark.parametrize("text, expected", [
    ("30 تشرين الثاني/نوفمبر 2025", dt.date(2025, 11, 30)), ("30 نوفمبر 2025", dt.date(2025, 11, 30)),
    ("٣٠ كانون الأول ٢٠٢٥", dt.date(2025, 12, 30)), ("1 آذار/مارس 2025م", dt.date(2025, 3, 1)),
    ("٣٠/١١/٢٠٢٥", dt.date(2025, 11, 30)),
    ("2025年11月30日", dt.date(2025, 11, 30)), ("２０２５年３月１日", dt.date(2025, 3, 1)), ("2025/11/30", dt.date(2025, 11, 30)),
    ("30 ноября 2025 г.", dt.date(2025, 11, 30)), ("1 мая 2025 года", dt.date(2025, 5, 1)), ("30.11.2025", dt.date(2025, 11, 30)),
    ("30 de novembro de 2025", dt.date(2025, 11, 30)), ("1º de março de 2025", dt.date(2025, 3, 1)),
    ("30 de outubro de 2025", dt.date(2025, 10, 30)),
])
def test_dates_as_each_language_types_them(text, expected):
    assert read_date(text) == [expected]


@pytest.mark.parametrize("text", [
    "30 تشرين الثاني/أكتوبر 2025",  # two month names that disagree
    "2025年13月1日", "31 ноября 2025", "30 de novembrx de 2025", "كانون 2025",
])
def test_what_is_not_a_date_stays_a_problem(text):
    assert read_date(text) == []


@pytest.mark.parametrize("lang, cycle", [("ru", "МФОМ 2026"), ("zh", "国际移民问题审查论坛 2026"),
                                         ("ar", "منتدى استعراض الهجرة الدولية 2026"), ("pt", "2026")])
def test_the_cycle_written_with_the_forums_name_in_the_language(lang, cycle):
    result = validate_bytes(build_workbook(lang, cycle=cycle), "cycle.xlsx")
    assert result.cycle == 2026 and not [p for p in result.problems if p.code == "invalid-cycle"]


def test_a_sentence_around_the_year_is_not_a_cycle():
    result = validate_bytes(build_workbook("ru", cycle="Обзор за период до 2026 года и позже"), "cycle.xlsx")
    assert [p.code for p in result.errors] == ["invalid-cycle"]


def test_arabic_lists_split_at_a_joined_conjunction_but_not_inside_a_title():
    fw = framework()
    title = fw.objectives[1].title("ar")  # "جمع واستخدام بيانات ..." holds joined و
    data = build_workbook("ar", practices=[
        {"title": "أ", "status": fw.status("planned").name("ar"), "objectives": "٢ و٥"},
        {"title": "ب", "status": fw.status("planned").name("ar"), "objectives": f"{title}؛ الهدف 3"},
    ])
    result = validate_bytes(data, "lists.xlsx")
    assert [p.code for p in result.errors] == []
    assert [p.objectives for p in result.submission.practices] == [(2, 5), (1, 3)]
