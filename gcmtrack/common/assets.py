"""Bundled files, found one way (importlib.resources), and the one YAML loader.

Reference data (objectives/, processes/, states/), report templates and sample workbooks
sit beside the package in a source checkout and under ``gcmtrack/_data/`` in a wheel;
package-internal YAML (the workbook contract, the problem catalogue) sits in its package.
Every YAML file is read by :func:`load_yaml`, which turns a missing or malformed file into
the project's DataError naming the file.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from gcmtrack.errors import DataError

DATA_FOLDERS = ("objectives", "processes", "states", "templates", "submissions")


def data_dir(name: str) -> Path:
    """The bundled folder `name` (one of DATA_FOLDERS).

    ``GCMTRACK_DATA_ROOT`` overrides the root (tests load edited copies of the data this way).
    """
    if name not in DATA_FOLDERS:
        raise ValueError(f"no bundled folder {name!r}")
    override = os.environ.get("GCMTRACK_DATA_ROOT")
    if override:
        return Path(override) / name
    package = resources.files("gcmtrack")
    bundled = package / "_data" / name
    if bundled.is_dir():
        return Path(str(bundled))
    return Path(str(package)).parent / name


def package_file(package: str, name: str) -> Traversable:
    """A file shipped inside a gcmtrack package, e.g. ("gcmtrack.intake", "contract.yaml")."""
    return resources.files(package).joinpath(name)


# libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents, parsed
# ten times faster (the reference data is read by every command).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: Path | Traversable, *, mapping: bool = True) -> Any:
    """Parse one YAML file with the safe loader.

    A missing file, invalid YAML, or (with `mapping`) a top level that is not a mapping is a
    DataError naming the file; checks of the entries are the caller's, with the same error.
    """
    file = source.name
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise DataError(file, "(file)", "file is missing") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(file, "(file)", f"not valid YAML: {exc}") from None
    if mapping and not isinstance(data, dict):
        raise DataError(file, "(file)", "expected a mapping at the top level")
    return data
