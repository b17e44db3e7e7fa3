"""Two editions in the portal (issue 18, item 1; review.md "Two editions from one store"): a
render job keeps the review edition (published, or a draft beside what reviewers have) and the
staff edition (never published, the latest render); the process's staff list and download both,
clearly labelled; reviewers and everyone else see only published reviews, and every
staff-edition URL answers them 404."""

from __future__ import annotations

import re

import pytest

FORMATS = ("pdf", "html", "csv")


def _rendered(tag: bytes):
    return [(lang, b"%PDF-1.7 " + tag, b"<html>" + tag + b"</html>", 3, tag.decode()) for lang in ("en", "es", "fr")]


def _finish(store, *, publish: bool, review: bytes, staff: bytes | None):
    from gcmtrack.store import jobs

    jobs.create_job(store, "CMC", 2026, ("en", "es", "fr"), publish=publish, accepted_only=False,
                    actor="cmc@iom.int")
    job = jobs.claim(store, "test:1")
    jobs.finish_job(store, job, _rendered(review), b"JAM review data",
                    staff=_rendered(staff) if staff else [], staff_data=b"JAM staff data")
    return jobs.get_job(store, job.id)


def test_a_job_keeps_both_editions_and_publishes_only_the_review(portal):
    from gcmtrack.store import jobs

    done = _finish(portal.store, publish=True, review=b"review", staff=b"staff1")
    assert (done.status, done.done, done.total) == ("done", 6, 6)  # three languages, two editions
    assert [(r.lang, r.edition) for r in jobs.published_reports(portal.store)] == \
        [("en", "review"), ("es", "review"), ("fr", "review")]
    staff = jobs.staff_report(portal.store, "CMC", 2026, "es")
    assert bytes(staff.pdf) == b"%PDF-1.7 staff1" and staff.published_at is None and bytes(staff.data) == b"JAM staff data"
    assert bytes(jobs.published_report(portal.store, "CMC", 2026, "es").pdf) == b"%PDF-1.7 review"
    # a draft render replaces the staff edition (the latest) but never what reviewers have
    _finish(portal.store, publish=False, review=b"draft", staff=b"staff2")
    assert bytes(jobs.published_report(portal.store, "CMC", 2026, "es").pdf) == b"%PDF-1.7 review"
    assert bytes(jobs.staff_report(portal.store, "CMC", 2026, "es").pdf) == b"%PDF-1.7 staff2"
    assert [r.lang for r in jobs.staff_reports(portal.store)] == ["en", "es", "fr"]  # one per language, the latest
    # a job without a staff edition (an older worker) leaves the kept one alone
    _finish(portal.store, publish=True, review=b"review2", staff=None)
    assert bytes(jobs.staff_report(portal.store, "CMC", 2026, "fr").pdf) == b"%PDF-1.7 staff2"
    assert jobs.staff_report(portal.store, "RCM", 2026, "fr") is None


