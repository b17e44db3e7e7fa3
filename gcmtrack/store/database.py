"""Django, configured for the store: settings made in code (no settings file to find), one
database connection alias per store location, the store's identity checked before anything
is written, and migrations run on first use, under a creation lock (a file lock beside an
SQLite file, pg_advisory_lock on PostgreSQL) so that several processes starting on a store
that does not exist yet create it once.

SQLite: WAL journal, synchronous=FULL, immediate transactions (a writer takes the lock up
front, so concurrent writers wait instead of failing half-way). PostgreSQL: psycopg 3.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote, urlsplit

from gcmtrack.errors import StoreError
from gcmtrack.settings import django_settings
from gcmtrack.store.location import Location

BUSY_TIMEOUT_S = 60
# Tables of a store written by gcmtrack 0.1 (schema v1), upgraded in place by migration 0002.
V1_TABLES = {"meta", "files", "submissions"}
OUR_MARK = "gcm_meta"
# The PostgreSQL advisory lock under which a store is created or upgraded (any fixed number;
# this one spells "gcmtrack" in ASCII, within a bigint).
PG_MIGRATION_LOCK = 0x67636D747261636B

_lock = threading.Lock()
_aliases: dict[tuple, str] = {}


def ensure_django(extra: dict | None = None) -> None:
    """Configure and set up Django once per process (a no-op afterwards)."""
    from django.conf import settings

    with _lock:
        if not settings.configured:
            options = django_settings()
            options.update(extra or {})
            settings.configure(**options)
        import django
        from django.apps import apps

        if not apps.ready:
            django.setup()


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens `path` without writing a byte. A WAL database opens read-only
    only where its -shm file exists or can be made; in a folder we may not write and with no
    -shm (it was closed cleanly), nobody is writing it now, so it is opened as immutable."""
    absolute = path.resolve()
    immutable = not Path(f"{absolute}-shm").exists() and not os.access(absolute.parent, os.W_OK)
    return "file:" + quote(str(absolute)) + ("?immutable=1" if immutable else "?mode=ro")


def sqlite_settings(path: Path, readonly: bool) -> dict:
    absolute = path.resolve()
    if readonly:
        name = readonly_uri(absolute)
        options = {"timeout": BUSY_TIMEOUT_S}
    else:
        name = str(absolute)
        options = {
            "timeout": BUSY_TIMEOUT_S,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                            f" PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}",
        }
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": options}


PG_CONNECTION_AGE_S = 300


