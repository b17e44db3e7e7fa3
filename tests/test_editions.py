"""Issue 18 (report v2): the review and staff editions, disclosure, representativeness, DRAFT,
nothing a state wrote cut, UN dates, ties, files written with the user's umask."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from gcmtrack.common.files import write_atomic
from gcmtrack.report.i18n import format_date_range, format_long_date


@pytest.mark.parametrize("lang, long, span", [
    ("en", "4 December 2026", "5\u20138 May 2026"),
    ("es", "4 de diciembre de 2026", "5\u20138 de mayo de 2026"),
    ("fr", "4 d\u00e9cembre 2026", "5\u20138 mai 2026"),
])
def test_un_date_style(lang, long, span):
    assert format_long_date(dt.date(2026, 12, 4), lang) == long
    assert format_date_range(dt.date(2026, 5, 5), dt.date(2026, 5, 8), lang) == span


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "report.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert (tmp_path / "report.pdf").stat().st_mode & 0o777 == mode
