"""Check one workbook against the submission contract in one pass, parsing each label and
column by its contract type, and turn a workbook without errors into a `Submission`."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from rapidfuzz import fuzz, process

from gcmtrack.coverage import objective_coverage
from gcmtrack.errors import WorkbookError
from gcmtrack.common.languages import LANGS
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Framework, framework
from gcmtrack.intake.cells import a1
from gcmtrack.intake.contract import Contract, Field, contract
from gcmtrack.intake.problems import Problem
from gcmtrack.intake.problems import catalogue as problem_catalogue
from gcmtrack.intake.xlsx import MAX_FILE_BYTES, RawWorkbook, Sheet, is_excel_error, read_workbook
from gcmtrack.submission import ObjectiveRow, Practice, Submission
from gcmtrack.reference.processes import processes_of
from gcmtrack.reference.states import states
from gcmtrack.common.text import fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[,;\n\r\u060c\u061b\u3001\uff0c\uff1b]+")  # and the Arabic and Chinese , ; 、
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LETTER = re.compile(r"^\(?([a-j])[).]?$")
_LETTERED_NAME = re.compile(r"^\(?([a-j])[).]\s*(.+)$")


class ProblemList(list):
    """A file's problems, at most `limit` of each severity kept (the rest only counted), so a
    file listing 480,000 unknown principles costs no more than one listing a thousand.
    `bounded()` gives the final list: errors first, at most `limit`, and one `more-problems`
    problem saying how many more there were."""

    def __init__(self, limit: int | None = None):
        super().__init__()
        self.limit = limit if limit is not None else contract().max_problems
        self.kept = {"error": 0, "warning": 0}
        self.dropped = {"error": 0, "warning": 0}

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        severity = "error" if problem.is_error else "warning"
        if self.kept[severity] >= self.limit:
            self.dropped[severity] += 1
            return
        self.kept[severity] += 1
        super().append(problem)

    def full(self, severity: str) -> bool:
        """Whether a further problem of this severity would only be counted (not listed): then
        nothing need be computed for it, such as the closest match of an unknown value."""
        return self.kept[severity] >= self.limit

    def extend(self, problems: Iterable[Problem]) -> None:  # type: ignore[override]
        for problem in problems:
            self.append(problem)

    def bounded(self) -> list[Problem]:
        ordered = sorted(self, key=problem_order)
        errors = sum(self.dropped.values())
        kept = ordered[: self.limit]
        cut = ordered[self.limit:]
        more = {"error": self.dropped["error"] + sum(1 for p in cut if p.is_error),
                "warning": self.dropped["warning"] + sum(1 for p in cut if not p.is_error)}
        if errors or cut:
            kept.append(Problem("more-problems", value=more["error"] + more["warning"],
                                params={"count": more["error"] + more["warning"], "errors": more["error"],
                                        "warnings": more["warning"], "limit": self.limit},
                                severity="error" if more["error"] else "warning"))
        return kept


@dataclass
class FileResult:
    """The verdict on one file: its problems and, when valid, its parsed content."""

    path: str
    lang: str = "en"
    problems: list[Problem] = field(default_factory=ProblemList)
    submission: Submission | None = None
    state: str | None = None
    cycle: int | None = None
    raw: RawWorkbook | None = None
    cycle_at: tuple[str, str] | None = None  # (sheet, cell) of the cycle, for warnings about it

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "valid": self.valid,
            "state": self.state,
            "cycle": self.cycle,
            "problems": [p.to_dict(self.lang) for p in self.problems],
        }


@dataclass
class ValidationReport:
    """The verdict on a batch of files: `valid` when no file has an error."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "valid": sum(1 for f in self.files if f.valid),
            "errors": sum(len(f.errors) for f in self.files),
            "warnings": sum(len(f.warnings) for f in self.files),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "files": [f.to_dict() for f in self.files]}


# --------------------------------------------------------------------------- entry points


