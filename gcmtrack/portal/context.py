"""The store the portal serves (opened once per process by settings.setup)."""

from __future__ import annotations

_store = None


def set_store(store) -> None:
    global _store
    _store = store


def store():
    if _store is None:
        raise RuntimeError("the portal's store is not open (gcmtrack.portal.settings.setup)")
    return _store
