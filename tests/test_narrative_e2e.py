"""Issue 20 done: a real-looking 30-page DOCX and a 30-page PDF in English, Spanish and French go
from upload to confirmed links to a counted version and a quoted passage in the report, on
SQLite and PostgreSQL; hostile documents get located errors and nothing is stored.

The DOCX goes through the command line (`narrative ingest`, then `narrative confirm` with a
decisions file, as staff who work offline do); the PDF through the HTTP API (upload, passages,
decisions, statuses, confirmation) and the same review workflow (accepted by staff). The
report's state profile quotes a confirmed passage in full with its page and paragraph."""

from __future__ import annotations

import html
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from tests.narrative_documents import OBJECTIVES, review_docx, review_pdf

CASES = [("en", "JAM"), ("es", "DOM"), ("fr", "HTI")]
WHERE = {"en": "page {page}, paragraph {paragraph}", "es": "página {page}, párrafo {paragraph}",
         "fr": "page {page}, paragraphe {paragraph}"}
PARAGRAPH = {"en": "paragraph {paragraph}", "es": "párrafo {paragraph}", "fr": "paragraphe {paragraph}"}


def run(*args):
    from gcmtrack.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def decisions_for(passages: list[dict]) -> dict:
    """What a person decides: each passage under an objective's heading is linked to the
    objective its heading names (the suggestion accepted); the title page's passages to none;
    a status per objective the document reports on."""
    chosen = []
    for p in passages:
        by_heading = [s["objective"] for s in p["suggestions"] if s["by_heading"]]
        chosen.append({"passage": p["number"], "objectives": by_heading[:1]})
    statuses = {str(n): "implemented" if i % 2 == 0 else "in_progress" for i, n in enumerate(OBJECTIVES)}
    statuses["2"] = "not-stated"
    return {"passages": chosen, "statuses": statuses, "confirm": True}


@pytest.mark.parametrize("lang, state", CASES)
def test_a_narrative_review_goes_from_upload_to_the_report(portal, tmp_path, lang, state):
    from django.test import Client

    from gcmtrack.export import dataset_rows
    from gcmtrack.report.batch import report_data
    from gcmtrack.report.render import render_html
    from gcmtrack.store.accounts import new_token

    store, db = portal.store, portal.location
    # --- the DOCX, at the command line: ingest, then decisions from a file
    docx_path = tmp_path / f"{state.lower()}-review-2026.docx"
    docx_path.write_bytes(review_docx(state, lang))
    ingested = run("narrative", "ingest", docx_path, "--state", state, "--cycle", 2026, "--json", "--db", db)
    assert ingested.exit_code == 0, ingested.output
    docx_id = json.loads(ingested.stdout)["submission_id"]
    assert store.get(docx_id).review_state == "unconfirmed"
    assert store.latest(2026).get(state) is None or store.latest(2026)[state].id != docx_id
    from gcmtrack.service.narrative import narrative, narrative_object

    passages = narrative_object(narrative(store, docx_id))["passages"]
    assert len(passages) > 100 and {p["lang"] for p in passages} == {lang}
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps(decisions_for(passages)), encoding="utf-8")
    confirmed = run("narrative", "confirm", docx_id, decisions, "--db", db)
    assert confirmed.exit_code == 0, confirmed.output
    counting = store.latest(2026)[state]
    assert counting.id == docx_id and counting.is_narrative
    assert set(counting.submission.objectives) == set(OBJECTIVES)
    rows = [r for r in dataset_rows(store, 2026, "CMC", lang) if r["state"] == state]
    five = next(r for r in rows if r["objective"] == 5)
    assert five["kind"] == "narrative" and five["passages"].startswith("paragraph ")  # a DOCX has no pages

    # --- the PDF, through the API, by the process's staff; then accepted in the same review
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {new_token(store, 'cmc@iom.int')}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post("/api/v1/narratives", {"file": SimpleUploadedFile(f"{state.lower()}-review.pdf",
                                                                          review_pdf(state, lang)),
                                                "state": state, "cycle": "2026"}, **auth)
    assert upload.status_code == 201, upload.content[:500]
    assert upload.json()["pages"] >= 30
    pdf_id = upload.json()["submission_id"]
    body = client.get(f"/api/v1/narratives/{pdf_id}", **auth).json()
    decided = client.post(f"/api/v1/narratives/{pdf_id}/decisions", data=json.dumps(decisions_for(body["passages"])),
                          content_type="application/json", **auth)
    assert decided.status_code == 200, decided.content[:500]
    assert decided.json()["confirmed"] and decided.json()["review_state"] == "submitted"
    accepted = client.post(f"/api/v1/submissions/{pdf_id}/review", data=json.dumps({"decision": "accept"}),
                           content_type="application/json", **auth)
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "accepted"
    assert store.latest(2026, accepted_only=True)[state].id == pdf_id

    # --- the report quotes a confirmed passage in full, with its page and paragraph
    quotes = store.get(pdf_id).submission.quotes_for(5)
    quote = next(q for q in quotes if q.page and q.page >= 4)
    page = render_html(report_data(store, "CMC", 2026, accepted_only=True), lang)
    assert html.escape(quote.text, quote=False) in page
    assert WHERE[lang].format(page=quote.page, paragraph=quote.paragraph) in page
    # explain points to page and paragraph instead of sheet and cell
    explained = run("explain", "--submission", pdf_id, "--objective", 5, "--db", db)
    assert f"{state.lower()}-review.pdf page {quotes[0].page}, paragraph {quotes[0].paragraph}" in explained.output
    # diff of the two narrative versions: the passages moved from paragraphs to pages
    diff = json.loads(run("diff", docx_id, pdf_id, "--json", "--db", db).stdout)
    moved = diff["objectives"]["5"]["passages"]
    assert moved[0][0].startswith("paragraph ") and moved[1][0].startswith("page ")
    # nothing unconfirmed counts: objective 2 was "not stated", the title page linked to nothing
    assert 2 not in store.get(pdf_id).submission.objectives


def _docx_with(entries: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(review_docx("JAM", "en")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, entries.pop(item.filename, None) or source.read(item.filename))
        for name, data in entries.items():
            target.writestr(name, data)
    return out.getvalue()


def _docm() -> bytes:
    """A macro-enabled document (.docm): its main part's type says so, and it carries a VBA project."""
    types = zipfile.ZipFile(io.BytesIO(review_docx("JAM", "en"))).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return _docx_with({"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def _scanned_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string='<div style="width:10cm;height:10cm;background:#345"></div>').write_pdf()


HOSTILE = {
    "entity.docx": lambda: _docx_with({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "x">]>'
                                                           b"<d>&x;</d>"}),
    "macros.docm": lambda: _docm(),
    "scanned.pdf": _scanned_pdf,
    "truncated.docx": lambda: review_docx("JAM", "en")[:len(review_docx("JAM", "en")) // 2],
    "not-a-pdf.pdf": lambda: b"<html><script>alert(1)</script></html>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_get_located_errors_and_nothing_is_stored(db, tmp_path, name):
    from gcmtrack.store import Store

    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    result = run("narrative", "ingest", path, "--state", "JAM", "--cycle", 2026, "--json", "--db", db)
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["outcome"] == "rejected" and answer["submission_id"] is None
    assert answer["problems"] and all(p["code"] for p in answer["problems"])
    if name == "scanned.pdf":
        assert "no-text-layer" in {p["code"] for p in answer["problems"]}
    with Store(db) as store:
        assert store.submissions() == []
        assert store.original  # the store opened; and no file was kept:
        from gcmtrack.store.models import StoredFile

        assert StoredFile.objects.using(store.alias).count() == 0
