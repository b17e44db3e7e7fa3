"""The portal in a real browser: Playwright drives Debian's Chromium against `gcmtrack serve`
(gunicorn) on both databases. A submitter uploads a workbook with a typo, sees the cell named,
downloads the annotated copy and uploads the fix; staff return it with a reason; the
submitter reads the reason. axe checks every page for WCAG 2.2 AA (no serious or critical
violation), and pages follow the browser's language and the switch.

Set GCMTRACK_SCREENSHOTS=DIR to keep a screenshot of every page visited."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.builders import build_workbook
from tests.portal_fixtures import PASSWORD, enrol, totp_now, workbook

pytestmark = pytest.mark.slow
# Playwright's sync API keeps an event loop running in this thread; the store calls made here
# between browser steps are ordinary blocking ones, which Django would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/lib/chromium/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(db, tmp_path):
    """`gcmtrack serve` on a store with a JAM submitter, CMC staff and a CMC reviewer."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("GCMTRACK_TEST_POSTGRES") == "require":  # `make test`: the browser is required too
            pytest.fail("Chromium is not installed (make test installs it)")
        pytest.skip("Chromium is not installed")
    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account
    from gcmtrack.store.deadlines import set_deadline

    import datetime as dt

    with Store(db) as store:
        add_account(store, "jam@gov.jm", "submitter", state="JAM", password=PASSWORD)
        add_account(store, "cmc@iom.int", "staff", process_ids=["CMC"], password=PASSWORD)
        enrol(store, "cmc@iom.int")  # staff sign in in two steps
        add_account(store, "reader@iom.int", "reviewer", process_ids=["CMC"], password=PASSWORD)
        set_deadline(store, "CMC", 2026, dt.date(2026, 3, 31))
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "gcmtrack", "serve", "--db", db, "--port", str(port),
                             "--workers", "2"], stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "serve.log").read_text())
            time.sleep(0.2)
    yield base
    os.killpg(proc.pid, 15)
    proc.wait(30)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


def screenshot_dir() -> Path | None:
    """GCMTRACK_SCREENSHOTS as a folder (made when missing), or None: no screenshots."""
    if not os.environ.get("GCMTRACK_SCREENSHOTS"):
        return None
    shots = Path(os.environ["GCMTRACK_SCREENSHOTS"])
    shots.mkdir(parents=True, exist_ok=True)
    return shots


class Visitor:
    """One person in the browser: every page they see is checked with axe and photographed."""

    def __init__(self, browser, base: str, locale: str, shots: Path | None, who: str):
        self.context = browser.new_context(locale=locale, accept_downloads=True)
        self.page = self.context.new_page()
        self.base, self.shots, self.who = base, shots, who
        self.count = 0

    def check(self, label: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        result = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], (label, bad)
        if self.shots:
            self.count += 1
            self.page.screenshot(path=str(self.shots / f"{self.who}-{self.count:02d}-{label}.png"), full_page=True)

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.base + path)
        self.check(label)

    def sign_in(self, email: str, db: str | None = None) -> None:
        self.go("/signin/", "signin")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_load_state()
        if self.page.url.endswith("/signin/code/"):  # staff: the authenticator's code
            from gcmtrack.store import Store

            self.check("signin-code")
            with Store(db) as store:
                self.page.fill("#code", totp_now(store, email))
            self.page.click("button[type=submit].primary")
            self.page.wait_for_load_state()


