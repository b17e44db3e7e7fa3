"""The store: versions, no-op re-ingest, nothing stored for rejected files, concurrency, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gcmtrack.errors import StoreError
from gcmtrack.ingest import expand_paths, ingest_bytes as ingest_one, ingest_files
from gcmtrack.store import Store, db_path, resolve_db
from tests.builders import build_workbook


def workbook(state="MEX", status="Implemented", measures="m"):
    return build_workbook(state=state, objectives=[(n, status, f"{measures} {n}") for n in range(1, 24)])


def ingest_bytes(store, data, name="x.xlsx"):
    return ingest_one(store, data, name).outcome


def test_versions_duplicates_and_latest(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        first = ingest_bytes(store, workbook(measures="a"), "mex.xlsx")
        second = ingest_bytes(store, workbook(measures="b"), "mex-v2.xlsx")
        again = ingest_bytes(store, workbook(measures="a"), "copy-of-mex.xlsx")
        assert (first.version, second.version) == (1, 2)
        assert again.duplicate and again.submission_id == first.submission_id
        latest = store.latest(2026)
        assert latest["MEX"].id == second.submission_id
        assert latest["MEX"].submission.objectives[1].measures == "b 1"
        assert store.version_counts(2026) == {"MEX": 2}
        assert len(store.submissions()) == 2
        assert store.original(first.submission_id) == workbook(measures="a")
        stored = store.submissions()[0]
        assert len(stored.sha256) == 64 and stored.ingested_at.endswith("Z") and stored.filename == "mex.xlsx"


def test_rejected_file_stores_nothing(tmp_path):
    bad = build_workbook(state="Atlantis")
    with Store(str(tmp_path / "s.db")) as store:
        item = ingest_one(store, bad, "bad.xlsx")
        assert not item.accepted and item.outcome is None
        assert "unknown-state" in [p.code for p in item.result.errors]
        assert store.submissions() == []


def test_ingest_files_reports_each_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(workbook("MEX"))
    (tmp_path / "in" / "b.xlsx").write_bytes(build_workbook(state="Atlantis"))
    (tmp_path / "in" / "~$a.xlsx").write_bytes(b"lock file")
    (tmp_path / "in" / "notes.txt").write_text("ignored")
    files = expand_paths([tmp_path / "in"])
    assert [f.name for f in files] == ["a.xlsx", "b.xlsx"]
    with Store(str(tmp_path / "s.db")) as store:
        report = ingest_files(store, files)
    assert [r.accepted for r in report.files] == [True, False]
    assert not report.valid and report.counts == {"files": 2, "accepted": 1, "duplicates": 0, "rejected": 1}
    assert report.files[1].to_dict()["submission_id"] is None


def test_store_location(tmp_path, monkeypatch):
    monkeypatch.delenv("GCMTRACK_DB", raising=False)
    assert resolve_db(None) == "gcmtrack.db"
    monkeypatch.setenv("GCMTRACK_DB", str(tmp_path / "env.db"))
    assert resolve_db(None) == str(tmp_path / "env.db")
    assert resolve_db("other.db") == "other.db"
    assert db_path("sqlite:////abs/x.db") == Path("/abs/x.db")
    assert db_path("sqlite:///rel/x.db") == Path("rel/x.db")
    with pytest.raises(StoreError):
        db_path("postgresql://host/db")
    with pytest.raises(StoreError):
        Store(str(tmp_path / "missing.db"), create=False)


def test_not_a_store(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store(str(path))


def test_wal_and_synchronous_full(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


INGESTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from gcmtrack.ingest import ingest_files
    from gcmtrack.store import Store
    with Store(sys.argv[1]) as store:
        ingest_files(store, [Path(p) for p in sys.argv[2:]])
""")


def _files(folder: Path, codes: list[str], tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, code in enumerate(codes):
        path = folder / f"{tag}-{i:03d}-{code}.xlsx"
        path.write_bytes(workbook(code, measures=f"{tag}{i}"))
        paths.append(path)
    return paths


RCM_CMC = ["MEX", "GTM", "HND", "SLV", "CRI", "PAN", "BLZ", "JAM", "BRB", "TTO", "GUY", "HTI"]


def test_two_concurrent_ingests_lose_nothing(tmp_path):
    db = str(tmp_path / "s.db")
    a = _files(tmp_path / "a", RCM_CMC, "a")
    b = _files(tmp_path / "b", RCM_CMC, "b")
    Store(db).close()
    procs = [subprocess.Popen([sys.executable, "-c", INGESTER, db, *map(str, files)]) for files in (a, b)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Store(db) as store:
        stored = store.submissions()
        assert len(stored) == 2 * len(RCM_CMC)
        assert store.version_counts(2026) == {code: 2 for code in RCM_CMC}
        for code in RCM_CMC:
            versions = sorted(s.version for s in stored if s.state == code)
            assert versions == [1, 2]
        assert store.integrity_check() == "ok"


def test_killed_ingest_leaves_the_store_consistent(tmp_path):
    db = str(tmp_path / "s.db")
    files = _files(tmp_path / "k", RCM_CMC * 4, "k")
    Store(db).close()
    proc = subprocess.Popen([sys.executable, "-c", INGESTER, db, *map(str, files)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once some files are in, before all are
        with sqlite3.connect(db) as con:
            count = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        if count >= 3 or proc.poll() is not None:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        stored = store.submissions()
        assert 0 < len(stored) < len(files)
        for s in stored:  # every stored version is whole: bytes, hash, content
            assert len(s.submission.objectives) == 23
            assert store.original(s.id)
        # running again stores the rest; nothing accepted was lost
        ingest_files(store, files)
        assert len(store.submissions()) == len(files)


def test_sample_flag_is_kept_in_the_store(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        assert not store.holds_samples
        store.set_meta("sample_data", "1")
    with Store(str(tmp_path / "s.db")) as store:
        assert store.holds_samples
