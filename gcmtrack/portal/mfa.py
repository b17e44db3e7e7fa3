"""Multi-factor sign-in pages (store/mfa.py holds the devices): after a right password, an
account with an authenticator gives a code (or a recovery code); staff and admins without one
enrol first (QR code drawn here as SVG, no network; the secret also as text); the recovery codes
are shown once. Submitters and reviewers may enrol from their password page."""

from __future__ import annotations

import time

from django.contrib import auth
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from gcmtrack.portal.context import store
from gcmtrack.portal.pages import render, t
from gcmtrack.store import Action
from gcmtrack.store.accounts import account_by_id
from gcmtrack.store.mfa import confirm_enrolment, enrolment, has_mfa, mfa_required, start_enrolment, verify_code

PENDING_S = 300  # a right password waits this long for its second factor
_PENDING = "mfa_pending"
_DEVICE = "mfa_device"


def second_step(request, account, target: str):
    """After a right password: the second factor when the account has one or must have one,
    else signed in now. Returns the response."""
    if not (has_mfa(store(), account) or mfa_required(account)):
        return finish_signin(request, account, target)
    request.session.cycle_key()
    request.session[_PENDING] = {"pk": account.pk, "at": time.time(), "next": target,
                                 "stamp": account.security_stamp}
    return HttpResponseRedirect(reverse("signin_mfa" if has_mfa(store(), account) else "mfa_setup"))


def finish_signin(request, account, target: str):
    request.session.pop(_PENDING, None)
    auth.login(request, account)  # a new session key: no fixation
    request.session["signed_in_at"] = time.time()
    from gcmtrack.portal.middleware import client_address

    store().audit(account.email, Action.SIGNIN, object_type="account", object_id=account.email,
                  detail={"address": client_address(request)})
    return HttpResponseRedirect(target)


def _pending(request):
    pending = request.session.get(_PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_S:
        return None, "/"
    account = account_by_id(store(), pending.get("pk"))
    if account is None or account.security_stamp != pending.get("stamp"):
        return None, "/"
    return account, pending.get("next") or "/"


@require_http_methods(["GET", "POST"])
def signin_mfa(request):
    account, target = _pending(request)
    if account is None or not has_mfa(store(), account):
        return HttpResponseRedirect(reverse("signin"))
    error = None
    if request.method == "POST":
        kind = verify_code(store(), account, request.POST.get("code") or "")
        if kind is not None:
            return finish_signin(request, account, target)
        store().audit(account.email, Action.MFA_FAILED, object_type="account", object_id=account.email)
        error = t("mfa.wrong")
    return render(request, "mfa_verify.html", status=200 if error is None else 401, title=t("mfa.title"),
                  error=error)


def qr_svg(text: str) -> Markup:
    """The QR code of `text` as inline SVG, drawn here (no network, no image file)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return Markup(image.to_string(encoding="unicode"))


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Enrol an authenticator: while signing in (staff, admins: required), or signed in (anyone)."""
    account, target = (request.account, reverse("password")) if request.account else _pending(request)
    if account is None:
        return HttpResponseRedirect(reverse("signin"))
    error = None
    current = enrolment(store(), account, request.session.get(_DEVICE) or 0)
    if request.method == "POST" and current is not None:
        if request.account is not None and not account.check_password((request.POST.get("current") or "")[:1024]):
            codes, error = None, t("password.wrong")  # a signed-in session alone cannot replace the factor
        else:
            codes = confirm_enrolment(store(), account, current.device_id, request.POST.get("code") or "")
            error = None if codes is not None else t("mfa.wrong")
        if codes is not None:
            request.session.pop(_DEVICE, None)
            if request.account is None:
                finish_signin(request, account, target)
            return render(request, "mfa_codes.html", title=t("mfa.codes_title"), codes=codes, next=target)
    if current is None:
        current = start_enrolment(store(), account)
        request.session[_DEVICE] = current.device_id
    secret = " ".join(current.secret[i:i + 4] for i in range(0, len(current.secret), 4))
    return render(request, "mfa_setup.html", status=200 if error is None else 400, title=t("mfa.setup_title"),
                  error=error, qr=qr_svg(current.url), secret=secret, required=mfa_required(account),
                  ask_password=request.account is not None)
