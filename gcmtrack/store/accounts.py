"""Accounts, API tokens and the one scoping function.

Roles (service.md): a submitter acts for one state; staff for the members of one or more
processes; a reviewer reads the published reports of some processes (or all); an admin
manages accounts. `scope_of(account)` answers, for every query that follows, which states,
processes and versions an account may see: anything outside it is answered as if it did not
exist (404 in the portal and the API).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from gcmtrack.common.languages import lang_or_default
from gcmtrack.errors import GcmtrackError
from gcmtrack.reference.processes import get_process, processes
from gcmtrack.reference.states import states
from gcmtrack.store.api import Store, cli_actor, iso, utc_now
from gcmtrack.store.events import READS_SUBMISSIONS, REVIEWS, ROLES, TOKEN_SCOPES, Action, Role, TokenScope
from gcmtrack.store.models import Account, ApiToken, SigninThrottle

TOKEN_PREFIX = "gcm_"
# Sign-in throttling (README, "Signing in"): per account, a back-off that slows and never locks
# (the owner can always reset the password, which clears it); per client, a limit that refuses
# that client only. Both are forgotten after THROTTLE_IDLE without a failure.
THROTTLE_IDLE = dt.timedelta(minutes=15)
ACCOUNT_FREE_TRIES = 5
ACCOUNT_MAX_DELAY_S = 300
CLIENT_LIMIT = 30
RESET_MAILS_PER_ACCOUNT = 3  # reset mails per address and per client within THROTTLE_IDLE
RESET_MAILS_PER_CLIENT = 10
PASSWORD_MAX = 1024


class AccountError(GcmtrackError):
    """An account request that cannot be carried out; `code` is stable (kebab-case)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Scope:
    """What one account may see. `states`/`processes` None means every one."""

    role: str
    states: frozenset[str] | None
    processes: frozenset[str] | None

    def sees_state(self, code: str) -> bool:
        return self.states is None or code in self.states

    def sees_process(self, process_id: str) -> bool:
        return self.processes is None or process_id.upper() in self.processes

    @property
    def reads_submissions(self) -> bool:
        return self.role in READS_SUBMISSIONS

    @property
    def reviews(self) -> bool:
        return self.role in REVIEWS


def scope_of(account: Account) -> Scope:
    """The one scoping function: every page, API path and export asks it."""
    if not account.is_active:
        return Scope(account.role, frozenset(), frozenset())
    if account.role == Role.ADMIN:
        return Scope(Role.ADMIN, None, None)
    if account.role == Role.SUBMITTER:
        code = account.state or ""
        member_of = frozenset(p.id for p in processes().values()
                              if any(m.state == code for m in p.memberships))
        return Scope(Role.SUBMITTER, frozenset({code}), member_of)
    if account.role == Role.REVIEWER:
        chosen = None if account.all_processes else frozenset(account.processes)
        return Scope(Role.REVIEWER, frozenset(), chosen)
    chosen = frozenset(account.processes)
    members = frozenset(m.state for pid in chosen for m in get_process(pid).memberships)
    return Scope(Role.STAFF, members, chosen)


# ---------------------------------------------------------------------------- accounts


def check_password(password: str, account: Account | None = None, *, email: str | None = None) -> None:
    """The one password policy (settings.AUTH_PASSWORD_VALIDATORS: 12 or more characters, up to
    1024, not common, not all digits, not like the account's e-mail address), on every path that
    sets a password. The message is in the active language (Django's own translations)."""
    if len(password) > PASSWORD_MAX:
        raise AccountError("password-too-long", f"the password is longer than {PASSWORD_MAX} characters")
    if account is None and email:
        account = Account(email=email)  # unsaved: only for the similarity check
    try:
        password_validation.validate_password(password, account)
    except ValidationError as exc:
        raise AccountError("weak-password", " ".join(exc.messages)) from None


