"""Authoring a review from the command line and the service (review.md, "Authoring"): the safe
Markdown subset, texts with versions, featuring, inputs, indicator CSVs with located errors,
disclosure and final. Store-level behaviour: tests/test_authoring_store.py."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gcmtrack.cli import main
from gcmtrack.common import safemarkdown
from gcmtrack.errors import GcmtrackError
from gcmtrack.intake.indicators import MAX_BYTES, read_indicators
from gcmtrack.service import authoring
from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.store import Store
from tests.builders import build_workbook


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def place(*extra):
    return ["--process", "RCM", "--cycle", "2026", *extra]


def workbook(state="MEX", measures="m"):
    return build_workbook(state=state, objectives=[(n, "Implemented", f"{measures} {n} " + "w" * 300)
                                                   for n in range(1, 24)],
                          practices=[{"title": "Ventanilla", "status": "Implemented", "objectives": "5",
                                      "description": "A one-stop window " + "z" * 2000}])


# --------------------------------------------------------------------------- the Markdown subset


def test_safe_markdown_refuses_html_images_and_unsafe_links_and_renders_escaped():
    assert safemarkdown.check("# Title\n\n- *one*\n- [IOM](https://iom.int) and <mailto:a@b.org>\n\n> quote") == []
    codes = {(p.code, p.line) for p in safemarkdown.check("ok\n<script>alert(1)</script>\n\n"
                                                          "![x](https://a/b.png)\n[y](javascript:alert(1))")}
    assert codes == {("text-raw-html", 2), ("text-image", 4), ("text-unsafe-link", 5)}
    assert [p.code for p in safemarkdown.check("x" * (safemarkdown.MAX_CHARS + 1))] == ["text-too-long"]
    assert [p.code for p in safemarkdown.check("bell\x07")] == ["text-control-character"]
    html = safemarkdown.to_html("# T\n\n<img src=x onerror=alert(1)> [a](javascript:x) [IOM](https://iom.int)")
    assert "<img" not in html and "&lt;img" in html and 'href="javascript' not in html
    assert '<h3>T</h3>' in html and 'javascript' not in html  # an unsafe link shows its text only
    # the one renderer of the preview and the review: the address printed beside the link
    assert '<a href="https://iom.int">IOM</a> (<span class="address">https://iom.int</span>)' in html


def test_text_problems_are_located_in_the_readers_language():
    problems = authoring.text_problems("fine\n<b>bold</b>", "introduction")
    assert {p.code for p in problems} == {"text-raw-html"}
    assert problems[0].params["line"] == 2
    assert problems[0].message("es").startswith("La línea 2 contiene HTML")
    assert problems[0].message("fr").startswith("La ligne 2 contient du HTML")


# --------------------------------------------------------------------------- texts from the CLI


def test_review_text_verbs_on_the_command_line(db, tmp_path):
    first = tmp_path / "km.md"
    first.write_text("- One message\n- Two", encoding="utf-8")
    args = ["review-text", "set", *place("--lang", "en", "--section", "key-messages"), "--db", db]
    saved = run(*args, "--file", first, "--json")
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.output)["version"] == 1
    again = run(*args, "--file", "-", input="- One message\n- Three\n")
    assert again.exit_code == 0 and "Saved version 2" in again.output
    unchanged = run(*args, "--file", "-", input="- One message\n- Three\n")
    assert "Unchanged" in unchanged.output

    refused = run(*args, "--file", "-", "--json", input="<p onclick=x>hi</p>\n")
    assert refused.exit_code == 1
    problems = json.loads(refused.output)["problems"]
    assert problems[0]["code"] == "text-raw-html" and "Line 1" in problems[0]["message"]

    where = place("--lang", "en", "--section", "key-messages")
    history = json.loads(run("review-text", "history", *where, "--json", "--db", db).output)["versions"]
    assert [v["version"] for v in history] == [1, 2] and history[0]["author"].startswith("cli")
    diff = run("review-text", "diff", *where, "--from", "1", "--to", "2", "--db", db)
    assert "-- Two" in diff.output and "+- Three" in diff.output
    shown = run("review-text", "show", *where, "--html", "--db", db)
    assert "<li>Three</li>" in shown.output

    no_table = run("review-text", "set", *place("--lang", "en", "--section", "synthesis"), "--file", first, "--db", db)
    assert no_table.exit_code == 1 and "--round-table" in no_table.output
    bad_table = run("review-text", "set", *place("--lang", "en", "--section", "synthesis", "--round-table", "9"),
                    "--file", first, "--db", db)
    assert bad_table.exit_code == 1
    status = json.loads(run("review-text", "status", *place("--lang", "fr"), "--json", "--db", db).output)
    assert status["texts"]["key-messages"]["translation_missing"] and "synthesis:1" in status["missing"]
    assert not status["final"]


# --------------------------------------------------------------------------- featuring, inputs, final


def test_feature_inputs_disclosure_and_final(db, tmp_path):
    with Store(db) as store:
        first = ingest_bytes(store, workbook(), "mex.xlsx").outcome.submission_id
        other = ingest_bytes(store, workbook(state="FRA"), "fra.xlsx")
        row = store.get(first).submission.practices[0].row
    assert other.accepted
    result = run("feature", "add", "--process", "RCM", "--submission", first, "--objective", "5", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    item = json.loads(result.output)
    assert item["text"].endswith("w" * 300) and item["round_table"] == 1 and "row" in item["source"]
    practice = run("feature", "add", "--process", "RCM", "--submission", first, "--objective", "5",
                   "--practice", row, "--round-table", "2", "--json", "--db", db)
    assert json.loads(practice.output)["text"].endswith("z" * 2000)  # in full
    unmapped = run("feature", "add", "--process", "RCM", "--submission", first, "--objective", "6",
                   "--practice", row, "--db", db)
    assert unmapped.exit_code == 1 and "not mapped to objective 6" in unmapped.output
    not_member = run("feature", "add", "--process", "RCM", "--submission", other.outcome.submission_id,
                     "--objective", "5", "--db", db)
    assert not_member.exit_code == 1 and "not a member" in not_member.output

    final = run("final", "mark", *place("--lang", "en", "--lang", "fr"), "--json", "--db", db)
    assert [e["final"] for e in json.loads(final.output)["editions"]] == [True, True]
    with Store(db) as store:  # a new version without objective 5's text: stale, and a new draft
        ingest_bytes(store, workbook(measures="changed"), "mex-v2.xlsx")
    listed = run("feature", "list", *place(), "--db", db)
    assert "STALE" in listed.output
    shown = json.loads(run("final", "show", *place("--lang", "en"), "--json", "--db", db).output)
    assert not shown["final"] and len(shown["finals"]) == 1 and not shown["finals"][0]["holds"]

    escape = run("inputs", "add", *place(), "--organisation", "Red \x1b[31mMigrante", "--kind", "civil-society",
                 "--lang", "es", "--date", "2026-03-02", "--file", "-", "--db", db, input="Texto")
    assert escape.exit_code == 1 and "control character" in escape.output
    added = run("inputs", "add", *place(), "--organisation", "Red \u202eMigrante", "--kind", "civil-society",
                "--lang", "es", "--date", "2026-03-02", "--file", "-", "--consent", "--db", db, input="Texto")
    assert added.exit_code == 0 and "\u202e" not in added.output and "\\u202e" in added.output
    bad_date = run("inputs", "add", *place(), "--organisation", "X", "--kind", "academia", "--lang", "en",
                   "--date", "yesterday", "--file", "-", "--db", db, input="t")
    assert bad_date.exit_code == 1 and "YYYY-MM-DD" in bad_date.output
    listed = json.loads(run("inputs", "list", *place(), "--json", "--db", db).output)["inputs"]
    assert [(i["kind"], i["consent"], i["text"]) for i in listed] == [("civil-society", True, "Texto")]

    assert run("disclosure", "set", "--process", "rcm", "anonymous", "--db", db).exit_code == 0
    shown = json.loads(run("disclosure", "show", "--process", "RCM", "--json", "--db", db).output)
    assert shown == {"process": "RCM", "disclosure": "anonymous"}
    assert run("disclosure", "set", "--process", "RCM", "public", "--db", db).exit_code == 2
    with Store(db) as store:
        actions = {e.action for e in store.audit_log()}
    assert {"feature", "review-final", "stakeholder-input-add", "disclosure"} <= actions


# --------------------------------------------------------------------------- indicators


SDG = ("Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,"
       "Time_Detail,Source,FootNote,Nature,[Units],[Sex]\n"
       "10,10.7,10.7.2,SG_CPA_MIGRP,Migration policies,484,Mexico,2021,1,2021,UN DESA,,C,NUMBER,\n"
       "10,10.c,10.c.1,SI_RMT_COST,Remittance costs,419,Latin America,2022,6.1,2022,World Bank,est.,C,PERCENT,\n"
       "8,8.8,8.8.1,SL_EMP_FTLINJUR,Injuries,484,Mexico,2022,3.2,2022,ILO,,C,PER_100000,MALE\n"
       "8,8.8,8.8.1,SL_EMP_FTLINJUR,Injuries,484,Mexico,2022,0.4,2022,ILO,,C,PER_100000,FEMALE\n")


def test_sdg_export_and_long_form_are_read():
    found = read_indicators(SDG.encode(), "sdg.csv")
    assert found.ok and found.form == "sdg"
    assert [(v.indicator, v.geo, v.year, v.value) for v in found.values][:2] == [
        ("10.7.2", "MEX", 2021, "1"), ("10.c.1", "419", 2022, "6.1")]
    assert found.values[1].unit == "PERCENT" and "est." in found.values[1].note
    assert "Sex: MALE" in found.values[2].note  # a dimension keeps two values apart
    long = read_indicators("\ufeffindicator,geo,year,value,unit,source,note\n10.7.2,mex,2023,1,n,UN,\n".encode(),
                           "long.csv")
    assert long.ok and long.form == "long" and long.values[0].geo == "MEX"


@pytest.mark.parametrize("body, code, cell", [
    ("indicator,geo,year,value\n10.7.2,ATL,2023,1\n", "csv-bad-geo", "B2"),
    ("indicator,geo,year,value\n10.7.2,MEX,23,1\n", "csv-bad-year", "C2"),
    ("indicator,geo,year,value\n10.7.2,MEX,2023,\n", "csv-missing-value", "D2"),
    ("indicator,geo,year,value\n10.7.2,MEX,2023,1\n10.7.2,484,2023,2\n", "csv-duplicate-row", "A3"),
    ("indicator,geo,year,value\n10.7.2,MEX,2023,1,9\n", "csv-too-many-fields", "E2"),
    ("country,value\nMEX,1\n", "csv-unknown-columns", "A1"),
    ("indicator,geo,year,value\n10.7.2,MEX,2023,\"1\n", "csv-malformed", None),
    ("", "csv-empty", None),
])
def test_located_csv_errors(body, code, cell):
    found = read_indicators(body.encode(), "x.csv")
    assert not found.ok and found.values == []
    assert found.problems[0].code == code and (cell is None or found.problems[0].cell == cell)
    assert found.problems[0].message("fr") and found.problems[0].hint("es")


def test_csv_refuses_what_it_would_otherwise_have_to_cut_or_could_not_store():
    body = ("indicator,geo,year,value,unit,source\n" + "x" * 101 + ",MEX,2023,1,u," + "s" * 2001 + "\n"
            "10.7.2,MEX,2024,1,u,a\x00b\n")
    found = read_indicators(body.encode(), "x.csv")
    assert [(p.code, p.cell) for p in found.problems] == [("csv-value-too-long", "A2"), ("csv-value-too-long", "F2"),
                                                          ("csv-malformed", "F3")]


def test_an_input_with_a_control_character_is_refused(db):
    with Store(db) as store, pytest.raises(GcmtrackError, match="control character"):
        authoring.add_input(store, "RCM", 2026, organisation="x", kind="other", lang="en", date="2026-01-01",
                            text="a\x00b", consent=True)


def test_csv_limits_and_encoding():
    assert read_indicators(b"x" * (MAX_BYTES + 1), "big.csv").problems[0].code == "csv-too-large"
    assert read_indicators("indicator,geo,year,value\nÅ,MEX,2023,1\n".encode("latin-1"),
                           "l1.csv").problems[0].code == "csv-not-utf8"


def test_indicators_import_stores_nothing_on_error(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,geo,year,value\n10.7.2,MEX,2023,1\n10.7.2,XXX,2023,1\n", encoding="utf-8")
    result = run("indicators", "import", bad, *place(), "--json", "--lang", "es", "--db", db)
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert problems[0]["cell"] == "B3" and problems[0]["sheet"] == "bad.csv" and "ISO3" in problems[0]["message"]
    good = tmp_path / "sdg.csv"
    good.write_text(SDG, encoding="utf-8")
    assert run("indicators", "import", good, *place(), "--db", db).exit_code == 0
    listed = json.loads(run("indicators", "list", *place(), "--json", "--db", db).output)["datasets"]
    assert [(d["name"], d["rows"], d["form"]) for d in listed] == [("sdg.csv", 4, "sdg")]
    with Store(db) as store:
        review = authoring.review(store, "RCM", 2026, "en")
        assert len(review.indicators) == 4
        with pytest.raises(GcmtrackError, match="unknown process"):
            authoring.import_indicators(store, "NOPE", 2026, SDG.encode(), "x.csv")
