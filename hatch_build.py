"""Build hook: compile the gettext catalogues (gcmtrack/locale/*/LC_MESSAGES/*.po) to .mo when
the package is built, for a wheel and for an editable install alike (`pip install -e .`).
The .mo files are not kept in the repository; gcmtrack/common/catalogue.py compiles a missing
or stale one on first use, so a source checkout works too."""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueBuildHook(BuildHookInterface):
    PLUGIN_NAME = "catalogues"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from gcmtrack.common.catalogue import compile_all
        finally:
            sys.path.remove(str(root))
        for mo in compile_all(root / "gcmtrack" / "locale"):
            build_data["artifacts"].append(mo.relative_to(root).as_posix())  # git-ignored, yet packaged
