"""Password reset by e-mail (issue 19.2): one-time links that expire, the same answer for any
address, the mail in the account's language, the policy applied, sessions ended, back-off cleared."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from gcmtrack.store.accounts import ACCOUNT_FREE_TRIES, disable_account
from tests.portal_fixtures import PASSWORD, portal  # noqa: F401

NEW = "a brand new passphrase 2026"


@pytest.fixture
def outbox(settings_for_tests):
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        yield mail.outbox


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/reset/[^\s]+/)", message.body).group(1)


def ask(client, email):
    return client.post("/reset/", {"email": email})


def test_the_same_answer_whether_the_address_exists_or_not(portal, outbox):  # noqa: F811
    known, unknown = ask(portal.client(), "mex@sre.gob.mx"), ask(portal.client(), "nobody@nowhere.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/reset/sent/"
    assert len(outbox) == 1 and outbox[0].to == ["mex@sre.gob.mx"]
    assert "contraseña" in outbox[0].subject  # the account's language (es), not the page's
    actions = [e.action for e in portal.store.audit_log()]
    assert actions.count("password-reset-request") == 2


def test_a_reset_link_works_once_and_ends_the_slowdown(portal, outbox):  # noqa: F811
    owner = portal.client("jam@gov.jm")  # signed in elsewhere before
    stranger = portal.client()
    for _ in range(ACCOUNT_FREE_TRIES + 1):
        stranger.post("/signin/", {"email": "jam@gov.jm", "password": "wrong"})
    ask(portal.client(), "JAM@gov.jm")
    path = link_path(outbox[0])
    client = portal.client()
    first = client.get(path)
    assert first.status_code == 302 and first["Location"].endswith("/set-password/")  # the token leaves the URL
    page = client.get(first["Location"])
    assert page.status_code == 200 and 'name="new"' in page.content.decode()
    weak = client.post(first["Location"], {"new": "Jamaica2026", "repeat": "Jamaica2026"})
    assert weak.status_code == 200 and "12" in weak.content.decode()
    done = client.post(first["Location"], {"new": NEW, "repeat": NEW})
    assert done.status_code == 302 and done["Location"] == "/reset/done/"
    assert client.get("/reset/done/").status_code == 200
    assert owner.get("/state/").status_code == 302  # the other session ended
    used = portal.client().get(path, follow=True)
    assert "does not work" in used.content.decode() and 'name="new"' not in used.content.decode()
    signed = portal.client().post("/signin/", {"email": "jam@gov.jm", "password": NEW})
    assert signed.status_code == 302  # the back-off the stranger caused is cleared


def test_a_link_expires_and_dies_with_disabling(portal, outbox):  # noqa: F811
    ask(portal.client(), "jam@gov.jm")
    ask(portal.client(), "cmc@iom.int")
    jam, cmc = (link_path(m) for m in outbox)
    with override_settings(PASSWORD_RESET_TIMEOUT=-1):
        assert "does not work" in portal.client().get(jam, follow=True).content.decode()
    disable_account(portal.store, "cmc@iom.int")
    assert "does not work" in portal.client().get(cmc, follow=True).content.decode()
    assert len(outbox) == 2
    ask(portal.client(), "cmc@iom.int")  # a disabled account gets no mail
    assert len(outbox) == 2


def test_the_link_uses_the_configured_base_url_not_the_host_header(portal, outbox, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GCMTRACK_BASE_URL", "https://portal.example.org")
    with override_settings(ALLOWED_HOSTS=["*"]):
        portal.client().post("/reset/", {"email": "jam@gov.jm"}, HTTP_HOST="evil.example.com")
    assert "https://portal.example.org/reset/" in outbox[0].body and "evil" not in outbox[0].body


@pytest.mark.parametrize("lang, words", [("es", "Restablecer"), ("fr", "Réinitialiser")])
def test_the_reset_pages_speak_the_users_language(portal, lang, words):  # noqa: F811
    client = portal.client()
    client.cookies["gcmtrack_lang"] = lang
    assert words in client.get("/reset/").content.decode()
    assert "/reset/" in client.get("/signin/").content.decode()


@pytest.mark.parametrize("lang, words", [("es", "demasiado corta"), ("fr", "trop court")])
def test_the_policy_message_shows_in_the_users_language(portal, outbox, lang, words):  # noqa: F811
    ask(portal.client(), "jam@gov.jm")
    client = portal.client()
    client.cookies["gcmtrack_lang"] = lang
    step = client.get(link_path(outbox[0]))["Location"]
    refused = client.post(step, {"new": "Jamaica2026", "repeat": "Jamaica2026"})
    assert refused.status_code == 200 and words in refused.content.decode()


def test_nobody_can_flood_a_mailbox_with_reset_mails(portal, outbox):  # noqa: F811
    from gcmtrack.store.accounts import RESET_MAILS_PER_ACCOUNT

    answers = {ask(portal.client(), "jam@gov.jm")["Location"] for _ in range(RESET_MAILS_PER_ACCOUNT + 3)}
    assert answers == {"/reset/sent/"} and len(outbox) == RESET_MAILS_PER_ACCOUNT
