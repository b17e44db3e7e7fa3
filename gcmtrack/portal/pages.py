"""Rendering the portal's pages: one Jinja2 environment (autoescape, StrictUndefined), the
page text from the portal catalogue (gcmtrack/common/catalogue.py), and the error pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment, StrictUndefined

from gcmtrack.common.catalogue import text
from gcmtrack.common.languages import LANGS, direction, lang_or_default


# Long lists on a page (a 5,000-practice version): at most LIST_MAX items are listed (the rest
# counted, or chosen by number), and a list longer than LIST_FOLD starts folded.
LIST_MAX = 200
LIST_FOLD = 20


def lang() -> str:
    return lang_or_default(translation.get_language())


def text_direction() -> str:
    """The page's writing direction, for <html dir>: "rtl" in Arabic."""
    return direction(lang())


def language_name(code: str) -> str:
    """A language's own name ("English", "Español", "العربية", "中文"), to be marked lang=code."""
    from gcmtrack.report.i18n import language_name as own_name

    return own_name(code)


def t(key: str, **params: Any) -> str:
    """The page text `key` (the portal catalogue) in the active language, with {placeholders} filled in."""
    return text("portal", key, lang(), **params)


def score_text(value) -> str:
    """A score for people: the one rounding rule, in the page's language ("0,48" in fr)."""
    from gcmtrack.report.i18n import format_score

    return format_score(value, lang())


def when(value) -> str:
    """A stored time for people: "4 December 2026, 14:05 UTC" in the page's language (the
    machine-readable ISO time goes in <time datetime>); a date alone, "4 December 2026"."""
    import datetime as dt

    from gcmtrack.report.i18n import format_clock, format_long_date, parse_utc

    if not value:
        return "–"
    if isinstance(value, dt.datetime):
        moment = value.astimezone(dt.timezone.utc)
    elif isinstance(value, dt.date):
        return format_long_date(value, lang())
    else:
        text_value = str(value)
        if len(text_value) == 10:
            try:
                return format_long_date(dt.date.fromisoformat(text_value), lang())
            except ValueError:
                return text_value
        try:
            moment = parse_utc(text_value)
        except ValueError:
            return text_value
    return f"{format_long_date(moment.date(), lang())}, {format_clock(moment, lang())} UTC"


def environment(**options: Any) -> Environment:
    options["autoescape"] = True
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update({"t": t, "url": reverse, "lang": lang, "dir": text_direction, "LANGS": LANGS,
                        "language_name": language_name, "direction": direction, "fmt": score_text,
                        "LIST_MAX": LIST_MAX, "LIST_FOLD": LIST_FOLD, "when": when})
    return env


def render(request, template: str, status: int = 200, **context: Any) -> HttpResponse:
    from django.template.loader import get_template

    context.setdefault("title", "")
    context["account"] = getattr(request, "account", None)
    context["csrf_value"] = get_token(request)
    html = get_template(f"portal/{template}").render(context, request)
    return HttpResponse(html, status=status)


def error_page(request, status: int, key: str) -> HttpResponse:
    return render(request, "error.html", status=status, title=t(f"error.{key}.title"), message=t(f"error.{key}.text"))


def _api(request) -> bool:
    """Whether the request is for the HTTP API, which answers JSON errors (service.md)."""
    return request.path.startswith("/api/")


def csrf_failure(request, reason: str = "") -> HttpResponse:
    if _api(request):
        from gcmtrack.portal.api import error, not_authenticated

        if getattr(request, "account", None) is None:  # no credentials at all: 401, as service.md says
            return not_authenticated(getattr(request, "token_refused", None))
        return error(403, "csrf-failed", "A session-authenticated call needs the X-CSRFToken header "
                                         "(or use Authorization: Bearer TOKEN).")
    return error_page(request, 403, "csrf")


def not_found(request, exception=None) -> HttpResponse:
    if _api(request):
        from gcmtrack.portal.api import error

        return error(404, "not-found", "There is no such resource.")
    return error_page(request, 404, "not_found")


def server_error(request) -> HttpResponse:
    if _api(request):
        from gcmtrack.portal.api import error

        return error(500, "server-error", "The server could not answer; the error was logged.")
    return error_page(request, 500, "server")
