"""The one translation system (gcmtrack/common/catalogue.py): every catalogue is complete in
every language, and Babel's extraction finds no message or key that a catalogue lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from gcmtrack.common import catalogue as cat
from gcmtrack.common.languages import LANGS, UnknownLanguageError, check_lang, lang_or_default
from gcmtrack.intake.problems import WARNING, Problem, catalogue as problem_codes

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {"report": re.compile(r"%\((\w+)\)s")}
KEY = re.compile(r"[a-z][\w-]*(\.[\w-]+)*")
BRACES = re.compile(r"(?<!\{)\{(\w+)\}")


def _po(domain: str, lang: str):
    with cat.po_path(domain, lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


def _key(domain: str, message) -> str:
    return message.id if domain == "report" else message.context


def _extracted(domain: str) -> set[str]:
    """What Babel's extraction (babel.cfg, the domain's keywords) finds in the code."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    places, keywords = cat.EXTRACTION[domain]
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    messages = {message if isinstance(message, str) else message[0]
                for file, _l, message, _c, _x in found if file.replace("\\", "/").startswith(places)}
    if domain != "report":  # a key is a dotted name; a keyword's name may catch another string (text[:n] + "…")
        messages = {m for m in messages if KEY.fullmatch(m)}
    return messages


@pytest.mark.parametrize("domain", cat.DOMAINS)
def test_every_catalogue_is_complete_in_every_language(domain):
    pattern = PLACEHOLDERS.get(domain, BRACES)
    keys = {}
    for lang in LANGS:
        catalog = _po(domain, lang)
        assert not catalog.fuzzy, (domain, lang)
        messages = [m for m in catalog if m.id]
        assert messages, (domain, lang)
        for message in messages:
            where = (domain, lang, _key(domain, message))
            assert _key(domain, message), where
            assert not message.fuzzy, where
            assert isinstance(message.string, str) and message.string.strip(), where
            assert set(pattern.findall(message.string)) == set(pattern.findall(message.id)), where
            if lang == "en":
                assert message.string == message.id, where
        keys[lang] = [_key(domain, m) for m in messages]
        assert len(keys[lang]) == len(set(keys[lang])), (domain, lang)
    assert all(set(keys[lang]) == set(keys["en"]) for lang in LANGS), domain


@pytest.mark.parametrize("domain", sorted(cat.EXTRACTION))
def test_extraction_finds_nothing_the_catalogues_lack(domain):
    found = _extracted(domain)
    if domain == "cli":
        found = {key.removeprefix("cli-") for key in found}
    assert len(found) > {"report": 80, "portal": 100, "template": 5, "cli": 5}[domain]
    for lang in LANGS:
        keys = {_key(domain, m) for m in _po(domain, lang) if m.id}
        keys |= {key.rpartition(".")[0] for key in keys if key.endswith(".0")}  # a list, read by texts()
        assert found <= keys, (domain, lang, sorted(found - keys)[:5])


def test_every_problem_code_has_its_texts():
    codes = problem_codes()
    keys = {m.context for m in _po("problems", "en") if m.id}
    expected = {"did-you-mean"}
    for code, entry in codes.items():
        expected |= {f"{code}.message", f"{code}.hint"}
        if entry["severity"] == WARNING:
            expected.add(f"{code}.summary")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "gcmtrack").rglob("*.py"))
    # a code may have another hint for a case of its own ("unknown-state.hint_none": no close
    # match), as long as the code asks for it by name
    variants = {k for k in keys if re.fullmatch(r"[a-z0-9-]+\.hint_[a-z]+", k) and k.split(".")[0] in codes}
    assert all("." + k.split(".")[1] in source for k in variants), variants
    assert keys == expected | variants  # no text without a code, no code without its texts
    # and every code the intake writes is one of them
    written = set(re.findall(r"Problem\(\s*\"([a-z0-9-]+)\"", source))
    assert written and written <= set(codes), sorted(written - set(codes))


