"""Pages that stay usable with a 5,000-practice version (issue 19, item 5): the decisions come
before the long lists, long lists are paged or folded, and the page's size and time stay
bounded. The workbook is generated (5,000 practices, each mapped to objectives)."""

from __future__ import annotations

import time

import pytest

from tests.builders import build_workbook

PRACTICES = 5000


@pytest.fixture(scope="module")
def big_workbook() -> bytes:
    practices = [{"title": f"Practice {i} on labour migration", "status": "Implemented",
                  "objectives": f"{1 + i % 23}; {1 + (i * 7) % 23}", "description": f"What was done, step {i}. " * 4}
                 for i in range(PRACTICES)]
    return build_workbook(state="JAM", objectives=[(n, "Planned", f"m {n}") for n in range(1, 24)],
                          practices=practices)


def _measure(client, path):
    start = time.perf_counter()
    response = client.get(path)
    return response, time.perf_counter() - start


def test_a_5000_practice_version_keeps_its_pages_usable(portal, big_workbook):
    from gcmtrack.service.ingest import ingest_bytes

    sid = ingest_bytes(portal.store, big_workbook, "jam-big.xlsx").outcome.submission_id
    staff = portal.client("cmc@iom.int")
    staff.get(f"/submissions/{sid}/")  # the first request of a process imports what the page needs
    page, seconds = _measure(staff, f"/submissions/{sid}/")
    html = page.content.decode()
    print(f"submission page: {len(page.content):,} bytes in {seconds:.2f} s")
    assert page.status_code == 200
    # the decisions come before the long lists
    assert html.index('name="decision" value="accept"') < html.index("Practice 0 on labour")
    assert html.index('name="decision" value="accept"') < html.index('id="problems-h"')
    # a long list is folded and cut: the practices changed since the previous cycle, the warnings
    # and the practices to feature (chosen by row number, not from a list of 5,000)
    assert html.count("<li>") < 400
    assert 'id="feature-practice" name="practice" type="number"' in html
    assert len(page.content) < 150_000, len(page.content)
    assert seconds < 5, seconds  # generous: the machine is shared; about 0.5 s alone
    dashboard, dseconds = _measure(staff, "/review/CMC/2026/")
    print(f"dashboard: {len(dashboard.content):,} bytes in {dseconds:.2f} s")
    assert dashboard.status_code == 200 and len(dashboard.content) < 150_000 and dseconds < 8
    official, oseconds = _measure(portal.client("jam@gov.jm"), f"/submissions/{sid}/")
    assert official.status_code == 200 and len(official.content) < 150_000 and oseconds < 8
    assert official.content.decode().index('value="withdraw"') < official.content.decode().index('id="problems-h"')
