"""Shared fixtures: copies of the reference data to edit, and a fresh store on each database.

Every test that takes the `db` fixture runs twice: on an SQLite file and on a PostgreSQL
database of a server that the test run starts itself (tests/pgserver.py) before any worker
starts, and stops at the end. GCMTRACK_TEST_POSTGRES=require (set by `make test`) makes a
missing PostgreSQL an error instead of a skip; =off skips the PostgreSQL half.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gcmtrack.common.assets import data_dir

PG_URL_ENV = "GCMTRACK_TEST_PG_URL"
PG_MODE_ENV = "GCMTRACK_TEST_POSTGRES"  # auto (default) | require | off
TEMPLATE_DB = "gcm_template"
_server = None


def _quick_passwords() -> None:
    from django.conf import settings
    from django.contrib.auth import hashers

    from gcmtrack.store.database import ensure_django

    ensure_django()
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


def pytest_configure(config):
    global _server
    _quick_passwords()
    if hasattr(config, "workerinput") or os.environ.get(PG_URL_ENV):
        return  # an xdist worker (the controller started the server) or a server given from outside
    mode = os.environ.get(PG_MODE_ENV, "auto")
    if mode == "off":
        return
    from tests.pgserver import PostgresServer

    try:
        _server = PostgresServer().start()
    except Exception as exc:  # noqa: BLE001
        if mode == "require":
            raise pytest.UsageError(f"PostgreSQL is required for this run but could not start: {exc}")
        return
    os.environ[PG_URL_ENV] = _server.url()
    _create_template(_server.url())


def pytest_unconfigure(config):
    global _server
    if _server is not None:
        _server.stop()
        _server = None
        os.environ.pop(PG_URL_ENV, None)


def _admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _create_template(url: str) -> None:
    """A database with the current schema, cloned for each test (migrating each would be slow).
    Made in a child process so that this one holds no connection to it."""
    with _admin(url) as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    template = url.rsplit("/", 1)[0] + "/" + TEMPLATE_DB
    subprocess.run([sys.executable, "-c", "import sys; from gcmtrack.store import Store; Store(sys.argv[1]).close()",
                    template], check=True)


def _pg_database(template: str) -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get(PG_MODE_ENV) == "require":
            pytest.fail("PostgreSQL is required but no server is running")
        pytest.skip("PostgreSQL is not available here (make test installs it)")
    name = f"t_{uuid.uuid4().hex[:16]}"
    with _admin(url) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return url.rsplit("/", 1)[0] + "/" + name


def _drop(location: str) -> None:
    from django.db import connections

    for alias in list(connections.settings):
        if connections.settings[alias].get("NAME") == location.rsplit("/", 1)[1] and alias in connections:
            connections[alias].close()
    name = location.rsplit("/", 1)[1]
    with _admin(os.environ[PG_URL_ENV]) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty store with the current schema, copied for each test (migrating each is slow)."""
    from gcmtrack.store import Store

    path = tmp_path_factory.mktemp("template") / "store.db"
    Store(str(path)).close()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path, sqlite_template: Path):
    """The location of a fresh, empty store: an SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copy(sqlite_template, path)
        yield str(path)
        return
    location = _pg_database(TEMPLATE_DB)
    yield location
    _drop(location)


@pytest.fixture
def empty_pg():
    """An empty PostgreSQL database (no gcmtrack tables at all)."""
    location = _pg_database("template0")
    yield location
    _drop(location)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of objectives/, processes/ and states/ under tmp_path."""
    for name in ("objectives", "processes", "states"):
        shutil.copytree(data_dir(name), tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


from tests.portal_fixtures import portal, settings_for_tests  # noqa: E402,F401 - shared fixtures