def _role_scope(role: str, state: str | None, process_ids) -> tuple[str | None, list[str], bool]:
    """The state, processes and "every process" flag a role takes, checked (AccountError)."""
    if role not in ROLES:
        raise AccountError("invalid-role", f"role must be one of {', '.join(ROLES)}")
    every = [p for p in process_ids if p.upper() == "ALL"]
    chosen = sorted({get_process(p).id for p in process_ids if p.upper() != "ALL"})
    code = None
    if role == Role.SUBMITTER:
        if not state:
            raise AccountError("state-required", "a submitter acts for one state: give --state ISO3")
        resolution = states().resolve(state)
        if resolution.code is None:
            raise AccountError("unknown-state", f"{state!r} is not a known state or territory (use its ISO3 code)")
        code = resolution.code
    elif state:
        raise AccountError("state-not-allowed", "only submitters belong to a state")
    if role == Role.STAFF and (not chosen or every):
        raise AccountError("process-required", "staff work for one or more processes: give --process ID")
    if role == Role.REVIEWER and not chosen and not every:
        raise AccountError("process-required", "reviewers read some processes (--process ID) or all (--process ALL)")
    if role in (Role.SUBMITTER, Role.ADMIN) and (chosen or every):
        raise AccountError("process-not-allowed", f"a {role} is not bound to processes")
    return code, chosen, bool(every)


def add_account(store: Store, email: str, role: str, *, state: str | None = None,
                process_ids: list[str] | tuple[str, ...] = (), password: str | None = None,
                lang: str = "en", actor: str | None = None) -> Account:
    """Create an account; without a password it can only be entered through an invitation."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError("invalid-email", f"{email!r} is not an e-mail address")
    code, chosen, every = _role_scope(role, state, process_ids)
    if password is not None:
        check_password(password, email=email)
    objects = Account.objects.db_manager(store.alias)
    if objects.filter(email=email).exists():
        raise AccountError("account-exists", f"an account {email} exists already (to invite it again, "
                                             "`gcmtrack users invite`; to enable it, `gcmtrack users enable`)")
    with store.transaction():
        account = objects.create_account(email, role, password, state=code, processes=chosen,
                                         all_processes=every, lang=lang_or_default(lang))
        store.record(actor or cli_actor(), Action.ACCOUNT_ADD, object_type="account", object_id=email, state=code,
                      detail={"role": role, "processes": chosen, "all_processes": every})
    return account


def change_account(store: Store, email: str, role: str, *, state: str | None = None,
                   process_ids: list[str] | tuple[str, ...] = (), actor: str | None = None) -> Account:
    """Give an account a new role and scope (the same rules as `add_account`). Its sessions and
    tokens go on, with what the new role allows from the next request on."""
    account = get_account(store, email)
    code, chosen, every = _role_scope(role, state, process_ids)
    before = {"role": account.role, "state": account.state, "processes": list(account.processes),
              "all_processes": account.all_processes}
    after = {"role": str(role), "state": code, "processes": chosen, "all_processes": every}
    if before == after:
        return account
    with store.transaction():
        account.role, account.state, account.processes, account.all_processes = str(role), code, chosen, every
        account.save(using=store.alias, update_fields=["role", "state", "processes", "all_processes"])
        store.record(actor or cli_actor(), Action.ACCOUNT_CHANGE, object_type="account", object_id=account.email,
                     state=code, from_state=before["role"], to_state=str(role),
                     detail={"before": before, "after": after})
    return account


def manages(scope: Scope, account: Account) -> bool:
    """Whether someone of `scope` may manage `account`: an admin every account; staff the
    submitters of the member states of their processes (invite, disable, enable, tokens); nobody
    else any account (their own tokens are managed through `list_tokens(email=…)`)."""
    if scope.role == Role.ADMIN:
        return True
    return (scope.role == Role.STAFF and account.role == Role.SUBMITTER and account.state is not None
            and scope.sees_state(account.state))


def manageable_accounts(store: Store, scope: Scope) -> list[Account]:
    """The accounts `scope` may manage, by e-mail address."""
    rows = Account.objects.using(store.alias).order_by("email")
    if scope.role == Role.ADMIN:
        return list(rows)
    if scope.role != Role.STAFF:
        return []
    return list(rows.filter(role=Role.SUBMITTER, state__in=sorted(scope.states or ())))


def get_account(store: Store, email: str) -> Account:
    account = Account.objects.using(store.alias).filter(email=(email or "").strip().lower()).first()
    if account is None:
        raise AccountError("no-account", f"no account {email}")
    return account


def account_row(store: Store, pk) -> Account | None:
    """The account with this primary key, active or not, or None."""
    try:
        return Account.objects.using(store.alias).filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def account_by_id(store: Store, pk) -> Account | None:
    """The active account with this primary key, or None."""
    return Account.objects.using(store.alias).filter(pk=pk, is_active=True).first()


def active_accounts(store: Store, role: str, *, state: str | None = None) -> list[Account]:
    """The active accounts of one role (of one state, for submitters), in the store's order."""
    rows = Account.objects.using(store.alias).filter(is_active=True, role=str(role))
    if state is not None:
        rows = rows.filter(state=state)
    return list(rows)


