"""Context indicators for a regional review, read from a CSV (review.md, "Authoring"): the UN
SDG Global Database export (Goal, Target, Indicator, SeriesCode, SeriesDescription,
GeoAreaCode, GeoAreaName, TimePeriod, Value, Units, Source, FootNote, and its bracketed
dimension columns such as [Sex]) or the long form `indicator,geo,year,value,unit,source,note`
(geo: an ISO3 code or an M49 code). Every problem is located like a workbook's: the file, the
cell as a spreadsheet shows it (row 1 is the header) and the column, from the problems
catalogue; a file with an error yields no value at all. It stores nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from gcmtrack.authored import IndicatorValue
from gcmtrack.intake.cells import column_letter
from gcmtrack.intake.problems import Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_VALUE_CHARS = 100
MAX_TEXT_CHARS = 2_000
MAX_PROBLEMS = 200
YEARS = (1900, 2100)

LONG_FORM = ("indicator", "geo", "year", "value", "unit", "source", "note")
LONG_REQUIRED = ("indicator", "geo", "year", "value")
# The SDG export's columns this reader uses -> the long form's names.
SDG_COLUMNS = {"Indicator": "indicator", "SeriesCode": "series", "SeriesDescription": "description",
               "GeoAreaCode": "geo", "TimePeriod": "year", "Value": "value", "Units": "unit", "Source": "source",
               "FootNote": "note"}
SDG_REQUIRED = ("Indicator", "SeriesCode", "GeoAreaCode", "TimePeriod", "Value")
_ISO3 = re.compile(r"[A-Z]{3}")
_M49 = re.compile(r"\d{1,3}")
# Characters no value may hold (tab, line feed and carriage return inside a quoted field are fine).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class IndicatorFile:
    """What reading a CSV found: its form ("sdg" or "long"), the values, and the problems."""

    form: str | None = None
    values: list[IndicatorValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def _iso3_of_m49(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(numeric=code.zfill(3))
    return country.alpha_3 if country else None


def _geo(text: str) -> str | None:
    """An ISO3 code, or an M49 code (a country's becomes its ISO3 code; a region's stays M49,
    three digits)."""
    text = text.strip()
    if _ISO3.fullmatch(text.upper()):
        import pycountry

        return text.upper() if pycountry.countries.get(alpha_3=text.upper()) else None
    if _M49.fullmatch(text):
        return _iso3_of_m49(text) or text.zfill(3)
    return None


def _year(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        year = int(text.split(".")[0])
        if YEARS[0] <= year <= YEARS[1]:
            return year
    return None


def _limit(column: str) -> int:
    """The longest text a column may hold (the store keeps an indicator's code and unit short)."""
    return {"indicator": 100, "unit": 200, "units": 200}.get(column.lower(), MAX_TEXT_CHARS)


def read_indicators(data: bytes, name: str) -> IndicatorFile:
    """Read and check one CSV of indicator values."""
    result = IndicatorFile()
    problems = result.problems
    if len(data) > MAX_BYTES:
        problems.append(Problem("csv-too-large", name, params={"limit": f"{MAX_BYTES // (1024 * 1024)} MB"}))
        return result
    if not data.strip():
        problems.append(Problem("csv-empty", name))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.append(Problem("csv-not-utf8", name, f"A{line}", params={"row": line}))
        return result
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        rows = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                problems.append(Problem("csv-too-many-rows", name, params={"limit": f"{MAX_ROWS:,}"}))
                return result
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem("csv-malformed", name, f"A{reader.line_num}", params={"reason": str(exc)}))
        return result
    plain = {h.strip("[]"): i for i, h in enumerate(header)}
    if all(c in plain for c in SDG_REQUIRED):
        result.form, columns, required = "sdg", plain, SDG_REQUIRED
    elif all(c in [h.lower() for h in header] for c in LONG_REQUIRED):
        result.form, required = "long", LONG_REQUIRED
        columns = {h.lower(): i for i, h in enumerate(header)}
    else:
        problems.append(Problem("csv-unknown-columns", name, "A1",
                                params={"long": ",".join(LONG_FORM), "sdg": ", ".join(SDG_REQUIRED)}))
        return result
    dimensions = [(h[1:-1], i) for i, h in enumerate(header) if h.startswith("[") and h.endswith("]")
                  and h[1:-1] not in SDG_COLUMNS]
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem("csv-too-many-fields", name, f"{column_letter(len(header) + 1)}{number}",
                                    params={"row": number, "expected": len(header), "found": len(row)}))
            continue

        def cell(column: str) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        def where(column: str) -> str:
            return f"{column_letter(columns[column] + 1)}{number}"

        controls = [i for i, text in enumerate(row) if CONTROLS.search(text)]
        for index in controls:
            found = CONTROLS.search(row[index]).group()
            problems.append(Problem("csv-malformed", name, f"{column_letter(index + 1)}{number}",
                                    params={"reason": f"control character U+{ord(found):04X}"}))
        if controls:
            continue
        missing = [c for c in required if not cell(c)]
        for column in missing:
            problems.append(Problem("csv-missing-value", name, where(column), params={"column": column}))
        if missing:
            continue
        geo_column, year_column, value_column = (("GeoAreaCode", "TimePeriod", "Value") if result.form == "sdg"
                                                 else ("geo", "year", "value"))
        geo, year, value = _geo(cell(geo_column)), _year(cell(year_column)), cell(value_column)
        if geo is None:
            problems.append(Problem("csv-bad-geo", name, where(geo_column), cell(geo_column),
                                    params={"column": geo_column}))
        if year is None:
            problems.append(Problem("csv-bad-year", name, where(year_column), cell(year_column),
                                    params={"column": year_column, "low": YEARS[0], "high": YEARS[1]}))
        if len(value) > MAX_VALUE_CHARS:
            problems.append(Problem("csv-value-too-long", name, where(value_column), value,
                                    params={"column": value_column, "limit": MAX_VALUE_CHARS}))
        long_texts = [c for c in columns if c != value_column and len(cell(c)) > _limit(c)]
        for column in long_texts:  # refused, never cut
            problems.append(Problem("csv-value-too-long", name, where(column), cell(column)[:_limit(column)],
                                    params={"column": column, "limit": _limit(column)}))
        if geo is None or year is None or len(value) > MAX_VALUE_CHARS or long_texts:
            continue
        if result.form == "sdg":
            dims = "; ".join(f"{d}: {row[i].strip()}" for d, i in dimensions if i < len(row) and row[i].strip())
            note = " — ".join(p for p in (cell("SeriesCode") + (f": {cell('SeriesDescription')}"
                                                                 if cell("SeriesDescription") else ""),
                                          dims, cell("FootNote")) if p)
            unit = cell("Units")
            key = (cell("Indicator"), cell("SeriesCode"), geo, year, dims)
            item = IndicatorValue(indicator=cell("Indicator"), geo=geo, year=year, value=value, unit=unit,
                                  source=cell("Source"), note=note)
        else:
            key = (cell("indicator"), geo, year, cell("unit"))
            item = IndicatorValue(indicator=cell("indicator"), geo=geo, year=year, value=value,
                                  unit=cell("unit"), source=cell("source"), note=cell("note"))
        if key in seen:
            problems.append(Problem("csv-duplicate-row", name, f"A{number}", params={"row": number,
                                                                                     "first": seen[key]}))
            continue
        seen[key] = number
        result.values.append(item)
        if len(problems) >= MAX_PROBLEMS:
            break
    if result.problems:
        result.values = []
    return result
