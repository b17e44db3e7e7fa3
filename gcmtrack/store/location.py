"""Where the store is: the location rule (--db, else $GCMTRACK_DB, else ./gcmtrack.db) and
what a location may be: an SQLite file (a path or sqlite:///PATH) or a PostgreSQL URL.

Names that SQLite treats specially (":memory:", "file:…" URIs, the empty name) are refused:
a store there would vanish with the process while the command reported it stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gcmtrack.errors import StoreError

DEFAULT_DB = "gcmtrack.db"
ENV_VAR = "GCMTRACK_DB"


def resolve_db(option: str | None) -> str:
    """The store location: --db, else $GCMTRACK_DB, else ./gcmtrack.db. An empty --db is an
    error (the CLI reports it as a usage error)."""
    if option is not None:
        if not option.strip():
            raise StoreError("the store location is empty; give a file path or a postgresql:// URL")
        return option
    return os.environ.get(ENV_VAR) or DEFAULT_DB


@dataclass(frozen=True)
class Location:
    """A parsed store location. `engine` is "sqlite" or "postgresql"."""

    engine: str
    text: str  # as given, for messages (a PostgreSQL password is masked)
    path: Path | None = None  # SQLite
    url: str | None = None  # PostgreSQL

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def parse_location(text: str) -> Location:
    """Parse and check a location; StoreError for anything that is not a usable store."""
    if not text or not text.strip():
        raise StoreError("the store location is empty; give a file path or a postgresql:// URL")
    scheme = text.partition("://")[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres"):
        return Location("postgresql", _masked(text), url=text)
    if scheme in ("sqlite", "sqlite3"):
        rest = text.partition("://")[2]
        if not rest.startswith("/") or rest == "/":
            raise StoreError(f"store URL {text!r} names no file; write sqlite:///PATH")
        name = unquote(rest[1:])
    elif scheme:
        raise StoreError(f"unsupported store URL {text!r}: use a file path, sqlite:///PATH or postgresql://…")
    else:
        name = text
    if name.strip() in ("", ":memory:") or name.lower().startswith("file:") or name.startswith(":"):
        raise StoreError(f"{name!r} is not a file: the store must be a file on disk (or a postgresql:// URL)")
    path = Path(name)
    if path.exists() and not path.is_file():
        raise StoreError(f"{path} is not a regular file")
    return Location("sqlite", str(path), path=path)
