"""Issue 19 item 2, accounts that recover: the password policy on every path, re-enabling and
re-inviting a disabled account (store and CLI), on both databases."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.utils import translation

from gcmtrack.cli import main
from gcmtrack.service.invitations import account_for_invitation, invitation_token
from gcmtrack.store import Store
from gcmtrack.store.accounts import (
    AccountError,
    account_for_token,
    add_account,
    check_password,
    disable_account,
    enable_account,
    get_account,
    new_token,
    reinvite_account,
    set_password,
)

PASSWORD = "correct horse battery staple"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.mark.parametrize("password, why", [
    ("Jamaica2026", "short"),  # the notes' example: 11 characters
    ("abcdefghij", "short"),
    ("123456789012345", "numeric"),
    ("password1234", "common"),
    ("qwertyuiop123", "common"),
    ("focal.point@gov.jm", "similar"),
    ("focalpoint@gov.jm", "similar"),
])
def test_the_password_policy_refuses_weak_passwords(db, password, why):
    with Store(db) as store:
        with pytest.raises(AccountError) as refused:
            add_account(store, "focal.point@gov.jm", "submitter", state="JAM", password=password)
        assert refused.value.code == "weak-password"
        account = add_account(store, "focal.point@gov.jm", "submitter", state="JAM", password=PASSWORD)
        with pytest.raises(AccountError):
            set_password(store, account, password)
        assert get_account(store, "focal.point@gov.jm").check_password(PASSWORD)


def test_a_long_uncommon_password_is_accepted_and_1024_is_the_limit(db):
    check_password("Kingston harbour at dawn 7", email="focal@gov.jm")
    with pytest.raises(AccountError) as long:
        check_password("x" * 1025)
    assert long.value.code == "password-too-long"


@pytest.mark.parametrize("lang, words", [("en", "too short"), ("es", "demasiado corta"), ("fr", "trop court")])
def test_the_policy_speaks_the_users_language(lang, words):
    with translation.override(lang):
        with pytest.raises(AccountError) as refused:
            check_password("Jamaica2026", email="focal@gov.jm")
    assert words in str(refused.value), str(refused.value)


def test_the_cli_password_stdin_follows_the_policy(db):
    refused = run("users", "add", "a@gov.jm", "--role", "submitter", "--state", "JAM", "--password-stdin",
                  "--db", db, input="Jamaica2026\n")
    assert refused.exit_code == 1 and "12" in refused.output
    assert run("users", "add", "a@gov.jm", "--role", "submitter", "--state", "JAM", "--password-stdin",
               "--db", db, input=PASSWORD + "\n").exit_code == 0


def test_a_disabled_account_is_enabled_again_with_its_password(db):
    with Store(db) as store:
        add_account(store, "s@gov.mx", "submitter", state="MEX", password=PASSWORD)
        token = new_token(store, "s@gov.mx")
        disable_account(store, "s@gov.mx")
        with pytest.raises(AccountError) as active:
            enable_account(store, "s@gov.mx")
            enable_account(store, "s@gov.mx")
        assert active.value.code == "account-active"
        account = get_account(store, "s@gov.mx")
        assert account.is_active and account.check_password(PASSWORD)
        assert account_for_token(store, token) is None  # tokens revoked at disabling stay revoked
        assert [e.action for e in store.audit_log()][-2:] == ["account-disable", "account-enable"]


def test_a_disabled_account_is_invited_again(db):
    with Store(db) as store:
        account = add_account(store, "s@gov.mx", "submitter", state="MEX", password=PASSWORD)
        old_link = invitation_token(store, account)
        disable_account(store, "s@gov.mx")
        with pytest.raises(AccountError) as exists:
            add_account(store, "s@gov.mx", "submitter", state="MEX")
        assert exists.value.code == "account-exists" and "users invite" in str(exists.value)
        account = reinvite_account(store, "s@gov.mx")
        assert account.is_active and not account.check_password(PASSWORD)
        assert (account.role, account.state) == ("submitter", "MEX")
        assert account_for_invitation(store, old_link) is None
        link = invitation_token(store, account)
        assert account_for_invitation(store, link).email == "s@gov.mx"
        set_password(store, account, "a new long passphrase 2026", actor=account.email)
        assert account_for_invitation(store, link) is None  # used once


def test_cli_enable_and_invite(db):
    assert run("users", "add", "staff@iom.int", "--role", "staff", "--process", "CMC", "--db", db).exit_code == 0
    assert run("users", "disable", "staff@iom.int", "--db", db).exit_code == 0
    again = run("users", "add", "staff@iom.int", "--role", "staff", "--process", "CMC", "--db", db)
    assert again.exit_code == 1 and "users invite" in again.output
    enabled = run("users", "enable", "staff@iom.int", "--db", db)
    assert enabled.exit_code == 0 and "Enabled staff@iom.int" in enabled.stdout
    assert run("users", "enable", "staff@iom.int", "--db", db).exit_code == 1
    assert run("users", "disable", "staff@iom.int", "--db", db).exit_code == 0
    invited = run("users", "invite", "staff@iom.int", "--db", db)
    assert invited.exit_code == 0 and "/invite/" in invited.stdout
    assert run("users", "invite", "nobody@iom.int", "--db", db).exit_code == 1
    with Store(db) as store:
        assert get_account(store, "staff@iom.int").is_active