def postgresql_settings(url: str) -> dict:
    parts = urlsplit(url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    host = unquote(parts.hostname or "") or query.pop("host", "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or query.pop("dbname", "postgres"),
        "USER": unquote(parts.username or "") or query.pop("user", ""),
        "PASSWORD": unquote(parts.password or "") or query.pop("password", ""),
        "HOST": host,
        "PORT": str(parts.port or query.pop("port", "") or ""),
        "OPTIONS": query,
        # a web worker keeps its connection between requests (checked before reuse) instead of
        # opening one per request: PostgreSQL starts a server process for each new connection
        "CONN_MAX_AGE": PG_CONNECTION_AGE_S,
        "CONN_HEALTH_CHECKS": True,
    }


def connection_settings(location: Location, readonly: bool = False) -> dict:
    if location.is_sqlite:
        return sqlite_settings(location.path, readonly)
    return postgresql_settings(location.url)


def alias_for(location: Location, readonly: bool = False) -> str:
    """The Django connection alias of a store location, registered on first use. The first
    location a process opens becomes "default" (what the portal's sessions use)."""
    ensure_django()
    from django.conf import settings
    from django.db import connections

    key = (location.engine, str(location.path.resolve()) if location.is_sqlite else location.url, readonly)
    with _lock:
        if key in _aliases:
            return _aliases[key]
        config = connection_settings(location, readonly)
        default = connections.settings.get("default") or {}
        if not default.get("NAME") or default.get("ENGINE") == "django.db.backends.dummy":
            alias = "default"
        elif _same_database(default, config):
            _aliases[key] = "default"
            return "default"
        else:
            alias = f"store{len(_aliases) + 1}"
        normalised = connections.configure_settings({"default": config})["default"]
        if alias in connections:
            try:
                connections[alias].close()
            finally:
                del connections[alias]
        connections.settings[alias] = normalised
        settings.DATABASES[alias] = normalised
        _aliases[key] = alias
        return alias


def use_as_default(location: Location) -> str:
    """Make `location` the "default" connection (what the portal's sessions and sign-in use),
    whatever this process opened before."""
    ensure_django()
    from django.conf import settings
    from django.db import connections

    key = (location.engine, str(location.path.resolve()) if location.is_sqlite else location.url, False)
    with _lock:
        config = connections.configure_settings({"default": connection_settings(location)})["default"]
        if "default" in connections:
            try:
                connections["default"].close()
            finally:
                del connections["default"]
        for old in [k for k, v in _aliases.items() if v == "default"]:
            del _aliases[old]
        connections.settings["default"] = config
        settings.DATABASES["default"] = config
        _aliases[key] = "default"
    return "default"


def _same_database(a: dict, b: dict) -> bool:
    keys = ("ENGINE", "NAME", "HOST", "PORT", "USER")
    return all(str(a.get(k) or "") == str(b.get(k) or "") for k in keys)


# ---------------------------------------------------------------------------- identity


def sqlite_kind(path: Path) -> str:
    """What an SQLite file holds, read without writing a byte: "missing", "empty", "store",
    "v1" or "foreign" (another application's database, or not a database at all)."""
    if not path.exists() or path.stat().st_size == 0:
        return "missing" if not path.exists() else "empty"
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return _kind_of(tables, lambda: conn.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "foreign"


def _kind_of(tables: set[str], v1_version) -> str:
    tables = {t for t in tables if not t.startswith("sqlite_")}
    if OUR_MARK in tables:
        return "store"
    if not tables:
        return "empty"
    if V1_TABLES <= tables:
        try:
            row = v1_version()
        except Exception:  # noqa: BLE001 - any failure means it is not our v1 layout
            return "foreign"
        if row is not None and str(row[0]) == "1":
            return "v1"
    return "foreign"


def database_kind(alias: str) -> str:
    """The same question asked through a live connection (PostgreSQL)."""
    from django.db import connections

    connection = connections[alias]
    tables = set(connection.introspection.table_names())

    def v1_version():
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            return cursor.fetchone()

    return _kind_of(tables, v1_version)


def writable(path: Path) -> bool:
    """Whether this process can write the SQLite file (and its -wal/-shm beside it)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent.resolve(), os.W_OK)
    parent = path.parent.resolve()
    return parent.exists() and os.access(parent, os.W_OK)


def lock_path(path: Path) -> Path:
    """The file beside an SQLite store that its creators lock: `review.db` -> `review.db.lock`."""
    return path.with_name(path.name + ".lock")


@contextmanager
def creation_lock(location: Location, alias: str) -> Iterator[None]:
    """Hold the store's creation lock while its kind is read again and its migrations run, so
    that of several processes starting on a store that does not exist yet (ingests, web
    workers, render workers) one creates it and the others then find it made. SQLite: an
    exclusive flock on a file beside the database (kept there: removing it would let a late
    comer lock another file). PostgreSQL: a session advisory lock (pg_advisory_lock), released
    when the block ends or the connection goes."""
    if location.is_sqlite:
        import fcntl

        fd = os.open(lock_path(location.path), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
        return
    from django.db import connections

    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PG_MIGRATION_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_MIGRATION_LOCK])


def pending_migrations(alias: str) -> bool:
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate(alias: str) -> None:
    """Create or upgrade the schema (including a v1 store's tables) in place."""
    from django.core.management import call_command

    try:
        call_command("migrate", database=alias, verbosity=0, interactive=False)
    except Exception as exc:  # noqa: BLE001 - say what failed, in one line
        raise StoreError(f"the store could not be created or upgraded: {exc}") from exc
