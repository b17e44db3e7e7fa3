"""Reference data that is right, sourced and global: one data test per correction of the second
review, the UN names, the load checks (vocabularies, sources), every mechanism listed and
rendered, and `gcmtrack states`. Tests compare codes and data values, never sentences."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from gcmtrack.common.languages import LANGS
from click.testing import CliRunner
from pypdf import PdfReader

from tests.pdftext import pdf_text

from gcmtrack.cli import main
from gcmtrack.common.assets import data_dir
from gcmtrack.errors import DataError
from gcmtrack.reference.framework import framework
from gcmtrack.reference.processes import KINDS, get_process, load_processes, processes
from gcmtrack.reference.states import load_states, states
from gcmtrack.report import context as report_context
from gcmtrack.report.context import ReportData, build_context
from gcmtrack.report.render import render_html, render_pdf
from gcmtrack.scoring import score_process
from tests.conftest import edit


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def empty_report(process_id: str, cycle: int = 2026) -> ReportData:
    """A process's report before any submission: every member listed, nothing scored."""
    process = get_process(process_id)
    score = score_process(process.id, cycle, process.members(cycle), {}, framework())
    return ReportData(process, cycle, score, {}, {}, None)


# --------------------------------------------------------------------------- corrections (section 7)


def test_slovakia_not_slovenia_did_not_vote():
    registry = states()
    assert registry.position("SVK").vote == "did_not_vote"
    assert registry.position("SVN").vote == "in_favour"
    assert registry.position("SVK").vote_source and registry.position("SVK").verified


def test_united_states_revised_statement_and_denunciation():
    events = states().position("USA").events
    assert [(e.date_text, e.position, e.precision, e.verified) for e in events] == [
        ("2021-12", "revised_statement", "month", True),
        ("2025-04-16", "denounced", "day", True),
    ]
    assert all(e.source for e in events)
    # as of a cycle before the denunciation, only the revised statement counts
    assert states().position("USA", dt.date(2022, 12, 31)).latest == "revised_statement"


def test_chile_abstained_and_decided_not_to_adopt():
    position = states().position("CHL")
    assert position.vote == "abstained"
    assert [(e.date, e.position, e.verified) for e in position.events] == [(dt.date(2018, 12, 9), "declined", True)]


def test_objective_18_actions_g_to_j_in_the_gcm_order():
    actions = {a.letter: a.label for a in framework().objectives[18].actions}
    assert [actions[letter].split()[0] for letter in "ghij"] == ["Exchange,", "Online", "Documentation", "Innovative"]
    assert len(actions) == 12


def test_dominican_republic_full_sica_member_from_2013():
    membership = get_process("SICA").membership("DOM")
    assert (membership.since, membership.verified) == (2013, True) and "2013" in membership.source
    assert "DOM" not in get_process("SICA").members(2012)


def test_el_salvador_in_mirps_from_2019():
    mirps = get_process("MIRPS")
    assert mirps.membership("SLV").since == 2019
    assert "SLV" not in mirps.members(2018) and "SLV" in mirps.members(2022)
    assert all(mirps.membership(c).since == 2017 for c in ("BLZ", "CRI", "GTM", "HND", "MEX", "PAN"))


def test_guyane_is_french_guiana_never_guyana():
    registry = states()
    assert registry.resolve("Guyane").codes == ("GUF",)
    assert registry.resolve("Guyana").codes == ("GUY",)
    assert registry.get("GUY").name("fr") == "Guyana"


def test_imrf_2026_dates_and_hearing_clustering_provisional():
    edition = framework().edition(2026)
    assert (edition.opens, edition.closes, edition.hearing) == (dt.date(2026, 5, 5), dt.date(2026, 5, 8), dt.date(2026, 5, 4))
    assert edition.status == "provisional"


def test_marks_that_no_source_lifted_are_kept():
    assert not get_process("SICA").membership("BLZ").verified  # 1998 or 2000: sources disagree
    assert not get_process("CMC").membership("SXM").verified  # "St. Martin": SXM or MAF
    assert not framework().objectives[18].is_verified("title.fr")


# --------------------------------------------------------------------------- UN names


@pytest.mark.parametrize("code, lang, name", [
    ("SUR", "es", "Suriname"), ("BOL", "es", "Bolivia (Estado Plurinacional de)"),
    ("BOL", "fr", "Bolivie (État plurinational de)"), ("VEN", "fr", "Venezuela (République bolivarienne du)"),
    ("SXM", "es", "San Martín (parte neerlandesa)"), ("USA", "en", "United States of America"),
    ("TUR", "fr", "Türkiye"), ("CIV", "en", "Côte d'Ivoire"), ("GUF", "fr", "Guyane française"),
])
def test_names_are_the_un_short_forms(code, lang, name):
    assert states().get(code).name(lang) == name