def test_staff_list_and_download_both_editions_reviewers_only_the_review(portal):
    _finish(portal.store, publish=True, review=b"review", staff=b"staff")
    page = portal.client("cmc@iom.int").get("/reports/").content.decode()
    assert "Staff edition — names states and their scores, for the secretariat only" in page
    assert "Review edition: published for reviewers and the public" in page
    for fmt in FORMATS:
        assert f'href="/reports/CMC/2026/en.{fmt}"' in page and f'href="/reports/CMC/2026/staff/en.{fmt}"' in page
    staff = portal.client("cmc@iom.int")
    pdf = staff.get("/reports/CMC/2026/staff/fr.pdf")
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 staff"
    assert pdf["Content-Disposition"].endswith('cmc-2026-staff-fr.pdf"')  # the name `report` gives it
    html = staff.get("/reports/CMC/2026/staff/es.html")
    assert html.status_code == 200 and html.content == b"<html>staff</html>"
    assert "sandbox" in html["Content-Security-Policy"] and "script-src" not in html["Content-Security-Policy"]
    data = staff.get("/reports/CMC/2026/staff/en.csv")
    assert data.status_code == 200 and data.content == b"JAM staff data"
    assert data["Content-Disposition"].endswith('cmc-2026-staff-en-data.csv"')
    assert staff.get("/reports/CMC/2026/staff/en.docx").status_code == 404
    assert staff.get("/reports/CMC/2026/staff/en.pdf").content != staff.get("/reports/CMC/2026/en.pdf").content
    # in Spanish, the label too
    spanish = portal.client("cmc@iom.int")
    spanish.post("/language/", {"language": "es", "next": "/reports/"})
    assert "solo para la secretaría" in spanish.get("/reports/").content.decode()
    # an admin reads every process's staff edition
    assert portal.client("admin@iom.int").get("/reports/CMC/2026/staff/en.pdf").status_code == 200
    # the reviewer of CMC: the published review, no staff edition anywhere on the page
    reader = portal.client("reader@iom.int")
    listing = reader.get("/reports/").content.decode()
    assert "/reports/CMC/2026/en.pdf" in listing and "/staff/" not in listing and "secretariat only" not in listing
    assert reader.get("/reports/CMC/2026/en.pdf").content == b"%PDF-1.7 review"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_staff_edition_url_is_404_to_everyone_else(portal, fmt):
    _finish(portal.store, publish=True, review=b"review", staff=b"named-scores")
    path = f"/reports/CMC/2026/staff/en.{fmt}"
    for email in ("reader@iom.int", "jam@gov.jm", "mex@sre.gob.mx", "rcm@iom.int", None):
        refused = sum(1 for e in portal.store.audit_log() if e.action == "refused")
        response = portal.client(email).get(path)
        assert response.status_code == 404, (email, response.status_code)
        assert b"named-scores" not in response.content and not re.search(rb"\bJAM\b", response.content), email
        log = [e for e in portal.store.audit_log() if e.action == "refused"]
        assert len(log) == refused + 1 and log[-1].actor == (email or "anonymous"), email
    # a staff edition that was never rendered is 404 to its own staff too (and says nothing more)
    assert portal.client("rcm@iom.int").get(f"/reports/RCM/2026/staff/en.{fmt}").status_code == 404
    assert portal.client("cmc@iom.int").get(path).status_code == 200


def test_the_data_link_follows_what_was_kept(portal):
    """A report rendered before the editions kept its dataset (CSV) and keeps serving it there; a
    new render keeps its edition's data package (ZIP): each is served at its own format only."""
    from gcmtrack.store import jobs

    jobs.publish_report(portal.store, "CMC", 2026, "en", pdf=b"%PDF", html=b"<html>", data=b"JAM,old", digest="d")
    jobs.keep_staff_report(portal.store, "CMC", 2026, "en", pdf=b"%PDF", html=b"<html>", data=b"PK zip", digest="d",
                           data_format=jobs.DATA_PACKAGE)
    staff = portal.client("cmc@iom.int")
    page = staff.get("/reports/").content.decode()
    assert 'href="/reports/CMC/2026/en.csv"' in page and "Data (CSV)" in page
    assert "Staff edition (PDF)</a>" in page and "? pages" not in page  # no page count kept: none shown
    assert 'href="/reports/CMC/2026/staff/en.zip"' in page and "Staff edition data (Frictionless Data Package, ZIP)" in page
    assert staff.get("/reports/CMC/2026/en.csv").content == b"JAM,old"
    assert staff.get("/reports/CMC/2026/en.zip").status_code == 404
    package = staff.get("/reports/CMC/2026/staff/en.zip")
    assert package.content == b"PK zip" and package["Content-Type"] == "application/zip"
    assert package["Content-Disposition"].endswith('cmc-2026-staff-data.zip"')
    assert staff.get("/reports/CMC/2026/staff/en.csv").status_code == 404


def test_no_staff_edition_yet_is_said(portal):
    page = portal.client("rcm@iom.int").get("/reports/").content.decode()
    assert "No staff edition yet" in page and "No report has been published yet." in page


def test_reports_stored_before_the_editions_are_the_review(db):
    """Migration 0008: a report kept by an older gcmtrack is the published review edition."""
    from django.core.management import call_command
    from django.db import connections

    from gcmtrack.store import Store, jobs

    with Store(db) as store:
        call_command("migrate", "gcmtrack", "0007_accounts", database=store.alias, verbosity=0)
        with connections[store.alias].cursor() as cursor:
            cursor.execute("INSERT INTO gcm_report (process, cycle, lang, pdf, html, pages, digest, data, rendered_at,"
                           " published_at, draft) VALUES ('CMC', 2026, 'en', %s, %s, 3, 'old', %s,"
                           " '2026-01-02 00:00:00+00:00', '2026-01-02 00:00:00+00:00', %s)",
                           [b"%PDF old", b"<html>", b"JAM", False])
        call_command("migrate", "gcmtrack", database=store.alias, verbosity=0)
        row = jobs.published_report(store, "CMC", 2026, "en")
        assert row is not None and row.edition == "review" and bytes(row.pdf) == b"%PDF old"
        assert jobs.staff_reports(store) == []
