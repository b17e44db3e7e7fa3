"""Language negotiation (issue 21, item 5): the portal's page language from the switch, else the
browser's Accept-Language matched on its primary subtag, else English; the switch on every page,
returning to the page it was used on; the page's direction; a process's reports offered in its
working languages, in the portal's render form and the command line's `report`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gcmtrack.common.languages import LANGS, direction
from gcmtrack.portal.language import browser_languages


@pytest.mark.parametrize("header, wanted", [
    ("zh-CN,zh;q=0.9,en;q=0.8", ["zh", "en"]),
    ("zh-Hans-TW", ["zh"]),
    ("pt-BR", ["pt"]),
    ("ar-EG,ar;q=0.9", ["ar"]),
    ("ru-RU, en-GB;q=0.5", ["ru", "en"]),
    ("de-DE,en;q=0.3,fr;q=0.7", ["fr", "en"]),   # by q-value, German not spoken
    ("fr;q=0, es", ["es"]),                      # q=0: not this one
    ("en;q=abc, es;q=0.5", ["es"]),              # a garbled entry is skipped
    ("", []),
    (None, []),
    ("*", []),
    ("x" * 5000, []),                            # bounded
])
def test_browser_languages(header, wanted):
    assert browser_languages(header) == wanted


@pytest.mark.parametrize("lang", LANGS)
def test_the_portal_speaks_the_browsers_language(portal, lang):
    regional = {"en": "en-GB", "es": "es-MX", "fr": "fr-CA", "ar": "ar-EG", "zh": "zh-CN", "ru": "ru-RU",
                "pt": "pt-BR"}[lang]
    page = portal.client().get("/signin/", HTTP_ACCEPT_LANGUAGE=f"de-DE,{regional};q=0.9")
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction(lang)}">'.encode() in page.content
    assert page["Content-Language"] == lang and "Accept-Language" in page["Vary"]
    # the switch lists every language by its own name, marked with its language and direction
    assert b'<option value="ar" lang="ar" dir="rtl"' in page.content
    assert '>中文</option>'.encode() in page.content and '>العربية</option>'.encode() in page.content


def test_the_switch_wins_over_the_browser_and_keeps_the_page(portal):
    client = portal.client()
    answer = client.post("/language/", {"language": "ar", "next": "/signin/?x=1"})
    assert answer.status_code == 302 and answer["Location"] == "/signin/?x=1"
    page = client.get("/signin/", HTTP_ACCEPT_LANGUAGE="fr")
    assert b'<html lang="ar" dir="rtl">' in page.content
    # an unknown language keeps the choice as it was; a foreign `next` goes home
    answer = client.post("/language/", {"language": "de", "next": "https://elsewhere.example/"})
    assert answer["Location"] == "/"
    assert b'<html lang="ar" dir="rtl">' in client.get("/signin/").content
    # without `next` (a page that answered a POST), back to the page the form was on
    answer = client.post("/language/", {"language": "zh"}, HTTP_REFERER="http://testserver/reset/")
    assert answer["Location"] == "http://testserver/reset/"
    assert b'<html lang="zh" dir="ltr">' in client.get("/signin/").content
    assert client.get("/language/").status_code == 405


def test_the_switch_sends_next_only_from_a_page_read_with_get(portal):
    client = portal.client("jam@gov.jm")
    page = client.get("/state/").content.decode()
    assert 'name="next" value="/state/"' in page
    answer = client.post("/upload/", {})  # a page that answers a POST (here, an error)
    assert 'name="next"' not in answer.content.decode()


def test_the_render_form_offers_the_process_working_languages(portal):
    from gcmtrack.reference.processes import get_process
    from gcmtrack.service.rendering import report_languages
    from gcmtrack.store.jobs import recent_jobs

    assert report_languages(get_process("CMC")) == ("en", "es", "fr")
    staff = portal.client("cmc@iom.int")
    page = staff.get("/review/CMC/2026/").content.decode()
    for lang in ("en", "es", "fr"):
        assert f'name="lang" value="{lang}" checked' in page
    assert 'name="lang" value="ar"' not in page
    # the languages ticked, among those offered (a language the process does not work in is ignored)
    assert staff.post("/review/CMC/2026/render/", {"lang": ["fr", "ar"], "publish": "1"}).status_code == 302
    assert staff.post("/review/CMC/2026/render/", {}).status_code == 302  # none ticked: all offered
    jobs = sorted(recent_jobs(portal.store, "CMC", 2026), key=lambda j: j.id)
    assert [list(j.langs) for j in jobs[-2:]] == [["fr"], ["en", "es", "fr"]]


def test_report_languages_of_a_process():
    from gcmtrack.reference.processes import get_process
    from gcmtrack.service.rendering import report_languages

    assert report_languages(get_process("RCM")) == ("es", "en")
    assert set(report_languages(get_process("ESCWA"))) >= {"ar", "en"}
    assert set(report_languages(get_process("ECE"))) >= {"en", "fr", "ru"}


def test_the_report_command_renders_each_process_in_its_working_languages(monkeypatch, tmp_path, sqlite_template):
    import gcmtrack.report.batch as batch
    from gcmtrack.cli import main

    calls = []
    monkeypatch.setattr(batch, "render_reports", lambda store, ids, cycle, langs, output, **kw: calls.append(
        (list(ids), list(langs))) or [])
    db = str(sqlite_template)
    result = CliRunner().invoke(main, ["report", "--process", "RCM", "--cycle", "2026", "--output", str(tmp_path),
                                       "--db", db])
    assert result.exit_code == 0, result.output
    assert calls == [(["RCM"], ["es", "en"])]
    calls.clear()
    result = CliRunner().invoke(main, ["report", "--process", "RCM", "--cycle", "2026", "--lang", "ar",
                                       "--output", str(tmp_path), "--db", db])
    assert result.exit_code == 0 and calls == [(["RCM"], ["ar"])]
    assert "ar is not a working language of RCM (es, en)" in result.output
    calls.clear()
    result = CliRunner().invoke(main, ["report", "--all", "--cycle", "2026", "--output", str(tmp_path), "--db", db])
    assert result.exit_code == 0
    rendered = {pid: langs for ids, langs in calls for pid in ids}
    assert rendered["RCM"] == ["es", "en"] and "ar" in rendered["ESCWA"] and "ru" in rendered["ECE"]
