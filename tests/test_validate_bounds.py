"""Validation's work is bounded as its output is (issue 19, item 5): a few cells listing
thousands of unknown themes and principles are read up to MAX_LIST_ITEMS each (the cell is
reported `list-too-long`), and no closest match is computed for a problem that will only be
counted. The work is counted, not timed (the wall-time bound is generous)."""

from __future__ import annotations

import time

from tests.builders import build_workbook


def _hostile(cells: int = 60, values: int = 4000) -> bytes:
    listing = "; ".join(f"zq{i:04d}" for i in range(values))[:32000]
    practices = [{"title": f"P{i}", "status": "Implemented", "objectives": "1", "principles": listing,
                  "themes": listing} for i in range(cells // 2)]
    return build_workbook(state="JAM", objectives=[(n, "Planned", f"m {n}") for n in range(1, 24)],
                          practices=practices)


def test_cells_listing_thousands_of_unknown_values_cost_little(monkeypatch):
    from gcmtrack.intake import validate

    calls = {"closest": 0, "report": 0}
    closest, report = validate._closest, validate._Validator.report

    def counting_closest(*args, **kwargs):
        calls["closest"] += 1
        return closest(*args, **kwargs)

    def counting_report(self, *args, **kwargs):
        calls["report"] += 1
        return report(self, *args, **kwargs)

    monkeypatch.setattr(validate, "_closest", counting_closest)
    monkeypatch.setattr(validate._Validator, "report", counting_report)
    data = _hostile()
    start = time.perf_counter()
    result = validate.validate_bytes(data, "hostile.xlsx")
    seconds = time.perf_counter() - start
    codes = [p.code for p in result.problems]
    assert not result.valid
    assert "list-too-long" in codes
    more = result.problems[-1]
    assert more.code == "more-problems"
    assert more.params["count"] + len(result.problems) - 1 == 60 * (1 + validate.MAX_LIST_ITEMS)
    too_long = next(p for p in result.problems if p.code == "list-too-long")
    assert too_long.params["limit"] == validate.MAX_LIST_ITEMS and too_long.params["count"] > 3000
    assert too_long.sheet and too_long.cell  # located
    # at most MAX_LIST_ITEMS values read per cell, and a closest match only for listed problems
    assert calls["report"] <= 60 * (validate.MAX_LIST_ITEMS + 1) + 100, calls
    assert calls["closest"] <= 1000, calls
    assert seconds < 5, seconds  # about 0.5 s alone; the machine is shared


def test_a_list_cell_within_the_bound_is_read_whole():
    from gcmtrack.intake.validate import MAX_LIST_ITEMS, validate_bytes

    listing = "; ".join(["a", "b", "People-centred"] + ["c"] * (MAX_LIST_ITEMS - 3))
    data = build_workbook(state="JAM", objectives=[(n, "Planned", f"m {n}") for n in range(1, 24)],
                          practices=[{"title": "P", "status": "Implemented", "objectives": "1",
                                      "principles": listing}])
    result = validate_bytes(data, "ok.xlsx")
    assert "list-too-long" not in [p.code for p in result.problems]
    assert result.valid, [p.code for p in result.problems]
