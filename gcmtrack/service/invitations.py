"""Invitation links: how a person whose account was created without a password sets one.

A link is signed with the store's secret key, names the account and its security stamp,
and expires after INVITATION_DAYS; setting a password changes the stamp, so a link works once.
"""

from __future__ import annotations

import os

from django.core import signing

from gcmtrack.store.accounts import account_by_id

INVITATION_DAYS = 7
_SALT = "gcmtrack.invitation"


def base_url() -> str:
    """Where the portal is reached from outside ($GCMTRACK_BASE_URL), for links in messages."""
    return os.environ.get("GCMTRACK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def invitation_token(store, account) -> str:
    signer = signing.TimestampSigner(key=store.secret_key(), salt=_SALT)
    return signer.sign(f"{account.pk}:{account.security_stamp}")


def invitation_link(store, account) -> str:
    return f"{base_url()}/invite/{invitation_token(store, account)}/"


def account_for_invitation(store, token: str):
    """The account an unexpired, unused invitation is for, or None."""
    signer = signing.TimestampSigner(key=store.secret_key(), salt=_SALT)
    try:
        value = signer.unsign(token, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    pk, _, stamp = value.partition(":")
    account = account_by_id(store, pk)
    if account is None or account.security_stamp != stamp:
        return None
    return account
