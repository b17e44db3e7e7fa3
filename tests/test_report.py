"""The regional review report: structure of the PDF (never its bytes), translations, escaping,
the URL fetcher and determinism.

A few PDFs are rendered once per module (module-scoped fixtures): en, es and fr of the RCM,
cycle 2026, from small in-memory submissions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import random
import re
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
from pypdf import PdfReader

from tests.pdftext import page_texts, pdf_text
from weasyprint import HTML

from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Status, framework
from gcmtrack.submission import ObjectiveRow, Practice, StoredSubmission, Submission
from gcmtrack.reference.processes import get_process
from gcmtrack.report import context as report_context
from gcmtrack.report import model as report_model
from gcmtrack.report import render as report_render
from gcmtrack.report import sections as report_sections
from gcmtrack.report import weasy as report_weasy
from gcmtrack.report.context import ReportData, build_context, excerpt
from gcmtrack.report.i18n import format_score, format_share
from gcmtrack.report.render import (
    AssetFetcher,
    FetchRefused,
    render_document,
    render_html,
    render_pdf,
    report_filename,
    templates_dir,
)
from gcmtrack.common.assets import data_dir
from gcmtrack.scoring import score_process
from gcmtrack.scoring import trends as scoring_trends
from gcmtrack.reference.states import states

FW = framework()
CYCLE = 2026
EDITION = FW.edition(CYCLE)
STATUS_KEYS = [s.key for s in FW.statuses]
SUBMITTERS = ["CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "PAN"]  # of 11 RCM members
HOSTILE = '<script>alert("x")</script><img src="file:///etc/passwd"> http://evil.example/pixel.png'
HOSTILE_TITLE = '</style><style>body{display:none}</style><link rel="stylesheet" href="http://evil.example/x.css">'
LONG_WORD = "https://example.org/" + "a" * 500
LONG_TEXT = "Long narrative " * 1400  # 21,000 characters in one cell


# --------------------------------------------------------------------------- data helpers


def stored(code: str, submission: Submission, index: int, version: int = 1, warnings: int = 0) -> StoredSubmission:
    return StoredSubmission(
        id=index, state=code, cycle=CYCLE, version=version, filename=f"{code.lower()}-gcm-{CYCLE}.xlsx",
        sha256=hashlib.sha256(code.encode()).hexdigest(), ingested_at=f"2026-03-0{index}T1{index}:05:09Z",
        template_version="1.0", problems=tuple({"code": "w"} for _ in range(warnings)), submission=submission)


def make_data(submissions: dict[str, Submission], *, versions: dict[str, int] | None = None,
              sample: bool = False) -> ReportData:
    """ReportData for the RCM, cycle 2026, from in-memory submissions (keyed by state)."""
    process = get_process("RCM")
    members = process.members(CYCLE)
    latest = {code: stored(code, sub, i, (versions or {}).get(code, 1), warnings=i % 3)
              for i, (code, sub) in enumerate(sorted(submissions.items()), start=1)}
    score = score_process(process.id, CYCLE, members, submissions, FW)
    as_of = max((s.ingested_at for s in latest.values()), default=None)
    return ReportData(process, CYCLE, score, latest, {c: (versions or {}).get(c, 1) for c in latest}, as_of,
                      sample=sample)


def regional_submissions() -> dict[str, Submission]:
    """Eight states with varied statuses (seeded, so always the same), practices mapped through
    objectives and themes, and in MEX's submission hostile and very long text."""
    rnd = random.Random(2026)
    themes = [t.key for t in FW.themes]
    result = {}
    for code in SUBMITTERS:
        rows = {}
        for n in OBJECTIVE_NUMBERS:
            if rnd.random() < 0.15:
                continue  # not reported
            status = rnd.choices(STATUS_KEYS, [4, 3, 2, 2, 1])[0]
            rows[n] = ObjectiveRow(n, status, measures=f"{code} measures on objective {n}. " * rnd.randint(1, 5),
                                   principles=tuple(rnd.sample("abcdefghij", rnd.randint(0, 3))), row=n + 1)
        practices = [Practice(f"{code} practice {k}", rnd.choice(STATUS_KEYS[:4]),
                              description="Described in detail. " * rnd.randint(3, 30),
                              objectives=(rnd.choice(OBJECTIVE_NUMBERS),), themes=(rnd.choice(themes),),
                              principles=("a", "f"), row=k + 2)
                     for k in range(rnd.randint(0, 3))]
        if code == "MEX":
            rows[5] = ObjectiveRow(5, "implemented", measures=LONG_TEXT, row=6)
            rows[6] = ObjectiveRow(6, "in_progress", measures=LONG_WORD, row=7)
            rows[7] = ObjectiveRow(7, "planned", measures=HOSTILE, row=8)
            practices.append(Practice(HOSTILE_TITLE, "implemented", description=HOSTILE, objectives=(7,),
                                      link="file:///etc/passwd", row=9))
        result[code] = Submission(code, CYCLE, "es", rows, tuple(practices), template_version="1.0",
                                  date="2026-01-15" if code == "MEX" else None)
    return result


