"""Accounts that recover, in Chromium (issue 19.2): a forgotten password reset through the
e-mailed link, staff enrolling an authenticator at first sign-in and signing in with a real
TOTP code and then a recovery code, and the throttle's answer. axe checks every page; with
GCMTRACK_SCREENSHOTS=DIR each new page is photographed at 1280 and 320 px wide."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

from tests.portal_fixtures import PASSWORD
from tests.test_browser import Visitor, browser, screenshot_dir, server  # noqa: F401

pytestmark = pytest.mark.slow
NEW = "a brand new passphrase 2026"


class Person(Visitor):
    def check(self, label: str) -> None:
        super().check(label)
        if self.shots:
            for width in (1280, 320):
                self.page.set_viewport_size({"width": width, "height": 900})
                self.page.screenshot(path=str(self.shots / f"{self.who}-{label}-{width}.png"), full_page=True)
            self.page.set_viewport_size({"width": 1280, "height": 720})


def _submit(person):
    person.page.click("main button[type=submit].primary")
    person.page.wait_for_load_state()


def test_reset_a_forgotten_password_by_email(server, browser, tmp_path):  # noqa: F811
    person = Person(browser, server, "en-GB", screenshot_dir(), "reset")
    person.go("/signin/", "signin")
    person.page.click("text=Forgot your password?")
    person.page.wait_for_load_state()
    person.check("reset-request")
    person.page.fill("#email", "jam@gov.jm")
    _submit(person)
    assert person.page.url.endswith("/reset/sent/")
    person.check("reset-sent")
    log = (tmp_path / "serve.log")
    deadline = time.monotonic() + 20
    while not re.search(r"/reset/[^/\s]+/[^/\s]+/", log.read_text(errors="replace")) and time.monotonic() < deadline:
        time.sleep(0.2)
    path = re.search(r"https?://[^/\s]+(/reset/[^/\s]+/[^/\s]+/)", log.read_text(errors="replace")).group(1)
    person.page.goto(server + path)
    assert person.page.url.endswith("/set-password/")  # the token left the address bar
    person.check("reset-confirm")
    person.page.fill("#new", "Jamaica2026")
    person.page.fill("#repeat", "Jamaica2026")
    person.page.evaluate("document.querySelector('#new').removeAttribute('minlength')")
    _submit(person)
    assert "12" in person.page.inner_text("[role=alert]")
    person.check("reset-weak")
    person.page.fill("#new", NEW)
    person.page.fill("#repeat", NEW)
    _submit(person)
    assert person.page.url.endswith("/reset/done/")
    person.check("reset-done")
    person.page.goto(server + path)  # once only
    assert "does not work" in person.page.inner_text("main")
    person.check("reset-invalid")
    person.go("/signin/", "signin")
    person.page.fill("#email", "jam@gov.jm")
    person.page.fill("#password", NEW)
    _submit(person)
    assert person.page.url.endswith("/state/")


def test_staff_enrol_an_authenticator_and_sign_in_with_a_code_then_a_recovery_code(server, browser, db):  # noqa: F811
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account

    with Store(db) as store:
        add_account(store, "new@iom.int", "staff", process_ids=["CMC"], password=PASSWORD)
    person = Person(browser, server, "fr-FR", screenshot_dir(), "mfa")
    person.go("/signin/", "signin")
    person.page.fill("#email", "new@iom.int")
    person.page.fill("#password", PASSWORD)
    _submit(person)
    assert person.page.url.endswith("/signin/authenticator/")
    assert person.page.locator("figure.qr svg").count() == 1
    person.check("mfa-setup")
    key = person.page.inner_text("code.secret").replace(" ", "")
    person.page.fill("#code", f"{TOTP(base64.b32decode(key)).token():06d}")  # the phone, after the key was typed
    _submit(person)
    codes = person.page.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10
    person.check("mfa-codes")
    person.page.click("text=Continuer")
    person.page.wait_for_load_state()
    assert person.page.url.endswith("/review/")
    person.page.click("header form[action='/signout/'] button")
    person.page.wait_for_load_state()
    person.page.fill("#email", "new@iom.int")
    person.page.fill("#password", PASSWORD)
    _submit(person)
    assert person.page.url.endswith("/signin/code/")
    person.check("mfa-verify")
    person.page.fill("#code", codes[0])
    _submit(person)
    assert person.page.url.endswith("/review/")


def test_the_throttle_answers_with_a_wait_and_the_way_out(server, browser):  # noqa: F811
    person = Person(browser, server, "es-ES", screenshot_dir(), "throttle")
    for _ in range(6):
        person.page.goto(server + "/signin/")
        person.page.fill("#email", "jam@gov.jm")
        person.page.fill("#password", "wrong password")
        _submit(person)
    assert "segundos" in person.page.inner_text("[role=alert]")
    person.check("signin-throttled")
    person.page.click("text=¿Olvidó su contraseña?")
    person.page.wait_for_load_state()
    assert person.page.url.endswith("/reset/")


def test_a_disabled_account_is_invited_again_and_enabled(server, browser, db):  # noqa: F811
    from click.testing import CliRunner

    from gcmtrack.cli import main

    def cli(*args):
        result = CliRunner().invoke(main, [*args, "--db", db])
        assert result.exit_code == 0, result.output
        return result.stdout

    cli("users", "disable", "jam@gov.jm")
    person = Person(browser, server, "en-GB", screenshot_dir(), "reinvite")
    person.go("/signin/", "signin")
    person.page.fill("#email", "jam@gov.jm")
    person.page.fill("#password", PASSWORD)
    _submit(person)
    assert person.page.url.endswith("/signin/")  # disabled
    link = re.search(r"https?://[^/\s]+(/invite/\S+/)", cli("users", "invite", "jam@gov.jm")).group(1)
    person.page.goto(server + link)
    person.check("invite-again")
    person.page.fill("#new", NEW)
    person.page.fill("#repeat", NEW)
    _submit(person)
    person.page.fill("#email", "jam@gov.jm")
    person.page.fill("#password", PASSWORD)  # the old password no longer works
    _submit(person)
    assert person.page.url.endswith("/signin/")
    person.page.fill("#email", "jam@gov.jm")
    person.page.fill("#password", NEW)
    _submit(person)
    assert person.page.url.endswith("/state/")
    person.page.click("header form[action='/signout/'] button")
    person.page.wait_for_load_state()
    cli("users", "disable", "jam@gov.jm")
    cli("users", "enable", "jam@gov.jm")  # enabled again, with its password
    person.page.goto(server + "/signin/")
    person.page.fill("#email", "jam@gov.jm")
    person.page.fill("#password", NEW)
    _submit(person)
    assert person.page.url.endswith("/state/")
    # a submitter may turn two-step sign-in on from the password page (the password asked again)
    person.go("/password/", "password")
    person.page.click("text=Two-step sign-in")
    person.page.wait_for_load_state()
    person.check("mfa-optional")
    key = person.page.inner_text("code.secret").replace(" ", "")
    person.page.fill("#current", NEW)
    person.page.fill("#code", f"{TOTP(base64.b32decode(key)).token():06d}")
    _submit(person)
    assert len(person.page.locator("ul.codes code").all_inner_texts()) == 10
