"""Upload checks: a rejected upload kept for a day so that its uploader can download the
annotated copy. Not a submission: nothing of it counts anywhere."""

from __future__ import annotations

import datetime as dt
import secrets

from gcmtrack.store.api import Store
from gcmtrack.store.models import UploadCheck

CHECK_LIFETIME = dt.timedelta(days=1)


def keep_check(store: Store, account, filename: str, data: bytes, lang: str, problems: list[dict]) -> str:
    """Keep a rejected upload for its uploader (and forget those older than CHECK_LIFETIME);
    returns the token that names it."""
    now = dt.datetime.now(dt.timezone.utc)
    token = secrets.token_urlsafe(32)
    with store.transaction():
        UploadCheck.objects.using(store.alias).filter(created_at__lt=now - CHECK_LIFETIME).delete()
        UploadCheck.objects.using(store.alias).create(
            token=token, account=account, filename=filename[:255], content=data, lang=lang,
            problems=problems, created_at=now)
    return token


def find_check(store: Store, token: str, account) -> UploadCheck | None:
    """The check `token` names, when it belongs to `account`; else None."""
    return UploadCheck.objects.using(store.alias).filter(token=token, account=account).first()