# --------------------------------------------------------------------------- render helpers


class SpyFetcher(AssetFetcher):
    """The report's fetcher, recording every URL WeasyPrint asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def fetch(self, url, headers=None):
        self.requests.append(url)
        return super().fetch(url, headers)


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclasses.dataclass
class Rendered:
    data: ReportData
    lang: str
    pdf: Path
    html: Path
    pages: int
    reader: PdfReader
    text: str
    flat: str  # text with whitespace runs collapsed to one space
    bare: str  # text without any whitespace
    requests: list[str]
    warnings: list[logging.LogRecord]


def render(data: ReportData, lang: str, folder: Path) -> Rendered:
    spy = SpyFetcher()
    handler = Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        pdf = folder / report_filename(data.process.id, data.cycle, lang)
        html = pdf.with_suffix(".html")
        pages = render_pdf(data, lang, pdf, html, url_fetcher=spy)
    finally:
        logger.removeHandler(handler)
    reader = PdfReader(pdf)
    text = pdf_text(pdf)
    return Rendered(data, lang, pdf, html, pages, reader, text, re.sub(r"\s+", " ", text),
                    re.sub(r"\s+", "", text), spy.requests,
                    [r for r in handler.records if r.levelno >= logging.WARNING])


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


@pytest.fixture(scope="module")
def regional_data() -> ReportData:
    return make_data(regional_submissions(), versions={"MEX": 2})


@pytest.fixture(scope="module")
def en(regional_data, tmp_path_factory) -> Rendered:
    return render(regional_data, "en", tmp_path_factory.mktemp("en"))


@pytest.fixture(scope="module")
def es(regional_data, tmp_path_factory) -> Rendered:
    return render(regional_data, "es", tmp_path_factory.mktemp("es"))


@pytest.fixture(scope="module")
def fr(regional_data, tmp_path_factory) -> Rendered:
    return render(regional_data, "fr", tmp_path_factory.mktemp("fr"))


# --------------------------------------------------------------------------- the PDF


@pytest.mark.slow
def test_pdf_structure_and_metadata(en):
    assert en.pages == len(en.reader.pages) > 15
    root = en.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    meta = en.reader.metadata
    assert meta.title == build_context(en.data, "en").title
    assert meta["/Author"] == "gcmtrack"
    as_of = "D:" + re.sub(r"\D", "", en.data.as_of) + "Z"  # "2026-03-08T18:05:09Z" -> D:20260308180509Z
    assert meta["/CreationDate"] == meta["/ModDate"] == as_of  # from the data, never the clock
    assert "Page 3 of " + str(en.pages) in en.text
    assert f"RCM · Regional review, cycle {CYCLE}" in en.text  # running header


@pytest.mark.slow
def test_no_weasyprint_warnings(en, es, fr):
    for rendered in (en, es, fr):
        assert rendered.warnings == [], [r.getMessage() for r in rendered.warnings]


@pytest.mark.slow
def test_sections_and_bookmarks_in_order(en):
    titles = outline_titles(en.reader)
    expected = ["Contents", "Executive summary", "Participation", "Coverage by state and objective", "Scores by state",
                *[f"Round table {t.number}" for t in EDITION.round_tables],
                "Gaps", "Guiding principles", "Annex A. Methodology", "Annex B. Submissions", "Annex C. Practices"]
    positions = [titles.index(title) for title in expected]
    assert positions == sorted(positions)
    for number in OBJECTIVE_NUMBERS:
        assert f"Objective {number}. {FW.objectives[number].label.en}" in titles
    # the contents page lists every section with a page number
    contents = page_texts(en.pdf)[1]
    assert re.search(r"Annex C\. Practices[ .]*\d+", contents)


@pytest.mark.slow
def test_numbers_equal_gcmtrack_score(en):
    """Every figure of `gcmtrack score --json` is in the PDF as the report formats it: each state's
    heatmap row and scores row, the process row, round tables, overall and participation."""
    scores = en.data.score.to_json()
    columns = [str(o) for table in EDITION.round_tables for o in table.objectives]
    fmt = lambda value: format_score(value, "en")  # noqa: E731
    for code, state in scores["states"].items():
        name = states().get(code).name("en")
        heat_row = " ".join([name] + [fmt(state["objectives"][o]) for o in columns])
        assert heat_row in en.flat, heat_row
        score_row = " ".join([name] + [fmt(state["round_tables"][str(t.number)]) for t in EDITION.round_tables]
                             + [fmt(state["overall"]), format_share(state["reported_share"], "en")])
        assert score_row in en.flat, score_row
    process_row = " ".join(["Process (mean)"] + [fmt(scores["objectives"][o]) for o in columns])
    assert process_row in en.flat
    for table in EDITION.round_tables:  # summary table
        objectives = ", ".join(str(o) for o in table.objectives)
        assert f"Round table {table.number} {objectives} {fmt(scores['round_tables'][str(table.number)])}" in en.flat
    assert f"Participation {format_share(scores['participation'], 'en')}" in en.flat
    assert f"Overall coverage score (0 to 1) {fmt(scores['overall'])}" in en.flat
    in_chapters = re.findall(r"Process score: (\S+)", en.flat)  # one per objective, chapter order
    assert in_chapters == [fmt(scores["objectives"][o]) for o in columns]


@pytest.mark.slow
def test_participation_and_positions(en):
    # 11 members, 8 submitted; positions stated neutrally with later changes dated
    assert "Members of the process 11" in en.flat and "Submissions received 8" in en.flat
    # the corrected, sourced events, worded as what they were, dated as far as the sources go
    assert ("United States of America Voted against; issued a revised national statement (December 2021), "
            "stated its opposition to it (16 April 2025)") in en.flat  # issue 18: UN date style, no treaty language
    # columns: position, dated, received, review state (none recorded in this fixture), versions, warnings
    assert "Belize Did not vote – Not submitted – 0 –" in en.flat
    mexico = en.data.latest["MEX"]
    assert f"Mexico Voted in favour 2026-01-15 {mexico.ingested_at[:10]} – 2 {mexico.warning_count}" in en.flat
    assert "Not yet verified against a primary source" not in en.text  # every RCM position is sourced
    for name in ("Belize", "Nicaragua", "United States"):  # gaps: members that did not submit
        assert name in en.text.split("Members that did not submit")[1]


@pytest.mark.slow
def test_round_table_chapters(en):
    # statuses counted from the Objectives rows; states without a row counted as not reported
    header = " ".join([s.name.en for s in FW.statuses] + ["Not reported"])
    printed = re.findall(re.escape(header) + r" ((?:\d+ ?)+)", en.flat)
    expected = []
    for table in EDITION.round_tables:
        for number in table.objectives:
            rows = [sub.submission.objectives.get(number) for sub in en.data.latest.values()]
            counts = [sum(1 for r in rows if r and r.status == key) for key in STATUS_KEYS]
            expected.append(" ".join(str(c) for c in counts + [sum(1 for r in rows if r is None)]))
    assert [p.strip() for p in printed] == expected
    for code, stored_sub in en.data.latest.items():  # every mapped practice is listed
        for practice in stored_sub.submission.practices:
            if practice.mapped_objectives(FW) and practice.title.startswith(code):
                assert practice.title in en.flat
    # excerpts: a 21,000-character cell is cut with an ellipsis in the chapter, and stands whole in
    # the state's profile (Annex D), which the row refers to (issue 18: nothing a state wrote is cut)
    assert "Long narrative Long narrative" in en.flat and "…" in en.text
    assert "every text stands in full in the state profiles (Annex D)" in en.flat
    assert "Full text: state profile (Annex D)" in en.flat
    html = en.html.read_text(encoding="utf-8")
    assert html.count(LONG_TEXT) == 1 and 'id="annex-d"' in html


@pytest.mark.slow
def test_submission_text_is_printed_never_interpreted(en):
    # the hostile cell appears literally in the text, and nothing in it was fetched
    assert re.sub(r"\s+", "", '<script>alert("x")</script><img src="file:///etc/passwd">') in en.bare
    assert re.sub(r"\s+", "", HOSTILE_TITLE[:60]) in en.bare
    assert not any("passwd" in url or "evil.example" in url for url in en.requests)
    html = en.html.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<img src="file' not in html and '<link rel="stylesheet" href="http' not in html


@pytest.mark.slow
def test_annexes(en):
    methodology = en.flat[en.flat.index("Scores follow the default coverage method"):]
    for status in FW.statuses:
        weight = "excluded" if status.weight is None else f"{status.weight:.2f}"
        assert f"{status.name.en} {weight}" in methodology
    assert "not an official UN crosswalk" in methodology
    assert "halves rounded up" in methodology
    annex_b = en.flat[en.flat.index("The submission that counts for each member"):]
    for code, sub in en.data.latest.items():
        assert sub.sha256[:12] in annex_b and sub.filename.split("-")[0] in annex_b


@pytest.mark.slow
def test_spanish_and_french(es, fr):
    for rendered, headings in (
        (es, ["Resumen ejecutivo", "Participación", "Mesa redonda 1", "Principios rectores", "Anexo A. Metodología"]),
        (fr, ["Résumé analytique", "Participation", "Table ronde 1", "Principes directeurs", "Annexe A. Méthodologie"]),
    ):
        root = rendered.reader.trailer["/Root"]
        assert root["/Lang"] == rendered.lang
        titles = outline_titles(rendered.reader)
        for heading in headings:
            assert heading in titles
        for number in OBJECTIVE_NUMBERS:  # objective titles from the data, in the language
            assert FW.objectives[number].title(rendered.lang) in rendered.flat
        for principle in FW.principles:
            assert principle.name(rendered.lang) in rendered.flat
        scores = rendered.data.score.to_json()
        for value in scores["objectives"].values():
            assert format_score(value, rendered.lang) in rendered.flat
        assert rendered.data.process.acronym(rendered.lang) + " · " in rendered.text
    assert "0,75" in format_score(0.75, "es") and "Página 3 de" in es.text
    assert "Page 3 sur" in fr.text


@pytest.mark.slow
def test_same_data_same_report(en, regional_data, tmp_path):
    again = render(regional_data, "en", tmp_path)
    assert again.text == en.text
    assert again.pages == en.pages
    assert again.html.read_text(encoding="utf-8") == en.html.read_text(encoding="utf-8")
    assert again.pdf.read_bytes() == en.pdf.read_bytes()  # no clock, no random ids anywhere


# --------------------------------------------------------------------------- layout of long text


@pytest.mark.slow
def test_long_text_wraps_inside_the_page():
    sub = Submission("MEX", CYCLE, "en", {
        2: ObjectiveRow(2, "implemented", measures=LONG_TEXT),
        5: ObjectiveRow(5, "in_progress", measures=LONG_WORD),
    }, (Practice(LONG_WORD, "implemented", description=LONG_TEXT, objectives=(2,)),))
    handler = Records()
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        document = render_document(make_data({"MEX": sub}), "en")
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    assert not [r for r in handler.records if r.levelno >= logging.WARNING]
    for page in document.pages:
        box = page._page_box
        right = box.margin_width() - box.margin_right
        for child in box.descendants():
            if type(child).__name__ == "TextBox":
                assert child.position_x + child.width <= right + 1, child.text[:40]


@pytest.mark.slow
def test_report_without_submissions(tmp_path):
    data = make_data({})
    assert data.as_of is None
    ctx = build_context(data, "en")
    assert ctx.generated_on is None and ctx.created_w3c is None
    assert ctx.summary.participation == "0%" and ctx.summary.overall.text == "\u2013"
    assert len(ctx.gaps.not_submitted) == len(data.process.members(CYCLE))
    pages = render_pdf(data, "fr", tmp_path / "empty.pdf")
    assert pages >= 8
    assert "Aucun État membre" in page_texts(tmp_path / "empty.pdf")[2]


# --------------------------------------------------------------------------- fetcher, files


def test_fetcher_allows_only_bundled_assets(tmp_path):
    fetcher = AssetFetcher()
    for url in ("file:///etc/passwd", "http://evil.example/x.png", "https://example.org/a.css",
                "data:text/css,body{}", (templates_dir() / ".." / ".." / "pyproject.toml").as_uri(),
                "file://evil.example/etc/passwd", "ftp://example.org/x"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    response = fetcher.fetch((templates_dir() / "report.css").as_uri())
    assert b"@page" in response.read()
    # a document that tries to load outside assets gets nothing: the spy sees the refused requests
    spy = SpyFetcher()
    logger = logging.getLogger("weasyprint")
    level, logger.level = logger.level, logging.CRITICAL  # the refusals are logged as warnings
    try:
        HTML(string='<img src="file:///etc/passwd"><link rel="stylesheet" href="http://evil.example/x.css">',
             base_url=templates_dir().as_uri() + "/", url_fetcher=spy).write_pdf()
    finally:
        logger.level = level
    assert sorted(spy.requests) == ["file:///etc/passwd", "http://evil.example/x.css"]


def test_render_pdf_uses_the_asset_fetcher_by_default(monkeypatch, tmp_path):
    seen = []

    class FakeHTML:
        def __init__(self, **kwargs):
            seen.append(kwargs["url_fetcher"])
            raise RuntimeError("stop")

    monkeypatch.setattr(report_render, "ReportHTML", FakeHTML)
    with pytest.raises(RuntimeError):
        render_pdf(make_data({}), "en", tmp_path / "x.pdf")
    assert isinstance(seen[0], AssetFetcher)


@pytest.mark.slow
def test_failed_render_leaves_no_partial_file(monkeypatch, tmp_path):
    target = tmp_path / "rcm-2026-en.pdf"
    target.write_bytes(b"old report")

    def boom(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report_render.Document, "write_pdf", boom)
    with pytest.raises(OSError):
        render_pdf(make_data({}), "en", target, tmp_path / "rcm-2026-en.html")
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rcm-2026-en.pdf"]


@pytest.mark.slow
def test_cached_page_references_write_the_same_pdf(monkeypatch, regional_data):
    """The cached `page_references` (weasy.py) is only faster: the PDF is byte-identical to the
    one pydyf's own property writes, and the cache follows pages added after it was filled."""
    import pydyf

    assert isinstance(report_weasy.ORIGINAL_PAGE_REFERENCES, property)
    assert pydyf.PDF.page_references.fget is report_weasy._cached_page_references
    document = render_document(regional_data, "en")
    ours = document.write_pdf(pdf_variant=report_render.PDF_VARIANT, pdf_tags=True)
    monkeypatch.setattr(pydyf.PDF, "page_references", report_weasy.ORIGINAL_PAGE_REFERENCES)
    theirs = document.write_pdf(pdf_variant=report_render.PDF_VARIANT, pdf_tags=True)
    assert len(document.pages) > 10 and ours == theirs
    monkeypatch.undo()
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(first) == 1 and len(pdf.page_references) == 2 and pdf.page_references[0] == first[0]


