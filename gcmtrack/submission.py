"""The parsed content of one accepted submission: what validation produces, the store keeps
(as JSON) and scoring and reports read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import copy
from dataclasses import dataclass, field, fields
from typing import Any

from gcmtrack.common.catalogue import catalogue, fill
from gcmtrack.reference.framework import Framework


@dataclass(frozen=True)
class ObjectiveRow:
    """One row of the Objectives sheet: a field per column of the contract, and the row."""

    objective: int
    status: str  # a key of objectives/statuses.yaml
    measures: str = ""
    evidence: str = ""
    partners: str = ""
    principles: tuple[str, ...] = ()  # principle letters a-j
    row: int = 0  # the row number the user sees


def practice_name(state: str, number: int, sheet: str, row: int) -> str:
    """The one name of a practice in `explain`, the report and the export: "CAN practice 2
    (Practices, row 3)": the state, its position among the state's practices (the report's
    catalogue number) and where it stands in the workbook. The report writes the same pattern
    in its languages (report catalogue)."""
    return f"{state} practice {number} ({sheet}, row {row})" if row else f"{state} practice {number}"


@dataclass(frozen=True)
class Practice:
    """One row of the Practices sheet: a field per column of the contract, and the row."""

    title: str
    status: str
    description: str = ""
    objectives: tuple[int, ...] = ()  # named explicitly
    themes: tuple[str, ...] = ()  # theme keys
    start_year: int | None = None
    partners: str = ""
    link: str = ""
    principles: tuple[str, ...] = ()
    row: int = 0

    def mapped_objectives(self, framework: Framework) -> tuple[int, ...]:
        """Objectives this practice counts for: those it names plus those of its themes."""
        numbers = set(self.objectives)
        for theme in framework.themes:
            if theme.key in self.themes:
                numbers.update(theme.objectives)
        return tuple(sorted(numbers))


def _flat(row) -> dict[str, Any]:
    """A row dataclass of plain values as a dict (its tuples stay tuples, as asdict() keeps them)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}

# What a stored version was made from (store/events.py Kind has the same values).
WORKBOOK = "workbook"
NARRATIVE = "narrative"


@dataclass(frozen=True)
class Quote:
    """A passage of a narrative review that a person confirmed for an objective: the text in
    full, where it is (page and paragraph for a PDF, paragraph for a DOCX) and its heading path."""

    objective: int
    passage: int  # the passage's number in the document
    paragraph: int
    text: str
    page: int | None = None
    headings: tuple[str, ...] = ()
    lang: str | None = None

    @property
    def location(self) -> dict[str, int | None]:
        return {"page": self.page, "paragraph": self.paragraph}


def location_text(page: int | None, paragraph: int) -> str:
    """Where a passage is, in English for explain and the export: "page 4, paragraph 2" or
    "paragraph 12" (a DOCX has no pages). The report writes the same in its languages."""
    return f"page {page}, paragraph {paragraph}" if page else f"paragraph {paragraph}"


@dataclass(frozen=True)
class Submission:
    """The content of one workbook that passed validation: a field per label and per table of
    the contract (tests/test_contract.py checks both ways), its language and extras."""

    state: str
    cycle: int
    lang: str
    objectives: dict[int, ObjectiveRow]
    practices: tuple[Practice, ...] = ()
    period: str = ""
    institution: str = ""
    email: str = ""
    date: str | None = None  # ISO date
    template_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """WORKBOOK, or NARRATIVE for what a person confirmed of a narrative review."""
        return self.extra.get("kind", WORKBOOK)

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """A narrative's confirmed passages, by objective then position (none for a workbook)."""
        found = [Quote(**{**raw, "headings": tuple(raw.get("headings", ()))}) for raw in self.extra.get("quotes", ())]
        return tuple(sorted(found, key=lambda q: (q.objective, q.passage)))

    def quotes_for(self, objective: int) -> tuple[Quote, ...]:
        return tuple(q for q in self.quotes if q.objective == objective)

    def to_json(self) -> dict[str, Any]:
        # field by field (the rows hold only text, numbers and tuples of them): what asdict()
        # gives, without its deep copies, which cost more than validating on a busy portal
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["extra"] = copy.deepcopy(self.extra)
        data["objectives"] = [_flat(row) for row in self.objectives.values()]
        data["practices"] = [_flat(p) for p in self.practices]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Submission":
        objectives = {}
        for raw in data.get("objectives", []):
            row = ObjectiveRow(**{**raw, "principles": tuple(raw.get("principles", ()))})
            objectives[row.objective] = row
        practices = tuple(
            Practice(**{**raw,
                        "objectives": tuple(raw.get("objectives", ())),
                        "themes": tuple(raw.get("themes", ())),
                        "principles": tuple(raw.get("principles", ()))})
            for raw in data.get("practices", [])
        )
        return cls(
            state=data["state"], cycle=int(data["cycle"]), lang=data.get("lang", "en"),
            objectives=objectives, practices=practices,
            period=data.get("period", ""), institution=data.get("institution", ""),
            email=data.get("email", ""), date=data.get("date"),
            template_version=data.get("template_version"), extra=data.get("extra", {}),
        )


