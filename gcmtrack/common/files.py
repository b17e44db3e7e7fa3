"""Files: the workbooks named on a command line (folders opened), and output files written
whole or not at all (a temporary file beside the target, then a rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders replaced by their .xlsx/.xlsm files (recursively, sorted by name).
    Office lock files (~$name.xlsx) are skipped."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # is_file() follows links and is False for FIFOs and devices: they are never opened
            found = [p for p in path.rglob("*") if p.suffix.lower() in WORKBOOK_SUFFIXES
                     and not p.name.startswith("~$") and p.is_file()]
            files.extend(sorted(found, key=lambda p: str(p.relative_to(path)).casefold()))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else
    by setting and restoring it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees either the old file or the new one, never a part.
    The file gets the mode any new file of the user gets (0666 less the umask): mkstemp's
    temporary file is private (0600), which a report or an export must not stay."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
