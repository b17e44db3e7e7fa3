"""Multi-factor sign-in (issue 19.2): a real TOTP code signs in, a recovery code works once,
staff and admins must enrol (QR code and key shown), submitters may, an admin can reset it."""

from __future__ import annotations

import re
import time

from click.testing import CliRunner
from django_otp.oath import TOTP

from gcmtrack.cli import main
from gcmtrack.store.accounts import get_account
from gcmtrack.store.mfa import has_mfa
from tests.portal_fixtures import PASSWORD, enrol, portal, totp_now  # noqa: F401


def password_step(portal, email):  # noqa: F811
    client = portal.client()
    response = client.post("/signin/", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client, response["Location"]


def test_staff_sign_in_with_a_real_totp_code(portal):  # noqa: F811
    client, step = password_step(portal, "cmc@iom.int")
    assert step == "/signin/code/"
    assert client.get("/review/").status_code == 302  # not signed in after the password alone
    assert client.post(step, {"code": "000000"}).status_code == 401
    time.sleep(1.1)  # django-otp slows the device after a wrong code (1 s, then 2, 4, …)
    done = client.post(step, {"code": totp_now(portal.store, "cmc@iom.int")})
    assert done.status_code == 302 and client.get("/review/").status_code == 200
    actions = [e.action for e in portal.store.audit_log()]
    assert "signin-password" in actions and "mfa-failed" in actions and actions[-1] == "signin"


def test_a_recovery_code_works_once(portal):  # noqa: F811
    codes = enrol(portal.store, "jam@gov.jm")  # optional for a submitter, chosen here
    assert len(codes) == 10 and len(set(codes)) == 10
    client, step = password_step(portal, "jam@gov.jm")
    assert step == "/signin/code/"
    assert client.post(step, {"code": codes[0]}).status_code == 302
    assert client.get("/state/").status_code == 200
    time.sleep(1.1)
    again, step = password_step(portal, "jam@gov.jm")
    assert again.post(step, {"code": codes[0]}).status_code == 401  # used up
    assert "mfa-recovery-used" in [e.action for e in portal.store.audit_log()]


def test_submitters_without_an_authenticator_sign_in_with_a_password(portal):  # noqa: F811
    client, step = password_step(portal, "jam@gov.jm")
    assert step == "/"


def test_staff_without_an_authenticator_enrol_at_first_sign_in(portal):  # noqa: F811
    from gcmtrack.store.accounts import add_account

    add_account(portal.store, "new@iom.int", "staff", process_ids=["CMC"], password=PASSWORD)
    client, step = password_step(portal, "new@iom.int")
    assert step == "/signin/authenticator/"
    page = client.get(step).content.decode()
    assert "<svg" in page and "<path" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org", "")  # drawn here, nothing fetched
    key = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert client.get("/review/").status_code == 302
    assert client.post(step, {"code": "123456"}).status_code == 400
    time.sleep(1.1)
    import base64

    code = f"{TOTP(base64.b32decode(key)).token():06d}"  # what the phone shows after typing the key
    shown = client.post(step, {"code": code})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", shown.content.decode())
    assert len(codes) == 10
    assert client.get("/review/").status_code == 200
    assert has_mfa(portal.store, get_account(portal.store, "new@iom.int"))
    second, step = password_step(portal, "new@iom.int")
    assert step == "/signin/code/" and second.post(step, {"code": codes[3]}).status_code == 302


def test_the_second_step_expires_and_cannot_be_skipped(portal):  # noqa: F811
    client = portal.client()
    assert client.get("/signin/code/").status_code == 302  # no password given
    assert client.get("/signin/authenticator/").status_code == 302


def test_an_admin_resets_mfa_from_the_cli(portal):  # noqa: F811
    result = CliRunner().invoke(main, ["users", "reset-mfa", "cmc@iom.int", "--db", portal.location])
    assert result.exit_code == 0, result.output
    assert not has_mfa(portal.store, get_account(portal.store, "cmc@iom.int"))
    client, step = password_step(portal, "cmc@iom.int")
    assert step == "/signin/authenticator/"  # staff enrol again
    assert CliRunner().invoke(main, ["users", "reset-mfa", "x@iom.int", "--db", portal.location]).exit_code == 1


def test_a_signed_in_submitter_turns_it_on_with_the_password(portal):  # noqa: F811
    import base64

    client = portal.client("jam@gov.jm")
    page = client.get("/signin/authenticator/").content.decode()
    assert 'name="current"' in page
    key = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    code = f"{TOTP(base64.b32decode(key)).token():06d}"
    assert client.post("/signin/authenticator/", {"code": code, "current": "wrong"}).status_code == 400
    assert not has_mfa(portal.store, get_account(portal.store, "jam@gov.jm"))
    shown = client.post("/signin/authenticator/", {"code": code, "current": PASSWORD})
    assert shown.status_code == 200 and len(re.findall(r"<li><code>", shown.content.decode())) == 10
    assert has_mfa(portal.store, get_account(portal.store, "jam@gov.jm"))
    _, step = password_step(portal, "jam@gov.jm")
    assert step == "/signin/code/"
