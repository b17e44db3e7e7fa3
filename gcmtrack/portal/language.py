"""The language of the portal's pages: the reader's choice from the switch on every page (a
cookie), else the first language of the browser's Accept-Language that gcmtrack speaks, else
English; and the switch itself.

Django's LocaleMiddleware and set_language are not used: they accept a language only when
Django ships its own catalogue under the same code, and Django has none named "zh" (only
zh_Hans and zh_Hant), so a Chinese browser, or the Chinese choice of the switch, would be
ignored. Here a browser's tag is matched on its primary subtag ("zh-CN", "zh-Hans-TW" -> zh;
"pt-BR" -> pt; "ar-EG" -> ar), in the order of its q-values.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gcmtrack.common.languages import DEFAULT_LANG, LANGS

_MAX_HEADER = 1000  # an Accept-Language longer than this is read up to here only
_MAX_TAGS = 20


def browser_languages(header: str | None) -> list[str]:
    """The languages gcmtrack speaks among those of an Accept-Language header, most wanted
    first (q=0 means "not this one"); garbled entries are skipped, never an error."""
    wanted = []
    for index, item in enumerate((header or "")[:_MAX_HEADER].split(",")[:_MAX_TAGS]):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        params = params.strip().replace(" ", "")
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGS and 0 < q <= 1:
            wanted.append((-q, index, primary))
    seen: list[str] = []
    for _q, _i, lang in sorted(wanted):
        if lang not in seen:
            seen.append(lang)
    return seen


def page_language(request) -> str:
    """The language a request's page is written in (see the module's docstring)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGS:
        return chosen
    offered = browser_languages(request.headers.get("Accept-Language"))
    return offered[0] if offered else DEFAULT_LANG


def negotiate(get_response):
    """Middleware: activates the page's language for the request (portal/pages.lang() reads it)."""

    def middleware(request):
        lang = page_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", lang)
        return response

    return middleware


@require_POST
def set_language(request):
    """The language switch: keeps the choice in a cookie and goes back to the page it was made
    on (`next`, sent by the switch on a page read with GET), else to the page the form was on
    (Referer: a page that answered a POST cannot be fetched again), else home."""
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    lang = request.POST.get("language")
    if lang in LANGS:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
