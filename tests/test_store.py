"""The store on both databases: versions, no-op re-ingest, nothing stored for rejected files,
review decisions, history, the audit log, concurrency, crash safety, the v1 upgrade and the
hygiene of what --db may point at."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from gcmtrack.errors import StoreError
from gcmtrack.service.ingest import expand_paths, ingest_bytes, ingest_files
from gcmtrack.scoring.process import process_score
from gcmtrack.store import ReviewError, Store, parse_location, resolve_db, sha256
from tests.builders import build_workbook

DATA = Path(__file__).parent / "data"


def workbook(state="MEX", status="Implemented", measures="m", date=None):
    labels = {"date": date} if date else None
    return build_workbook(state=state, objectives=[(n, status, f"{measures} {n}") for n in range(1, 24)],
                          labels=labels)


def add(store, data, name="x.xlsx"):
    item = ingest_bytes(store, data, name)
    assert item.accepted, [(p.code, p.cell) for p in item.result.errors]
    return item.outcome


def test_versions_duplicates_and_latest(db):
    a, b = workbook(measures="a"), workbook(measures="b")
    with Store(db) as store:
        first = add(store, a, "mex.xlsx")
        second = add(store, b, "mex-v2.xlsx")
        again = add(store, a, "copy-of-mex.xlsx")
        assert (first.version, second.version) == (1, 2)
        assert again.duplicate and again.submission_id == first.submission_id
        latest = store.latest(2026)
        assert latest["MEX"].id == second.submission_id
        assert latest["MEX"].submission.objectives[1].measures == "b 1"
        assert store.version_counts(2026) == {"MEX": 2}
        assert len(store.submissions()) == 2
        assert store.original(first.submission_id) == a
        stored = store.submissions()[0]
        assert stored.sha256 == sha256(a)
        assert stored.ingested_at.endswith("Z") and stored.filename == "mex.xlsx"
        assert stored.review_state == "submitted"
        assert store.cycles() == [2026]
        with pytest.raises(StoreError):
            store.get(999_999)


def test_rejected_file_stores_nothing(db):
    with Store(db) as store:
        item = ingest_bytes(store, build_workbook(state="Atlantis"), "bad.xlsx")
        assert not item.accepted and item.outcome is None
        assert "unknown-state" in [p.code for p in item.result.errors]
        assert store.submissions() == []
        assert [e.action for e in store.audit_log()] == []


def test_ingest_files_reports_each_file(db, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(workbook("MEX"))
    (tmp_path / "in" / "b.xlsx").write_bytes(build_workbook(state="Atlantis"))
    (tmp_path / "in" / "~$a.xlsx").write_bytes(b"lock file")
    (tmp_path / "in" / "notes.txt").write_text("ignored")
    files = expand_paths([tmp_path / "in"])
    assert [f.name for f in files] == ["a.xlsx", "b.xlsx"]
    with Store(db) as store:
        report = ingest_files(store, files)
    assert [r.accepted for r in report.files] == [True, False]
    assert not report.valid and report.counts == {"files": 2, "accepted": 1, "duplicates": 0, "rejected": 1}
    assert report.files[1].to_dict()["submission_id"] is None


# ---------------------------------------------------------------------------- review workflow


def test_review_transitions_and_the_version_that_counts(db):
    with Store(db) as store:
        v1 = add(store, workbook(measures="a")).submission_id
        v2 = add(store, workbook(measures="b")).submission_id
        assert store.latest(2026)["MEX"].id == v2
        assert store.latest(2026, accepted_only=True) == {}
        with pytest.raises(ReviewError) as refused:
            store.review(v2, "return")
        assert refused.value.code == "reason-required"
        returned = store.review(v2, "return", actor="staff@example.org", reason="Objective 7 has no evidence")
        assert returned.review_state == "returned"
        assert store.latest(2026)["MEX"].id == v1  # a returned version no longer counts
        assert store.review_states(2026) == {"MEX": "submitted"}
        store.review(v1, "accept", actor="staff@example.org")
        assert store.latest(2026, accepted_only=True)["MEX"].id == v1
        with pytest.raises(ReviewError) as twice:
            store.review(v1, "accept")
        assert twice.value.code == "transition-not-allowed"
        with pytest.raises(ReviewError) as no_reason:
            store.review(v2, "reopen")
        assert no_reason.value.code == "reason-required"
        store.review(v2, "reopen", actor="staff@example.org", reason="evidence arrived by e-mail")
        assert store.latest(2026)["MEX"].id == v2
        store.review(v2, "withdraw", actor="submitter@example.org")
        assert store.latest(2026)["MEX"].id == v1
        with pytest.raises(ReviewError) as final:
            store.review(v2, "reopen", reason="no")
        assert final.value.code == "transition-not-allowed"
        with pytest.raises(ReviewError) as unknown:
            store.review(v1, "approve")
        assert unknown.value.code == "unknown-decision"


def test_history_lists_every_version_with_its_events(db):
    with Store(db) as store:
        v1 = add(store, workbook(measures="a", date="2026-01-10"), "first.xlsx").submission_id
        v2 = add(store, workbook(measures="b", date="2026-02-01"), "second.xlsx").submission_id
        store.review(v1, "return", actor="staff@example.org", reason="incomplete")
        history = store.history("MEX", 2026)
    assert history["state"] == "MEX" and history["cycle"] == 2026
    versions = history["versions"]
    assert [v["id"] for v in versions] == [v1, v2] and [v["version"] for v in versions] == [1, 2]
    assert [v["counts"] for v in versions] == [False, True]
    assert [v["review_state"] for v in versions] == ["returned", "submitted"]
    assert versions[0]["workbook_date"] == "2026-01-10" and versions[0]["filename"] == "first.xlsx"
    assert set(versions[0]) == {"id", "version", "review_state", "counts", "workbook_date", "stored_at", "filename",
                                "sha256", "warnings", "events", "kind"}
    events = versions[0]["events"]
    assert [(e["action"], e["from"], e["to"]) for e in events] == [("ingest", None, "submitted"),
                                                                    ("return", "submitted", "returned")]
    assert events[1]["actor"] == "staff@example.org" and events[1]["reason"] == "incomplete"
    assert set(events[0]) == {"at", "actor", "action", "from", "to", "reason"}


def test_an_older_workbook_is_stored_with_a_warning_naming_both_dates(db):
    with Store(db) as store:
        add(store, workbook(measures="new", date="2026-01-03"))
        item = ingest_bytes(store, workbook(measures="old", date="2025-12-13"), "old.xlsx")
        assert item.accepted and item.outcome.version == 2
        older = [p for p in item.result.problems if p.code == "older-than-current"]
        assert len(older) == 1 and older[0].severity == "warning"
        assert older[0].params == {"date": "2025-12-13", "current_date": "2026-01-03", "current_version": 1}
        stored = store.latest(2026)["MEX"]
        assert stored.version == 2  # it still counts, as the latest
        assert "older-than-current" in [w["code"] for w in stored.problems]
        # a newer date, or no date, gives no such warning
        assert "older-than-current" not in [p.code for p in ingest_bytes(
            store, workbook(measures="newest", date="2026-02-01"), "n.xlsx").result.problems]


def test_audit_log_is_append_only(db):
    with Store(db) as store:
        add(store, workbook())
        store.audit("staff@example.org", "render", object_type="report", object_id="RCM-2026-en",
                    process="RCM", cycle=2026)
        log = store.audit_log()
        assert [(e.action, e.actor) for e in log][-1] == ("render", "staff@example.org")
        from django.db import connections
        for statement in ("UPDATE gcm_audit SET actor = 'someone else'", "DELETE FROM gcm_audit"):
            with pytest.raises(Exception, match="append-only"):
                with connections[store.alias].cursor() as cursor:
                    cursor.execute(statement)
        assert len(store.audit_log()) == len(log)


def test_sample_flag_is_kept_in_the_store(db):
    with Store(db) as store:
        assert not store.holds_samples
        store.set_meta("sample_data", "1")
    with Store(db) as store:
        assert store.holds_samples


# ---------------------------------------------------------------------------- concurrency, crashes

INGESTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from gcmtrack.service.ingest import ingest_files
    from gcmtrack.store import Store
    with Store(sys.argv[1]) as store:
        ingest_files(store, [Path(p) for p in sys.argv[2:]])
""")

