"""Store migration 0004: stored problems from rendered text to code and parameters, and back,
nothing lost (on SQLite and PostgreSQL through the `db` fixture)."""

from __future__ import annotations

from django.db import connections
from django.db.migrations.executor import MigrationExecutor

import datetime as dt

from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.intake.problems import Problem
from gcmtrack.store import Store
from gcmtrack.store.accounts import add_account
from gcmtrack.submission import render_problems
from tests.builders import build_workbook

BEFORE = ("gcmtrack", "0003_upload_checks_and_report_data")
AFTER = ("gcmtrack", "0004_problems_as_data")


def _migrate(alias: str, target: tuple[str, str]):
    executor = MigrationExecutor(connections[alias])
    executor.migrate([target])
    return MigrationExecutor(connections[alias]).loader.project_state([target]).apps


def test_stored_problems_become_code_and_params_and_back(db):
    with Store(db) as store:
        for lang, state in (("en", "MEX"), ("es", "CRI")):  # an older workbook: a warning with params
            for number, date in enumerate(("2026-01-03", "2025-12-13")):
                item = ingest_bytes(store, build_workbook(lang=lang, state=state, labels={"date": date}),
                                    f"{state}-{number}.xlsx")
                assert item.accepted, [(p.code, p.cell) for p in item.result.errors]
        alias = store.alias
        account = add_account(store, "jam@gov.jm", "submitter", state="JAM")
        # a rejected upload kept for its annotated copy: a French problem with a "did you mean"
        typo = Problem("unknown-status", "Objectifs", "B7", "Mise en ouvre",
                       {"closest": "Mise en œuvre", "choices": ["Mise en œuvre", "Prévu"]})
        check = typo.to_dict("fr")
        shown = {s.state: list(s.problems) for s in store.latest(2026).values()}
        assert any(shown.values())  # warnings to convert
        english = {s.state: s.warnings("en") for s in store.latest(2026).values()}

        # back to rendered texts, in each version's language, as a store written before 0004
        apps = _migrate(alias, BEFORE)
        versions = apps.get_model("gcmtrack", "SubmissionVersion").objects.using(alias)
        rows = {row.state: row for row in versions.order_by("id")}  # the latest version of each state last
        for state, row in rows.items():
            assert row.problems == shown[state] and all("params" not in p for p in row.problems)
        # a text nobody can match (edited by hand) and a code the catalogue no longer has
        mex = rows["MEX"]
        kept = [{"severity": "warning", "code": "older-than-current", "sheet": None, "cell": None,
                 "value": "2025-12-13", "message": "written by hand", "hint": "also by hand"},
                {"severity": "warning", "code": "no-such-code", "sheet": "Objectives", "cell": "B7",
                 "value": None, "message": "an old message", "hint": "an old hint"}]
        versions.filter(pk=mex.pk).update(problems=list(mex.problems) + kept)
        checks = apps.get_model("gcmtrack", "UploadCheck").objects.using(alias)
        checks.create(token="t" * 43, account_id=account.pk, filename="jam.xlsx", content=b"x", lang="fr",
                      problems=[check], created_at=dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc))

        apps = _migrate(alias, AFTER)
        rows = {row.state: row for row in apps.get_model("gcmtrack", "SubmissionVersion").objects.using(alias).order_by("id")}
        for state, row in rows.items():
            converted = [p for p in row.problems if "message" not in p]
            assert len(converted) == len(shown[state])  # every rendered warning recovered as data
            assert all(set(p) == {"severity", "code", "sheet", "cell", "value", "params"} for p in converted)
            assert render_problems(converted, "en") == english[state]  # now in any language
        assert [p for p in rows["MEX"].problems if "message" in p] == [{**p, "params": {}} for p in kept]
        assert render_problems(rows["MEX"].problems, "es")[-2:] == kept  # shown as written, in every language
        [recovered] = apps.get_model("gcmtrack", "UploadCheck").objects.using(alias).get().problems
        assert recovered["params"] == {"closest": "Mise en œuvre", "choices": "Mise en œuvre, Prévu"}
        assert render_problems([recovered], "fr") == [check]
        assert render_problems([recovered], "en")[0]["hint"].startswith("Did you mean Mise en œuvre? ")

        # and back again: the same texts as before the round trip
        apps = _migrate(alias, BEFORE)
        rows = {row.state: row for row in apps.get_model("gcmtrack", "SubmissionVersion").objects.using(alias).order_by("id")}
        assert rows["CRI"].problems == shown["CRI"]
        assert rows["MEX"].problems == shown["MEX"] + kept
        assert apps.get_model("gcmtrack", "UploadCheck").objects.using(alias).get().problems == [check]
        _migrate(alias, AFTER)