def test_upload_fix_return_and_read_the_reason(server, browser, tmp_path, db):
    shots = screenshot_dir()
    typo = build_workbook(state="JAM", objectives=[(1, "Implementd", "m")] + [(n, "Planned", "m") for n in range(2, 24)])
    (tmp_path / "jam-typo.xlsx").write_bytes(typo)
    (tmp_path / "jam-fixed.xlsx").write_bytes(workbook("JAM", measures="fixed"))

    official = Visitor(browser, server, "en-GB", shots, "submitter")
    official.sign_in("jam@gov.jm")
    assert official.page.url.endswith("/state/")
    official.check("state-home")
    official.page.set_input_files("#file", str(tmp_path / "jam-typo.xlsx"))
    with official.page.expect_navigation():  # the answer page, not the form still shown
        official.page.click("text=Check and send")
    official.check("upload-rejected")
    assert "B2" in official.page.inner_text("table.problems")
    with official.page.expect_download() as download:
        official.page.click("text=Download the annotated copy")
    annotated = tmp_path / "annotated.xlsx"
    download.value.save_as(annotated)
    assert openpyxl.load_workbook(annotated)["Objectives"]["B2"].comment is not None
    official.go("/state/", "state-home-again")
    official.page.set_input_files("#file", str(tmp_path / "jam-fixed.xlsx"))
    with official.page.expect_navigation():  # the answer page, not the form still shown
        official.page.click("text=Check and send")
    official.check("submission-uploaded")
    assert "/submissions/" in official.page.url and "uploaded=1" in official.page.url
    submission_path = official.page.url.split(server)[1].split("?")[0]
    official.go("/password/", "password")

    staff = Visitor(browser, server, "en-US", shots, "staff")
    staff.sign_in("cmc@iom.int", db)
    staff.check("review-index")
    staff.go("/review/CMC/2026/", "dashboard")
    assert "Jamaica" in staff.page.inner_text("main")
    staff.go(submission_path, "submission-staff")
    # a reason of spaces only: the same page again, the return form saying why (axe-checked)
    staff.page.fill("#return-reason", "   ")
    with staff.page.expect_navigation():  # the answer page, not the form still shown
        staff.page.click("text=Return to the State")
    staff.check("submission-return-refused")
    assert "A reason is needed" in staff.page.inner_text("#return-failed")
    assert staff.page.url.endswith("/decide/")
    staff.page.fill("#return-reason", "Objective 7: please add the evidence")
    with staff.page.expect_navigation():  # the answer page, not the form still shown
        staff.page.click("text=Return to the State")
    staff.check("submission-returned")
    staff.go("/reports/", "reports-empty")
    staff.go("/review/CMC/2030/", "dashboard-empty")
    staff.go("/no-such-page/", "not-found")

    official.go("/state/", "state-home-returned")
    assert "Objective 7: please add the evidence" in official.page.inner_text("main")

    # a queued render job and published reports (rendering them here would take a minute)
    from gcmtrack.service.invitations import invitation_link
    from gcmtrack.service.rendering import request_render
    from gcmtrack.store import Store, utc_now
    from gcmtrack.store.accounts import add_account
    from gcmtrack.store.models import RenderedReport

    with Store(db) as store:
        job = request_render(store, "CMC", 2026, publish=True, actor="cmc@iom.int")
        for lang in ("en", "es", "fr"):
            RenderedReport.objects.using(store.alias).create(
                process="CMC", cycle=2026, lang=lang, pdf=b"%PDF-1.7", html=f"<html lang='{lang}'></html>".encode(),
                data=b"JAM", pages=30, digest="x", rendered_at=utc_now(), published_at=utc_now())
        invited = add_account(store, "new@gov.jm", "submitter", state="JAM")
        link = invitation_link(store, invited).split("/invite/", 1)[1]
    staff.go(f"/jobs/{job.id}/", "job-queued")
    assert "0 of 6" in staff.page.inner_text("main")  # three languages, two editions
    newcomer = Visitor(browser, server, "es-ES", shots, "invited")
    newcomer.go(f"/invite/{link}", "invite-es")
    assert newcomer.page.get_attribute("html", "lang") == "es"

    reader = Visitor(browser, server, "fr-FR", shots, "reviewer")
    reader.sign_in("reader@iom.int")
    assert reader.page.get_attribute("html", "lang") == "fr"
    reader.check("reports-fr")
    reader.page.select_option("#lang-switch", "es")
    reader.page.click("form.inline button[type=submit]")
    reader.page.wait_for_load_state()
    assert reader.page.get_attribute("html", "lang") == "es"
    reader.check("reports-es")


def _start(db: str, log: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gcmtrack", "serve", "--db", db, "--port", str(port),
                             "--workers", "1", "--no-render-worker"], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.2)
    raise RuntimeError("serve did not start")