@pytest.mark.slow
def test_scoped_user_agent_stylesheet_writes_the_same_pdf(regional_data):
    """The scoped user-agent stylesheet (weasy.py) only spares WeasyPrint styles nobody uses: the
    report laid out with WeasyPrint's own stylesheet is the same PDF, byte for byte."""
    sheet = report_weasy.user_agent_stylesheet()
    assert sheet is not None  # this WeasyPrint's stylesheet has the universal rules it scopes
    html = report_render.render_html(regional_data, "es")
    options = {"base_url": report_render.templates_dir().resolve().as_uri() + "/",
               "url_fetcher": report_render.AssetFetcher()}
    ours = report_render.ReportHTML(string=html, **options).render()
    assert ours.pages and len(ours.pages) > 10
    theirs = HTML(string=html, **options).render()
    write = {"pdf_variant": report_render.PDF_VARIANT, "pdf_tags": True}
    assert ours.write_pdf(**write) == theirs.write_pdf(**write)


@pytest.fixture
def fresh_stylesheet():
    report_weasy.user_agent_stylesheet.cache_clear()
    yield
    report_weasy.user_agent_stylesheet.cache_clear()


TESTED = r"tested with weasyprint 70\.x, pydyf 0\.13\.x; installed: weasyprint \S+, pydyf \S+"


