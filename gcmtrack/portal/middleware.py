"""The portal's own middleware: security headers on every response, and who is asking
(a session, or an API token on /api/ paths), with the absolute session timeout."""

from __future__ import annotations

import ipaddress
import time
from functools import lru_cache

from django.conf import settings
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
    """Sets request.account (an active Account or None), request.via_token, request.token_scope
    (what the token may do: store/events.py TokenScope) and request.token_refused (why a token
    presented grants nothing: "token-expired", "token-revoked", …)."""
    from gcmtrack.portal.context import store
    from gcmtrack.store.accounts import TokenGrant, token_grant

    def middleware(request):
        request.account = None
        request.via_token = False
        request.token_scope = None
        request.token_refused = None
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            if request.path.startswith("/api/"):
                grant = token_grant(store(), header[7:].strip())
                if isinstance(grant, TokenGrant):
                    request.account, request.token_scope = grant.account, grant.scope
                else:
                    request.token_refused = grant
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


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def trusted_proxies() -> tuple:
    """settings.GCMTRACK_TRUSTED_PROXIES ($GCMTRACK_TRUSTED_PROXIES, comma-separated CIDRs) as networks."""
    try:
        return _networks(tuple(getattr(settings, "GCMTRACK_TRUSTED_PROXIES", ()) or ()))
    except ValueError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"GCMTRACK_TRUSTED_PROXIES: {exc}") from None


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the client, for throttling and the audit log: the peer, unless the peer is
    a trusted proxy; then X-Forwarded-For read right to left, skipping trusted hops only, and the
    first hop that is not a trusted proxy is the client (what is left of it was written by the
    client and is not believed). Never the bare peer of a proxy when the proxy is configured."""
    peer = (request.META.get("REMOTE_ADDR") or "")[:64]
    trusted = trusted_proxies()
    if not trusted:
        return peer

    def is_trusted(address) -> bool:
        return address is not None and any(address in net for net in trusted)

    if not is_trusted(_ip(peer)):
        return peer
    client = peer
    for hop in reversed((request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        address = _ip(hop)
        if address is None:
            break  # a garbled hop: the last trusted one is as far as we can believe
        client = str(address)
        if not is_trusted(address):
            break
    return client[:64]


LOOPBACK = ("127.0.0.0/8", "::1/128")


def forwarded_proto(get_response):
    """X-Forwarded-Proto says whether the client spoke HTTPS to the proxy; only a proxy may say
    so. The header is dropped unless the peer is a trusted proxy (GCMTRACK_TRUSTED_PROXIES) or,
    when none is listed, a proxy on this machine (loopback): a client cannot make plain HTTP
    pass for HTTPS (secure cookies, no redirect) by sending it itself."""

    def middleware(request):
        if "HTTP_X_FORWARDED_PROTO" in request.META:
            peer = _ip((request.META.get("REMOTE_ADDR") or "")[:64])
            networks = trusted_proxies() or _networks(LOOPBACK)
            if peer is None or not any(peer in net for net in networks):
                del request.META["HTTP_X_FORWARDED_PROTO"]
        return get_response(request)

    return middleware
