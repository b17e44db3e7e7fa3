"""Validation problems as data: a stable code, a severity, a place, and a message and hint
rendered in the workbook's language from one catalogue (problems.yaml beside this file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gcmtrack.common.assets import load_yaml, package_file
from gcmtrack.common.languages import LANGS

ERROR = "error"
WARNING = "warning"


@cache
def _entries() -> dict[str, dict]:
    return load_yaml(package_file("gcmtrack.intake", "problems.yaml"))


def summary(code: str, lang: str) -> str | None:
    """What a kind of warning means, in `lang`; None for an error or an unknown code."""
    entry = catalogue().get(code, {}).get("summary")
    return (entry.get(lang) or entry["en"]) if entry else None


def phrase(key: str, lang: str) -> str:
    """A shared phrase of the catalogue (an entry whose name starts with "_")."""
    entry = _entries()["_" + key]
    return entry.get(lang) or entry["en"]


@cache
def catalogue() -> dict[str, dict]:
    """code -> {severity, message: {en, es, fr}, hint: {en, es, fr}}, and for warnings
    summary: {en, es, fr}."""
    data = {code: entry for code, entry in _entries().items() if not code.startswith("_")}
    for code, entry in data.items():
        for part in ("message", "hint"):
            missing = [lang for lang in LANGS if lang not in entry.get(part, {})]
            if missing:
                raise ValueError(f"problems.yaml: {code}: {part} has no translation for {missing}")
        if entry.get("severity") not in (ERROR, WARNING):
            raise ValueError(f"problems.yaml: {code}: severity must be error or warning")
        # a warning's summary says what a kind of warning means, with no detail of one case: the
        # report's Annex B gives it once for several warnings of a kind
        missing = [lang for lang in LANGS if entry["severity"] == WARNING and lang not in entry.get("summary", {})]
        if missing:
            raise ValueError(f"problems.yaml: {code}: a warning's summary has no translation for {missing}")
    return data


class _Params(dict):
    """Format mapping that leaves unknown placeholders visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
        templates = catalogue()[self.code][part]
        template = templates.get(lang) or templates["en"]
        params = _Params({k: _display(v) for k, v in self.params.items()})
        params.setdefault("sheet", self.sheet or "")
        params.setdefault("cell", self.cell or "")
        params.setdefault("value", _display(self.value))
        if part == "hint" and self.params.get("closest"):
            template = phrase("did-you-mean", lang) + template
        return template.format_map(params)

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
