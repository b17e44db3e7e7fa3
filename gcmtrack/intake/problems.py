"""Validation problems as data: a stable code, a severity, a place, and a message and hint
rendered in the reader's language from the problems catalogue (gcmtrack/common/catalogue.py;
the codes and their severities in problems.yaml beside this file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.catalogue import catalogue as _catalogue
from gcmtrack.common.catalogue import fill

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
        return self._render("message", lang)

    def hint(self, lang: str = "en") -> str:
        return self._render("hint", lang)

    def _render(self, part: str, lang: str) -> str:
        template = _catalogue("problems", lang).text(f"{self.code}.{part}")
        params = {k: _display(v) for k, v in self.params.items()}
        params.setdefault("sheet", self.sheet or "")
        params.setdefault("cell", self.cell or "")
        params.setdefault("value", _display(self.value))
        if part == "hint" and self.params.get("closest"):
            template = phrase("did-you-mean", lang) + template
        return fill(template, params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": _json_value(self.value),
            "message": self.message(lang),
            "hint": self.hint(lang),
        }

    def sort_key(self) -> tuple:
        from gcmtrack.intake.cells import cell_sort_key

        return (self.sheet or "", cell_sort_key(self.cell), self.code)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)
