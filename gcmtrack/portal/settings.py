"""The portal at start-up: the store it serves opened as the "default" connection (sessions
and sign-in use it) with its secret key. The Django settings themselves are gcmtrack.settings."""

from __future__ import annotations


def setup(location: str | None):
    """Open the store at `location` as the portal's (the "default" connection) and take its
    secret key. Returns the Store, kept open for the life of the process."""
    from gcmtrack.portal.context import set_store
    from gcmtrack.service.setup import open_default_store

    store = open_default_store(location)
    set_store(store)
    return store
