"""The workflow commands on both databases: users, review, history, audit; accounts, tokens
and the scoping function."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gcmtrack.cli import main
from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.store import Store
from gcmtrack.store.accounts import (
    AccountError,
    account_for_token,
    add_account,
    disable_account,
    get_account,
    new_token,
    scope_of,
    set_password,
)
from tests.builders import build_workbook

PASSWORD = "correct horse battery staple"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def workbook(state="JAM", measures="m", date=None):
    return build_workbook(state=state, objectives=[(n, "Planned", f"{measures} {n}") for n in range(1, 24)],
                          labels={"date": date} if date else None)


@pytest.fixture
def two_versions(db):
    with Store(db) as store:
        first = ingest_bytes(store, workbook(measures="a", date="2026-01-03"), "jam-v1.xlsx").outcome
        second = ingest_bytes(store, workbook(measures="b", date="2026-02-03"), "jam-v2.xlsx").outcome
    return db, first.submission_id, second.submission_id


def test_review_and_history_commands(two_versions):
    db, v1, v2 = two_versions
    refused = run("review", "return", v2, "--db", db)
    assert refused.exit_code == 1
    # returning the version that counts makes version 1 count: it says so and asks first
    asked = run("review", "return", v2, "--reason", "Objective 7: no evidence", "--db", db, input="n\n")
    assert asked.exit_code == 1 and "after this decision version 1 counts instead" in asked.output
    with Store(db) as store:
        assert store.get(v2).review_state == "submitted"  # declined: nothing changed
    result = run("review", "return", v2, "--reason", "Objective 7: no evidence", "--json", "--yes", "--db", db)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["id"], data["review_state"], data["version"]) == (v2, "returned", 2)
    assert set(data) == {"id", "state", "cycle", "version", "review_state", "stored_at", "workbook_date",
                         "filename", "sha256", "warnings", "kind"}
    assert run("review", "accept", v1, "--db", db).exit_code == 0  # version 1 counts before and after: no question
    assert run("review", "accept", v1, "--db", db).exit_code == 1  # already accepted
    assert run("review", "accept", 999, "--db", db).exit_code == 1
    history = json.loads(run("history", "--state", "Jamaica", "--cycle", 2026, "--json", "--db", db).stdout)
    assert [(v["id"], v["review_state"], v["counts"]) for v in history["versions"]] == \
        [(v1, "accepted", True), (v2, "returned", False)]
    returned = history["versions"][1]["events"][-1]
    assert (returned["action"], returned["from"], returned["to"], returned["reason"]) == \
        ("return", "submitted", "returned", "Objective 7: no evidence")
    assert returned["actor"].startswith("cli")
    text = run("history", "--state", "JAM", "--cycle", 2026, "--db", db).stdout
    assert "Objective 7: no evidence" in text
    log = json.loads(run("audit", "--json", "--db", db).stdout)["events"]
    assert [e["action"] for e in log] == ["ingest", "ingest", "return", "accept"]
    # --limit N: the N most recent events, as tail gives them (the oldest used to come out)
    last = json.loads(run("audit", "--json", "--limit", 2, "--db", db).stdout)["events"]
    assert last == log[-2:]
    newest = run("audit", "--limit", 1, "--db", db).stdout.splitlines()
    assert len(newest) == 1 and "accept submission" in newest[0]
    # reopening version 2 would make it count over version 1: confirmed at the prompt
    reopened = run("review", "reopen", v2, "--reason", "resent", "--db", db, input="y\n")
    assert reopened.exit_code == 0 and "after this decision version 2 counts instead" in reopened.output
    assert "is now submitted" in reopened.stdout
    assert json.loads(run("audit", "--json", "--since", "2999-01-01", "--db", db).stdout) == {"events": []}


def test_users_commands(db):
    added = run("users", "add", "Focal@Gov.JM", "--role", "submitter", "--state", "Jamaica", "--password-stdin",
                "--db", db, input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    invited = run("users", "add", "staff@iom.int", "--role", "staff", "--process", "CMC", "--db", db)
    assert invited.exit_code == 0 and "/invite/" in invited.stdout
    assert run("users", "add", "x@iom.int", "--role", "staff", "--db", db).exit_code == 1
    assert run("users", "add", "weak@gov.jm", "--role", "submitter", "--state", "JAM", "--password-stdin",
               "--db", db, input="password\n").exit_code == 1
    listing = json.loads(run("users", "list", "--json", "--db", db).stdout)["users"]
    assert [(u["email"], u["role"], u["state"], u["processes"]) for u in listing] == [
        ("focal@gov.jm", "submitter", "JAM", []), ("staff@iom.int", "staff", None, ["CMC"])]
    token = run("users", "token", "staff@iom.int", "--db", db).stdout.strip()
    assert token.startswith("gcm_") and "\n" not in token
    with Store(db) as store:
        assert account_for_token(store, token).email == "staff@iom.int"
        assert token not in json.dumps([e.to_dict() for e in store.audit_log()])
    assert run("users", "disable", "staff@iom.int", "--db", db).exit_code == 0
    with Store(db) as store:
        assert account_for_token(store, token) is None
        actions = [e.action for e in store.audit_log()]
    assert actions == ["account-add", "account-add", "token-create", "account-disable"]


def test_tokens_are_stored_only_as_hashes(db):
    with Store(db) as store:
        add_account(store, "a@iom.int", "staff", process_ids=["RCM"])
        token = new_token(store, "a@iom.int")
        from django.db import connections
        with connections[store.alias].cursor() as cursor:
            cursor.execute("SELECT key_hash, prefix FROM gcm_api_token")
            key_hash, prefix = cursor.fetchone()
        assert token not in key_hash and len(key_hash) == 64 and token.startswith(prefix)
        assert account_for_token(store, token + "x") is None
        assert account_for_token(store, "not-a-token") is None


def test_passwords_are_argon2_and_changing_one_rotates_the_session_stamp(db):
    with Store(db) as store:
        account = add_account(store, "s@gov.mx", "submitter", state="MEX", password=PASSWORD)
        assert account.password.startswith("argon2")
        assert account.check_password(PASSWORD)
        stamp = account.security_stamp  # part of every session's auth hash
        set_password(store, account, "another long passphrase 2026")
        assert get_account(store, "s@gov.mx").security_stamp != stamp
        with pytest.raises(AccountError) as weak:
            set_password(store, account, "12345678")
        assert weak.value.code == "weak-password"
        disable_account(store, "s@gov.mx")
        assert not get_account(store, "s@gov.mx").is_active


@pytest.mark.parametrize("role, kwargs, code", [
    ("submitter", {}, "state-required"),
    ("submitter", {"state": "Atlantis"}, "unknown-state"),
    ("staff", {}, "process-required"),
    ("staff", {"state": "MEX", "process_ids": ["RCM"]}, "state-not-allowed"),
    ("reviewer", {}, "process-required"),
    ("admin", {"process_ids": ["RCM"]}, "process-not-allowed"),
    ("boss", {}, "invalid-role"),
])
def test_account_rules(db, role, kwargs, code):
    with Store(db) as store:
        with pytest.raises(AccountError) as refused:
            add_account(store, "p@example.org", role, **kwargs)
        assert refused.value.code == code


def test_the_scoping_function(db):
    with Store(db) as store:
        submitter = add_account(store, "s@gov.jm", "submitter", state="JAM")
        staff = add_account(store, "st@iom.int", "staff", process_ids=["RCM"])
        reviewer = add_account(store, "r@iom.int", "reviewer", process_ids=["ALL"])
        admin = add_account(store, "ad@iom.int", "admin")
    s = scope_of(submitter)
    assert s.states == {"JAM"} and s.sees_process("CMC") and not s.sees_process("RCM")
    t = scope_of(staff)
    assert t.sees_state("MEX") and not t.sees_state("JAM") and t.processes == {"RCM"} and t.reviews
    r = scope_of(reviewer)
    assert r.states == frozenset() and r.processes is None and not r.reads_submissions
    assert scope_of(admin).states is None
    submitter.is_active = False
    assert scope_of(submitter).states == frozenset()


def test_accepted_only_on_score_export_and_report(db, tmp_path):
    """score, export and report count the latest submitted-or-accepted version by default, and
    only accepted ones with --accepted-only; the report shows each member's review state."""
    from gcmtrack.report.batch import report_data
    from gcmtrack.report.context import build_context

    with Store(db) as store:
        jam = ingest_bytes(store, workbook("JAM", measures="jam"), "jam.xlsx").outcome.submission_id
        ingest_bytes(store, workbook("TTO", measures="tto"), "tto.xlsx")
        store.review(jam, "accept", actor="staff@iom.int")
    everyone = json.loads(run("score", "--process", "CMC", "--cycle", 2026, "--json", "--db", db).stdout)
    accepted = json.loads(run("score", "--process", "CMC", "--cycle", 2026, "--json", "--accepted-only",
                              "--db", db).stdout)
    assert everyone["submitted"] == ["JAM", "TTO"] and accepted["submitted"] == ["JAM"]
    out = tmp_path / "x.csv"
    assert run("export", "--cycle", 2026, "--process", "CMC", "--accepted-only", "--output", out, "--db", db).exit_code == 0
    import csv
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["state"] for r in rows} == {"JAM"} and {r["review_state"] for r in rows} == {"accepted"}
    with Store(db) as store:
        data = report_data(store, "CMC", 2026)
        only = report_data(store, "CMC", 2026, accepted_only=True)
    assert data.review_states == {"JAM": "accepted", "TTO": "submitted"} and not data.accepted_only
    assert set(only.latest) == {"JAM"} and only.accepted_only
    context = build_context(data, "en")
    reviews = {row.code: row.review for row in context.participation}
    assert reviews["JAM"] == "Accepted" and reviews["TTO"] == "Not yet reviewed" and reviews["AIA"] == "–"
    assert build_context(only, "fr").accepted_only