@dataclass(frozen=True)
class StoredSubmission:
    """One stored version of a state's submission for a cycle, as the store keeps it."""

    id: int
    state: str
    cycle: int
    version: int  # 1 for the state's first accepted file of the cycle, 2 for the next, …
    filename: str
    sha256: str
    ingested_at: str  # ISO 8601, UTC, e.g. "2026-03-02T14:05:09Z"
    template_version: str | None
    problems: tuple[dict[str, Any], ...]  # the warnings it was accepted with (Problem.to_dict), in its language
    submission: Submission
    review_state: str = "submitted"  # submitted | accepted | returned | withdrawn
    workbook_date: str | None = None  # ISO date the state wrote on the workbook
    # the same warnings as the store keeps them (Problem.to_stored), to show in another language;
    # None: `problems` is all there is
    problem_data: tuple[dict[str, Any], ...] | None = None
    kind: str = WORKBOOK  # or NARRATIVE

    @property
    def is_narrative(self) -> bool:
        return self.kind == NARRATIVE

    @property
    def warning_count(self) -> int:
        return len(self.problems)

    def warnings(self, lang: str) -> list[dict[str, Any]]:
        """Its warnings (Problem.to_dict form) in the reader's language `lang`."""
        return render_problems(self.problems if self.problem_data is None else self.problem_data, lang)


# --------------------------------------------------------------------------- problems, stored

# A problem is stored as data, {severity, code, sheet, cell, value, params}, and rendered where it
# is shown, in the reader's language, from the problems catalogue (Problem in intake/problems.py
# makes them). A version stored before that keeps its rendered `message` and `hint` when its
# parameters could not be recovered (store migration 0004): those are shown as they are.


def problem_text(code: str, part: str, lang: str, params: Mapping[str, Any] | None = None,
                 sheet: str | None = None, cell: str | None = None, value: Any = None) -> str:
    """The `part` ("message" or "hint") of a problem in `lang`; {sheet}, {cell} and {value} come
    from its place unless its params give them. KeyError for a code the catalogue lacks."""
    params = params or {}
    texts = catalogue("problems", lang)
    template = texts.text(f"{code}.{part}")
    if part == "hint" and "suggestions" in params and params["suggestions"] in ("-", "", [], None) \
            and f"{code}.hint_none" in texts:
        template = texts.text(f"{code}.hint_none")  # no close match: never "Closest matches: -."
    shown = {k: display_value(v) for k, v in params.items()}
    shown.setdefault("sheet", sheet or "")
    shown.setdefault("cell", cell or "")
    shown.setdefault("value", display_value(value))
    if part == "hint" and params.get("closest"):
        template = texts.text("did-you-mean") + template
    return fill(template, shown)


def render_problem(problem: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A stored problem as shown (severity, code, sheet, cell, value, message, hint) in `lang`."""
    code = str(problem.get("code", ""))
    texts = {}
    for part in ("message", "hint"):
        if part in problem:  # kept as it was written (stored before problems were data)
            texts[part] = problem[part]
            continue
        try:
            texts[part] = problem_text(code, part, lang, problem.get("params"), problem.get("sheet"),
                                       problem.get("cell"), problem.get("value"))
        except KeyError:  # a code no longer in the catalogue
            texts[part] = ""
    return {"severity": problem.get("severity"), "code": code, "sheet": problem.get("sheet"),
            "cell": problem.get("cell"), "value": problem.get("value"), **texts}


def render_problems(problems: Iterable[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [render_problem(problem, lang) for problem in problems]


def display_value(value: Any) -> str:
    """A value as a problem's text shows it: lists joined, long texts cut at 120 characters."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def json_value(value: Any) -> Any:
    """A value as a stored problem keeps it (JSON)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)
