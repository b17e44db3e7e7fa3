"""Sign-in throttling (issue 19.2): per account a back-off that a password reset clears, per
client a limit for that client only, the client read through trusted proxies, counted atomically."""

from __future__ import annotations

import threading

import pytest
from django.test import RequestFactory, override_settings

from gcmtrack.portal.middleware import client_address
from gcmtrack.store import Store
from gcmtrack.store.accounts import (
    ACCOUNT_FREE_TRIES,
    CLIENT_LIMIT,
    account_delay,
    get_account,
    reserve_signin,
    set_password,
)
from tests.portal_fixtures import PASSWORD, portal  # noqa: F401


def request(remote, xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_and_forwarded_for_is_ignored():
    with override_settings(GCMTRACK_TRUSTED_PROXIES=[]):
        assert client_address(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@pytest.mark.parametrize("remote, xff, client", [
    ("10.0.0.2", "198.51.100.7", "198.51.100.7"),  # one trusted hop
    ("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # the client's own 1.2.3.4 is not believed
    ("10.0.0.2", "10.0.0.8, 10.0.0.9", "10.0.0.8"),  # every hop trusted: the leftmost
    ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # an untrusted peer cannot forge it
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", "garbage, 198.51.100.7", "198.51.100.7"),
    ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
])
def test_forwarded_for_is_read_right_to_left_through_trusted_hops(remote, xff, client):
    with override_settings(GCMTRACK_TRUSTED_PROXIES=["10.0.0.0/8", "::1/128"]):
        assert client_address(request(remote, xff)) == client


def test_the_account_delay_grows_and_is_bounded():
    assert [account_delay(n) for n in range(ACCOUNT_FREE_TRIES)] == [0] * ACCOUNT_FREE_TRIES
    assert account_delay(ACCOUNT_FREE_TRIES) == 15 and account_delay(ACCOUNT_FREE_TRIES + 1) == 30
    assert account_delay(100) == 300


def test_concurrent_attempts_never_get_more_tries_than_the_limit(db):
    with Store(db) as store:
        results = []
        barrier = threading.Barrier(12)

        def attempt():
            barrier.wait()
            try:
                results.append(reserve_signin(store, "jam@gov.jm", "198.51.100.7"))
            finally:
                from django.db import connections
                connections.close_all()

        threads = [threading.Thread(target=attempt) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 12
        assert results.count(0) == ACCOUNT_FREE_TRIES, results  # exactly five went ahead


def test_a_stranger_cannot_lock_the_owner_out(portal):  # noqa: F811
    stranger = portal.client()
    for _ in range(ACCOUNT_FREE_TRIES):
        assert stranger.post("/signin/", {"email": "jam@gov.jm", "password": "wrong"},
                             REMOTE_ADDR="203.0.113.66").status_code == 401
    refused = stranger.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD}, REMOTE_ADDR="203.0.113.66")
    assert refused.status_code == 401 and "15 seconds" in refused.content.decode()
    # the owner is slowed too, but a password reset (or an invitation) clears the account's count
    owner = portal.client()
    assert owner.post("/signin/", {"email": "jam@gov.jm", "password": PASSWORD},
                      REMOTE_ADDR="198.51.100.7").status_code == 401
    set_password(portal.store, get_account(portal.store, "jam@gov.jm"), "a fresh long passphrase 2026")
    assert owner.post("/signin/", {"email": "jam@gov.jm", "password": "a fresh long passphrase 2026"},
                      REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_client_limit_refuses_that_client_only(portal):  # noqa: F811
    with override_settings(GCMTRACK_TRUSTED_PROXIES=["10.0.0.0/8"]):
        attacker = portal.client()
        for n in range(CLIENT_LIMIT):
            attacker.post("/signin/", {"email": f"nobody{n}@x.org", "password": "wrong"},
                          REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
        assert attacker.post("/signin/", {"email": "cmc@iom.int", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                             HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 401
        # behind the same proxy, another client signs in
        official = portal.client()
        assert official.post("/signin/", {"email": "cmc@iom.int", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                             HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    actions = [e.action for e in portal.store.audit_log()]
    assert actions.count("signin-failed") == CLIENT_LIMIT and "signin-throttled" in actions
