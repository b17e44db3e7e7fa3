"""Validation problems as data: a stable code, a severity, a place, and a message and hint
rendered in the reader's language from the problems catalogue (gcmtrack/common/catalogue.py;
the codes and their severities in problems.yaml beside this file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.catalogue import catalogue as _catalogue
from gcmtrack.submission import json_value, problem_text, render_problem

ERROR = "error"
WARNING = "warning"


def summary(code: str, lang: str) -> str | None:
    """What a kind of warning means, in `lang`; None for an error or an unknown code."""
    key = f"{code}.summary"
    entries = _catalogue("problems", lang)
    return entries.keys[key] if key in entries else None


def phrase(key: str, lang: str) -> str:
    """A shared phrase: "did-you-mean" of the problems catalogue, or "cli-<key>" of the
    command line's."""
    if key.startswith("cli-"):
        return _catalogue("cli", lang).text(key[len("cli-"):])
    return _catalogue("problems", lang).text(key)


@cache
def catalogue() -> dict[str, dict]:
    """code -> {severity} of every problem code (problems.yaml); its texts are in the problems
    catalogue, which tests/test_catalogues.py checks is complete."""
    data = load_yaml(package_file("gcmtrack.intake", "problems.yaml"))
    for code, severity in data.items():
        if severity not in (ERROR, WARNING):
            raise ValueError(f"problems.yaml: {code}: severity must be error or warning")
    return {code: {"severity": severity} for code, severity in data.items()}


@dataclass
class Problem:
    """One problem of a workbook. `cell` is an A1 reference as Excel shows it, or None."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    severity: str | None = None  # None: the catalogue's default

    def __post_init__(self) -> None:
        entry = catalogue().get(self.code)
        if entry is None:
            raise KeyError(f"problem code {self.code!r} is not in problems.yaml")
        if self.severity is None:
            self.severity = entry["severity"]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "en") -> str:
        return problem_text(self.code, "message", lang, self.params, self.sheet, self.cell, self.value)

    def hint(self, lang: str = "en") -> str:
        return problem_text(self.code, "hint", lang, self.params, self.sheet, self.cell, self.value)

    def to_stored(self) -> dict[str, Any]:
        """The problem as data, as the store keeps it: rendered where it is shown
        (submission.render_problem), in the reader's language."""
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": json_value(self.value),
            "params": {key: json_value(value) for key, value in self.params.items()},
        }

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return render_problem(self.to_stored(), lang)

    def sort_key(self) -> tuple:
        from gcmtrack.intake.cells import cell_sort_key

        return (self.sheet or "", cell_sort_key(self.cell), self.code)