def test_the_compiled_catalogue_is_what_the_code_reads(tmp_path):
    # compile_all writes every .mo of a locale folder; a missing .po is a clear error
    for lang in LANGS:
        for domain in cat.DOMAINS:
            target = cat.po_path(domain, lang, tmp_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(cat.po_path(domain, lang).read_bytes())
    written = cat.compile_all(tmp_path)
    assert len(written) == len(LANGS) * len(cat.DOMAINS) and all(p.stat().st_size > 100 for p in written)
    loaded = cat.Catalogue(cat.mo_path("portal", "fr", tmp_path).read_bytes(), "portal", "fr")
    assert loaded.text("state.title", {"state": "Jamaïque"}) == "Jamaïque : classeurs de suivi"
    cat.po_path("cli", "es", tmp_path).unlink()
    with pytest.raises(FileNotFoundError, match="cli"):
        cat.compile_all(tmp_path)


def test_one_lenient_formatter():
    assert cat.fill("{a} and {b}", {"a": 1}) == "1 and {b}"
    assert cat.fill("{a}", {"a": None}) == ""
    assert cat.fill("{a} {{x}}") == "{a} {{x}}"  # no params: untouched
    assert cat.text("portal", "state.title", "es", state="Jamaica") == "Jamaica: libros de progreso"
    with pytest.raises(KeyError, match="no message"):
        cat.text("portal", "no.such.key", "en")


def test_one_check_lang():
    assert [check_lang(lang) for lang in LANGS] == list(LANGS)
    for wrong in ("de", "", None, "EN"):
        with pytest.raises(UnknownLanguageError):
            check_lang(wrong)
        with pytest.raises(UnknownLanguageError):
            cat.catalogue("report", wrong)
    assert lang_or_default("ES ") == "es" and lang_or_default("de") == "en" and lang_or_default(None) == "en"


def test_a_problem_speaks_each_language_from_the_catalogue():
    problem = Problem("file-unreadable", params={"reason": "boom"})
    assert problem.message("fr") == "Le fichier n'a pas pu être lu : boom."
    assert problem.message("es") == "No se pudo leer el archivo: boom."


def test_a_stored_warning_is_data_shown_in_the_readers_language(db):
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store
    from tests.builders import build_workbook

    with Store(db) as store:
        for date in ("2026-01-03", "2025-12-13"):  # an older workbook: the older-than-current warning
            assert ingest_bytes(store, build_workbook(lang="es", state="CRI", labels={"date": date}), f"{date}.xlsx").accepted
        stored = store.latest(2026)["CRI"]
        [problem] = [p for p in stored.problem_data if p["code"] == "older-than-current"]
        assert set(problem) == {"severity", "code", "sheet", "cell", "value", "params"}  # no text stored
        assert problem["params"] == {"date": "2025-12-13", "current_date": "2026-01-03", "current_version": 1}
        spanish = Problem("older-than-current", value="2025-12-13", params=problem["params"])
        [shown] = [w for w in stored.problems if w["code"] == "older-than-current"]
        assert shown == spanish.to_dict("es") and "2025-12-13" in shown["message"]  # the workbook's language
        assert stored.warnings("es") == list(stored.problems)
        [french] = [w for w in stored.warnings("fr") if w["code"] == "older-than-current"]
        assert french == spanish.to_dict("fr") != shown
        # the history JSON keeps its shape: rendered texts, in the workbook's language
        [version] = [v for v in store.history("CRI", 2026)["versions"] if v["version"] == 2]
        assert [w for w in version["warnings"] if w["code"] == "older-than-current"] == [shown]


def test_the_portal_shows_stored_warnings_in_the_pages_language(portal):
    from markupsafe import escape

    from gcmtrack.service.ingest import ingest_bytes
    from tests.portal_fixtures import workbook

    for measures, date in (("new", "2026-01-03"), ("old", "2025-12-13")):  # older than the one that counts
        item = ingest_bytes(portal.store, workbook("JAM", measures=measures, date=date), f"{measures}.xlsx")
        assert item.accepted
    client = portal.client("jam@gov.jm")
    client.post("/language/", {"language": "fr", "next": "/"})
    page = client.get(f"/submissions/{item.outcome.submission_id}/").content.decode()
    [problem] = [p for p in portal.store.get(item.outcome.submission_id).problem_data if p["code"] == "older-than-current"]
    shown = Problem(problem["code"], value=problem["value"], params=problem["params"])
    assert str(escape(shown.message("fr"))) in page and str(escape(shown.message("en"))) not in page


def test_a_key_a_language_lacks_shows_in_english_not_as_an_error():
    """A deployment ahead of its translations shows the English text, never a failing page (the
    completeness test above keeps the catalogues complete in the repository)."""
    import copy

    from gcmtrack.common.catalogue import catalogue

    arabic = copy.copy(catalogue("portal", "ar"))
    arabic.keys = {}  # as if every message had been added since the Arabic was written
    assert arabic.text("nav.tokens") == catalogue("portal", "en").text("nav.tokens")
    with pytest.raises(KeyError):
        arabic.text("no.such.key")  # a key no catalogue has is still an error
