"""Render a report: its context through the Jinja2 templates to HTML, then WeasyPrint to a tagged PDF.

One Jinja2 environment (autoescape, StrictUndefined, gettext). WeasyPrint fetches nothing but
the report's own bundled assets: any other URL, wherever it comes from, is refused.
"""

from __future__ import annotations

import gc
import mimetypes
import re
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
import pydyf
from weasyprint import CSS, HTML, Document, URLFetcher
from weasyprint.urls import URLFetcherResponse

from gcmtrack.common.files import write_atomic
from gcmtrack.report.context import ReportContext, ReportData, build_context
from gcmtrack.report.i18n import check_lang, translations
from gcmtrack.common.assets import data_dir

TEMPLATE = "report.html"
PDF_VARIANT = "pdf/ua-1"  # implies tagged PDF (pdf_tags) and PDF 1.7
_RENDER_LOCK = threading.Lock()


def templates_dir() -> Path:
    """templates/report/: the report's templates, stylesheet and any bundled asset."""
    return data_dir("templates") / "report"


class FetchRefused(ValueError):
    """A URL outside the report's bundled assets."""


class AssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside templates/report/ and refuses every
    other URL (other files, http, data, …): no URL typed in a submission is ever fetched."""

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(allowed_protocols=("file",))
        self.root = (root or templates_dir()).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url!r}: only the report's bundled assets are allowed")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url!r}: only the report's bundled assets are allowed")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


def _cached_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references` rebuilds the tuple of every page's reference at each call, and
    WeasyPrint's tagging calls it once per tagged box: quadratic in the page count (about 4% of a
    100-page report). The same tuple, rebuilt only when a page has been added since."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_gcmtrack_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_gcmtrack_page_references"] = cached
    return cached[1]


_ORIGINAL_PAGE_REFERENCES = pydyf.PDF.__dict__.get("page_references")
if isinstance(_ORIGINAL_PAGE_REFERENCES, property):  # the pydyf this was written against
    pydyf.PDF.page_references = property(_cached_page_references)


# WeasyPrint's HTML user-agent stylesheet gives every element of the document a ::marker and five
# note pseudo-elements (`::marker { … }`, `::footnote-call { … }`, …), and computes a style for
# each of them: six styles per element, more than half of the time spent on styles in a long report.
# The report has markers only on list items and no footnote or note, so those rules are scoped to
# the elements that can use them. The PDF is byte-identical (tests/test_report.py).
_UNIVERSAL_PSEUDO_RULE = re.compile(r"^::(marker|footnote-call|footnote-marker|note-[a-z]+)( *\{[^}]*\})", re.M)
_PSEUDO_SCOPE = {"marker": "li::marker, summary::marker", "footnote-call": ".footnote::footnote-call",
                 "footnote-marker": ".footnote::footnote-marker"}


@cache
def user_agent_stylesheet() -> CSS | None:
    """WeasyPrint's user-agent stylesheet with its universal pseudo-element rules scoped (the
    note-* rules dropped: the report has no note); None when this WeasyPrint has no such rule, or
    keeps its stylesheet elsewhere (its own is then used unchanged)."""
    try:
        from weasyprint import html as weasy_html
        from weasyprint.css.counters import CounterStyle

        text = weasy_html.UA
    except (ImportError, AttributeError):
        return None
    scoped, count = _UNIVERSAL_PSEUDO_RULE.subn(
        lambda m: _PSEUDO_SCOPE[m.group(1)] + m.group(2) if m.group(1) in _PSEUDO_SCOPE else "", text)
    # Its @counter-style rules are already in WeasyPrint's own counter styles, which every document
    # copies: parsed again into those, they would be refused as duplicates (with a warning).
    return CSS(string=scoped, counter_style=CounterStyle()) if count else None


class ReportHTML(HTML):
    """WeasyPrint's HTML, with the scoped user-agent stylesheet (see above)."""

    def _ua_stylesheets(self, forms=False):
        sheet = user_agent_stylesheet()
        return super()._ua_stylesheets(forms) if sheet is None or forms else [sheet]


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the reports."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_context(ctx: ReportContext) -> str:
    """The HTML of a context: the template sees `ctx` and the gettext functions only."""
    env = environment()
    tr = translations(ctx.lang)
    # The environment is shared: the language's catalogue is installed for one render at a time.
    with _RENDER_LOCK:
        env.install_gettext_translations(tr, newstyle=True)
        try:
            return env.get_template(TEMPLATE).render(ctx=ctx)
        finally:
            env.uninstall_gettext_translations(tr)


def render_html(data: ReportData, lang: str) -> str:
    """The report's HTML in one language (self-contained: the stylesheet is inlined)."""
    return render_context(build_context(data, check_lang(lang)))


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused for one render, then restored as it was.

    WeasyPrint's layout allocates millions of short-lived objects and makes almost no cyclic
    garbage: the collector's passes during a render are about 15% of its time and free next to
    nothing (peak RSS of a 61-page report: 240 MB collecting, 248 MB paused; benchmarks/reports.py).
    The pause is process-wide: in a threaded server, other threads' cycles wait for the render."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _layout(html: str, url_fetcher: URLFetcher | None) -> Document:
    return ReportHTML(
        string=html,
        base_url=templates_dir().resolve().as_uri() + "/",
        url_fetcher=url_fetcher or AssetFetcher(),
    ).render()


def render_document(data: ReportData, lang: str, *, url_fetcher: URLFetcher | None = None) -> Document:
    """The laid-out report (WeasyPrint pages), before it is written as PDF."""
    html = render_html(data, lang)
    with gc_paused():
        return _layout(html, url_fetcher)


def render_pdf(data: ReportData, lang: str, pdf_path: Path, html_path: Path | None = None,
               *, url_fetcher: URLFetcher | None = None) -> int:
    """Write the report's PDF (and its HTML when `html_path` is given), each atomically: a failure
    never leaves a partial file. Returns the number of pages. `url_fetcher` replaces the default
    AssetFetcher (tests pass a spy)."""
    html = render_html(data, lang)
    with gc_paused():
        document = _layout(html, url_fetcher)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    write_atomic(Path(pdf_path), pdf)
    if html_path is not None:
        write_atomic(Path(html_path), html.encode("utf-8"))
    return len(document.pages)


def report_filename(process_id: str, cycle: int, lang: str) -> str:
    """"<process-id-lowercase>-<cycle>-<lang>.pdf", e.g. "rcm-2026-es.pdf"."""
    return f"{process_id.strip().lower()}-{int(cycle)}-{check_lang(lang)}.pdf"

