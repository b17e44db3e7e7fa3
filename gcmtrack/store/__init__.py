"""The store: every accepted file kept as a new version, review decisions, accounts, the audit
log and render jobs, in one database — SQLite on one machine, PostgreSQL when shared.

`Store` (store/api.py) is the one interface the rest of gcmtrack uses; the tables are Django
models (store/models.py) created and upgraded by migrations (store/migrations/).
"""

from gcmtrack.store.api import (
    IngestOutcome,
    ReviewError,
    Store,
    TRANSITIONS,
    cli_actor,
    iso,
    sha256,
    utc_now,
    version_object,
)
from gcmtrack.store.location import DEFAULT_DB, parse_location, resolve_db

__all__ = ["DEFAULT_DB", "IngestOutcome", "ReviewError", "Store", "TRANSITIONS", "cli_actor", "iso",
           "parse_location", "resolve_db", "sha256", "utc_now", "version_object"]
