"""The data behind a regional review, published with it as a Frictionless Data Package (issue 18
item 6): valid under the Frictionless Data project's own validator, in full, safe in a
spreadsheet, and per-state scores only when the process discloses them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gcmtrack.authored import IndicatorValue
from gcmtrack.common.spreadsheet import is_formula_like, restore
from gcmtrack.report.batch import render_reports, report_data
from gcmtrack.report.datapackage import DESCRIPTOR, package_folder, write_datapackage
from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.store import Store
from tests.builders import build_workbook

frictionless = pytest.importorskip("frictionless")

LONG = "Programa de regularización \U0001F30D " * 1_050  # 31,500 characters, 32,550 as Excel counts
HOSTILE = ["\r=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")", "text\r\n@SUM(A1)", "Ñandú — 移民 — مهاجر"]


@pytest.fixture
def store(tmp_path):
    rows = [(n, "Implemented" if n % 3 else "Not started",
             LONG if n == 1 else HOSTILE[n % len(HOSTILE)], f"evidence {n}", "IOM; UNHCR") for n in range(1, 24)]
    practices = [{"title": "=cmd|' /C calc'!A0", "description": LONG, "status": "Planned", "objectives": "3, 5",
                  "themes": "Labour migration", "start_year": 2021, "partners": "IOM", "link": "https://example.org/a"},
                 {"title": "Second", "status": "Implemented", "objectives": "7"}]
    with Store(str(tmp_path / "s.db")) as s:
        for state in ("MEX", "GTM", "CRI"):
            assert ingest_bytes(s, build_workbook(state=state, objectives=rows, practices=practices),
                                f"{state}.xlsx").accepted
        assert ingest_bytes(s, build_workbook(state="PAN"), "pan.xlsx").accepted
        yield s


def _validate(folder: Path):
    report = frictionless.validate(str(folder / DESCRIPTOR))
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])[:20]
    assert not report.errors and all(not task.errors for task in report.tasks)
    return report


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_package_is_valid_complete_and_in_full(store, tmp_path):
    data = report_data(store, "RCM", 2026)
    folder = write_datapackage(data, tmp_path / "out", ["en", "es", "fr"])
    assert folder == tmp_path / "out" / "rcm-2026-data"
    report = _validate(folder)
    assert len(report.tasks) == 7
    descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    assert descriptor["name"] == "rcm-2026-review-data" and "2026" in descriptor["title"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["sources"]
    assert descriptor["created"] == data.as_of
    assert (descriptor["process"], descriptor["cycle"], descriptor["disclosure"]) == ("RCM", 2026, "aggregate")
    assert descriptor["review_languages"] == ["en", "es", "fr"] and descriptor["language"] == "en"
    names = [r["name"] for r in descriptor["resources"]]
    assert names == ["participation", "objectives", "state_objectives", "practices", "practice_objectives",
                     "status_counts", "scores"]
    for resource in descriptor["resources"]:  # every field typed and described
        assert all(f["type"] and f["description"] for f in resource["schema"]["fields"])
    keyed = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert keyed["state_objectives"]["primaryKey"] == ["state", "objective"]
    assert {fk["reference"]["resource"] for fk in keyed["state_objectives"]["foreignKeys"]} == \
        {"participation", "objectives"}

    participation = {r["state"]: r for r in _rows(folder, "participation")}
    assert len(participation) == 11 and participation["MEX"]["submitted"] == "true"
    assert participation["BLZ"]["submitted"] == "false" and participation["MEX"]["version"] == "1"
    assert participation["MEX"]["review_state"] == "submitted" and len(participation["MEX"]["sha256"]) == 64
    said = {(r["state"], r["objective"]): r for r in _rows(folder, "state_objectives")}
    assert len(said) == 4 * 23
    assert restore(said["MEX", "1"]["measures"]).strip() == LONG.strip()
    cr_led = said["MEX", "4"]["measures"]  # "\r=1+1" as the store keeps it (a line break, then a formula)
    assert cr_led in ("'\r=1+1", "'\n=1+1") and restore(cr_led)[1:] == "=1+1"
    assert said["PAN", "1"]["status"] and said["MEX", "1"]["partners"] == "IOM; UNHCR"
    practices = _rows(folder, "practices")
    assert len(practices) == 3 * 2 + len([p for p in practices if p["state"] == "PAN"])
    first = next(p for p in practices if p["state"] == "MEX" and p["title"].startswith("'="))
    assert restore(first["description"]).strip() == LONG.strip()
    assert {(r["row"], r["objective"]) for r in _rows(folder, "practice_objectives") if r["state"] == "MEX"} >= \
        {(first["row"], "3"), (first["row"], "5")}
    scores = _rows(folder, "scores")
    overall = scores[0]
    assert overall["scope"] == "overall" and overall["states"] == "4" and overall["members"] == "11"
    assert overall["base"] == "4 of 11 members" and overall["describes_region"] == "true"
    assert float(overall["score"]) == pytest.approx(data.score.overall, abs=5e-5)
    counts = [r for r in _rows(folder, "status_counts") if r["objective"] == "1"]
    assert sum(int(r["states"]) for r in counts) == 4 and {r["submitted"] for r in counts} == {"4"}
    # the public package names no state's score
    assert not (folder / "state_scores.csv").exists()
    assert not any("score" in f["name"] for r in descriptor["resources"] if r["name"] != "scores"
                   for f in r["schema"]["fields"])


def test_no_cell_of_the_package_is_a_live_formula_or_a_split_row(store, tmp_path):
    folder = write_datapackage(report_data(store, "RCM", 2026), tmp_path)
    descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) == 1 + resource["rows"], resource["name"]  # no row split at a CR
        assert not [c for row in rows for c in row if is_formula_like(c)], resource["name"]


def test_per_state_scores_only_when_named_and_indicators_when_imported(store, tmp_path):
    data = report_data(store, "RCM", 2026)
    indicators = [IndicatorValue("10.7.2", "MEX", 2025, "1", "index", "UN DESA"),
                  IndicatorValue("10.7.2", "419", 2025, "0.8", "share", "=cmd", note="\rregional")]
    folder = write_datapackage(data, tmp_path, disclosure="named", indicators=indicators)
    _validate(folder)
    scores = _rows(folder, "state_scores")
    assert len(scores) == 4 * 23 and {r["state"] for r in scores} == {"MEX", "GTM", "CRI", "PAN"}
    assert [r["source"] for r in _rows(folder, "indicators")] == ["UN DESA", "'=cmd"]
    # back to the review's default: the named table is removed, not left behind
    write_datapackage(data, tmp_path, disclosure="anonymous")
    assert not (folder / "state_scores.csv").exists() and not (folder / "indicators.csv").exists()
    _validate(folder)
    staff = write_datapackage(data, tmp_path, edition="staff")
    assert staff == package_folder(tmp_path, "RCM", 2026, "staff") and (staff / "state_scores.csv").exists()
    _validate(staff)
    with pytest.raises(ValueError):
        write_datapackage(data, tmp_path, disclosure="everyone")


def test_the_validator_catches_a_broken_package(store, tmp_path):
    """The test above can fail: a state_objectives row whose state is not a member breaks a foreign key."""
    folder = write_datapackage(report_data(store, "RCM", 2026), tmp_path)
    path = folder / "state_objectives.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"MEX","2"', '"XXX","2"', 1), encoding="utf-8")
    report = frictionless.validate(str(folder / DESCRIPTOR))
    assert not report.valid and "foreign-key" in {e[0] for e in report.flatten(["type"])}


@pytest.mark.slow
def test_report_publishes_the_package_beside_the_review(store, tmp_path):
    out = tmp_path / "out"
    render_reports(store, ["RCM"], 2026, ["en"], out, workers=1)
    assert (out / "rcm-2026-en.pdf").exists() and (out / "rcm-2026-data" / DESCRIPTOR).exists()
    _validate(out / "rcm-2026-data")


def test_a_process_nobody_reported_to_still_publishes_a_valid_package(tmp_path):
    with Store(str(tmp_path / "empty.db")) as store:
        folder = write_datapackage(report_data(store, "ECE", 2026), tmp_path)
    _validate(folder)
    assert _rows(folder, "state_objectives") == [] and all(r["submitted"] == "false"
                                                          for r in _rows(folder, "participation"))
    overall = _rows(folder, "scores")[0]
    assert (overall["score"], overall["states"], overall["describes_region"]) == ("", "0", "false")
