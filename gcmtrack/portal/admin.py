"""The administration pages (issue 19, item 3): accounts (invite, role and scope, disable,
enable, invite again), API tokens (one's own, and those of the accounts one manages: created
with a scope and an expiry, listed, revoked one by one) and the audit view (filters, pages,
CSV export).

Who may: an admin every account and the whole audit log; staff the submitter accounts of their
processes' member states (invite, disable, enable, invite again, their tokens; never a role)
and the audit events of those states and processes; everyone signed in their own tokens.
Anything else is 404 (audited), as everywhere. Each view calls gcmtrack/service/admin.py, as
`gcmtrack users` and `gcmtrack tokens` do."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gcmtrack.common.languages import LANGS
from gcmtrack.errors import UnknownProcessError
from gcmtrack.portal import access
from gcmtrack.portal.context import store
from gcmtrack.portal.pages import render, t
from gcmtrack.portal.views import signed_in
from gcmtrack.service import admin as service
from gcmtrack.store.accounts import AccountError, Scope, manageable_accounts, manages, token_owner
from gcmtrack.store.events import ROLES, TOKEN_SCOPES, Role

MANAGERS = (Role.ADMIN.value, Role.STAFF.value)


def _account(request, account_id: int, scope: Scope):
    from gcmtrack.store.accounts import account_row

    row = access.existing(request, "account", account_id, account_row(store(), account_id))
    if not manages(scope, row):
        raise access.refuse(request, "account", account_id)
    return row


def _states_for(scope: Scope) -> list[str] | None:
    """The states a submitter may be invited for, as a list to choose from (staff), or None:
    any state, typed as its ISO3 code or name (admins)."""
    return None if scope.states is None else sorted(scope.states)


ERROR_CODES = frozenset({"invalid-email", "invalid-role", "state-required", "unknown-state", "state-not-allowed",
                         "process-required", "process-not-allowed", "account-exists", "account-active",
                         "account-disabled", "invalid-scope", "expiry-past", "expiry-too-far", "no-account",
                         "token-revoked"})


def _error(exc: Exception) -> str:
    """An account error in the page's language."""
    code = getattr(exc, "code", "")
    if code in ERROR_CODES:
        return t(f"admin.error.{code}")
    if isinstance(exc, AccountError):  # the password policy's own message is translated already
        return str(exc)
    return t("admin.error.unknown-process")


def _processes():
    from gcmtrack.reference.processes import processes

    return sorted(processes().values(), key=lambda p: p.id)


@signed_in
@require_http_methods(["GET", "POST"])
def accounts(request):
    """Every account the caller manages, and the form to invite a new one."""
    s = access.require_role(request, MANAGERS, "accounts")
    error = invited = None
    form = {"email": "", "role": Role.SUBMITTER.value, "state": "", "processes": [], "lang": "en"}
    if request.method == "POST":
        form = {"email": (request.POST.get("email") or "").strip()[:254],
                "role": request.POST.get("role") or "", "state": (request.POST.get("state") or "").strip()[:60],
                "processes": [p[:20] for p in request.POST.getlist("process")[:50]],
                "lang": request.POST.get("lang") if request.POST.get("lang") in LANGS else "en"}
        if s.role != Role.ADMIN and (form["role"] != Role.SUBMITTER or not s.sees_state(form["state"].upper())):
            raise access.refuse(request, "account", "invite", "role")
        try:
            account, link = service.invite(store(), form["email"], form["role"], state=form["state"] or None,
                                           process_ids=form["processes"], lang=form["lang"],
                                           actor=request.account.email)
        except (AccountError, UnknownProcessError) as exc:
            error = _error(exc)
        else:
            invited = {"email": account.email, "link": link}
            form = {"email": "", "role": form["role"], "state": "", "processes": [], "lang": "en"}
    rows = manageable_accounts(store(), s)
    return render(request, "admin_accounts.html", status=400 if error else 200, title=t("admin.accounts.title"),
                  rows=rows, error=error, invited=invited, form=form, is_admin=s.role == Role.ADMIN,
                  roles=ROLES if s.role == Role.ADMIN else (Role.SUBMITTER.value,), states=_states_for(s),
                  processes=_processes(), langs=LANGS)


@signed_in
@require_GET
def account(request, account_id: int):
    s = access.require_role(request, MANAGERS, "account")
    row = _account(request, account_id, s)
    return _account_page(request, s, row)


def _account_page(request, s: Scope, row, status: int = 200, **extra):
    extra.setdefault("error", None)
    extra.setdefault("done", None)
    extra.setdefault("link", None)
    extra.setdefault("new_token", None)
    return render(request, "admin_account.html", status=status, title=t("admin.account.title", email=row.email),
                  row=row, tokens=service.list_tokens(store(), row.email), is_admin=s.role == Role.ADMIN,
                  is_self=row.pk == request.account.pk, roles=ROLES, states=_states_for(s),
                  processes=_processes(), scopes=TOKEN_SCOPES, default_expiry=service.default_expiry().isoformat(),
                  **extra)