@pytest.mark.parametrize("module, cls, name", [("weasyprint.html", None, "UA"), ("weasyprint", "HTML", "_ua_stylesheets"),
                                               ("weasyprint.css.counters", None, "CounterStyle"),
                                               ("pydyf", "PDF", "page_references")])
def test_the_engine_tuning_fails_loudly_without_a_private_name(monkeypatch, fresh_stylesheet, module, cls, name):
    """Every private name weasy.py relies on, taken away: an EngineMismatch names it and the
    versions tested, never a silently slower render."""
    import importlib

    owner = importlib.import_module(module)
    if cls:
        owner = getattr(owner, cls)
    report_weasy.check_engine()  # all there
    monkeypatch.delattr(owner, name)
    full_name = ".".join(x for x in (module, cls, name) if x)
    with pytest.raises(report_weasy.EngineMismatch, match=re.escape(full_name) + ".*" + TESTED):
        report_weasy.check_engine()
    first_use = {"UA": report_weasy.user_agent_stylesheet, "CounterStyle": report_weasy.user_agent_stylesheet,
                 "page_references": report_weasy.cache_page_references}
    if name in first_use:  # the function that relies on it fails too
        with pytest.raises(report_weasy.EngineMismatch, match=re.escape(full_name)):
            first_use[name]()


