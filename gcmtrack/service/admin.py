"""Managing accounts and API tokens: the use cases behind `gcmtrack users` / `gcmtrack tokens`
and the portal's administration pages, each once. The rules (who may be what, a token's scope
and expiry, what disabling ends) are store/accounts.py's; this adds what a person is handed:
the invitation link of a new or re-invited account."""

from __future__ import annotations

from gcmtrack.service.invitations import invitation_link
from gcmtrack.store.accounts import (add_account, change_account, default_expiry, disable_account, enable_account,
                                     list_tokens, new_token, reinvite_account, revoke_token)

__all__ = ["add_account", "change_account", "create_token", "default_expiry", "disable_account", "enable_account",
           "invite", "list_tokens", "reinvite", "revoke_token"]


def invite(store, email: str, role: str, *, state: str | None = None, process_ids=(), lang: str = "en",
           actor: str | None = None):
    """Create an account without a password; returns it and the invitation link (valid 7 days)
    with which the person chooses one."""
    account = add_account(store, email, role, state=state, process_ids=process_ids, lang=lang, actor=actor)
    return account, invitation_link(store, account)


def reinvite(store, email: str, *, actor: str | None = None):
    """Invite an existing account again (enabled if it was disabled; its old password, links,
    sessions and tokens end); returns it and the new link."""
    account = reinvite_account(store, email, actor=actor)
    return account, invitation_link(store, account)


def create_token(store, email: str, *, scope: str, expires=None, label: str = "", actor: str | None = None) -> str:
    """A new API token (shown once), expiring after TOKEN_DAYS unless another date is given."""
    return new_token(store, email, scope=scope, expires=expires or default_expiry(), label=label, actor=actor)