def test_every_un_member_and_observer_has_a_un_name_and_others_fall_back_to_iso():
    registry = states()
    for entity in registry.entities.values():
        if entity.un_member or entity.un_observer:
            assert entity.name_source == "un", entity.code
    assert registry.get("TWN").name_source == "iso"


@pytest.mark.parametrize("text, code", [
    ("Bolivia, Plurinational State of", "BOL"), ("Bolivia (Estado Plurinacional de)", "BOL"),
    ("Surinam", "SUR"), ("Venezuela (République bolivarienne du)", "VEN"),
    ("San Martín (parte Holandesa)", "SXM"), ("Netherlands (Kingdom of the)", "NLD"), ("Turkey", "TUR"),
])
def test_iso_names_un_names_and_aliases_are_accepted(text, code):
    assert states().resolve(text).codes == (code,)


def test_ambiguity_rules_are_unchanged():
    assert states().resolve("St. Martin").codes == ("MAF", "SXM")


# --------------------------------------------------------------------------- load checks


def test_every_vote_and_event_uses_the_vocabulary():
    registry = states()
    vocabulary = registry.vocabulary
    assert set(vocabulary.votes) == {"in_favour", "against", "abstained", "did_not_vote", "not_a_member"}
    for code in registry.entities:
        position = registry.position(code)
        assert position.vote in vocabulary.votes
        assert all(e.position in vocabulary.events for e in position.events)
        assert all(e.source or not e.verified for e in position.events)
    counts = {}
    for code, entity in registry.entities.items():
        if entity.un_member:
            vote = registry.position(code).vote
            counts[vote] = counts.get(vote, 0) + 1
    assert counts == {"in_favour": 152, "against": 5, "abstained": 12, "did_not_vote": 24}


def test_every_membership_has_a_source_or_an_unverified_mark():
    for process in processes().values():
        assert process.kind in KINDS
        assert set(process.languages) <= set(LANGS)
        for membership in process.memberships:
            assert membership.source or not membership.verified, (process.id, membership.state)


@pytest.mark.parametrize("file, old, new, entry", [
    ("states/gcm-positions.yaml", "position: denounced", "position: withdrew_again", "event USA"),
    ("states/gcm-positions.yaml", "    abstained:\n      states:", "    abstention:\n      states:", "vote.groups"),
    ("states/gcm-positions.yaml", "did_not_vote: 24}", "did_not_vote: 23}", "vote.totals"),
    ("states/gcm-positions.yaml", "    position: denounced\n    verified: true\n    source: \"United States explanation",
     "    position: denounced\n    verified: true\n    nosource: \"United States explanation", "event USA"),
])
def test_positions_outside_the_vocabulary_or_unsourced_are_refused(data_copy, file, old, new, entry):
    edit(data_copy / file, old, new)
    with pytest.raises(DataError) as err:
        load_states(data_copy / "states")
    assert err.value.file == "gcm-positions.yaml" and err.value.entry.startswith(entry)


@pytest.mark.parametrize("old, new, entry", [
    ("{state: CAN, source: rcm}", "{state: CAN}", "RCM member CAN"),
    ("{state: CAN, source: rcm}", "{state: CAN, unverified: maybe}", "RCM member CAN"),
    ("kind: rcp", "kind: club", "RCM kind"),
    ("languages: [es, en]", "languages: [es, de]", "RCM languages"),
])
def test_memberships_without_a_source_or_unknown_values_are_refused(data_copy, old, new, entry):
    edit(data_copy / "processes/rcm.yaml", old, new)
    with pytest.raises(DataError) as err:
        load_processes(data_copy / "processes", load_states(data_copy / "states"))
    assert err.value.file == "rcm.yaml" and err.value.entry == entry


def test_an_unverified_membership_without_a_source_is_accepted(data_copy):
    edit(data_copy / "processes/rcm.yaml", "{state: CAN, source: rcm}", "{state: CAN, unverified: true}")
    table = load_processes(data_copy / "processes", load_states(data_copy / "states"))
    assert not table["RCM"].membership("CAN").verified


# --------------------------------------------------------------------------- every mechanism