def test_the_engine_tuning_fails_loudly_when_it_would_do_nothing(monkeypatch, fresh_stylesheet):
    """A user-agent stylesheet without the universal rules it scopes, or a PDF class whose
    page_references is no longer a property: an error, not a render without the tuning."""
    import weasyprint.html

    monkeypatch.setattr(weasyprint.html, "UA", "p { margin: 0 }")
    with pytest.raises(report_weasy.EngineMismatch, match=r"weasyprint\.html\.UA \(universal"):
        report_weasy.user_agent_stylesheet()

    class OtherPDF:
        page_references = ()

    with pytest.raises(report_weasy.EngineMismatch, match=r"OtherPDF\.page_references \(a property\)"):
        report_weasy.cache_page_references(OtherPDF)
    assert OtherPDF.page_references == ()


def test_the_garbage_collector_is_paused_for_a_render_and_restored(monkeypatch, tmp_path):
    import gc

    seen = []

    def spy(html, url_fetcher):
        seen.append(gc.isenabled())
        raise RuntimeError("stop")

    monkeypatch.setattr(report_render, "_layout", spy)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        render_pdf(make_data({}), "en", tmp_path / "x.pdf")
    assert seen == [False] and gc.isenabled()  # restored, even on failure
    gc.disable()
    try:
        with report_render.gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()


def test_report_filename():
    assert report_filename("RCM", 2026, "es") == "rcm-2026-es.pdf"
    assert report_filename(" mirps ", 2022, "en") == "mirps-2022-en.pdf"
    with pytest.raises(ValueError):
        report_filename("RCM", 2026, "de")


# --------------------------------------------------------------------------- templates and catalogues


def test_templates_read_only_the_context():
    env = report_render.environment()
    allowed = {"ctx", "_", "gettext", "ngettext", "dir_for"}  # dir_for: a text's direction (issue 21)
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert used <= allowed, (name, used - allowed)
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined


