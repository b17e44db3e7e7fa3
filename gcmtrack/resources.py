"""Where the bundled data folders live: in the source tree, or inside an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parent


def data_dir(name: str) -> Path:
    """Return the folder `name` (objectives, processes, states, templates, submissions).

    ``GCMTRACK_DATA_ROOT`` overrides the root (used by tests that load edited copies).
    """
    override = os.environ.get("GCMTRACK_DATA_ROOT")
    if override:
        return Path(override) / name
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _SOURCE_ROOT / name
