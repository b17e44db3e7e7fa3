"""The parsed content of one accepted submission: what validation produces, the store keeps
(as JSON) and scoring and reports read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["objectives"] = [asdict(row) for row in self.objectives.values()]
        data["practices"] = [asdict(p) for p in self.practices]
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
    problems: tuple[dict[str, Any], ...]  # the warnings it was accepted with (Problem.to_dict)
    submission: Submission
    review_state: str = "submitted"  # submitted | accepted | returned | withdrawn
    workbook_date: str | None = None  # ISO date the state wrote on the workbook

    @property
    def warning_count(self) -> int:
        return len(self.problems)