def test_two_serve_processes_share_one_postgresql_database(empty_pg, tmp_path):
    """A shared deployment: what one web process stores, the other serves; a session signed in
    through one is valid on the other (same database, same secret kept with the store)."""
    db = empty_pg
    import http.client
    import json
    import uuid

    import datetime as dt

    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account, new_token
    from gcmtrack.store.deadlines import set_deadline

    with Store(db) as store:
        add_account(store, "jam@gov.jm", "submitter", state="JAM", password=PASSWORD)
        set_deadline(store, "CMC", 2026, dt.date(2026, 12, 31))  # a cycle open for JAM's uploads
        token = new_token(store, "jam@gov.jm")
    (a, port_a), (b, port_b) = _start(db, tmp_path / "a.log"), _start(db, tmp_path / "b.log")
    try:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jam.xlsx\"\r\n\r\n"
                ).encode() + workbook("JAM", measures="shared") + f"\r\n--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection("127.0.0.1", port_a, timeout=60)
        conn.request("POST", "/api/v1/submissions", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        created = conn.getresponse()
        assert created.status == 201, created.read()
        stored_id = json.loads(created.read())["submission_id"]
        conn = http.client.HTTPConnection("127.0.0.1", port_b, timeout=60)
        conn.request("GET", f"/api/v1/submissions/{stored_id}", headers={"Authorization": f"Bearer {token}"})
        seen = conn.getresponse()
        assert seen.status == 200 and json.loads(seen.read())["state"] == "JAM"
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            return
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = chromium.new_context()
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port_a}/signin/")
            page.fill("#email", "jam@gov.jm")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit].primary")
            page.wait_for_load_state()
            cookies = context.cookies(f"http://127.0.0.1:{port_a}")
            other = chromium.new_context()
            other.add_cookies([{**c, "domain": "127.0.0.1"} for c in cookies])
            page_b = other.new_page()
            page_b.goto(f"http://127.0.0.1:{port_b}/state/")
            assert page_b.url.endswith("/state/") and f"/submissions/{stored_id}/" in page_b.content()
            chromium.close()
    finally:
        for proc in (a, b):
            os.killpg(proc.pid, 15)
            proc.wait(30)


# The browser's language for each of gcmtrack's: a regional tag, which the portal matches on its
# primary subtag (issue 21).
BROWSER_LOCALES = {"en": "en-GB", "es": "es-MX", "fr": "fr-CA", "ar": "ar-EG", "zh": "zh-CN", "ru": "ru-RU",
                   "pt": "pt-BR"}


def _text_hugs_the_end(page, selector: str) -> bool:
    """Whether the text of `selector` is set against the end of its line (the right edge in a
    right-to-left page): its text ends at the box's right edge and starts well inside it."""
    text, box = page.evaluate("""sel => { const el = document.querySelector(sel); const r = document.createRange();
        r.selectNodeContents(el); const t = r.getBoundingClientRect(), b = el.getBoundingClientRect();
        return [[t.left, t.right], [b.left, b.right]]; }""", selector)
    return abs(text[1] - box[1]) < 4 and text[0] > box[0] + 20


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_the_portal_in_every_language(server, browser, db):
    """Each language of LANGS, picked by the browser: <html lang dir>, axe on the pages of a
    submitter, staff and a reviewer; Arabic mirrored (text set from the right); at 320 px for
    Arabic and Chinese too. Screenshots with GCMTRACK_SCREENSHOTS."""
    from gcmtrack.common.languages import LANGS, direction
    from gcmtrack.service.rendering import report_languages
    from gcmtrack.reference.processes import get_process

    shots = screenshot_dir()
    for lang in LANGS:
        for width in (1280, 320) if lang in ("ar", "zh") else (1280,):
            visitor = Visitor(browser, server, BROWSER_LOCALES.get(lang, lang), shots, f"lang-{lang}-{width}")
            visitor.page.set_viewport_size({"width": width, "height": 900})
            visitor.sign_in("jam@gov.jm")
            assert (visitor.page.get_attribute("html", "lang"), visitor.page.get_attribute("html", "dir")) == \
                (lang, direction(lang))
            visitor.check("state-home")
            # nothing is wider than the screen (320 px: WCAG reflow)
            assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width
            if direction(lang) == "rtl":
                assert _text_hugs_the_end(visitor.page, "main h1"), lang
            visitor.context.close()
        staff = Visitor(browser, server, BROWSER_LOCALES.get(lang, lang), shots, f"lang-{lang}-staff")
        staff.sign_in("cmc@iom.int", db)
        staff.go("/review/CMC/2026/", "dashboard")
        offered = staff.page.eval_on_selector_all("input[name=lang]", "els => els.map(e => e.value)")
        assert offered == list(report_languages(get_process("CMC")))
        staff.context.close()
        reader = Visitor(browser, server, BROWSER_LOCALES.get(lang, lang), shots, f"lang-{lang}-reviewer")
        reader.sign_in("reader@iom.int")
        assert reader.page.get_attribute("html", "lang") == lang
        reader.check("reports")
        reader.context.close()
