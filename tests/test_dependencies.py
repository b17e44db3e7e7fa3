"""What the dependencies are for, checked: defusedxml guards openpyxl should a submission's XML
ever reach it (the annotated copy is written from gcmtrack's own reader, not read by openpyxl),
the CLI needs no test or analysis library at run time, and `validate` loads neither Django nor
openpyxl."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.builders import build_workbook

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_annotating_refuses_entities_in_a_sheet():
    """The reader refuses DTDs before annotate ever runs; this checks the second line of
    defence, should a file reach openpyxl some other way: openpyxl (through defusedxml)
    refuses to parse it, and the annotated copy holds the problem list alone."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    from gcmtrack.intake.annotate import annotate

    source = build_workbook(state="MEX")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = BILLION_LAUGHS + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            zout.writestr(item, data)
    hostile = out.getvalue()
    with pytest.raises(ValueError) as refused:  # openpyxl wraps what defusedxml raised
        load_workbook(io.BytesIO(hostile))
    assert isinstance(refused.value.__context__, DefusedXmlException)
    copy = load_workbook(io.BytesIO(annotate(hostile, [], "en")))
    assert len(copy.sheetnames) == 1 and "Submission" not in copy.sheetnames


def test_the_cli_imports_no_test_or_analysis_library():
    code = ("import sys, gcmtrack.cli, gcmtrack.cli.outputs; "
            "print(sorted(m for m in ('pandas', 'hypothesis', 'pytest') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# A cold command imports only what it uses: validating loads no database layer and no workbook
# library (the safe reader is gcmtrack's own); only --annotate writes a workbook with openpyxl.
_RUN_VALIDATE = """
import contextlib, io, sys
from gcmtrack.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:], prog_name="gcmtrack")
    except SystemExit:
        pass
# the store's vocabulary (gcmtrack.store.events: roles for --role) is plain enums; its code is not
heavy = ("django", "openpyxl", "numpy", "gcmtrack.store.api", "gcmtrack.store.database", "gcmtrack.portal",
         "gcmtrack.intake.annotate", "gcmtrack.service")
print(sorted(m for m in heavy if m in sys.modules))
"""


def _modules_after(*args: str) -> list[str]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", _RUN_VALIDATE, *args], capture_output=True, text=True, check=True,
                         cwd=root, env=env).stdout
    return eval(out.strip().splitlines()[-1])  # noqa: S307 - our own printed list of names


def test_validate_loads_neither_django_nor_openpyxl(tmp_path):
    sample = "submissions/bhs-2026.xlsx"  # valid, with a warning
    assert _modules_after("validate", sample) == []
    assert _modules_after("validate", "--json", sample) == []
    # the check sees them when they are there: annotating does write with openpyxl
    annotated = _modules_after("validate", sample, "--annotate", str(tmp_path / "checked.xlsx"))
    assert "openpyxl" in annotated and "gcmtrack.intake.annotate" in annotated
    assert "django" not in annotated and "gcmtrack.store.api" not in annotated
