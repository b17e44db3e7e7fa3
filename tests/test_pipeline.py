"""The whole pipeline through the command line on the bundled sample workbooks: the numbers in
the PDFs equal `gcmtrack score`, unchanged reports are skipped, the demo runs end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.pdftext import page_texts
from tests.pdftext import pdf_text as extracted_text

from gcmtrack.cli import main
from gcmtrack.reference.framework import framework
from gcmtrack.reference.states import states
from gcmtrack.reference.processes import processes
from gcmtrack.report.i18n import format_score
from gcmtrack.common.assets import data_dir
from gcmtrack.store import Store


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def pdf_text(path: Path) -> str:
    return re.sub(r"[ \t]+", " ", extracted_text(path))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("pipeline") / "samples.db"
    result = run("ingest", data_dir("submissions"), "--db", db, "--json")
    assert result.exit_code == 0, result.stdout
    files = json.loads(result.stdout)["files"]
    assert all(f["accepted"] for f in files) and len(files) >= 30
    return db


@pytest.mark.slow
@pytest.mark.parametrize("pid, lang", [("RCM", "es"), ("CMC", "fr")])
def test_numbers_in_the_pdf_equal_gcmtrack_score(store, tmp_path, pid, lang):
    scores = json.loads(run("score", "--process", pid, "--cycle", 2026, "--db", store, "--json").stdout)
    # the staff edition holds every v1 figure, states named (issue 18)
    result = run("report", "--process", pid, "--cycle", 2026, "--lang", lang, "--edition", "staff",
                 "--output", tmp_path, "--db", store)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / f"{pid.lower()}-2026-staff-{lang}.pdf"
    assert pdf.exists() and (tmp_path / f"{pid.lower()}-2026-staff-{lang}.html").exists()
    text = pdf_text(pdf)
    order = [o for table in framework().edition(2026).round_tables for o in table.objectives]
    for state in scores["submitted"]:
        # the state's heatmap row: its name, then its 23 scores in round-table order
        cells = " ".join(format_score(scores["states"][state]["objectives"][str(o)], lang) for o in order)
        name = states().get(state).name(lang)
        assert re.search(re.escape(name) + r"\s+" + re.escape(cells), text), (state, cells)
        # and its row of round-table and overall scores
        totals = [format_score(v, lang) for v in scores["states"][state]["round_tables"].values()]
        totals.append(format_score(scores["states"][state]["overall"], lang))
        assert re.search(r"\s+".join(map(re.escape, totals)), text), (state, totals)
    for value in list(scores["objectives"].values()) + list(scores["round_tables"].values()) + [scores["overall"]]:
        assert format_score(value, lang) in text
    # the CLI's own table prints the same figures as the PDF: one rounding rule (half-up from the
    # exact value; 0.475 is 0.48 in both)
    table = run("score", "--process", pid, "--cycle", 2026, "--db", store).stdout
    printed = dict(re.findall(r"(\d+): (\d\.\d\d|–)", table.splitlines()[2]))
    process_row = " ".join(format_score(scores["objectives"][str(o)], lang) for o in order)
    assert process_row.replace(",", ".") == " ".join(printed[str(o)] for o in order)
    assert re.search(r"\s+".join(map(re.escape, process_row.split())), text)


def test_demo_store_shows_trends_since_2022(store, tmp_path):
    result = run("report", "--process", "RCM", "--cycle", 2026, "--lang", "en", "--edition", "staff",
                 "--output", tmp_path, "--db", store)
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "rcm-2026-staff-en.pdf")
    assert "Changes since IMRF 2022" in text and "What moved since IMRF 2022" in text
    diff = json.loads(run("diff", "--state", "MEX", "--from-cycle", 2022, "--to-cycle", 2026, "--json",
                          "--db", store).stdout)
    assert diff["from"]["cycle"] == 2022 and diff["to"]["cycle"] == 2026 and diff["objectives"]


@pytest.mark.slow
def test_unchanged_reports_are_skipped_and_changed_ones_rendered(store, tmp_path):
    args = ("report", "--process", "MIRPS", "--cycle", 2026, "--lang", "en", "--output", tmp_path, "--db", store)
    first = run(*args)
    assert "Wrote" in first.output
    second = run(*args)
    assert "Skipped 1 unchanged report(s): mirps-2026-en.pdf" in second.output and "Wrote" not in second.output
    forced = run(*args, "--force")
    assert "Wrote" in forced.output


@pytest.mark.slow
def test_report_all_uses_the_pool(store, tmp_path):
    result = run("report", "--all", "--cycle", 2026, "--lang", "en", "--output", tmp_path, "--db", store, "--jobs", 2)
    assert result.exit_code == 0, result.output
    # --all renders both editions (issue 18): the review under the name reports always had
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(
        name for pid in processes() for name in (f"{pid.lower()}-2026-en.pdf", f"{pid.lower()}-2026-staff-en.pdf"))


def test_report_for_an_unknown_cycle_fails_cleanly(store, tmp_path):
    result = run("report", "--process", "RCM", "--cycle", 2024, "--output", tmp_path, "--db", store)
    assert result.exit_code == 1 and "no IMRF edition 2024" in result.output
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.slow
def test_demo_renders_every_report_in_every_language(tmp_path):
    from gcmtrack.service.demo import LANGUAGE_SHOWCASE
    from gcmtrack.service.rendering import report_languages

    result = run("demo", "--output", tmp_path)
    assert result.exit_code == 0, result.output
    with Store(str(tmp_path / "gcmtrack-demo.db")) as store:  # processes with a sample submission
        sampled = [pid for pid, p in processes().items() if store.latest(2026, p.members(2026))]
    assert {"RCM", "CMC", "SACM", "MIRPS", "SICA", "ECLAC"} <= set(sampled) < set(processes())
    # each process in the languages it works in (issue 21), both editions (issue 18); the ESCWA
    # and ECE reviews too, without samples, in theirs
    table = processes()
    expected = {f"{pid.lower()}-2026{edition}-{lang}.pdf" for pid in sampled for lang in report_languages(table[pid])
                for edition in ("", "-staff")}
    expected |= {f"{pid.lower()}-2026-{lang}.pdf" for pid in LANGUAGE_SHOWCASE for lang in report_languages(table[pid])}
    assert {"rcm-2026-es.pdf", "rcm-2026-en.pdf", "cmc-2026-fr.pdf", "ece-2026-fr.pdf", "escwa-2026-en.pdf"} <= expected
    assert {p.name for p in tmp_path.glob("*.pdf")} == expected
    assert (tmp_path / "gcmtrack-2026.xlsx").exists()
    # the data behind each edition, once per process: a Frictionless Data Package beside the PDFs
    # (the staff edition's names the states' scores)
    assert {p.name for p in tmp_path.glob("*-data") if (p / "datapackage.json").exists()} == \
        {f"{pid.lower()}-2026{edition}-data" for pid in sampled for edition in ("", "-staff")} | \
        {f"{pid.lower()}-2026-data" for pid in LANGUAGE_SHOWCASE}
    cover = " ".join(page_texts(tmp_path / "rcm-2026-en.pdf")[0].split())
    assert "fictional samples" in cover
    cover_es = " ".join(page_texts(tmp_path / "rcm-2026-es.pdf")[0].split())
    assert "Conferencia Regional sobre Migración (Proceso Puebla)" in cover_es
    # the store remembers it holds samples: a later `gcmtrack report` from it says so too
    again = run("report", "--process", "SICA", "--cycle", 2026, "--lang", "en", "--output", tmp_path / "again",
                "--db", tmp_path / "gcmtrack-demo.db")
    assert again.exit_code == 0
    assert "fictional samples" in " ".join(page_texts(tmp_path / "again" / "sica-2026-en.pdf")[0].split())
