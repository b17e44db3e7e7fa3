"""The workbook contract drives the code: typed fields checked on load, one parser per type,
and the models, the template, the builders and the export take their columns from it."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gcmtrack.common.assets import package_file
from gcmtrack.errors import DataError
from gcmtrack.export import COLUMNS
from gcmtrack.intake import validate
from gcmtrack.intake.contract import TYPES, contract, load_contract
from gcmtrack.intake.template import write_template
from gcmtrack.submission import ObjectiveRow, Practice, Submission
from tests.builders import OBJ_KEYS, PRACTICE_KEYS, build_workbook, codes, ct_status
from tests.conftest import edit

ALL = [(n, "Implemented") for n in range(1, 24)]


@pytest.fixture
def contract_copy(tmp_path: Path) -> Path:
    """A writable copy of contract.yaml."""
    path = tmp_path / "contract.yaml"
    with package_file("gcmtrack.intake", "contract.yaml").open("rb") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


def use(monkeypatch, path: Path) -> None:
    """Validate with the contract at `path` instead of the bundled one."""
    edited = load_contract(path)
    monkeypatch.setattr(validate, "contract", lambda: edited)


# --------------------------------------------------------------------------- the one place


def test_every_field_has_a_known_type_and_every_type_a_parser():
    ct = contract()
    fields = list(ct.labels.values()) + [f for table in ct.columns.values() for f in table.values()]
    assert {f.type for f in fields} == set(TYPES)  # every type is used, none is unknown
    assert set(validate.PARSERS) == set(TYPES)
    assert set(validate.BLANK) == set(TYPES) - {"version"}  # a missing version is a warning


def test_models_have_the_fields_of_the_contract():
    ct = contract()
    names = lambda cls: {f.name for f in dataclasses.fields(cls)}  # noqa: E731
    assert names(ObjectiveRow) == set(ct.columns["objectives"]) | {"row"}
    assert names(Practice) == set(ct.columns["practices"]) | {"row"}
    assert names(Submission) == set(ct.labels) | set(ct.columns) | {"lang", "extra"}


def test_builders_template_and_export_follow_the_contract_columns():
    ct = contract()
    assert OBJ_KEYS == list(ct.columns["objectives"]) and PRACTICE_KEYS == list(ct.columns["practices"])
    copied = [k for k, f in ct.columns["objectives"].items() if f.type not in ("objective", "status")]
    assert copied and COLUMNS[COLUMNS.index("score") + 1:COLUMNS.index("practices")] == copied
    wb = load_workbook(io.BytesIO(write_template("MEX", 2026, "es")))
    ws = wb[ct.sheets["practices"].names["es"]]
    assert [c.value for c in ws[1]] == [f.names["es"] for f in ct.columns["practices"].values()]
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert widths == [f.width for f in ct.columns["practices"].values()]


# --------------------------------------------------------------------------- checked on load


@pytest.mark.parametrize("old, new, entry", [
    ("start_year: {type: year,", "start_year: {type: yeer,", "columns.practices.start_year"),
    ("min: 1900, max: 2100,", "min: 1900,", "columns.practices.start_year"),
    ("min: 1900, max: 2100,", "min: 2100, max: 1900,", "columns.practices.start_year"),
    ("themes: {type: theme_list, fuzzy_cutoff: 75,", "themes: {type: theme_list, fuzzy_cutoff: 175,",
     "columns.practices.themes"),
    ("themes: {type: theme_list, fuzzy_cutoff: 75,", "themes: {type: theme_list,", "columns.practices.themes"),
    ("date: {type: date,", "date: {type: date, fuzzy_cutoff: 75,", "labels.date"),
    ("date: {type: date,", "date: {type: date, strip: true,", "labels.date"),
    ("measures: {type: text, width: 60,", "measures: {type: text, role: key, width: 60,", "columns.objectives"),
    ("link: {type: url, width: 34,", "link: {type: url,", "columns.practices.link"),
    ("email: {type: email,", "email: {", "labels.email"),
    ("template_version: \"1.0\"", "template_version: \"2.0\"", "template_version"),
])
def test_a_bad_field_is_a_data_error_naming_file_and_entry(contract_copy, old, new, entry):
    edit(contract_copy, old, new)
    with pytest.raises(DataError) as err:
        load_contract(contract_copy)
    assert (err.value.file, err.value.entry) == ("contract.yaml", entry)


def test_the_bundled_contract_loads_and_a_copy_loads_the_same(contract_copy):
    assert load_contract(contract_copy) == contract()


# --------------------------------------------------------------------------- dispatch on type


def test_the_parser_follows_the_type_not_the_key(contract_copy, monkeypatch):
    data = build_workbook(labels={"email": "not an address", "period": "no address either"})
    assert ("invalid-email", "Submission", "B4") in codes(validate.validate_bytes(data))
    edit(contract_copy, "email: {type: email,", "email: {type: text,")
    edit(contract_copy, "period: {type: text, strip: true,", "period: {type: email,")
    use(monkeypatch, contract_copy)
    assert [c for c in codes(validate.validate_bytes(data)) if c[0] == "invalid-email"] == [
        ("invalid-email", "Submission", "B5")]


def test_year_bounds_come_from_the_contract(contract_copy, monkeypatch):
    data = build_workbook(practices=[{"title": "p", "status": "Planned", "objectives": "2", "start_year": 2021}])
    result = validate.validate_bytes(data)
    assert result.valid and result.submission.practices[0].start_year == 2021
    edit(contract_copy, "min: 1900, max: 2100,", "min: 1900, max: 2020,")
    use(monkeypatch, contract_copy)
    assert ("invalid-year", "Practices", "F2") in codes(validate.validate_bytes(data))


def test_fuzzy_cutoffs_come_from_the_contract(contract_copy, monkeypatch):
    data = build_workbook(objectives=ALL[:22] + [(23, "Implementd")])
    problem = next(p for p in validate.validate_bytes(data).problems if p.code == "unknown-status")
    assert problem.params["closest"] == ct_status("implemented")
    edit(contract_copy, "status: {type: status, fuzzy_cutoff: 75, required: true, width: 20,",
         "status: {type: status, fuzzy_cutoff: 100, required: true, width: 20,")
    use(monkeypatch, contract_copy)
    problem = next(p for p in validate.validate_bytes(data).problems if p.code == "unknown-status")
    assert problem.params["closest"] is None


def test_header_near_miss_cutoff_comes_from_the_contract(contract_copy, monkeypatch):
    data = build_workbook(headers={"measures": "Measure taken"})
    assert ("header-near-miss", "Objectives", "C1") in codes(validate.validate_bytes(data))
    edit(contract_copy, "header_near_miss: {fuzzy_cutoff: 75, min_ratio: 80}",
         "header_near_miss: {fuzzy_cutoff: 75, min_ratio: 100}")
    use(monkeypatch, contract_copy)
    assert ("extra-column", "Objectives", "C1") in codes(validate.validate_bytes(data))
