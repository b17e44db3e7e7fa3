"""Issue 18 (report v2): the review and staff editions, disclosure, representativeness, DRAFT,
nothing a state wrote cut, UN dates, ties, files written with the user's umask."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from gcmtrack.common.files import write_atomic
from gcmtrack.report.i18n import format_date_range, format_long_date


@pytest.mark.parametrize("lang, long, span", [
    ("en", "4 December 2026", "5\u20138 May 2026"),
    ("es", "4 de diciembre de 2026", "5\u20138 de mayo de 2026"),
    ("fr", "4 d\u00e9cembre 2026", "5\u20138 mai 2026"),
    # the UN's Arabic months (Levantine/Egyptian), Latin digits
    ("ar", "4 \u0643\u0627\u0646\u0648\u0646 \u0627\u0644\u0623\u0648\u0644/\u062f\u064a\u0633\u0645\u0628\u0631 2026",
     "5\u20138 \u0623\u064a\u0627\u0631/\u0645\u0627\u064a\u0648 2026"),
    ("zh", "2026\u5e7412\u67084\u65e5", "2026\u5e745\u67085\u65e5\u81f38\u65e5"),  # 2026年5月5日至8日
    ("ru", "4 \u0434\u0435\u043a\u0430\u0431\u0440\u044f 2026\u202f\u0433.", "5\u20138 \u043c\u0430\u044f 2026\u202f\u0433."),
    ("pt", "4 de dezembro de 2026", "5 a 8 de maio de 2026"),  # CLDR's interval abbreviates: "5 – 8 de mai. de 2026"
])
def test_un_date_style(lang, long, span):
    assert format_long_date(dt.date(2026, 12, 4), lang) == long
    assert format_date_range(dt.date(2026, 5, 5), dt.date(2026, 5, 8), lang) == span


@pytest.mark.parametrize("lang", ["pt", "ru", "ar", "zh"])
def test_a_range_over_two_months_names_them_in_full(lang):
    span = format_date_range(dt.date(2026, 4, 28), dt.date(2026, 5, 8), lang)
    assert "28" in span and "2026" in span and "." not in span.replace("\u202f\u0433.", ""), span
    assert span.count("2026") == 1, span


def test_figures_use_latin_digits_in_arabic():
    """The UN's Arabic documents write figures in Latin (Western) digits: so does gcmtrack, even
    for an Arabic locale whose CLDR default is Arabic-Indic digits (Egypt's)."""
    from gcmtrack.report.i18n import format_count, format_score, format_share

    assert (format_score(0.755, "ar"), format_share(0.824, "ar"), format_count(12345, "ar")) == ("0.76", "82%", "12,345")
    assert format_count(12345, "ar_EG") == "12,345" and format_score(0.5, "ar_EG") == "0.50"


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "report.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert (tmp_path / "report.pdf").stat().st_mode & 0o777 == mode


# --------------------------------------------------------------------------- the two editions

import dataclasses  # noqa: E402
import re  # noqa: E402

from markupsafe import escape  # noqa: E402

from gcmtrack.authored import (  # noqa: E402
    AuthoredReview,
    AuthoredText,
    FeaturedItem,
    IndicatorValue,
    StakeholderInput,
)
from gcmtrack.report import render as report_render  # noqa: E402
from gcmtrack.report.context import build_context  # noqa: E402
from gcmtrack.common.safemarkdown import to_html as render_markdown  # noqa: E402
from gcmtrack.report.render import render_html, report_filename  # noqa: E402
from gcmtrack.report.sections import Sections  # noqa: E402
from tests.test_report import LONG_TEXT, make_data, regional_submissions  # noqa: E402

FEATURED = "Se creó una ventanilla única para la regularización migratoria. " * 30  # 1,950 characters


def _text(section, markdown, round_table=None, lang="en", asked="en"):
    return AuthoredText(section, round_table, lang, markdown, 1, "staff@example.org", "2026-04-01T10:00:00Z", asked)


def authored(**changes) -> AuthoredReview:
    review = AuthoredReview(
        process="RCM", cycle=2026, lang="en",
        texts=(
            _text("key-messages", "1. Members **regularised** status.\n2. See [IOM](https://www.iom.int) "
                                  "<script>alert(1)</script> [bad](javascript:alert(1))"),
            _text("synthesis", "Síntesis escrita en español.", round_table=1, lang="es"),
            _text("recommendations", "   "),  # blank: not written
        ),
        featured=(FeaturedItem(1, 2, "objective-text", "MEX", 1, "Objectives, cell C9", "es", FEATURED),
                  FeaturedItem(1, 5, "practice", "CAN", 2, "Practices, row 3", "en", "A full practice text.",
                               title="Practice title")),
        inputs=(StakeholderInput("Red Migrante", "civil-society", "es", "2026-03-15", "Aporte publicado.", True),
                StakeholderInput("Private NGO", "nhri", "en", "2026-03-16", "NOT FOR PUBLICATION", False)),
        indicators=(IndicatorValue("10.7.2", "MEX", 2023, "1", "policy domains", "UN DESA"),),
    )
    return dataclasses.replace(review, **changes)


@pytest.fixture(scope="module")
def data():
    return dataclasses.replace(make_data(regional_submissions()), authored=authored())


@pytest.fixture(scope="module")
def review_html(data):
    return render_html(data, "en", "review")


def test_review_holds_the_authored_review_in_order(review_html):
    ids = re.findall(r'<section class="chapter[^"]*" id="([^"]+)"', review_html)
    assert ids == ["contents", "key-messages", "introduction", "context", "round-table-1", "round-table-2",
                   "round-table-3", "round-table-4", "inputs", "recommendations", "participation", "annex-a",
                   "annex-d"]
    # no per-state score or ranking under the default disclosure (aggregate)
    assert 'id="heatmap"' not in review_html and 'id="state-scores"' not in review_html
    # sections without text say so plainly: introduction, context, recommendations (blank), syntheses 2-4, challenges
    assert review_html.count("The secretariat has not written this section yet.") == 3 + 3 + 4
    assert "Lorem" not in review_html


def test_staff_markdown_is_sanitised_and_links_show_their_address():
    html = render_markdown("Hi <script>alert(1)</script> [IOM](https://www.iom.int) [x](javascript:alert(1)) "
                           "<img src=x onerror=alert(1)>\n\n# Head")
    assert "<script" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert '<a href="https://www.iom.int">IOM</a> (<span class="address">https://www.iom.int</span>)' in html
    assert "javascript" not in re.sub(r"\[x\]\(javascript:alert\(1\)\)", "", html)
    assert '<a href="javascript' not in html
    assert "<h3>Head</h3>" in html  # below the section's own headings


def test_review_quotes_featured_texts_in_full_with_their_source(review_html):
    assert FEATURED.strip() in review_html  # never cut
    assert "Mexico, Objectives, cell C9" in review_html and 'lang="es"' in review_html
    assert "Practice title" in review_html and "Canada, Practices, row 3" in review_html
    assert "Not yet translated: the text as written in Spanish." in review_html
    # stakeholder inputs: only those whose authors agreed to publication, set apart
    assert "Red Migrante" in review_html and "NOT FOR PUBLICATION" not in review_html
    assert "UN DESA" in review_html and "policy domains" in review_html


def test_state_profiles_hold_every_text_in_full(data, review_html):
    assert review_html.count(LONG_TEXT) == 1  # the 21,000-character cell, whole, in its state's profile
    for code, stored in data.latest.items():
        assert f'id="profile-{code}"' in review_html
        for practice in stored.submission.practices:
            for text in (practice.title, practice.description, practice.partners, practice.link):
                assert str(escape(text)) in review_html  # whole, and escaped
    staff = render_html(data, "en", "staff")
    assert staff.count(LONG_TEXT) == 1 and "Full text: state profile (Annex D)" in staff


def test_profiles_are_rendered_once_per_submission_and_language(data):
    report_render._PROFILE_CACHE.clear()
    calls = []
    real = report_render.jinja2.Template.render

    def counting(self, *args, **kwargs):
        if self.name == report_render.PROFILE_TEMPLATE:
            calls.append(kwargs["ctx"].code)
        return real(self, *args, **kwargs)

    report_render.jinja2.Template.render = counting
    try:
        first = render_html(data, "fr", "review")
        second = render_html(data, "fr", "staff")
    finally:
        report_render.jinja2.Template.render = real
    assert sorted(calls) == sorted(data.latest)  # once per state for both editions
    assert first.count('class="profile"') == second.count('class="profile"') == len(data.latest)


def test_draft_until_final_and_the_review_line(data):
    ctx = build_context(data, "en", "review")
    assert ctx.draft and "DRAFT" in ctx.draft_mark
    assert ctx.review_line == "0 of 8 versions accepted; 8 not yet reviewed"
    accepted = dataclasses.replace(data, review_states={c: "accepted" for c in list(data.latest)[:5]})
    assert build_context(accepted, "en", "review").review_line == "5 of 8 versions accepted; 3 not yet reviewed"
    html = render_html(data, "es", "review")
    assert "@bottom-left" in html and "BORRADOR" in html
    final = dataclasses.replace(data, authored=authored(final=True, final_by="chief", final_at="2026-04-20T10:00:00Z"))
    assert not build_context(final, "en", "review").draft
    assert "@bottom-left" not in render_html(final, "en", "review")
    assert not build_context(data, "en", "staff").draft


def test_representativeness_and_no_rankings_on_a_thin_base():
    subs = regional_submissions()
    thin = dict(list(sorted(subs.items()))[:2])  # 2 of 11 members
    data = dataclasses.replace(make_data(thin), authored=authored(featured=()))
    ctx = build_context(data, "en", "review")
    assert ctx.base_line == "2 of 11 members" and not ctx.show_rankings
    assert "not the region" in ctx.caveat
    html = render_html(data, "en", "review")
    assert "not the region" in html and "Best-covered objectives" not in html
    assert "Reported by " in html and " of 11 members" in html
    staff = render_html(data, "en", "staff")
    assert "not the region" in staff  # the staff edition keeps its lists, with the caveat
    full = build_context(dataclasses.replace(make_data(subs), authored=authored()), "en", "review")
    assert full.show_rankings and not full.caveat and full.base_line == "8 of 11 members"


@pytest.mark.parametrize("disclosure", ["anonymous", "named"])
def test_disclosure(data, disclosure):
    html = render_html(dataclasses.replace(data, authored=authored(disclosure=disclosure)), "en", "review")
    if disclosure == "named":
        assert 'id="heatmap"' in html and 'id="state-scores"' in html
    else:
        assert 'id="heatmap"' not in html and "no state named" in html


def test_staff_edition_is_the_v1_report(data):
    staff = render_html(data, "en", "staff")
    assert staff == render_html(dataclasses.replace(data, authored=None), "en", "staff")  # authored texts unused
    assert 'id="heatmap"' in staff and 'id="annex-b"' in staff and "staff edition (internal)" in staff
    assert build_context(data, "en").edition == "staff"


def test_edition_file_names():
    assert report_filename("RCM", 2026, "en") == "rcm-2026-en.pdf"
    assert report_filename("RCM", 2026, "en", "review") == "rcm-2026-en.pdf"
    assert report_filename("RCM", 2026, "fr", "staff") == "rcm-2026-staff-fr.pdf"
    with pytest.raises(ValueError):
        report_filename("RCM", 2026, "en", "public")


def test_lists_keep_their_ties():
    printed = {"a": 1, "b": 2, "c": 3, "d": 3, "e": 3, "f": 4}
    assert Sections.with_ties(list(printed), 3, printed.get) == ["a", "b", "c", "d", "e"]
    assert Sections.with_ties(list(printed), 2, printed.get) == ["a", "b"]
    assert Sections.with_ties([], 3, printed.get) == []


def test_gaps_keep_every_objective_tied_with_the_last_listed(data):
    build = Sections(data, "en", __import__("gcmtrack.reference.framework", fromlist=["framework"]).framework(),
                     __import__("gcmtrack.reference.states", fromlist=["states"]).states())
    lowest = build.gaps().lowest
    assert len(lowest) >= 5
    last = lowest[-1].score.text
    covered = [ref for ref in build.objectives.values() if (build.printed_score(ref.number) or 0) > 0]
    assert not [r for r in covered if r.score.text == last and r not in lowest]


def test_each_edition_is_skipped_on_its_own_inputs(db, tmp_path, monkeypatch):
    """The render index keys each file by name: the review and the staff edition are rendered,
    skipped and re-rendered each on its own (no PDF is laid out here: the renderer is a stub)."""
    from click.testing import CliRunner

    from gcmtrack.cli import main
    from gcmtrack.common.assets import data_dir
    from gcmtrack.report import batch

    result = CliRunner().invoke(main, ["ingest", str(data_dir("submissions") / "mex-2026.xlsx"), "--db", db])
    assert result.exit_code == 0, result.output
    rendered = []

    def stub(data, lang, pdf, html, digest, edition="review"):
        rendered.append(pdf.name)
        pdf.write_bytes(b"%PDF")
        html.write_bytes(b"<html>")
        return batch.RenderResult(data.process.id, lang, pdf, html, 1, False, digest, edition)

    monkeypatch.setattr(batch, "_render_one", stub)

    def report(*args):
        out = CliRunner().invoke(main, ["report", "--process", "RCM", "--cycle", "2026", "--lang", "en", "--jobs", "1",
                                        "--output", str(tmp_path), "--db", db, *args])
        assert out.exit_code == 0, out.output
        return out.output

    assert "rcm-2026-en.pdf" in report() and rendered == ["rcm-2026-en.pdf"]  # the review by default
    assert "rcm-2026-staff-en.pdf" in report("--edition", "staff") and rendered[-1] == "rcm-2026-staff-en.pdf"
    rendered.clear()
    again = report("--edition", "both")
    assert rendered == [] and "Skipped 2 unchanged report(s): rcm-2026-en.pdf, rcm-2026-staff-en.pdf" in again
    bad = CliRunner().invoke(main, ["report", "--process", "RCM", "--cycle", "2026", "--edition", "public",
                                    "--output", str(tmp_path), "--db", db])
    assert bad.exit_code == 2 and "public" in bad.output


def test_inputs_digest_depends_on_the_edition_and_on_what_staff_wrote(data):
    from gcmtrack.report.batch import inputs_digest

    review = inputs_digest(data, "en", "review")
    assert review != inputs_digest(data, "en", "staff")
    assert review != inputs_digest(dataclasses.replace(data, authored=authored(final=True)), "en", "review")
    # the staff edition does not show what staff wrote: a new text does not re-render it
    assert inputs_digest(data, "en", "staff") == inputs_digest(dataclasses.replace(data, authored=None), "en", "staff")


def test_one_name_for_a_practice_in_explain_and_the_report():
    from gcmtrack.cli.explain import explanation_lines
    from gcmtrack.scoring.explain import explain_submission

    sub = regional_submissions()["CAN"]
    explained = explain_submission(sub)
    decided = next(o for o in explained.objectives.values() if o.decisive_practice is not None)
    d = decided.decisive_practice
    name = f"CAN practice {d.index} ({d.sheet}, row {d.row})"
    assert any(name in line for line in explanation_lines(explained))
    ctx = build_context(make_data(regional_submissions()), "en")
    names = {r.decisive.name for c in ctx.chapters for o in c.objectives for r in o.reports if r.decisive}
    assert name in names
    entries = {e.name for g in ctx.catalogue for e in g.entries}
    # a catalogue line is in its workbook's language (this one Spanish): the same name, in Spanish
    assert f"CAN práctica {d.index} ({d.sheet}, fila {d.row})" in entries


@pytest.mark.slow
def test_the_review_rendered_from_the_store_holds_what_staff_wrote(db, tmp_path):
    """render_reports reads Store.authored_review per language: a saved text reaches the review,
    marked as written in another language where it has no translation yet."""
    from gcmtrack.report.batch import render_reports
    from gcmtrack.service import authoring
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store
    from tests.builders import build_workbook

    with Store(db) as store:
        assert ingest_bytes(store, build_workbook(state="MEX"), "mex.xlsx").accepted
        authoring.save_text(store, authoring.place("RCM", 2026, "en", "key-messages"),
                            "States of the region *widened regular pathways*.", actor="staff@example.org")
        results = render_reports(store, ["RCM"], 2026, ["en", "es"], tmp_path, workers=1)
    english = (tmp_path / "rcm-2026-en.html").read_text(encoding="utf-8")
    spanish = (tmp_path / "rcm-2026-es.html").read_text(encoding="utf-8")
    assert {r.edition for r in results} == {"review"}
    assert "States of the region <em>widened regular pathways</em>." in english
    assert "States of the region <em>widened regular pathways</em>." in spanish  # shown, marked as English
    assert 'lang="en"' in spanish[spanish.index("widened regular pathways") - 400:spanish.index("widened regular pathways")]


def test_an_sdg_indicator_is_placed_beside_the_objectives_it_concerns(review_html):
    from gcmtrack.reference.sdg import objectives_of_indicator, sdg_number

    assert objectives_of_indicator("10.7.2") == (23,)
    assert objectives_of_indicator("10.c.1 Remittance costs") == (20,)
    assert objectives_of_indicator("17.3.2") == (19, 20)
    assert sdg_number("10.7.2b") is None and objectives_of_indicator("Migrant stock") == ()
    assert sdg_number("10.7.22") == "10.7.22" and objectives_of_indicator("10.7.22") == ()  # not in the table
    # the fixture's 10.7.2 value stands in the context table and in objective 23's section only
    sections = re.split(r'<section class="objective[^"]*" id="objective-', review_html)
    placed = [s.split('"', 1)[0] for s in sections[1:] if "concerning this objective" in s.split("</section>", 1)[0]]
    assert placed == ["23"]
    context = review_html.split('id="context"', 1)[1].split("</section>", 1)[0]
    assert "10.7.2" in context and "UN DESA" in context
