"""Shared fixtures: copies of the reference data to edit, and small workbook builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gcmtrack.common.assets import data_dir


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of objectives/, processes/ and states/ under tmp_path."""
    for name in ("objectives", "processes", "states"):
        shutil.copytree(data_dir(name), tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
