"""Upload checks: a rejected upload kept for a while so that its uploader can download the
annotated copy. Not a submission: nothing of it counts anywhere.

Bounded twice (settings, README "Rejected uploads"): a check is forgotten after
GCMTRACK_CHECK_RETENTION_HOURS, and an account's checks never hold more than
GCMTRACK_CHECK_QUOTA_MB together (the oldest are forgotten first; a single file larger than the
quota is not kept at all). What the safe reader could not read as a workbook (random bytes, a
refused package) is never kept: service/uploads.py asks for a check only of a read workbook.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db.models import Sum

from gcmtrack.store.api import Store
from gcmtrack.store.models import UploadCheck

_MB = 1024 * 1024


def check_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "GCMTRACK_CHECK_RETENTION_HOURS", 24))


def check_quota() -> int:
    """Bytes of rejected uploads kept per account."""
    return getattr(settings, "GCMTRACK_CHECK_QUOTA_MB", 50) * _MB


def forget_old_checks(store: Store, now: dt.datetime | None = None) -> int:
    """Forget every check older than the retention period; returns how many."""
    now = now or dt.datetime.now(dt.timezone.utc)
    deleted, _ = UploadCheck.objects.using(store.alias).filter(created_at__lt=now - check_lifetime()).delete()
    return deleted


def keep_check(store: Store, account, filename: str, data: bytes, lang: str, problems: list[dict]) -> str | None:
    """Keep a rejected upload for its uploader, within the retention period and the account's
    quota; returns the token that names it, or None when it is larger than the whole quota."""
    now = dt.datetime.now(dt.timezone.utc)
    quota = check_quota()
    if len(data) > quota or check_lifetime() <= dt.timedelta(0):
        forget_old_checks(store, now)
        return None
    token = secrets.token_urlsafe(32)
    rows = UploadCheck.objects.using(store.alias)
    with store.transaction():
        forget_old_checks(store, now)
        mine = rows.select_for_update().filter(account=account).order_by("-created_at", "-token")
        kept = 0
        drop = []
        for pk, size in mine.values_list("token", "size"):
            if kept + size + len(data) > quota:
                drop.append(pk)
            else:
                kept += size
        if drop:
            rows.filter(token__in=drop).delete()
        rows.create(token=token, account=account, filename=filename[:255], content=data, size=len(data),
                    lang=lang, problems=problems, created_at=now)
    return token


def checks_usage(store: Store, account) -> tuple[int, int]:
    """How many checks an account has kept, and their bytes."""
    rows = UploadCheck.objects.using(store.alias).filter(account=account)
    return rows.count(), rows.aggregate(total=Sum("size"))["total"] or 0


def find_check(store: Store, token: str, account) -> UploadCheck | None:
    """The check `token` names, when it belongs to `account` and is not older than the
    retention period; else None."""
    since = dt.datetime.now(dt.timezone.utc) - check_lifetime()
    return UploadCheck.objects.using(store.alias).filter(token=token, account=account, created_at__gte=since).first()