def list_accounts(store: Store) -> list[dict]:
    return [account_dict(a) for a in Account.objects.using(store.alias).order_by("email")]


def account_dict(account: Account) -> dict:
    return {"email": account.email, "role": account.role, "state": account.state,
            "processes": ["ALL"] if account.all_processes else list(account.processes),
            "active": account.is_active, "lang": account.lang, "created_at": iso(account.created_at),
            "last_login": iso(account.last_login)}


def disable_account(store: Store, email: str, *, actor: str | None = None) -> Account:
    """Disable an account: it can no longer sign in, and its sessions and tokens end now."""
    account = get_account(store, email)
    with store.transaction():
        account.is_active = False
        account.security_stamp = secrets.token_hex(32)  # every session signed with the old one ends
        account.save(using=store.alias, update_fields=["is_active", "security_stamp"])
        ApiToken.objects.using(store.alias).filter(account=account, revoked_at__isnull=True).update(
            revoked_at=utc_now())
        _end_sessions(store, account)
        store.record(actor or cli_actor(), Action.ACCOUNT_DISABLE, object_type="account", object_id=account.email)
    return account


def enable_account(store: Store, email: str, *, actor: str | None = None) -> Account:
    """Enable a disabled account again, with its role, scope and password. Sessions and tokens
    that ended when it was disabled stay ended (its security stamp changed then)."""
    account = get_account(store, email)
    if account.is_active:
        raise AccountError("account-active", f"{account.email} is not disabled")
    with store.transaction():
        account.is_active = True
        account.save(using=store.alias, update_fields=["is_active"])
        store.record(actor or cli_actor(), Action.ACCOUNT_ENABLE, object_type="account", object_id=account.email)
    return account


def reinvite_account(store: Store, email: str, *, actor: str | None = None) -> Account:
    """Invite an existing account again (the person sets a new password through a new link):
    the account is enabled if it was disabled, its old password no longer works, and every
    earlier invitation or reset link, session and API token ends (a new security stamp)."""
    account = get_account(store, email)
    with store.transaction():
        account.is_active = True
        account.set_unusable_password()
        account.security_stamp = secrets.token_hex(32)
        account.save(using=store.alias, update_fields=["is_active", "password", "security_stamp"])
        ApiToken.objects.using(store.alias).filter(account=account, revoked_at__isnull=True).update(
            revoked_at=utc_now())
        _end_sessions(store, account)
        store.record(actor or cli_actor(), Action.ACCOUNT_INVITE, object_type="account", object_id=account.email)
    return account


def set_password(store: Store, account: Account, password: str, *, actor: str | None = None) -> None:
    """Change a password: every other session of the account ends."""
    check_password(password, account)
    with store.transaction():
        account.set_password(password)
        account.security_stamp = secrets.token_hex(32)
        account.save(using=store.alias, update_fields=["password", "security_stamp"])
        clear_account_throttle(store, account.email)  # a reset is how a slowed-down owner gets in
        store.record(actor or account.email, Action.PASSWORD_CHANGE, object_type="account", object_id=account.email)


def _end_sessions(store: Store, account: Account) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.using(store.alias).filter(expire_date__gt=utc_now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk):
            Session.objects.using(store.alias).filter(session_key=session.session_key).delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_DAYS = 90  # a new token's life unless another expiry is chosen
TOKEN_MAX_DAYS = 366


@dataclass(frozen=True)
class TokenGrant:
    """What a presented API token grants: its account and its scope (TokenScope)."""

    account: Account
    scope: str
    token_id: int