RCM_CMC = ["MEX", "GTM", "HND", "SLV", "CRI", "PAN", "BLZ", "JAM", "BRB", "TTO", "GUY", "HTI"]


def _files(folder: Path, codes: list[str], tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, code in enumerate(codes):
        path = folder / f"{tag}-{i:03d}-{code}.xlsx"
        path.write_bytes(workbook(code, measures=f"{tag}{i}"))
        paths.append(path)
    return paths


def test_concurrent_ingests_lose_nothing_and_store_nothing_twice(db, tmp_path):
    a = _files(tmp_path / "a", RCM_CMC, "a")
    b = _files(tmp_path / "b", RCM_CMC, "b")
    Store(db).close()
    # three writers: two with different files, one sending the first writer's files again
    procs = [subprocess.Popen([sys.executable, "-c", INGESTER, db, *map(str, files)]) for files in (a, b, a)]
    assert [p.wait(timeout=180) for p in procs] == [0, 0, 0]
    with Store(db) as store:
        stored = store.submissions()
        assert len(stored) == 2 * len(RCM_CMC)
        assert len({s.sha256 for s in stored}) == len(stored)
        assert store.version_counts(2026) == {code: 2 for code in RCM_CMC}
        for code in RCM_CMC:
            assert sorted(s.version for s in stored if s.state == code) == [1, 2]
        assert store.integrity_check() == "ok"


def _count(db: str) -> int:
    if db.startswith("postgresql://"):
        import psycopg
        with psycopg.connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM gcm_submission").fetchone()[0]
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return con.execute("SELECT COUNT(*) FROM gcm_submission").fetchone()[0]


def test_killed_ingest_leaves_the_store_consistent(db, tmp_path):
    files = _files(tmp_path / "k", RCM_CMC * 4, "k")
    Store(db).close()
    proc = subprocess.Popen([sys.executable, "-c", INGESTER, db, *map(str, files)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill once some files are in, before all are
        if _count(db) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        stored = store.submissions()
        assert 0 < len(stored) < len(files)
        for s in stored:  # every stored version is whole: bytes, hash, content, its audit event
            assert len(s.submission.objectives) == 23
            assert sha256(store.original(s.id)) == s.sha256
        assert len([e for e in store.audit_log() if e.action == "ingest"]) == len(stored)
        # running again stores the rest; nothing accepted was lost
        ingest_files(store, files)
        assert len(store.submissions()) == len(files)


# ---------------------------------------------------------------------------- upgrade from v1


def test_a_v1_store_is_upgraded_in_place_with_nothing_lost(tmp_path):
    path = tmp_path / "review.db"
    shutil.copy(DATA / "store-v1.db", path)
    with sqlite3.connect(path) as con:
        before = con.execute("SELECT id, state, cycle, version, filename, sha256, ingested_at, problems, content"
                             " FROM submissions ORDER BY id").fetchall()
        files = dict(con.execute("SELECT sha256, content FROM files").fetchall())
    con.close()
    with Store(str(path)) as store:
        stored = store.submissions()
        assert [(s.id, s.state, s.cycle, s.version, s.filename, s.sha256, s.ingested_at) for s in stored] == \
            [row[:7] for row in before]
        for s, row in zip(stored, before):
            assert list(s.problems) == json.loads(row[7])
            assert json.loads(json.dumps(s.submission.to_json())) == json.loads(row[8])
            assert store.original(s.id) == files[s.sha256] and sha256(files[s.sha256]) == s.sha256
            assert s.review_state == "submitted"
        assert store.get_meta("upgraded_from") == "v1"
        for pid in ("rcm", "cmc", "sacm"):
            expected = json.loads((DATA / f"store-v1-{pid}-score.json").read_text())
            assert process_score(store, pid.upper(), 2026).to_json() == expected
        assert [e["action"] for e in store.history("JAM", 2026)["versions"][1]["events"]] == ["ingest"]
        new = add(store, workbook("MEX", measures="after the upgrade"))
        assert new.version == 2 and new.submission_id == 7
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"meta", "files", "submissions"} & tables


# ---------------------------------------------------------------------------- what --db may be


def test_store_location_rule(tmp_path, monkeypatch):
    monkeypatch.delenv("GCMTRACK_DB", raising=False)
    assert resolve_db(None) == "gcmtrack.db"
    monkeypatch.setenv("GCMTRACK_DB", str(tmp_path / "env.db"))
    assert resolve_db(None) == str(tmp_path / "env.db")
    assert resolve_db("other.db") == "other.db"
    assert parse_location("sqlite:////abs/x.db").path == Path("/abs/x.db")
    assert parse_location("sqlite:///rel/x.db").path == Path("rel/x.db")
    pg = parse_location("postgresql://user:secret@db.internal:5432/gcm")
    assert pg.engine == "postgresql" and "secret" not in pg.text
    with pytest.raises(StoreError):
        Store(str(tmp_path / "missing.db"), create=False)
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("name", ["", "  ", ":memory:", "sqlite:///:memory:", "file::memory:",
                                  "file:x.db?mode=memory", "mysql://host/db", "sqlite://"])
def test_names_that_are_no_file_are_refused(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError):
        Store(name)
    assert list(tmp_path.iterdir()) == []


def test_junk_bytes_are_not_a_store(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a gcmtrack store"):
        Store(str(path))
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_another_applications_sqlite_file_is_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO customers (name) VALUES ('Ada')")
    con.close()
    before = path.read_bytes()
    for create in (True, False):
        with pytest.raises(StoreError, match="not a gcmtrack store"):
            Store(str(path), create=create)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_another_applications_postgresql_database_is_left_untouched(empty_pg):
    import psycopg
    with psycopg.connect(empty_pg, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text)")
    with pytest.raises(StoreError, match="not a gcmtrack store"):
        Store(empty_pg)
    with psycopg.connect(empty_pg) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
    assert tables == ["customers"]


def test_an_empty_postgresql_database_becomes_a_store(empty_pg):
    with Store(empty_pg) as store:
        assert add(store, workbook()).version == 1
    with Store(empty_pg, create=False) as store:
        assert len(store.submissions()) == 1


def test_sqlite_store_is_wal_with_synchronous_full(tmp_path):
    from django.db import connections
    with Store(str(tmp_path / "s.db")) as store:
        with connections[store.alias].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL


READER = textwrap.dedent("""
    import json, sys
    from gcmtrack.cli import main
    sys.argv = ["gcmtrack", *sys.argv[1:]]
    main()
""")


@pytest.mark.slow
def test_a_read_only_store_serves_every_reading_command(tmp_path):
    """status, score, report and export on a store this user cannot write.
    As root (CI) the commands run without the capabilities that let root write read-only files."""
    folder = Path(tempfile.mkdtemp(prefix="gcmtrack-ro-", dir="/tmp"))
    try:
        db = folder / "store.db"
        with Store(str(db)) as store:
            add(store, workbook("MEX"))
        out = folder / "out"
        out.mkdir()
        db.chmod(0o444)
        folder.chmod(0o555)
        out.chmod(0o777)
        prefix: list[str] = []
        if os.geteuid() == 0:  # root writes anything: drop the capabilities that let it
            caps = "-dac_override,-dac_read_search"
            prefix = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]
        env = {**os.environ, "HOME": str(out)}

        def run(*args):
            return subprocess.run([*prefix, sys.executable, "-m", "gcmtrack", *map(str, args), "--db", str(db)],
                                  capture_output=True, text=True, env=env, cwd=str(out), timeout=300)

        status = run("status", "--json")
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["cycles"][0]["cycle"] == 2026
        score = run("score", "--process", "RCM", "--cycle", "2026", "--json")
        assert score.returncode == 0, score.stderr
        assert json.loads(score.stdout)["submitted"] == ["MEX"]
        export = run("export", "--cycle", "2026", "--output", out / "x.csv")
        assert export.returncode == 0, export.stderr
        report = run("report", "--process", "MIRPS", "--cycle", "2026", "--lang", "en", "--output", out / "r")
        assert report.returncode == 0, report.stderr
        assert (out / "r" / "mirps-2026-en.html").exists()
        ingest = run("ingest", DATA.parent.parent / "submissions" / "gtm-2026.xlsx")
        assert ingest.returncode == 1 and "read-only" in ingest.stderr
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