@signed_in
@require_POST
def account_action(request, account_id: int, action: str):
    """disable, enable, invite (again), role (admins only) or token (a new one) for one account."""
    s = access.require_role(request, MANAGERS, "account")
    row = _account(request, account_id, s)
    actor = request.account.email
    if action not in ("disable", "enable", "invite", "role", "token"):
        raise access.refuse(request, "account-action", action, "absent")
    if action == "role" and s.role != Role.ADMIN:
        raise access.refuse(request, "account-action", action, "role")
    if row.pk == request.account.pk and action in ("disable", "role", "invite"):
        # nobody locks themselves out or takes their own role away by a slip
        return _account_page(request, s, row, status=400, error=t("admin.error.self"))
    extra: dict = {}
    try:
        if action == "disable":
            service.disable_account(store(), row.email, actor=actor)
            extra["done"] = t("admin.done.disable", email=row.email)
        elif action == "enable":
            service.enable_account(store(), row.email, actor=actor)
            extra["done"] = t("admin.done.enable", email=row.email)
        elif action == "invite":
            _account_row, extra["link"] = service.reinvite(store(), row.email, actor=actor)
            extra["done"] = t("admin.done.invite", email=row.email)
        elif action == "role":
            service.change_account(store(), row.email, request.POST.get("role") or "",
                                   state=(request.POST.get("state") or "").strip()[:60] or None,
                                   process_ids=[p[:20] for p in request.POST.getlist("process")[:50]], actor=actor)
            extra["done"] = t("admin.done.role", email=row.email)
        else:
            extra["new_token"] = _create_token(request, row.email)
            extra["done"] = t("tokens.done.create")
    except (AccountError, UnknownProcessError) as exc:
        extra = {"error": _error(exc)}
    except ValueError:
        extra = {"error": t("admin.error.date")}
    row = _account(request, account_id, s)
    return _account_page(request, s, row, status=400 if extra.get("error") else 200, **extra)


def _create_token(request, email: str) -> str:
    """A token from the form's scope, expiry (a date) and label; ValueError for a bad date."""
    scope = request.POST.get("scope") or ""
    expires = dt.date.fromisoformat(request.POST.get("expires") or "")
    return service.create_token(store(), email, scope=scope, expires=expires,
                                label=(request.POST.get("label") or "")[:100], actor=request.account.email)


@signed_in
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The caller's own API tokens: create one, see them, revoke one."""
    new_token = error = None
    status = 200
    if request.method == "POST":
        try:
            new_token = _create_token(request, request.account.email)
        except AccountError as exc:
            error, status = _error(exc), 400
        except ValueError:
            error, status = t("admin.error.date"), 400
    return render(request, "tokens.html", status=status, title=t("tokens.title"),
                  tokens=service.list_tokens(store(), request.account.email), new_token=new_token, error=error,
                  scopes=TOKEN_SCOPES, default_expiry=service.default_expiry().isoformat())


@signed_in
@require_POST
def token_revoke(request, token_id: int):
    """Revoke one token: one's own, or one of an account the caller manages."""
    from gcmtrack.store.accounts import get_account

    owner = access.existing(request, "token", token_id, token_owner(store(), token_id))
    own = owner == request.account.email
    if not own:
        s = access.scope(request)
        if s.role not in MANAGERS or not manages(s, get_account(store(), owner)):
            raise access.refuse(request, "token", token_id)
    try:
        service.revoke_token(store(), token_id, actor=request.account.email)
    except AccountError:
        pass  # revoked already: the list says so
    if own and request.POST.get("back") != "account":
        return HttpResponseRedirect(reverse("tokens"))
    return HttpResponseRedirect(reverse("admin_account", args=[get_account(store(), owner).pk]))


# ---------------------------------------------------------------------------- the audit view


def _audit_filter(request, s: Scope):
    from gcmtrack.store.audit import AuditFilter

    def day(name):
        try:
            return dt.date.fromisoformat((request.GET.get(name) or "")[:10])
        except ValueError:
            return None

    scoped = s.role != Role.ADMIN
    return AuditFilter(actor=(request.GET.get("actor") or "").strip()[:320],
                       action=(request.GET.get("action") or "").strip()[:40],
                       state=(request.GET.get("state") or "").strip()[:3].upper(),
                       since=day("since"), until=day("until"),
                       states=s.states if scoped else None, processes=s.processes if scoped else None)


@signed_in
@require_GET
def audit(request):
    from gcmtrack.store.audit import actions, audit_page

    s = access.require_role(request, MANAGERS, "audit")
    f = _audit_filter(request, s)
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    page = audit_page(store(), f, min(max(number, 1), 1_000_000))
    query = {k: v for k, v in (("actor", f.actor), ("action", f.action), ("state", f.state),
                               ("since", f.since.isoformat() if f.since else ""),
                               ("until", f.until.isoformat() if f.until else "")) if v}
    return render(request, "audit.html", title=t("audit.title"), page=page, f=f, query=query,
                  actions=actions(), is_admin=s.role == Role.ADMIN)


@signed_in
@require_GET
def audit_csv(request):
    from gcmtrack.store.audit import audit_csv as as_csv

    s = access.require_role(request, MANAGERS, "audit")
    data, cut = as_csv(store(), _audit_filter(request, s))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gcmtrack-audit.csv"'
    if cut:
        response["X-Gcmtrack-Truncated"] = "1"
    return response
