"""Opening the store a long-running service (the portal, `gcmtrack remind`) works on."""

from __future__ import annotations


def open_default_store(location: str | None):
    """Open the store at `location` as the "default" connection (what the portal's sessions and
    sign-in use) and make its secret key Django's. Returns the Store, kept open by the caller."""
    from django.conf import settings as django_settings

    from gcmtrack.store import Store, database
    from gcmtrack.store.location import parse_location, resolve_db

    database.use_as_default(parse_location(resolve_db(location)))
    store = Store(location)
    django_settings.SECRET_KEY = store.secret_key()
    return store