def display_name(path: str | Path) -> str:
    """A path as text that can be printed, stored and sent as JSON: bytes of a file name that
    are not UTF-8 are shown as \\xNN escapes instead of aborting the batch."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def read_file(path: str | Path) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file no larger than MAX_FILE_BYTES, or the problem that stopped
    the reading. A FIFO, a device or a folder is refused without waiting on it; the size is
    checked from the file system before a byte is read (a 3 GiB sparse file costs nothing)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, Problem("file-unreadable", params={"reason": exc.strerror or type(exc).__name__})
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem("not-a-regular-file", params={"kind": _file_kind(info.st_mode)})
        if info.st_size > MAX_FILE_BYTES:
            return None, Problem("file-too-large", params={"size": info.st_size, "limit": MAX_FILE_BYTES})
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since: still bounded
    except OSError as exc:
        return None, Problem("file-unreadable", params={"reason": exc.strerror or type(exc).__name__})
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        return None, Problem("file-too-large", params={"size": len(data), "limit": MAX_FILE_BYTES})
    return data, None


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def validate_path(path: str | Path) -> tuple[FileResult, bytes | None]:
    """Read and validate a file; returns the result and the bytes read (None if unreadable)."""
    name = display_name(path)
    data, problem = read_file(path)
    if problem is not None:
        return FileResult(name, problems=[problem]), None
    return validate_bytes(data, name), data


def validate_bytes(data: bytes, filename: str = "") -> FileResult:
    """Validate the bytes of one workbook. Never raises for bad input: problems are the answer."""
    result = FileResult(filename)
    try:
        raw = read_workbook(data, filename)
    except WorkbookError as exc:
        result.problems.append(exc.problem)
        return result
    result.raw = raw
    _Validator(raw, result, framework(), contract()).run()
    result.problems = result.problems.bounded() if isinstance(result.problems, ProblemList) else sorted(
        result.problems, key=problem_order)
    return result


def problem_order(problem: Problem) -> tuple:
    """Errors first, then by sheet, cell and code. A sheet of the contract sorts by its English
    name whatever the workbook's language, so that the same workbook in Chinese or Russian lists
    its problems in the order it does in English (not by 目标/实践 or Цели/Практики)."""
    key = contract().sheet_key(problem.sheet) if problem.sheet else None
    sheet = contract().sheets[key].names["en"] if key else (problem.sheet or "")
    return (0 if problem.is_error else 1, sheet) + problem.sort_key()[1:]


# --------------------------------------------------------------------------- vocabularies


def _vocabulary(entries: Iterable[Any], value: Callable[[Any], Any], names: Callable[[Any], Iterable[str]],
                with_key: bool = False) -> dict[str, Any]:
    """folded name (any language; also the data key, with_key) -> value, for matching cells."""
    table: dict[str, Any] = {}
    for entry in entries:
        if with_key:
            table[fold(entry.key.replace("_", " "))] = value(entry)
        for name in names(entry):
            table[fold(name)] = value(entry)
    return table


@cache
def _status_names() -> dict[str, str]:
    return _vocabulary(framework().statuses, lambda s: s.key, lambda s: s.name.values(), with_key=True)


@cache
def _objective_names() -> dict[str, int]:
    """Titles and short labels in every language -> objective number."""
    return _vocabulary(framework().objectives.values(), lambda o: o.number,
                       lambda o: o.title.values() + o.label.values())


@cache
def _principle_names() -> dict[str, str]:
    return _vocabulary(framework().principles, lambda p: p.letter, lambda p: p.name.values())


@cache
def _theme_names() -> dict[str, str]:
    return _vocabulary(framework().themes, lambda t: t.key, lambda t: t.name.values(), with_key=True)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _objective_ref_pattern() -> re.Pattern:
    """A folded reference: prefix ("objective", "الهدف", "目标", "цель"), an optional "nº" / "№" /
    "رقم", an optional "第", the number (any script's digits), an optional suffix ("项目标"),
    and an optional title after a separator."""
    ct = contract()
    prefixes = _alternatives(ct.objective_prefixes)
    suffixes = _alternatives(ct.objective_suffixes) or "(?!)"
    return re.compile(rf"^(?:(?:{prefixes})\s*\.?\s*(?:(?:n[o°º]|رقم)\.?\s*)?)?#?\s*(?:第\s*)?(\d{{1,3}})"
                      rf"(?:\s*(?:{suffixes}))?(?:\s*(?:[-–—:.)]\s*|\s+)(.*))?$")


def _closest(text: str, choices: dict[str, Any], cutoff: int) -> str | None:
    match = process.extractOne(fold(text), list(choices), scorer=fuzz.WRatio, score_cutoff=cutoff)
    return match[0] if match else None


# A list cell (themes, principles) names a few entries of a short vocabulary; one listing more
# than MAX_LIST_ITEMS is an error (`list-too-long`) and only its first MAX_LIST_ITEMS are read,
# so that a few cells listing thousands of values cost no more than a few cells listing fifty.
MAX_LIST_ITEMS = 50


def _list_items(v: "_Validator", at: Place, value: Any) -> tuple[list[str], bool]:
    """The items of a list cell, at most MAX_LIST_ITEMS (and whether it was cut, reported)."""
    items = _split_list(_as_text(value), MAX_LIST_ITEMS + 1)
    if len(items) <= MAX_LIST_ITEMS:
        return items, False
    v.report("list-too-long", at, None, count=len(_LIST_SPLIT.findall(_as_text(value))) + 1,
             limit=MAX_LIST_ITEMS)
    return items[:MAX_LIST_ITEMS], True


def _closest_if_listed(v: "_Validator", code: str, text: str, choices: dict[str, Any], cutoff: int) -> str | None:
    """The closest match for a problem's hint, computed only when the problem will be listed."""
    problems = v.problems
    severity = problem_catalogue()[code]["severity"]
    if isinstance(problems, ProblemList) and problems.full(severity):
        return None
    return _closest(text, choices, cutoff)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _short_text(value: Any) -> bool:
    """A string short enough to be a sheet name, a label or a header."""
    return isinstance(value, str) and len(value) <= 80


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- one parser per type


class Place(NamedTuple):
    """Where a value was read: the sheet, and the cell (None when its label was not found)."""

    sheet: Sheet
    row: int | None = None
    col: int | None = None


#: A parser's answer for a value it cannot use, once it has reported why: a label then reads
#: as None, and a table row holding it is dropped (so nothing half-understood is stored).
REJECTED = object()

Parser = Callable[["_Validator", Place, Field, Any], Any]
#: contract type -> parser(validator, place, field, value) -> parsed value or REJECTED.
PARSERS: dict[str, Parser] = {}
#: contract type -> what a blank optional value reads as. A type not listed here has its
#: parser called with None instead, because a blank value means something to it.
BLANK: dict[str, Any] = {}
_ASK_PARSER = object()


def _parses(type_name: str, blank: Any = _ASK_PARSER) -> Callable[[Parser], Parser]:
    """Register the decorated function as the parser of `type_name`, whose blank optional
    values read as `blank` (when given) without calling it."""
    def register(parser: Parser) -> Parser:
        PARSERS[type_name] = parser
        if blank is not _ASK_PARSER:
            BLANK[type_name] = blank
        return parser
    return register


@_parses("state", blank=None)
def _parse_state(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    resolution = states().resolve(_as_text(value))
    if resolution.code:
        return resolution.code
    if resolution.ambiguous:
        names = [f"{states().get(c).name(v.lang)} ({c})" for c in resolution.codes]
        v.report("ambiguous-state", at, value, candidates=names, codes=list(resolution.codes))
    else:
        v.report("unknown-state", at, value, suggestions=list(resolution.suggestions) or "-")
    return REJECTED


@_parses("cycle", blank=None)
def _parse_cycle(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    year: int | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    elif isinstance(value, str):
        years = _YEAR.findall(value)
        rest = fold(_YEAR.sub("", value)).strip(" .")
        # one year with a few words around it ("IMRF 2026", "FEMI 2026", "МФОМ 2026") or the
        # forum's name in any language; not a range ("2022 - 2025", "2026 2030"), a sentence or a date
        if len(years) == 1 and (not rest or rest in _forum_words(v.fw) or (
                len(rest) <= 12 and re.fullmatch(r"[^\W\d_]+(?:[\s.][^\W\d_]+)*", rest))):
            year = int(years[0])
    if year in v.fw.editions:
        return year
    v.report("invalid-cycle", at, value, known=[str(y) for y in v.fw.editions])
    return REJECTED


def _forum_words(fw: Framework) -> set[str]:
    """The forum's names and acronyms in every language, folded."""
    return {fold(text) for edition in fw.editions.values()
            for text in (*edition.forum.name.values(), *edition.forum.acronym.values())}


@_parses("email", blank="")
def _parse_email(v: _Validator, at: Place, f: Field, value: Any) -> str:
    text = _as_text(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not _EMAIL.match(text):
        v.report("invalid-email", at, value)
    return text


@_parses("date", blank=None)
def _parse_date(v: _Validator, at: Place, f: Field, value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    readings = read_date(value, v.ct, date1904=v.raw.date1904)
    if not readings:
        v.report("invalid-date", at, value)
        return None
    if len(readings) > 1:  # 05/06/2025: read day first, and say so
        v.report("ambiguous-date", at, value, date=readings[0].isoformat(), other=readings[1].isoformat())
    return readings[0].isoformat()


_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# a month name: letters of any script, and up to two more words ("تشرين الثاني") or a second name
# after a slash ("تشرين الثاني/نوفمبر"), but not the "de" of "30 de novembro de 2025"
_MONTH = r"([^\W\d_]+(?:(?:\s*/\s*|\s(?!del?\b))[^\W\d_]+){0,2})"
_DAY_MONTH_YEAR = re.compile(r"^(?:\w+[,،]?\s+)?(\d{1,2})(?:er|ero|o|st|nd|rd|th|-?го|-?е)?\.?\s+(?:de\s+)?"
                             + _MONTH + r"\.?[,،]?\s+(?:de\s+|del\s+)?(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^(?:\w+,?\s+)?" + _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_date(value: Any, ct: Contract | None = None, *, date1904: bool = False) -> list[dt.date]:
    """The dates a cell value can be read as, the one to use first: [] when it is not a date,
    two when a day/month/year date reads either way (05/06/2025: 5 June, or May 6). A plain
    number is an Excel date serial, counted from 1904 in a workbook that says so."""
    ct = ct or contract()
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):  # an Excel date serial in a cell formatted as a number
        low, high = ct.date_serial_years
        epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
        first, last = (dt.date(low, 1, 1) - epoch).days, (dt.date(high, 12, 31) - epoch).days
        if float(value).is_integer() and first <= value <= last:
            return [epoch + dt.timedelta(days=int(value))]
        return []
    text = fold(_as_text(value))
    if ct.date_year_suffixes:  # "30 ноября 2025 г.", "30 نوفمبر 2025م": the word after the year
        text = re.sub(rf"(\d{{4}})\s*(?:{_alternatives(ct.date_year_suffixes)})\.?$", r"\1", text)
    match = _CJK_DATE.match(text)
    if match:
        found = _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return [found] if found else []
    match = _ISO_DATE.match(text)
    if match:
        found = _date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        return [found] if found else []
    match = _NUMERIC_DATE.match(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        day_first, month_first = _date(year, second, first), _date(year, first, second)
        readings = [d for d in (day_first, month_first) if d is not None]
        return list(dict.fromkeys(readings))
    match = _DAY_MONTH_YEAR.match(text)
    if match and _month(match.group(2), ct):
        found = _date(int(match.group(3)), _month(match.group(2), ct), int(match.group(1)))
        return [found] if found else []
    match = _MONTH_DAY_YEAR.match(text)
    if match and _month(match.group(1), ct):
        found = _date(int(match.group(3)), _month(match.group(1), ct), int(match.group(2)))
        return [found] if found else []
    return []


def _month(name: str, ct: Contract) -> int | None:
    """The month a folded name stands for: "noviembre", "تشرين الثاني", or both names of the UN's
    Arabic "تشرين الثاني/نوفمبر" when they agree; None otherwise."""
    if name in ct.month_names:
        return ct.month_names[name]
    numbers = {ct.month_names.get(part.strip()) for part in name.split("/")}
    return numbers.pop() if len(numbers) == 1 and None not in numbers else None


@_parses("version")  # no blank value: a missing version is a warning too
def _parse_version(v: _Validator, at: Place, f: Field, value: Any) -> str | None:
    text = None if value is None else _as_text(value).strip()
    if text not in v.ct.known_template_versions:
        v.report("template-version", at, value, current=v.ct.template_version)
    return text


@_parses("status", blank=None)
def _parse_status(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    key = _status_names().get(fold(value))
    if key:
        return key
    names = {fold(s.name(v.lang)): s.name(v.lang) for s in v.fw.statuses}
    synonym = v.ct.status_synonyms.get(fold(_as_text(value)))
    if synonym is not None:
        closest = v.fw.status(synonym).name(v.lang)
    else:
        near = _closest(_as_text(value), _status_names(), f.fuzzy_cutoff)
        closest = v.fw.status(_status_names()[near]).name(v.lang) if near is not None else None
    v.report("unknown-status", at, value, closest=closest, choices=list(names.values()))
    return REJECTED


@_parses("objective", blank=None)
def _parse_objective(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    number = parse_objective_ref(value, v.ct.objective_title_cutoff)
    if number is not None:
        return number
    near = _closest(_as_text(value), _objective_names(), f.fuzzy_cutoff)
    closest = None
    if near is not None:
        n = _objective_names()[near]
        closest = f"{n} ({v.fw.objectives[n].label(v.lang)})"
    v.report("unknown-objective", at, value, closest=closest)
    return REJECTED


@_parses("objective_list", blank=())
def _parse_objective_list(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    """Objectives named in a cell; REJECTED when one of them is not understood."""
    cutoff = v.ct.objective_title_cutoff
    whole = parse_objective_ref(value, cutoff)
    if whole is not None:
        return (whole,)
    numbers: list[int] = []
    ok = True
    for piece in _LIST_SPLIT.split(_as_text(value)):
        if not piece.strip():
            continue
        number = parse_objective_ref(piece, cutoff)
        if number is not None:
            numbers.append(number)
            continue
        # only a piece that is not one reference is split at "and", "y", "et": a title may hold them
        for item in _split_conjunctions(piece, v.ct.list_conjunctions, v.ct.list_joined_conjunctions):
            number = _parse_objective(v, at, f, item)
            if number is REJECTED:
                ok = False
            else:
                numbers.append(number)
    return tuple(dict.fromkeys(numbers)) if ok else REJECTED


@_parses("theme_list", blank=())
def _parse_theme_list(v: _Validator, at: Place, f: Field, value: Any) -> Any:
    keys: list[str] = []
    items, cut = _list_items(v, at, value)
    ok = not cut
    for item in items:
        key = _theme_names().get(fold(item))
        if key is None:
            near = _closest_if_listed(v, "unknown-theme", item, _theme_names(), f.fuzzy_cutoff)
            closest = None
            if near is not None:
                theme = next(t for t in v.fw.themes if t.key == _theme_names()[near])
                closest = theme.name(v.lang)
            v.report("unknown-theme", at, item, closest=closest)
            ok = False
            continue
        if key not in keys:
            keys.append(key)
    return tuple(keys) if ok else REJECTED


@_parses("principle_list", blank=())
def _parse_principle_list(v: _Validator, at: Place, f: Field, value: Any) -> tuple[str, ...]:
    """The letters understood; the others are reported, but they do not reject the row."""
    letters: list[str] = []
    items, _cut = _list_items(v, at, value)
    for item in items:
        letter = _principle_letter(item)
        if letter is None:
            near = _closest_if_listed(v, "unknown-principle", item, _principle_names(), f.fuzzy_cutoff)
            closest = None
            if near is not None:
                p = next(p for p in v.fw.principles if p.letter == _principle_names()[near])
                closest = f"{p.letter}) {p.name(v.lang)}"
            v.report("unknown-principle", at, item, closest=closest, choices=_principle_choices(v.lang))
            continue
        if letter not in letters:
            letters.append(letter)
    return tuple(letters)


@_parses("year", blank=None)
def _parse_year(v: _Validator, at: Place, f: Field, value: Any) -> int | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = _as_text(value).strip()
    if re.fullmatch(r"\d{4}(\.0+)?", text) and f.min <= int(float(text)) <= f.max:
        return int(float(text))
    v.report("invalid-year", at, value)
    return None


@_parses("url", blank="")
def _parse_url(v: _Validator, at: Place, f: Field, value: Any) -> str:
    link = _as_text(value).strip()
    if not _URL.match(link):
        v.report("invalid-link", at, link)
    return link


@_parses("text", blank="")
def _parse_text(v: _Validator, at: Place, f: Field, value: Any) -> str:
    text = _as_text(value)
    return text.strip() if f.strip else text


# --------------------------------------------------------------------------- the validator


class _Validator:
    def __init__(self, raw: RawWorkbook, result: FileResult, fw: Framework, ct: Contract):
        self.raw = raw
        self.result = result
        self.fw = fw
        self.ct = ct
        self.problems = result.problems
        self.ignored_sheets = {sheet.name for sheet in raw.sheets if self._is_problems_sheet(sheet)}
        # an annotated copy's own Problems sheet is not the submitter's: nothing on it counts
        self.problems.extend(p for p in raw.problems if p.sheet not in self.ignored_sheets)
        self.columns: dict[str, dict[str, int]] = {}  # table -> column key -> column of its header
        self._practice_rows = 0
        self._unstatused: set[int] = set()  # objectives with text but no status: not reported

    # -- helpers

    @property
    def lang(self) -> str:
        return self.result.lang

    def add(self, code: str, sheet: Sheet | None = None, row: int | None = None, col: int | None = None,
            value: Any = None, **params: Any) -> None:
        if sheet is not None and row and col and sheet.merged:
            row, col = sheet.visible_cell(row, col)  # a cell the user can see
        cell = a1(row, col) if row and col else None
        self.problems.append(Problem(code, sheet.name if sheet else None, cell, value, params))

    def report(self, code: str, at: Place, value: Any = None, **params: Any) -> None:
        self.add(code, at.sheet, at.row, at.col, value, **params)

    def field_name(self, f: Field) -> str:
        return f.names[self.result.lang]

    def parse(self, at: Place, f: Field, value: Any) -> Any:
        """The value of one field by its type's parser; a blank one is the type's blank value,
        or REJECTED (and reported) when the field is required. An Excel error value (#REF!,
        #N/A, ...) in a text field is reported and read as blank: it is no one's words."""
        if f.type == "text" and is_excel_error(value):
            self.report("excel-error-value", at, str(value).strip())
            value = None
        if _is_blank(value):
            if f.required:
                self.report("missing-label" if at.row is None else "missing-value", at, field=self.field_name(f))
                return REJECTED
            if f.recommended:  # accepted, with a located warning (who sent it, how to reach them, when)
                self.report("missing-recommended", at, field=self.field_name(f))
            if f.type in BLANK:
                return BLANK[f.type]
            value = None
        return PARSERS[f.type](self, at, f, value)

    # -- the pass

    def run(self) -> None:
        sheets = self._map_sheets()
        self.result.lang = self._detect_lang(sheets)
        header = {}
        for key in self.ct.columns:
            if key in sheets and (self.ct.sheets[key].required
                                  or any(not _is_blank(c.value) for c in sheets[key].cells.values())):
                header[key] = self._find_header(sheets[key], key)
                if header[key]:
                    self.columns[key] = header[key][1]
        missing = [k for k, f in self.ct.sheets.items() if f.required and k not in sheets]
        for key in missing:
            f = self.ct.sheets[key]
            self.add("missing-sheet", expected=f.names[self.result.lang],
                     found=[s.name for s in self.raw.sheets] or "-", names=list(dict.fromkeys(f.names.values())))
        meta = self._read_submission(sheets["submission"]) if "submission" in sheets else {}
        rows: dict[int, ObjectiveRow] = {}
        if header.get("objectives"):
            rows = self._read_objectives(sheets["objectives"], *header["objectives"])
        practices: list[Practice] = []
        if header.get("practices"):
            practices = self._read_practices(sheets["practices"], *header["practices"])
        if "practices" not in header or (header["practices"] and not self._practice_rows):
            # no sheet, an empty sheet, or headers only: optional, so a warning
            self.add("no-practices", sheets.get("practices"))
        self._cross_checks(rows, practices, sheets)
        if header.get("objectives") and not rows and not practices and self.result.valid:
            self.add("nothing-reported", sheets["objectives"])
        if self.result.valid and self.result.state and self.result.cycle:
            self.result.submission = Submission(
                lang=self.result.lang, objectives=dict(sorted(rows.items())), practices=tuple(practices), **meta)

    def _is_problems_sheet(self, sheet: Sheet) -> bool:
        """The Problems sheet an annotated copy adds: its name in any language (or "Problems (2)")
        and, in its second row, the headings annotate.py writes."""
        from gcmtrack.intake.problems_sheet import is_problems_sheet

        return is_problems_sheet(sheet.name, [sheet.value(2, col) for col in range(1, 8)])

    def _map_sheets(self) -> dict[str, Sheet]:
        found: dict[str, list[Sheet]] = {}
        for sheet in self.raw.sheets:
            if sheet.name in self.ignored_sheets:
                continue
            key = self.ct.sheet_key(sheet.name)
            if key is None or key == "problems":
                if sheet.cells:
                    self.add("extra-sheet", sheet)
                continue
            found.setdefault(key, []).append(sheet)
        mapped = {}
        for key, group in found.items():
            expected = self.ct.sheets[key].names[self.result.lang]
            visible = [s for s in group if not s.hidden]
            hidden = [s for s in group if s.hidden]
            if visible and hidden and key in self.ct.columns:
                # a copy the user cannot see beside one they can: never pick one silently
                for sheet in hidden:
                    self.problems.append(Problem("hidden-sheet-copy", sheet.name, None, sheet.name,
                                                 {"expected": expected, "visible": visible[0].name,
                                                  "state": sheet.state}))
                group = visible
            elif hidden and key in self.ct.columns:
                for sheet in hidden:
                    self.problems.append(Problem("hidden-sheet-read", sheet.name, None, sheet.name,
                                                 {"expected": expected, "state": sheet.state}))
            if len(group) > 1:
                self.problems.append(Problem("duplicate-sheet", group[1].name, None, [s.name for s in group],
                                             {"expected": expected}))
            mapped[key] = group[0]
        return mapped

    def _detect_lang(self, sheets: dict[str, Sheet]) -> str:
        votes: Counter[str] = Counter()
        for sheet in sheets.values():
            votes.update(self.ct.sheet_lang(sheet.name))
        for key in self.ct.columns:
            sheet = sheets.get(key)
            if sheet is None:
                continue
            for (row, _col), cell in sheet.cells.items():
                if row <= self.ct.header_search_rows and _short_text(cell.value):
                    votes.update(self.ct.column_lang(key, cell.value))
        sub = sheets.get("submission")
        if sub is not None:
            for cell in sub.cells.values():
                if _short_text(cell.value):
                    votes.update(self.ct.label_lang(cell.value))
        if not votes:
            return "en"
        best = max(votes.values())
        return next(lang for lang in LANGS if votes[lang] == best)

    # -- Submission sheet

    def _read_submission(self, sheet: Sheet) -> dict[str, Any]:
        """label key -> parsed value (None when rejected), for every label of the contract."""
        positions: dict[str, tuple[int, int]] = {}
        for (row, col), cell in sorted(sheet.cells.items()):
            if _short_text(cell.value):
                key = self.ct.label_key(cell.value)
                if key and key not in positions:
                    # the cell right of the label as the user sees it: past a merged label
                    positions[key] = sheet.right_of(row, col)
        meta: dict[str, Any] = {}
        for key, f in self.ct.labels.items():
            row, col = positions.get(key, (None, None))
            value = sheet.value(row, col) if row else None
            parsed = self.parse(Place(sheet, row, col), f, value)
            meta[key] = None if parsed is REJECTED else parsed
        self.result.state = meta.get("state")
        self.result.cycle = meta.get("cycle")
        if "cycle" in positions:
            row, col = positions["cycle"]
            if sheet.merged:
                row, col = sheet.visible_cell(row, col)
            self.result.cycle_at = (sheet.name, a1(row, col))
        state, cycle = meta.get("state"), meta.get("cycle")
        if state and cycle and not processes_of(state, cycle):
            row, col = positions["state"]
            self.add("state-in-no-process", sheet, row, col, state, state=states().get(state).name(self.lang),
                     cycle=cycle)
        return meta

    # -- tables

    def _find_header(self, sheet: Sheet, key: str) -> tuple[int, dict[str, int]] | None:
        """Find the header row; report header problems. Returns (row, {field: col}) or None."""
        fields = self.ct.columns[key]
        required = {k for k, f in fields.items() if f.required}
        best: tuple[int, set[str]] | None = None
        limit = self.ct.header_search_rows
        by_row: dict[int, list[tuple[int, Any]]] = {}
        for (row, col), cell in sheet.cells.items():
            if row <= limit:
                by_row.setdefault(row, []).append((col, cell.value))
        for row in sorted(by_row):
            keys = {self.ct.column_key(key, v) for _c, v in by_row[row] if _short_text(v)}
            if required <= keys:
                return row, self._header_columns(sheet, key, row, sorted(by_row[row]))
            if best is None or len(keys & required) > len(best[1] & required):
                best = (row, keys)
        found = best[1] if best else set()
        missing = [fields[k].names[self.result.lang] for k in fields if k in required and k not in found]
        expected = [f.names[self.result.lang] for f in fields.values()]
        self.add("missing-header", sheet, rows=limit, missing=missing, expected=expected)
        return None

    def _header_columns(self, sheet: Sheet, key: str, row: int, cells: list[tuple[int, Any]]) -> dict[str, int]:
        columns: dict[str, int] = {}
        all_names = {fold(n): k for k, f in self.ct.columns[key].items() for n in f.all_names()}
        near_miss = self.ct.header_near_miss
        for col, value in cells:
            if _is_blank(value):
                continue
            field_key = self.ct.column_key(key, value) if isinstance(value, str) else None
            if field_key is None:
                near = _closest(_as_text(value), all_names, near_miss["fuzzy_cutoff"])
                if near is not None and fuzz.ratio(fold(_as_text(value)), near) >= near_miss["min_ratio"]:
                    f = self.ct.columns[key][all_names[near]]
                    self.add("header-near-miss", sheet, row, col, value, target=self.field_name(f))
                else:
                    self.add("extra-column", sheet, row, col, value)
                continue
            if field_key in columns:
                self.add("duplicate-column", sheet, row, col, value, other=a1(row, columns[field_key]))
                continue
            columns[field_key] = col
        return columns

    def _data_rows(self, sheet: Sheet, header_row: int, columns: dict[str, int]) -> Iterable[tuple[int, dict[str, Any]]]:
        """(row, {column key: raw value}) of every row below the header with a non-blank cell."""
        rows: dict[int, dict[str, Any]] = {}
        wanted = {col: k for k, col in columns.items()}
        for (row, col), cell in sheet.cells.items():
            if row > header_row and col in wanted and not _is_blank(cell.value):
                rows.setdefault(row, {})[wanted[col]] = cell.value
        return sorted(rows.items())

    def _parse_row(self, sheet: Sheet, table: str, row: int, columns: dict[str, int],
                   cells: dict[str, Any]) -> dict[str, Any]:
        """column key -> parsed value (or REJECTED) for every column of the table's contract."""
        return {key: self.parse(Place(sheet, row, columns.get(key)), f, cells.get(key))
                for key, f in self.ct.columns[table].items()}

    # -- Objectives sheet: one row per objective, identified by its key column

    def _read_objectives(self, sheet: Sheet, header_row: int, columns: dict[str, int]) -> dict[int, ObjectiveRow]:
        fields = self.ct.columns["objectives"]
        key = self.ct.role("objectives", "key")
        result: dict[int, ObjectiveRow] = {}
        seen_at: dict[int, int] = {}

        def first_time(number: int, row: int, value: Any) -> bool:
            """Claim `number` for this row; a second row naming it is `duplicate-objective`."""
            if number in seen_at:
                self.add("duplicate-objective", sheet, row, columns[key], value,
                         objective=number, other=a1(seen_at[number], columns[key]))
                return False
            seen_at[number] = row
            return True

        for row, cells in self._data_rows(sheet, header_row, columns):
            if set(cells) == {key}:
                continue  # a template row left as it was: the objective is not reported
            if key not in cells:
                # without its objective the rest of the row means nothing: report only that
                self.parse(Place(sheet, row, columns[key]), fields[key], None)
                continue
            status = next((k for k in self.ct.of_type("objectives", "status") if fields[k].required), None)
            if status is not None and status not in cells:
                # the template says: leave the status empty to not report an objective. Text beside
                # an empty status is then not counted, which the submitter should know.
                number = self.parse(Place(sheet, row, columns[key]), fields[key], cells[key])
                if number is REJECTED or not first_time(number, row, cells[key]):
                    continue
                self._unstatused.add(number)
                filled = [self.field_name(fields[k]) for k in cells if k != key]
                self.add("status-blank-with-text", sheet, row, columns[status], None, objective=number,
                         columns=filled, field=self.field_name(fields[status]))
                continue
            values = self._parse_row(sheet, "objectives", row, columns, cells)
            number = values[key]
            if number is REJECTED or not first_time(number, row, cells[key]):
                continue
            if not _rejects(values):
                result[number] = ObjectiveRow(**values, row=row)
        missing = [n for n in OBJECTIVE_NUMBERS if n not in seen_at or n in self._unstatused]
        if missing:
            self.problems.append(Problem("objective-not-reported", sheet.name, None, missing,
                                         {"objectives": missing, "count": len(missing)}))
        return result

    # -- Practices sheet: one row per practice, mapped to objectives by its list columns

    def _read_practices(self, sheet: Sheet, header_row: int, columns: dict[str, int]) -> list[Practice]:
        name = self.ct.role("practices", "name")
        mapping = self.ct.of_type("practices", "objective_list", "theme_list")
        practices = []
        for row, cells in self._data_rows(sheet, header_row, columns):
            self._practice_rows += 1
            values = self._parse_row(sheet, "practices", row, columns, cells)
            links = [values[k] for k in mapping]
            if mapping and not any(v is REJECTED or v for v in links):
                col = next((columns[k] for k in mapping if k in columns), columns.get(name))
                title = values.get(name)
                self.add("practice-unmapped", sheet, row, col, None if title is REJECTED else title or None, line=row)
            if not _rejects(values):
                practices.append(Practice(**values, row=row))
        return practices

    # -- across sheets

    def _cross_checks(self, rows: dict[int, ObjectiveRow], practices: list[Practice], sheets: dict[str, Sheet]) -> None:
        covered = objective_coverage(rows, practices, self.fw)  # what scoring and explain read too
        sheet = sheets.get("objectives")
        columns = self.columns.get("objectives", {})
        status_col = next((columns[k] for k in self.ct.of_type("objectives", "status") if k in columns), None)
        for number, row in rows.items():
            said = covered[number]
            if said.not_applicable_with_practices:
                titles = [m.practice.title for m in said.practices[:5]]
                self.problems.append(Problem("not-applicable-with-practices", sheet.name,
                                             _first_cell_of_row(sheet, row.row), number,
                                             {"objective": number, "practices": titles}))
            for check in self.ct.row_checks:
                if row.status in check.statuses and not any(str(getattr(row, c) or "").strip() for c in check.columns):
                    col = columns.get(check.columns[0], status_col)
                    self.add(check.code, sheet, row.row, col, None, objective=number,
                             status=self.fw.status(row.status).name(self.lang),
                             columns=[self.field_name(self.ct.columns["objectives"][c]) for c in check.columns])
            if said.contradiction:
                practice = said.decisive.practice
                self.add("status-below-practice", sheet, row.row, status_col, row.status, objective=number,
                         status=self.fw.status(row.status).name(self.lang),
                         practice=practice.title, practice_status=self.fw.status(practice.status).name(self.lang),
                         line=practice.row)


def _rejects(values: dict[str, Any]) -> bool:
    return any(value is REJECTED for value in values.values())


def _first_cell_of_row(sheet: Sheet, row: int) -> str | None:
    cols = [c for (r, c) in sheet.cells if r == row]
    return a1(row, min(cols)) if cols else None


def _principle_letter(item: str) -> str | None:
    """A principle's letter from "f", "(f)", "f)", "Human rights", or "f) Human rights" (the
    form the hints and the template list). A letter followed by another principle's name is
    not understood."""
    folded = fold(item)
    match = _LETTER.match(folded)
    if match:
        return match.group(1)
    named = _principle_names().get(folded)
    if named:
        return named
    match = _LETTERED_NAME.match(folded)
    if match and _principle_names().get(match.group(2).strip()) == match.group(1):
        return match.group(1)
    return None


def _split_list(text: str, most: int | None = None) -> list[str]:
    """The non-empty items of a list cell; with `most`, at most that many (the rest unread)."""
    if most is None:
        return [item.strip() for item in _LIST_SPLIT.split(text) if item.strip()]
    items: list[str] = []
    for piece in _LIST_SPLIT.split(text, maxsplit=4 * most):
        if piece.strip():
            items.append(piece.strip())
            if len(items) >= most:
                break
    return items


@cache
def _principle_choices(lang: str) -> tuple[str, ...]:
    """Every guiding principle as "a) People-centred", for an unknown principle's hint."""
    return tuple(f"{p.letter}) {p.name(lang)}" for p in framework().principles)


def _split_conjunctions(text: str, conjunctions: Iterable[str], joined: Iterable[str] = ()) -> list[str]:
    """`text` split at conjunctions between spaces ("5 and 6", "5 و 6", "5 и 6"), and at those
    written joined to the next reference ("5 و6", "5和6") before a number or a prefix only."""
    pattern = r"\s+(?:" + _alternatives(conjunctions) + r")\s+"
    joined = list(joined)
    if joined:
        ahead = _alternatives(contract().objective_prefixes)
        pattern += r"|\s*(?:" + _alternatives(joined) + rf")\s*(?=\d|(?:{ahead})\s*\d)"
    return [item.strip() for item in re.split(pattern, text, flags=re.IGNORECASE) if item.strip()]


def parse_objective_ref(value: Any, title_cutoff: int | None = None) -> int | None:
    """An objective number from any accepted form, or None.

    5, 5.0, "5", "Objective 5", "Obj. 5", "O5", "Objetivo 5", "Objectif nº 5", "الهدف ٥",
    "目标5", "第5项目标", "Цель № 5", "5 - Regular pathways", or a title/short label in any
    language. `title_cutoff` is the
    contract's objective_title_cutoff unless given.
    """
    if title_cutoff is None:
        title_cutoff = contract().objective_title_cutoff
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and int(value) in OBJECTIVE_NUMBERS:
            return int(value)
        return None
    text = str(value).strip()
    if not text:
        return None
    named = _objective_names().get(fold(text))
    if named is not None:
        return named
    match = _objective_ref_pattern().match(fold(text))
    if match:
        number = int(match.group(1))
        if number not in OBJECTIVE_NUMBERS:
            return None
        rest = (match.group(2) or "").strip()
        if not rest or _names_objective(rest, number, title_cutoff):
            return number
    return None


def _names_objective(text: str, number: int, cutoff: int) -> bool:
    """True when `text` is (close to) the title or short label of objective `number`:
    "5 - Regular pathways" names objective 5; "5 - Remittances" or "7 y O8" do not."""
    folded = fold(text)
    exact = _objective_names().get(folded)
    if exact is not None:
        return exact == number
    objective = framework().objectives[number]
    names = [fold(t) for t in objective.title.values() + objective.label.values()]
    return max(fuzz.token_set_ratio(folded, name) for name in names) >= cutoff
