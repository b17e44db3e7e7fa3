"""Ingest: validate files and store each valid one as a new version (one transaction per file).

Sits above the intake (which checks a workbook) and the store (which keeps it): the store
receives a parsed submission and its warnings as data and never sees the validator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from gcmtrack.common.files import WORKBOOK_SUFFIXES, expand_paths  # noqa: F401 - their home is common/files.py
from gcmtrack.intake.problems import Problem
from gcmtrack.intake.validate import FileResult, display_name, validate_bytes, validate_path
from gcmtrack.service.deadlines import late_warning
from gcmtrack.store import IngestOutcome, Store
from gcmtrack.store.events import Action


@dataclass
class IngestResult:
    """One file's verdict and, when it was stored, where."""

    result: FileResult
    outcome: IngestOutcome | None  # None: rejected
    window: Any = None  # ingest_files: the deadline rule's answer when it is worth a warning

    @property
    def accepted(self) -> bool:
        return self.outcome is not None

    @property
    def duplicate(self) -> bool:
        return bool(self.outcome and self.outcome.duplicate)

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict()
        data["accepted"] = self.accepted
        data["submission_id"] = self.outcome.submission_id if self.outcome else None
        data["duplicate"] = self.duplicate
        if self.outcome:
            data["version"] = self.outcome.version
        return data


@dataclass
class IngestReport:
    """The verdict on a batch: `valid` when every file was accepted."""

    files: list[IngestResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(f.accepted for f in self.files)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "accepted": sum(1 for f in self.files if f.accepted and not f.duplicate),
            "duplicates": sum(1 for f in self.files if f.duplicate),
            "rejected": sum(1 for f in self.files if not f.accepted),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "files": [f.to_dict() for f in self.files]}


def store_result(store: Store, result: FileResult, data: bytes | None, filename: str, *,
                 actor: str | None = None, action: str = Action.INGEST, uploaded_by: int | None = None,
                 review_state: str = "submitted") -> IngestResult:
    """Store a validated file when it is valid; a rejected file stores nothing. A version dated
    earlier than the one that counts gets the `older-than-current` warning, kept with it."""
    outcome = None
    if result.valid and result.submission is not None and data is not None:
        made: list[Problem] = []

        def older(date: str, current_date: str, current_version: int) -> dict:
            problem = Problem("older-than-current", None, None, date,
                              {"date": date, "current_date": current_date, "current_version": current_version})
            made.append(problem)
            return problem.to_stored()

        warnings = [p.to_stored() for p in result.problems]
        outcome = store.add(data, filename, result.submission, warnings, actor=actor, action=action,
                            uploaded_by=uploaded_by, older_warning=older, review_state=review_state)
        if outcome.warnings:
            result.problems.extend(made[-len(outcome.warnings):])
    result.raw = None  # the cells are no longer needed: keeps a large batch in bounded memory
    return IngestResult(result, outcome)


def ingest_bytes(store: Store, data: bytes, filename: str, **who: Any) -> IngestResult:
    """Validate and store the bytes of one workbook (an upload); `who` as for store_result."""
    return store_result(store, validate_bytes(data, filename), data, Path(filename).name, **who)


def ingest_files(store: Store, files: Iterable[Path],
                 on_file: Callable[[IngestResult], None] | None = None) -> IngestReport:
    """Validate and store each file in turn (one transaction per file). The command line is
    staff's own tool (earlier cycles, files received by other means, agreed extensions): a
    file for a cycle the portal would refuse is stored, and `window` says why it is worth a
    warning; a late file under a `warn` policy gets the late-upload warning, as an upload."""
    from gcmtrack.service.deadlines import ingest_window

    report = IngestReport()
    for path in files:
        result, data = validate_path(path)
        window = ingest_window(store, result.state, result.cycle) if result.valid else None
        late = late_warning(window, result.cycle_at) if window is not None else None
        if late is not None:
            result.problems.append(late)
        item = store_result(store, result, data, display_name(path.name))
        item.window = window
        report.files.append(item)
        if on_file:
            on_file(item)
    return report
