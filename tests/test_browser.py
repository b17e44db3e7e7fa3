"""The portal in a real browser: Playwright drives Debian's Chromium against `gcmtrack serve`
(gunicorn) on both databases. A submitter uploads a workbook with a typo, sees the cell named,
downloads the annotated copy and uploads the fix; staff return it with a reason; the
submitter reads the reason. axe checks every page for WCAG 2.2 AA (no serious or critical
violation), and pages follow the browser's language and the switch.

Set GCMTRACK_SCREENSHOTS=DIR to keep a screenshot of every page visited."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.builders import build_workbook
from tests.portal_fixtures import PASSWORD, workbook

pytestmark = pytest.mark.slow

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

    def sign_in(self, email: str) -> None:
        self.go("/signin/", "signin")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_load_state()


def test_upload_fix_return_and_read_the_reason(server, browser, tmp_path):
    shots = Path(os.environ["GCMTRACK_SCREENSHOTS"]) if os.environ.get("GCMTRACK_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    typo = build_workbook(state="JAM", objectives=[(1, "Implementd", "m")] + [(n, "Planned", "m") for n in range(2, 24)])
    (tmp_path / "jam-typo.xlsx").write_bytes(typo)
    (tmp_path / "jam-fixed.xlsx").write_bytes(workbook("JAM", measures="fixed"))

    official = Visitor(browser, server, "en-GB", shots, "submitter")
    official.sign_in("jam@gov.jm")
    assert official.page.url.endswith("/state/")
    official.check("state-home")
    official.page.set_input_files("#file", str(tmp_path / "jam-typo.xlsx"))
    official.page.click("text=Check and send")
    official.page.wait_for_load_state()
    official.check("upload-rejected")
    assert "B2" in official.page.inner_text("table.problems")
    with official.page.expect_download() as download:
        official.page.click("text=Download the annotated copy")
    annotated = tmp_path / "annotated.xlsx"
    download.value.save_as(annotated)
    assert openpyxl.load_workbook(annotated)["Objectives"]["B2"].comment is not None
    official.go("/state/", "state-home-again")
    official.page.set_input_files("#file", str(tmp_path / "jam-fixed.xlsx"))
    official.page.click("text=Check and send")
    official.page.wait_for_load_state()
    official.check("submission-uploaded")
    assert "/submissions/" in official.page.url and "uploaded=1" in official.page.url
    submission_path = official.page.url.split(server)[1].split("?")[0]
    official.go("/password/", "password")

    staff = Visitor(browser, server, "en-US", shots, "staff")
    staff.sign_in("cmc@iom.int")
    staff.check("review-index")
    staff.go("/review/CMC/2026/", "dashboard")
    assert "Jamaica" in staff.page.inner_text("main")
    staff.go(submission_path, "submission-staff")
    staff.page.fill("#return-reason", "Objective 7: please add the evidence")
    staff.page.click("text=Return to the State")
    staff.page.wait_for_load_state()
    staff.check("submission-returned")
    staff.go("/reports/", "reports-empty")
    staff.go("/review/CMC/2030/", "dashboard-empty")
    staff.go("/no-such-page/", "not-found")

    official.go("/state/", "state-home-returned")
    assert "Objective 7: please add the evidence" in official.page.inner_text("main")

    reader = Visitor(browser, server, "fr-FR", shots, "reviewer")
    reader.sign_in("reader@iom.int")
    assert reader.page.get_attribute("html", "lang") == "fr"
    reader.check("reports-fr")
    reader.page.select_option("#lang-switch", "es")
    reader.page.click("form.inline button[type=submit]")
    reader.page.wait_for_load_state()
    assert reader.page.get_attribute("html", "lang") == "es"
    reader.check("reports-es")