def new_token(store: Store, email: str, *, actor: str | None = None, scope: str = TokenScope.FULL,
              expires: dt.datetime | dt.date | None = None, label: str = "") -> str:
    """A new API token for an account, returned once; only its hash is stored. `scope` limits it
    (read: GET only; upload: also send workbooks; full: the account's whole role); `expires`
    ends it (a date means the end of that day, UTC; None: never, for the command line's own use)."""
    account = get_account(store, email)
    if not account.is_active:
        raise AccountError("account-disabled", f"{account.email} is disabled")
    if scope not in TOKEN_SCOPES:
        raise AccountError("invalid-scope", f"scope must be one of {', '.join(TOKEN_SCOPES)}")
    now = utc_now()
    if isinstance(expires, dt.date) and not isinstance(expires, dt.datetime):
        expires = dt.datetime.combine(expires, dt.time(23, 59, 59), tzinfo=dt.timezone.utc)
    if expires is not None:
        if expires <= now:
            raise AccountError("expiry-past", "the expiry date has passed already")
        if expires > now + dt.timedelta(days=TOKEN_MAX_DAYS):
            raise AccountError("expiry-too-far", f"a token lives at most {TOKEN_MAX_DAYS} days")
    label = " ".join((label or "").split())[:100]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.transaction():
        row = ApiToken.objects.using(store.alias).create(account=account, key_hash=_token_hash(token),
                                                         prefix=token[:12], scope=str(scope), expires_at=expires,
                                                         label=label)
        store.record(actor or cli_actor(), Action.TOKEN_CREATE, object_type="account", object_id=account.email,
                     detail={"prefix": token[:12], "token_id": row.pk, "scope": str(scope),
                             "expires_at": iso(expires), "label": label})
    return token


def default_expiry(days: int = TOKEN_DAYS) -> dt.date:
    return (utc_now() + dt.timedelta(days=days)).date()


def token_status(row: ApiToken, now: dt.datetime | None = None) -> str:
    """"active", "expired" or "revoked"."""
    now = now or utc_now()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def token_dict(row: ApiToken, now: dt.datetime | None = None) -> dict:
    return {"id": row.pk, "email": row.account.email, "prefix": row.prefix, "label": row.label,
            "scope": row.scope, "created_at": iso(row.created_at), "expires_at": iso(row.expires_at),
            "last_used_at": iso(row.last_used_at), "revoked_at": iso(row.revoked_at),
            "revoked_by": row.revoked_by, "status": token_status(row, now)}


def list_tokens(store: Store, email: str | None = None, *, emails: set[str] | None = None) -> list[dict]:
    """The tokens of one account (or of the accounts `emails`, or of every account), newest
    first, with their status. Never the token itself (only its hash is stored)."""
    rows = ApiToken.objects.using(store.alias).select_related("account").order_by("-created_at", "-pk")
    if email is not None:
        rows = rows.filter(account=get_account(store, email))
    if emails is not None:
        rows = rows.filter(account__email__in=sorted(emails))
    now = utc_now()
    return [token_dict(r, now) for r in rows]


def token_owner(store: Store, token_id) -> str | None:
    """The e-mail address of the account a token id belongs to, or None."""
    row = ApiToken.objects.using(store.alias).select_related("account").filter(pk=token_id).first()
    return None if row is None else row.account.email


def revoke_token(store: Store, token_id: int, *, actor: str | None = None) -> dict:
    """Revoke one token now (its account and its other tokens are untouched)."""
    row = ApiToken.objects.using(store.alias).select_related("account").filter(pk=token_id).first()
    if row is None:
        raise AccountError("no-token", f"no token {token_id}")
    if row.revoked_at is not None:
        raise AccountError("token-revoked", f"token {token_id} is revoked already")
    actor = actor or cli_actor()
    with store.transaction():
        row.revoked_at = utc_now()
        row.revoked_by = actor
        row.save(using=store.alias, update_fields=["revoked_at", "revoked_by"])
        store.record(actor, Action.TOKEN_REVOKE, object_type="account", object_id=row.account.email,
                     detail={"prefix": row.prefix, "token_id": row.pk})
    return token_dict(row)