def test_context_is_documented_frozen_and_uses_no_clock(regional_data):
    ctx = build_context(regional_data, "en")
    assert dataclasses.is_dataclass(ctx) and type(ctx).__dataclass_params__.frozen
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.lang = "fr"  # type: ignore[misc]
    # the view-model is defined in report/model.py, built by report/sections.py and assembled by
    # report/context.py, from the matched-cycle trends of scoring/trends.py
    assert type(ctx).__module__ == report_model.__name__
    source = Path(report_model.__file__).read_text(encoding="utf-8")
    body = source.split("class ReportContext:")[1].split("\n\n\n")[0]
    for field in dataclasses.fields(type(ctx)):  # documented field by field
        assert re.search(rf"^    {field.name}: .*  # \S", body, re.M), field.name
    for part in vars(report_model).values():  # every part of the view-model: frozen and documented
        if dataclasses.is_dataclass(part) and part.__module__ == report_model.__name__:
            assert part.__dataclass_params__.frozen, part.__name__
            assert part.__doc__ and not part.__doc__.startswith(part.__name__ + "("), part.__name__  # not dataclass's own
    for module in (report_model, report_sections, report_context, scoring_trends):
        source = Path(module.__file__).read_text(encoding="utf-8")
        for clock_or_chance in ("now(", "today(", "time.time", "import random", "uuid"):
            assert clock_or_chance not in source, (module.__name__, clock_or_chance)
    assert ctx == build_context(regional_data, "en")
    assert regional_data.as_of == "2026-03-08T18:05:09Z"
    assert ctx.generated_on == "8 March 2026"  # UN style (issue 18)
    assert ctx.data_as_of == "8 March 2026, 18:05 UTC"
    assert ctx.created_w3c == regional_data.as_of


# test_catalogues_are_complete moved to tests/test_catalogues.py (every domain, every language).


def test_positions_wording_is_translated():
    for lang, abstained in (("en", "Abstained"), ("es", "Se abstuvo"), ("fr", "S'est abstenu")):
        position = states().position("AUT")
        assert report_sections._position_text(position, lang) == abstained


def test_number_formats():
    assert [format_score(0.75, lang) for lang in ("en", "es", "fr")] == ["0.75", "0,75", "0,75"]
    assert format_score(None, "en") == "\u2013"
    assert format_score(0.125, "en") == "0.13"  # halves rounded up
    assert format_score(0.124951, "en") == "0.12"  # from the exact value, never from the published 0.1250
    assert format_share(0.8182, "en") == "82%"
    assert format_share(0.8182, "fr").replace("\u202f", " ").replace("\xa0", " ") == "82 %"
    assert excerpt("word " * 100, 50).endswith("\u2026") and len(excerpt("word " * 100, 50)) <= 51


def test_methodology_reads_weights_from_the_framework(monkeypatch, regional_data):
    changed = dataclasses.replace(FW, statuses=tuple(
        Status(s.key, 0.3 if s.key == "planned" else s.weight, s.name) for s in FW.statuses))
    monkeypatch.setattr(report_context, "framework", lambda: changed)
    ctx = build_context(regional_data, "fr")
    weights = {w.name: w.weight for w in ctx.methodology.weights}
    assert weights["Prévu"] == "0,30" and weights["Sans objet"] is None


def test_sample_flag_on_cover(regional_data):
    assert "Illustrative report" not in render_html(regional_data, "en")
    assert "Illustrative report" in render_html(dataclasses.replace(regional_data, sample=True), "en")
    html = render_html(regional_data, "es")
    assert '<html lang="es" dir="ltr">' in html and "<title>CRM: examen regional" in html


# --------------------------------------------------------------------------- provenance, trends, layout (v2)


def test_each_score_says_what_decided_it(en, regional_data):
    """A state's row in an objective's table names the practice that decided its score, and marks
    a row whose status is below a practice mapped to the same objective."""
    from gcmtrack.scoring.explain import explain_submission

    found = 0
    for code, stored_sub in regional_data.latest.items():
        explained = explain_submission(stored_sub.submission)
        name = states().get(code).name("en")
        for number, o in explained.objectives.items():
            if o.decided_by == "practice":
                d = o.decisive_practice  # issue 18: one name for a practice in explain, report and export
                ref = f"{code} practice {d.index} ({d.sheet}, row {d.row})"
                row = re.escape(name) + r" \S.*? " + re.escape(format_score(o.score, "en")) + " " + re.escape(ref)
                assert re.search(row, en.flat), (code, number, ref)
                found += 1
    assert found
    contradictions = sum(len(explain_submission(s.submission).contradictions) for s in regional_data.latest.values())
    assert en.flat.count("row below practice") >= contradictions > 0
    ctx = build_context(regional_data, "en")
    assert ctx.summary.contradictions == str(contradictions)


def test_excerpts_carry_their_language_and_practices_are_listed_once(en, regional_data):
    html = en.html.read_text(encoding="utf-8")
    # the Spanish excerpts' cells and catalogue entries say so; their labels, status names and
    # objectives are in Spanish too, so that one lang covers each (no element inside)
    assert '<html lang="en" dir="ltr">' in html
    cells = re.findall(r'<td colspan="4" class="excerpt" headers="[^"]+" lang="es">([^<]*)</td>', html)
    assert cells and any("Prácticas (anexo C): " in c for c in cells)
    assert not any("Practices (Annex C)" in c or "Evidence:" in c for c in cells)
    entries = re.findall(r'<li id="practice-\w+-\d+" lang="es">[A-Z]{3} práctica \d+ \(Prácticas, fila \d+\)\u2003([^<]*)</li>', html)
    assert entries and all(re.search(r"\((Implementado|En curso|Planificado|No iniciado|No aplica)[^;]*; objetivos? ", e)
                           for e in entries), entries[:3]
    ctx = build_context(regional_data, "en")
    reports = [r for chapter in ctx.chapters for o in chapter.objectives for r in o.reports]
    written = [r for r in reports if r.measures or r.details]
    assert 0 < len(written) < len(reports)  # a state that wrote nothing for an objective has no excerpt row
    assert html.count('class="excerpt"') == len(written) and len(re.findall(r'<tbody class="state(?: tail)?">', html)) == len(reports)
    entries = [e for g in ctx.catalogue for e in g.entries]
    total = sum(len(s.submission.practices) for s in regional_data.latest.values())
    assert len(entries) == total and len({e.id for e in entries}) == total
    for entry in entries:  # each practice's row in the catalogue, once
        assert html.count(f'id="{entry.anchor}"') == 1


