"""Which GCM objectives an SDG indicator concerns (objectives/sdg-indicators.yaml): the review
places a context indicator's values beside what states report about those objectives."""

from __future__ import annotations

import re
from functools import cache

from gcmtrack.common.assets import data_dir, load_yaml
from gcmtrack.errors import DataError

# An SDG indicator's number at the start of a text: "10.c.1", "17.18.1 Statistical capacity".
_NUMBER = re.compile(r"\s*(\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2})(?![\w.])", re.IGNORECASE)


@cache
def _table() -> dict[str, tuple[int, ...]]:
    path = data_dir("objectives") / "sdg-indicators.yaml"
    data = load_yaml(path)
    table: dict[str, tuple[int, ...]] = {}
    for number, entry in (data.get("indicators") or {}).items():
        objectives = tuple(entry.get("objectives") or ())
        if not _NUMBER.fullmatch(str(number)) or not objectives or not all(
                isinstance(n, int) and 1 <= n <= 23 for n in objectives):
            raise DataError(f"{path.name}: indicator {number!r}: give its SDG number and objectives 1-23")
        table[str(number).lower()] = objectives
    return table


def sdg_number(indicator: str) -> str | None:
    """The SDG indicator number `indicator` starts with ("10.c.1"), or None."""
    found = _NUMBER.match(indicator or "")
    return found.group(1).lower() if found else None


def objectives_of_indicator(indicator: str) -> tuple[int, ...]:
    """The GCM objectives an indicator concerns: () for an indicator that is not in the table."""
    number = sdg_number(indicator)
    return _table().get(number, ()) if number else ()
