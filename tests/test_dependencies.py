"""What the dependencies are for, checked: defusedxml guards the one place where a
submission's XML is parsed outside gcmtrack's own reader (openpyxl, when writing an
annotated copy), and the CLI needs no test or analysis library at run time."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

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