def test_best_and_least_covered_disclose_ties():
    # 4 states; objectives 1, 2, 3 and 4 all end at 0.475 -> 0.48 printed: the least-covered list
    # grows past three to hold every tie, and says so
    statuses = {"A": "implemented", "B": "implemented", "C": "in_progress", "D": "not_started"}
    subs = {}
    for code, status in zip(["CAN", "CRI", "SLV", "GTM"], statuses.values()):
        rows = {n: ObjectiveRow(n, "implemented") for n in OBJECTIVE_NUMBERS}
        for n in (1, 2, 3, 4):
            rows[n] = ObjectiveRow(n, status)
        subs[code] = Submission(code, CYCLE, "en", rows)
    # (1 + 1 + 0.5 + 0) / 4 = 0.625 for objectives 1-4; every other objective 1.0
    ctx = build_context(make_data(subs), "en")
    assert [r.number for r in ctx.summary.least.objectives] == [1, 2, 3, 4]
    assert ctx.summary.least.ties == ("Objectives 1, 2, 3, and 4 have the same score (0.63).",)
    assert len(ctx.summary.best.objectives) == 19  # 19 objectives tied at 1.00, all listed


def test_annex_b_lists_the_warnings_themselves(tmp_path):
    sub = regional_submissions()
    data = make_data(sub)
    below = [{"severity": "warning", "code": "status-below-practice", "sheet": "Objetivos", "cell": cell,
              "value": "planned", "message": f"El objetivo {n} figura como Planificado, pero…", "hint": ""}
             for n, cell in ((2, "B3"), (6, "B7"))]
    warned = dataclasses.replace(data.latest["CAN"], problems=(
        {"severity": "warning", "code": "invalid-email", "sheet": "Submission", "cell": "B5",
         "value": "x at y", "message": "“x at y” no parece una dirección de correo electrónico.", "hint": ""},
        *below))
    data = dataclasses.replace(data, latest={**data.latest, "CAN": warned})
    html = render_html(data, "en")
    canada = html[html.index('<h3 class="group">Canada</h3>'):]
    # one warning of a kind: as the validator gave it, in the workbook's language
    assert canada.startswith('<h3 class="group">Canada</h3>\n  <ul class="warnings">\n    '
                             '<li lang="es">invalid-email · Submission B5 — “x at y” no parece una dirección')
    # two of a kind: once, with what they mean in the report's language and both cells
    assert ("<li>status-below-practice (2) — Objectives whose status is below that of a practice mapped to "
            "them; the score follows the practice (see each objective&#39;s table). Cells: Objetivos B3, B7</li>"
            ) in canada.split("</ul>")[0]
    french = render_html(data, "fr")
    assert "<li>status-below-practice (2) — Objectifs dont l&#39;avancement est inférieur" in french
    assert "Cellules\u00a0: Objetivos B3, B7</li>" in french


def test_every_warning_has_a_summary_in_every_language():
    from gcmtrack.intake.problems import WARNING, catalogue, summary

    warnings = [code for code, entry in catalogue().items() if entry["severity"] == WARNING]
    assert len(warnings) > 15
    for code in warnings:
        for lang in LANGS:
            text = summary(code, lang)
            assert text and "{" not in text, (code, lang)
    assert summary("file-empty", "en") is None  # errors have none: they are never in a report


def previous_data(data: ReportData) -> ReportData:
    """The same report data with a 2022 cycle: CAN, CRI and MEX reported then, every status one
    step lower (so every comparable score rose or stayed)."""
    from gcmtrack.report.context import PreviousCycle

    lower = {"implemented": "in_progress", "in_progress": "planned", "planned": "not_started"}
    then = {}
    for i, code in enumerate(["CAN", "CRI", "MEX"], start=1):
        sub = data.latest[code].submission
        rows = {n: dataclasses.replace(r, status=lower.get(r.status, r.status)) for n, r in sub.objectives.items()}
        old = dataclasses.replace(sub, cycle=2022, objectives=rows, practices=())
        then[code] = StoredSubmission(100 + i, code, 2022, 1, f"{code.lower()}-2022.xlsx", "f" * 64,
                                      "2022-01-10T10:00:00Z", "1.0", (), old)
    return dataclasses.replace(data, previous=PreviousCycle(2022, then))


