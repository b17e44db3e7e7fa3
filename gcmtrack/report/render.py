"""Render a report: its context through the Jinja2 templates to HTML, then WeasyPrint to a tagged PDF.

One Jinja2 environment (autoescape, StrictUndefined, gettext). WeasyPrint fetches nothing but
the report's own bundled assets: any other URL, wherever it comes from, is refused. WeasyPrint
and pydyf are tuned for the reports in weasy.py (ReportHTML, gc_paused).
"""

from __future__ import annotations

import dataclasses
import mimetypes
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup
from weasyprint import Document, URLFetcher
from weasyprint.urls import URLFetcherResponse

from gcmtrack.common.files import write_atomic
from gcmtrack.report.context import DEFAULT_EDITION, ReportContext, ReportData, build_context, check_edition
from gcmtrack.report.model import StateProfile
from gcmtrack.report.i18n import check_lang, translations
from gcmtrack.report.weasy import ReportHTML, gc_paused
from gcmtrack.common.assets import data_dir
from gcmtrack.common.languages import direction

TEMPLATE = "report.html"
PROFILE_TEMPLATE = "state_profile.html"
#: Rendered state profiles: (submission sha256, report language) -> HTML fragment. A state's profile
#: is the same in every process it belongs to, so a batch renders it once per language and reuses
#: it (review.md, "Speed"); a new version has a new digest, hence a new entry.
_PROFILE_CACHE: dict[tuple[str, str], Markup] = {}
_PROFILE_CACHE_MAX = 4096
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
    env.globals["dir_for"] = dir_for
    return env


def dir_for(text_lang: str, page_lang: str) -> Markup:
    """A dir attribute for text written in `text_lang` inside a page in `page_lang`, when the two
    are written in different directions (a Spanish answer quoted in the Arabic review, an Arabic
    one in the English review); nothing otherwise, so the element inherits the page's."""
    wanted = direction(text_lang)
    return Markup(f' dir="{wanted}"') if wanted != direction(page_lang) else Markup("")


def render_context(ctx: ReportContext) -> str:
    """The HTML of a context: the template sees `ctx`, the gettext functions and `dir_for`."""
    env = environment()
    tr = translations(ctx.lang)
    # The environment is shared: the language's catalogue is installed for one render at a time.
    with _RENDER_LOCK:
        env.install_gettext_translations(tr, newstyle=True)
        try:
            if ctx.profiles:
                ctx = dataclasses.replace(ctx, profiles=tuple(_profile_html(env, p, ctx.lang) for p in ctx.profiles))
            return env.get_template(TEMPLATE).render(ctx=ctx)
        finally:
            env.uninstall_gettext_translations(tr)


def _profile_html(env: jinja2.Environment, profile: StateProfile, lang: str) -> StateProfile:
    """A state profile with its HTML fragment, from the cache when this submission's profile was
    rendered in this language before (the caller holds the render lock)."""
    key = (profile.sha256, lang)
    html = _PROFILE_CACHE.get(key)
    if html is None:
        html = Markup(env.get_template(PROFILE_TEMPLATE).render(ctx=profile))
        if len(_PROFILE_CACHE) >= _PROFILE_CACHE_MAX:
            _PROFILE_CACHE.clear()
        _PROFILE_CACHE[key] = html
    return dataclasses.replace(profile, html=html)


def render_html(data: ReportData, lang: str, edition: str = "staff") -> str:
    """The report's HTML in one language and edition (self-contained: the stylesheet is inlined)."""
    return render_context(build_context(data, check_lang(lang), check_edition(edition)))


def _layout(html: str, url_fetcher: URLFetcher | None) -> Document:
    return ReportHTML(
        string=html,
        base_url=templates_dir().resolve().as_uri() + "/",
        url_fetcher=url_fetcher or AssetFetcher(),
    ).render()


def render_document(data: ReportData, lang: str, *, url_fetcher: URLFetcher | None = None,
                    edition: str = "staff") -> Document:
    """The laid-out report (WeasyPrint pages), before it is written as PDF."""
    html = render_html(data, lang, edition)
    with gc_paused():
        return _layout(html, url_fetcher)


def render_pdf(data: ReportData, lang: str, pdf_path: Path, html_path: Path | None = None,
               *, url_fetcher: URLFetcher | None = None, edition: str = "staff") -> int:
    """Write the report's PDF (and its HTML when `html_path` is given), each atomically: a failure
    never leaves a partial file. Returns the number of pages. `url_fetcher` replaces the default
    AssetFetcher (tests pass a spy)."""
    html = render_html(data, lang, edition)
    with gc_paused():
        document = _layout(html, url_fetcher)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    write_atomic(Path(pdf_path), pdf)
    if html_path is not None:
        write_atomic(Path(html_path), html.encode("utf-8"))
    return len(document.pages)


def report_filename(process_id: str, cycle: int, lang: str, edition: str = DEFAULT_EDITION) -> str:
    """"<process>-<cycle>-<lang>.pdf" for the review ("rcm-2026-es.pdf", the name reports always
    had, so published links keep working) and "<process>-<cycle>-staff-<lang>.pdf" for the staff
    edition ("rcm-2026-staff-es.pdf")."""
    middle = "-staff" if check_edition(edition) == "staff" else ""
    return f"{process_id.strip().lower()}-{int(cycle)}{middle}-{check_lang(lang)}.pdf"

