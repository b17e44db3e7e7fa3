"""The store: every accepted file kept as a new version, review decisions, accounts, the audit
log and render jobs, in one database — SQLite on one machine, PostgreSQL when shared.

`Store` (store/api.py) is the one interface the rest of gcmtrack uses; the tables are Django
models (store/models.py, used by this package only) created and upgraded by migrations
(store/migrations/). The service's vocabulary (audit actions, roles, review states, decisions,
TRANSITIONS) is store/events.py.

The names of store/api.py are loaded on first use, so that importing the vocabulary
(gcmtrack.store.events) does not start Django.
"""

from __future__ import annotations

from gcmtrack.store.events import TRANSITIONS, Action, Decision, ReviewState, Role
from gcmtrack.store.location import DEFAULT_DB, parse_location, resolve_db

_FROM_API = ("IngestOutcome", "ReviewError", "Store", "cli_actor", "iso", "sha256", "utc_now", "version_object")

__all__ = ["Action", "DEFAULT_DB", "Decision", "IngestOutcome", "ReviewError", "ReviewState", "Role", "Store",
           "TRANSITIONS", "cli_actor", "iso", "parse_location", "resolve_db", "sha256", "utc_now", "version_object"]


def __getattr__(name: str):
    if name in _FROM_API:
        from gcmtrack.store import api

        return getattr(api, name)
    raise AttributeError(f"module 'gcmtrack.store' has no attribute {name!r}")