def test_trends_compare_the_states_in_both_cycles(regional_data):
    from fractions import Fraction

    data = previous_data(regional_data)
    ctx = build_context(data, "en")
    t = ctx.trends
    assert t is not None and t.previous_cycle == 2022 and t.previous_edition == "IMRF 2022"
    assert t.compared == "3" and t.compared_names == tuple(sorted(states().get(c).name("en") for c in ("CAN", "CRI", "MEX")))
    # hand check: the overall change of Mexico equals its exact overall now minus then, rounded once
    now = score_process("RCM", CYCLE, ["MEX"], {"MEX": data.latest["MEX"].submission}, FW).states["MEX"]
    then = score_process("RCM", 2022, ["MEX"], {"MEX": data.previous.latest["MEX"].submission}, FW).states["MEX"]
    delta = now.exact["overall"] - then.exact["overall"]
    from gcmtrack.report.i18n import format_change

    mexico = next(r for r in t.states if r.label == "Mexico")
    assert mexico.change.text == format_change(delta, "en") and mexico.change.direction == 1
    assert mexico.before.text == format_score(float(then.exact["overall"]), "en")
    assert isinstance(delta, Fraction)
    assert ctx.summary.moved and "3 states" in ctx.summary.moved[0]
    assert ctx.summary.overall_change is not None and ctx.summary.overall_change.direction >= 0
    assert [c.title for c in ctx.contents if c.anchor == "trends"] == ["Changes since IMRF 2022"]
    assert len(t.map_rows) == 3 and all(len(r.cells) == 23 for r in t.map_rows)
    # without previous data there are no trends
    assert build_context(regional_data, "en").trends is None


@pytest.mark.slow
def test_layout_holds(regional_data, tmp_path):
    """No table row, state's pair of rows nor list item split across pages, no heading at a page's foot, no page holding
    only a note, no hyphenated column header (the trends chapter included)."""
    document = render_document(previous_data(regional_data), "es")
    seen: dict[int, int] = {}
    pairs: set[int] = set()
    for number, page in enumerate(document.pages, start=1):
        texts = []  # (nearest block tag, classes, text) in document order

        def walk(box, tag=None, classes="", in_header=False):
            name = type(box).__name__
            if name == "MarginBox":
                return
            if name == "TableRowGroupBox" and (box.is_header or box.is_footer):
                in_header = True
            if name == "TableRowBox" and not in_header:
                seen.setdefault(id(box.element), set()).add(number)
            if name == "TableRowGroupBox" and "state" in (box.element.get("class") or "").split():
                seen.setdefault(id(box.element), set()).add(number)  # a state's two rows, together
                pairs.add(id(box.element))
            if getattr(box, "element_tag", None) == "li":  # a practice, a warning, a list item
                seen.setdefault(id(box.element), set()).add(number)
            element_tag = getattr(box, "element_tag", None)
            if element_tag in ("h1", "h2", "h3", "p", "td", "th", "li", "caption"):
                tag = element_tag
                classes = (box.element.get("class") or "") if box.element is not None else ""
            if name == "TextBox":
                texts.append((tag, classes, box.text, in_header))
            for child in getattr(box, "children", ()) or ():
                walk(child, tag, classes, in_header)

        walk(page._page_box)
        body = [t for t in texts if t[2].strip()]
        assert body, number
        assert body[-1][0] not in ("h1", "h2", "h3"), (number, body[-1])
        assert not all("note" in c for _t, c, _x, _h in body), number
        for tag, _c, text, in_header in body:
            if in_header and tag == "th":
                assert not text.rstrip().endswith("-") and "\u00ad" not in text, (number, text)
    split = {element: pages for element, pages in seen.items() if len(pages) > 1}
    assert not split, split
    assert len(pairs) > 23  # the pairs were looked at (a state and objective each)


def test_annex_b_speaks_the_reports_language_and_keeps_old_texts_in_theirs():
    """A warning stored as data is shown in the report's language; one stored as text by an
    earlier release keeps its words and is marked with the workbook's language."""
    import dataclasses

    from gcmtrack.intake.problems import Problem

    subs = regional_submissions()
    data = make_data(subs)
    code = sorted(subs)[0]
    spanish = dataclasses.replace(subs[code], lang="es")
    data_problem = Problem("older-than-current", value="2025-12-13",
                           params={"date": "2025-12-13", "current_date": "2026-01-03", "current_version": 1})
    old_text = {"severity": "warning", "code": "no-practices", "sheet": "Prácticas", "cell": None, "value": None,
                "message": "La hoja de prácticas está vacía.", "hint": "Añada sus prácticas."}
    latest = dict(data.latest)
    latest[code] = dataclasses.replace(latest[code], submission=spanish, problems=(),
                                       problem_data=(data_problem.to_stored(), old_text))
    ctx = build_context(dataclasses.replace(data, latest=latest), "fr")
    [row] = [r for r in ctx.submissions if r.code == code]
    groups = {g.code: g for g in row.warning_groups}
    assert groups["older-than-current"].message == data_problem.message("fr")
    assert groups["older-than-current"].lang == "fr"
    assert (groups["no-practices"].message, groups["no-practices"].lang) == ("La hoja de prácticas está vacía.", "es")
