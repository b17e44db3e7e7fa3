"""The portal's own middleware: security headers on every response, and who is asking
(a session, or an API token on /api/ paths), with the absolute session timeout."""

from __future__ import annotations

import time

from django.contrib import auth

from gcmtrack.settings import ABSOLUTE_TIMEOUT_S

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def authenticate(get_response):
    """Sets request.account (an active Account or None) and request.via_token."""
    from gcmtrack.portal.context import store
    from gcmtrack.store.accounts import account_for_token

    def middleware(request):
        request.account = None
        request.via_token = False
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            if request.path.startswith("/api/"):
                request.account = account_for_token(store(), header[7:].strip())
                request.via_token = True
                request._dont_enforce_csrf_checks = True  # no cookie is involved: nothing to forge
        else:
            user = auth.get_user(request)  # also checks the session's auth hash (password, stamp)
            if getattr(user, "is_authenticated", False) and user.is_active:
                started = request.session.get("signed_in_at", 0)
                if time.time() - started > ABSOLUTE_TIMEOUT_S:
                    auth.logout(request)
                else:
                    request.account = user
        request.user = request.account or auth.models.AnonymousUser()
        return get_response(request)

    return middleware