def test_processes_json_lists_every_mechanism_with_its_members():
    data = json.loads(run("processes", "--json").stdout)
    listed = {p["id"]: p for p in data["processes"]}
    assert len(listed) == len(list(data_dir("processes").glob("*.yaml")))
    kinds = {p["kind"] for p in listed.values()}
    assert {"rcp", "irf", "regional_review"} <= kinds
    for pid in ("ECLAC", "ECE", "ESCAP", "ESCWA", "ECA"):
        assert listed[pid]["kind"] == "regional_review"
    assert len(listed["ECLAC"]["members"]) == 33 and len(listed["ECA"]["members"]) == 54
    sxm = next(m for m in listed["CMC"]["memberships"] if m["state"] == "SXM")
    assert (sxm["verified"], bool(sxm["source"])) == (False, True)


@pytest.mark.parametrize("process_id, lang", [("ECLAC", "es"), ("ARCP", "fr"), ("BALI", "en"), ("SODERKOPING", "en"),
                                               ("AFRICA-EU", "fr"), ("ACP-EU", "es"), ("MIDCAS", "fr"),
                                               ("PAFOM", "en")])
def test_reports_render_for_new_mechanisms(process_id, lang):
    html = render_html(empty_report(process_id), lang)
    process = get_process(process_id)
    assert f'<html lang="{lang}" dir="ltr">' in html
    for code in process.members(2026)[:3]:
        assert states().get(code).name(lang).replace("'", "&#39;") in html
    if any(not m.verified for m in process.memberships if m.active_in(2026)):
        assert "†" in html


def test_a_dated_unverified_membership_is_footnoted_only_in_its_cycles():
    rwanda = states().get("RWA").name("fr")
    earlier = render_html(empty_report("MIDCAS", 2022), "fr")  # Rwanda in ECCAS from 2015 to 2025
    assert rwanda in earlier and "†" in earlier
    assert rwanda not in render_html(empty_report("MIDCAS"), "fr")


def test_unverified_position_is_footnoted(data_copy, monkeypatch):
    edit(data_copy / "states/gcm-positions.yaml", "    position: revised_statement\n    verified: true",
         "    position: revised_statement\n    verified: false")
    monkeypatch.setattr(report_context, "states", lambda: load_states(data_copy / "states"))
    ctx = build_context(empty_report("RCM"), "en")
    usa = next(row for row in ctx.participation if row.code == "USA")
    assert usa.position_unverified and ctx.any_position_unverified


def test_cover_gives_the_forum_dates():
    ctx = build_context(empty_report("ECLAC"), "es")
    assert ctx.edition_dates and "2026" in ctx.edition_dates and ctx.edition_hearing and ctx.edition_provisional


@pytest.mark.slow
def test_pdf_renders_for_a_regional_commission_review(tmp_path: Path):
    pages = render_pdf(empty_report("ECA"), "fr", tmp_path / "eca-2026-fr.pdf")
    reader = PdfReader(tmp_path / "eca-2026-fr.pdf")
    assert pages == len(reader.pages) > 3
    assert "Égypte" in pdf_text(tmp_path / "eca-2026-fr.pdf")


# --------------------------------------------------------------------------- gcmtrack states


def test_states_json_lists_every_entity_with_the_documented_shape():
    data = json.loads(run("states", "--json").stdout)["states"]
    assert len(data) == len(states().entities)
    usa = next(s for s in data if s["iso3"] == "USA")
    assert set(usa) >= {"iso3", "names", "un_member", "vote_2018", "events", "processes"}
    assert set(usa["names"]) == set(LANGS) and usa["vote_2018"] == "against"
    assert [(e["date"], e["position"], e["verified"]) for e in usa["events"]] == [
        ("2021-12", "revised_statement", True), ("2025-04-16", "denounced", True)]
    assert all(set(e) >= {"date", "position", "source", "verified"} for e in usa["events"])
    assert "RCM" in usa["processes"] and "ECE" in usa["processes"]
    assert next(s for s in data if s["iso3"] == "AIA")["vote_2018"] == "not_a_member"


def test_states_for_one_process_and_unknown_process():
    data = json.loads(run("states", "--process", "rcm", "--json").stdout)["states"]
    assert [s["iso3"] for s in data] == list(get_process("RCM").members(2026))
    result = run("states", "--process", "XYZ")
    assert result.exit_code == 1 and "XYZ" in result.output


def test_states_text_in_spanish_uses_un_names():
    result = run("states", "--process", "SACM", "--lang", "es")
    assert result.exit_code == 0 and "Bolivia (Estado Plurinacional de)" in result.output


def test_dataclasses_stay_frozen():
    position = states().position("USA")
    with pytest.raises(dataclasses.FrozenInstanceError):
        position.vote = "in_favour"  # type: ignore[misc]