def token_grant(store: Store, token: str) -> TokenGrant | str:
    """What a presented token grants, or why it grants nothing: "token-unknown",
    "token-revoked", "token-expired" or "account-disabled"."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return "token-unknown"
    row = ApiToken.objects.using(store.alias).select_related("account").filter(key_hash=_token_hash(token)).first()
    if row is None:
        return "token-unknown"
    now = utc_now()
    status = token_status(row, now)
    if status != "active":
        return f"token-{status}"
    if not row.account.is_active:
        return "account-disabled"
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=5):
        if not store.readonly:
            ApiToken.objects.using(store.alias).filter(pk=row.pk).update(last_used_at=now)
    return TokenGrant(row.account, row.scope, row.pk)


def account_for_token(store: Store, token: str) -> Account | None:
    """The active account a token belongs to, or None (unknown, revoked, expired or disabled)."""
    grant = token_grant(store, token)
    return grant.account if isinstance(grant, TokenGrant) else None


# ---------------------------------------------------------------------------- sign-in throttling


def _throttle_row(store: Store, key: str, now: dt.datetime) -> SigninThrottle:
    rows = SigninThrottle.objects.using(store.alias)
    rows.get_or_create(key=key, defaults={"last_at": now})
    row = rows.select_for_update().get(key=key)  # a row lock on PostgreSQL; SQLite's IMMEDIATE serialises
    if now - row.last_at > THROTTLE_IDLE:
        row.failures, row.next_at = 0, None
    return row


def account_delay(failures: int) -> int:
    """Seconds the next attempt on an account waits after `failures` failures: none for the first
    ACCOUNT_FREE_TRIES, then 15, 30, 60, … up to ACCOUNT_MAX_DELAY_S."""
    if failures < ACCOUNT_FREE_TRIES:
        return 0
    return min(15 * 2 ** (failures - ACCOUNT_FREE_TRIES), ACCOUNT_MAX_DELAY_S)


def reserve_signin(store: Store, email: str, client: str) -> int:
    """Take one sign-in attempt for this account and this client, atomically, before the password
    is checked (so concurrent attempts can never get more tries than the policy). Returns 0 when
    the attempt may go ahead (it is counted as a failure until `signin_succeeded`), else how many
    seconds to wait (nothing is counted then)."""
    now = utc_now()
    with store.transaction():
        account = _throttle_row(store, f"account:{email[:254]}", now)
        peer = _throttle_row(store, f"client:{client[:64]}", now)
        waits = []
        if account.next_at is not None and account.next_at > now:
            waits.append((account.next_at - now).total_seconds())
        if peer.failures >= CLIENT_LIMIT:
            waits.append((peer.last_at + THROTTLE_IDLE - now).total_seconds())
        if waits:
            return max(1, int(max(waits) + 0.999))
        account.failures += 1
        account.next_at = now + dt.timedelta(seconds=account_delay(account.failures))
        account.last_at = now
        peer.failures += 1
        peer.last_at = now
        account.save(using=store.alias)
        peer.save(using=store.alias)
    return 0


def signin_succeeded(store: Store, email: str, client: str) -> None:
    """The reserved attempt was right: the account's count is cleared, the client's given back."""
    from django.db.models import F

    with store.transaction():
        clear_account_throttle(store, email)
        SigninThrottle.objects.using(store.alias).filter(key=f"client:{client[:64]}", failures__gt=0).update(
            failures=F("failures") - 1)


def clear_account_throttle(store: Store, email: str) -> None:
    """Forget an account's failures (after a successful sign-in or a password reset)."""
    SigninThrottle.objects.using(store.alias).filter(key=f"account:{email[:254]}").delete()


def allow_reset_mail(store: Store, email: str, client: str) -> bool:
    """Whether a password reset mail may go out now: at most RESET_MAILS_PER_ACCOUNT to one
    address and RESET_MAILS_PER_CLIENT asked by one client until they have been quiet for
    THROTTLE_IDLE (nobody can flood an official's mailbox). Counted atomically, like sign-ins;
    the page answers the same either way."""
    now = utc_now()
    with store.transaction():
        account = _throttle_row(store, f"reset:{email[:254]}", now)
        peer = _throttle_row(store, f"reset-client:{client[:64]}", now)
        allowed = account.failures < RESET_MAILS_PER_ACCOUNT and peer.failures < RESET_MAILS_PER_CLIENT
        for row in (account, peer):
            row.failures += 1
            row.last_at = now
            row.save(using=store.alias)
    return allowed
