"""The submission store: every accepted file, kept as a new version, in one SQLite database.

Each accepted file is stored in one transaction with its original bytes, their SHA-256, the
parsed content, the warnings it was accepted with, the ingest time and the template version.
WAL journal with synchronous=FULL: a process killed mid-ingest leaves no half submission, and
concurrent ingests serialise on the write lock instead of losing data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from gcmtrack.errors import StoreError
from gcmtrack.submission import StoredSubmission, Submission

SCHEMA_VERSION = 1
DEFAULT_DB = "gcmtrack.db"
BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    state            TEXT NOT NULL,
    cycle            INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    filename         TEXT NOT NULL,
    sha256           TEXT NOT NULL REFERENCES files(sha256),
    ingested_at      TEXT NOT NULL,
    template_version TEXT,
    lang             TEXT NOT NULL,
    problems         TEXT NOT NULL,
    content          TEXT NOT NULL,
    UNIQUE (state, cycle, version),
    UNIQUE (sha256)
);
CREATE INDEX IF NOT EXISTS submissions_cycle ON submissions (cycle, state, version);
"""


def resolve_db(option: str | None) -> str:
    """The store location: --db, else $GCMTRACK_DB, else ./gcmtrack.db."""
    return option or os.environ.get("GCMTRACK_DB") or DEFAULT_DB


def db_path(location: str) -> Path:
    """A file path from a plain path or an sqlite URL (sqlite:///relative.db, sqlite:////abs.db)."""
    if "://" not in location:
        return Path(location)
    scheme, _, rest = location.partition("://")
    if scheme not in ("sqlite", "sqlite3"):
        raise StoreError(f"unsupported store URL {location!r}: only sqlite:///PATH is supported")
    if not rest.startswith("/") or rest == "/":
        raise StoreError(f"store URL {location!r} names no file; write sqlite:///PATH")
    return Path(rest[1:])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class IngestOutcome:
    submission_id: int
    state: str
    cycle: int
    version: int
    duplicate: bool  # True: these exact bytes were already stored; nothing was written


class Store:
    """An open gcmtrack store. Use as a context manager, or call close()."""

    def __init__(self, location: str | None = None, *, create: bool = True):
        self.location = resolve_db(location)
        self.path = db_path(self.location)
        if not create and not self.path.exists():
            raise StoreError(f"no store at {self.path}; ingest submissions first (gcmtrack ingest PATH)")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable gcmtrack store: {exc}") from None

    def _migrate(self) -> None:
        self._db.executescript(_SCHEMA)  # idempotent: CREATE … IF NOT EXISTS
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer gcmtrack (schema {row[0]})")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """An IMMEDIATE transaction: takes the write lock up front, so concurrent writers wait
        (up to BUSY_TIMEOUT_MS) instead of failing half-way."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def add(self, data: bytes, filename: str, submission: Submission, warnings: list[dict], *,
            now: str | None = None) -> IngestOutcome:
        """Store one valid submission as a new version of its state and cycle, with the original
        bytes and the warnings it was accepted with (as dicts). Identical bytes already stored
        are a no-op that says so (`duplicate`)."""
        digest = sha256(data)
        with self._transaction():
            existing = self._db.execute(
                "SELECT id, state, cycle, version FROM submissions WHERE sha256 = ?", (digest,)
            ).fetchone()
            if existing:
                return IngestOutcome(existing[0], existing[1], existing[2], existing[3], duplicate=True)
            version = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE state = ? AND cycle = ?",
                (submission.state, submission.cycle),
            ).fetchone()[0]
            self._db.execute("INSERT OR IGNORE INTO files (sha256, size, content) VALUES (?, ?, ?)",
                             (digest, len(data), data))
            cursor = self._db.execute(
                "INSERT INTO submissions (state, cycle, version, filename, sha256, ingested_at,"
                " template_version, lang, problems, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (submission.state, submission.cycle, version, Path(filename).name, digest, now or utc_now(),
                 submission.template_version, submission.lang, json.dumps(warnings, ensure_ascii=False),
                 json.dumps(submission.to_json(), ensure_ascii=False)),
            )
            return IngestOutcome(cursor.lastrowid, submission.state, submission.cycle, version, duplicate=False)

    # ------------------------------------------------------------------ reading

    _COLUMNS = "id, state, cycle, version, filename, sha256, ingested_at, template_version, problems, content"

    @staticmethod
    def _row(row: tuple) -> StoredSubmission:
        return StoredSubmission(
            id=row[0], state=row[1], cycle=row[2], version=row[3], filename=row[4], sha256=row[5],
            ingested_at=row[6], template_version=row[7], problems=tuple(json.loads(row[8])),
            submission=Submission.from_json(json.loads(row[9])),
        )

    def submissions(self, cycle: int | None = None) -> list[StoredSubmission]:
        """Every stored version, oldest first."""
        sql = f"SELECT {self._COLUMNS} FROM submissions"
        args: tuple = ()
        if cycle is not None:
            sql += " WHERE cycle = ?"
            args = (cycle,)
        return [self._row(r) for r in self._db.execute(sql + " ORDER BY id", args)]

    def get(self, submission_id: int) -> StoredSubmission:
        """One stored version by id; StoreError when there is none."""
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise StoreError(f"no submission {submission_id}")
        return self._row(row)

    def latest(self, cycle: int, states: Iterable[str] | None = None) -> dict[str, StoredSubmission]:
        """The most recently ingested accepted version of each state for a cycle."""
        rows = self._db.execute(
            f"SELECT {self._COLUMNS} FROM submissions s WHERE cycle = ? AND id = "
            "(SELECT MAX(id) FROM submissions t WHERE t.state = s.state AND t.cycle = s.cycle)"
            " ORDER BY state", (cycle,),
        )
        wanted = None if states is None else set(states)
        return {r[1]: self._row(r) for r in rows if wanted is None or r[1] in wanted}

    def version_counts(self, cycle: int) -> dict[str, int]:
        return dict(self._db.execute(
            "SELECT state, COUNT(*) FROM submissions WHERE cycle = ? GROUP BY state", (cycle,)))

    def cycles(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT cycle FROM submissions ORDER BY cycle")]

    def original(self, submission_id: int) -> bytes:
        row = self._db.execute(
            "SELECT f.content FROM files f JOIN submissions s ON s.sha256 = f.sha256 WHERE s.id = ?",
            (submission_id,)).fetchone()
        if row is None:
            raise StoreError(f"no submission {submission_id}")
        return bytes(row[0])

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def holds_samples(self) -> bool:
        """True for a store made from the bundled fictional samples (`gcmtrack demo`): every
        report rendered from it says so on its cover."""
        return self.get_meta("sample_data") == "1"

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def iter_ids(self) -> Iterator[int]:
        yield from (r[0] for r in self._db.execute("SELECT id FROM submissions ORDER BY id"))
