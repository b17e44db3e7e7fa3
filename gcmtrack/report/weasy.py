"""WeasyPrint and pydyf tuned for the reports: the one module that relies on their private names.

Three changes make a long report faster and leave its PDF byte-identical (tests/test_report.py):
pydyf's `PDF.page_references` cached, WeasyPrint's user-agent stylesheet with its universal
pseudo-element rules scoped, and Python's garbage collector paused for a render. The first two use
names that are not WeasyPrint's or pydyf's public API, so they are checked against the versions
this was tested on (TESTED_WITH; pyproject.toml pins the same ranges): when a name is missing or
has changed shape, importing this module (or the first render, for the stylesheet's rules) raises
EngineMismatch naming it, rather than rendering silently slower.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import pydyf
from weasyprint import CSS, HTML

# The versions the tuning was tested on (the ranges pinned in pyproject.toml).
TESTED_WITH = {"weasyprint": "70.x", "pydyf": "0.13.x"}


class EngineMismatch(RuntimeError):
    """A private name of WeasyPrint or pydyf that the report's tuning relies on is missing or changed."""


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "not installed"


def mismatch(name: str, expected: str) -> EngineMismatch:
    """The error for a private name `name` that is not `expected`, with the versions tested and installed."""
    tested = ", ".join(f"{package} {tested}" for package, tested in TESTED_WITH.items())
    installed = ", ".join(f"{package} {_installed(package)}" for package in TESTED_WITH)
    return EngineMismatch(
        f"gcmtrack's report tuning relies on {name} ({expected}), which this installation does not have: "
        f"tested with {tested}; installed: {installed}. Install the versions pinned in pyproject.toml.")


# --------------------------------------------------------------------------- pydyf: page references


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


def cache_page_references(pdf_class: type = pydyf.PDF) -> property:
    """Replace `pdf_class.page_references` (a property of pydyf's PDF) by the cached one; returns
    pydyf's own property. Raises EngineMismatch when the class has no such property."""
    original = pdf_class.__dict__.get("page_references")
    if isinstance(original, property) and original.fget is _cached_page_references:
        return ORIGINAL_PAGE_REFERENCES  # already installed
    if not isinstance(original, property):
        raise mismatch(f"{pdf_class.__module__}.{pdf_class.__qualname__}.page_references", "a property")
    pdf_class.page_references = property(_cached_page_references)
    return original


ORIGINAL_PAGE_REFERENCES: property = cache_page_references()


# --------------------------------------------------------------------------- WeasyPrint: user-agent stylesheet


# WeasyPrint's HTML user-agent stylesheet gives every element of the document a ::marker and five
# note pseudo-elements (`::marker { … }`, `::footnote-call { … }`, …), and computes a style for
# each of them: six styles per element, more than half of the time spent on styles in a long report.
# The report has markers only on list items and no footnote or note, so those rules are scoped to
# the elements that can use them. The PDF is byte-identical (tests/test_report.py).
_UNIVERSAL_PSEUDO_RULE = re.compile(r"^::(marker|footnote-call|footnote-marker|note-[a-z]+)( *\{[^}]*\})", re.M)
_PSEUDO_SCOPE = {"marker": "li::marker, summary::marker", "footnote-call": ".footnote::footnote-call",
                 "footnote-marker": ".footnote::footnote-marker"}


def _user_agent_text() -> str:
    """The text of WeasyPrint's HTML user-agent stylesheet (the private `weasyprint.html.UA`)."""
    from weasyprint import html as weasy_html

    text = getattr(weasy_html, "UA", None)
    if not isinstance(text, str):
        raise mismatch("weasyprint.html.UA", "the text of the HTML user-agent stylesheet")
    return text


def _counter_style_class() -> type:
    try:
        from weasyprint.css.counters import CounterStyle
    except ImportError:
        raise mismatch("weasyprint.css.counters.CounterStyle", "the class of a document's counter styles") from None
    return CounterStyle


@cache
def user_agent_stylesheet() -> CSS:
    """WeasyPrint's user-agent stylesheet with its universal pseudo-element rules scoped (the
    note-* rules dropped: the report has no note). Raises EngineMismatch when WeasyPrint keeps its
    stylesheet elsewhere or it has no such rule any more (the tuning would do nothing)."""
    scoped, count = _UNIVERSAL_PSEUDO_RULE.subn(
        lambda m: _PSEUDO_SCOPE[m.group(1)] + m.group(2) if m.group(1) in _PSEUDO_SCOPE else "", _user_agent_text())
    if not count:
        raise mismatch("weasyprint.html.UA", "universal `::marker { … }` and note pseudo-element rules")
    # Its @counter-style rules are already in WeasyPrint's own counter styles, which every document
    # copies: parsed again into those, they would be refused as duplicates (with a warning).
    return CSS(string=scoped, counter_style=_counter_style_class()())


def check_engine() -> None:
    """Raise EngineMismatch, naming it, when a private name the tuning relies on is missing."""
    if not callable(getattr(HTML, "_ua_stylesheets", None)):
        raise mismatch("weasyprint.HTML._ua_stylesheets", "the method that lists the user-agent stylesheets")
    _user_agent_text()
    _counter_style_class()
    cache_page_references()


class ReportHTML(HTML):
    """WeasyPrint's HTML, with the scoped user-agent stylesheet (see above)."""

    def _ua_stylesheets(self, forms=False):
        return super()._ua_stylesheets(forms) if forms else [user_agent_stylesheet()]


check_engine()  # at import: a missing name fails here, never as a silently slower render


# --------------------------------------------------------------------------- Python: the garbage collector


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


__all__ = ["TESTED_WITH", "EngineMismatch", "ReportHTML", "check_engine", "gc_paused", "user_agent_stylesheet"]
