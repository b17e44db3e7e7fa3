"""The WSGI application, for gunicorn (`gcmtrack serve` starts it) or any WSGI server:
the store is $GCMTRACK_DB (default ./gcmtrack.db)."""

from __future__ import annotations

from gcmtrack.portal.settings import setup

setup(None)

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
