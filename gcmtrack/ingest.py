"""Ingest files and folders into the store: validate each file, store each valid one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from gcmtrack.intake.validate import FileResult, validate_path
from gcmtrack.store import IngestOutcome, Store

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class IngestResult:
    result: FileResult
    outcome: IngestOutcome | None  # None: rejected

    @property
    def accepted(self) -> bool:
        return self.outcome is not None

    def to_dict(self) -> dict:
        data = self.result.to_dict()
        data["accepted"] = self.accepted
        data["submission_id"] = self.outcome.submission_id if self.outcome else None
        data["duplicate"] = bool(self.outcome and self.outcome.duplicate)
        if self.outcome:
            data["version"] = self.outcome.version
        return data


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders replaced by their .xlsx/.xlsm files (recursively, sorted by name).
    Office lock files (~$name.xlsx) are skipped."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                     and not p.name.startswith("~$")]
            files.extend(sorted(found, key=lambda p: str(p.relative_to(path)).casefold()))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def ingest_files(store: Store, files: Iterable[Path],
                 on_file: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
    """Validate and store each file in turn (one transaction per file). A rejected file stores nothing."""
    results = []
    for path in files:
        result, data = validate_path(path)
        outcome = store.ingest(data, path.name, result) if result.valid and data is not None else None
        result.raw = None  # the cells are no longer needed: keeps a large batch in bounded memory
        item = IngestResult(result, outcome)
        results.append(item)
        if on_file:
            on_file(item)
    return results
