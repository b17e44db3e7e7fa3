"""Every workbook made by filling in a generated template ingests with nothing lost: each text
cell is stored whole (long and non-Latin text included)."""

from __future__ import annotations

import io
import re

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcmtrack.reference.framework import framework
from gcmtrack.intake.contract import contract
from gcmtrack.intake.template import write_template
from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.intake.validate import validate_bytes
from gcmtrack.store import Store

# "_x000D_" is how OOXML escapes a character; openpyxl writes such text unescaped, so it
# cannot round-trip through openpyxl (Excel escapes it as "_x005F_x000D_").
ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
FW = framework()
CT = contract()

# Text a person can type in a cell. XML 1.0 cannot carry most control characters, and a lone
# carriage return is normalised to a line feed by every XML parser, so both are left out.
typed_char = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="\r\ufffe\uffff") \
    | st.sampled_from("\n\t")
free_text = st.one_of(
    st.text(typed_char, min_size=1, max_size=60),
    st.sampled_from(["Programa de Reintegración — 重返社会 — إعادة الإدماج", "Kreyòl: pwogram pou migran yo",
                     "=SUM(A1:A2) is text here", "+ plus and - minus", "@mention"]),
    st.integers(2_000, 32_000).map(lambda n: ("Mesures détaillées, étape par étape. 移民. " * (n // 40 + 1))[:n]),
).filter(lambda s: s.strip() and not ESCAPE.search(s))


def _put(ws, row, col, value):
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"


def _header(ws, sheet_key, lang):
    """(header row, {field key: column}) of a template sheet."""
    names = {f.names[lang]: k for k, f in CT.columns[sheet_key].items()}
    for row in ws.iter_rows(min_row=1, max_row=10):
        found = {names[c.value]: c.column for c in row if c.value in names}
        if len(found) >= 2:
            return row[0].row, found
    raise AssertionError("no header row in the template")


filling = st.fixed_dictionaries({
    "lang": st.sampled_from(["en", "es", "fr"]),
    "state": st.sampled_from(["MEX", "JAM", "HTI", "ARG", "CUW", "LCA"]),
    "rows": st.dictionaries(st.integers(1, 23), st.tuples(
        st.sampled_from([s.key for s in FW.statuses]), free_text, free_text, free_text), min_size=1, max_size=23),
    "practices": st.lists(st.tuples(free_text, free_text, st.sets(st.integers(1, 23), min_size=1, max_size=3),
                                    st.sampled_from([s.key for s in FW.statuses]), free_text), max_size=4),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(filling)
def test_filled_template_ingests_with_nothing_lost(tmp_path_factory, fill):
    lang = fill["lang"]
    wb = openpyxl.load_workbook(io.BytesIO(write_template(fill["state"], 2026, lang)))
    ws = wb[CT.sheets["objectives"].names[lang]]
    header_row, cols = _header(ws, "objectives", lang)
    row_of = {}
    for r in range(header_row + 1, header_row + 24):
        value = ws.cell(r, cols["objective"]).value
        row_of[int(str(value).split()[0])] = r
    for number, (status, measures, evidence, partners) in fill["rows"].items():
        r = row_of[number]
        _put(ws, r, cols["status"], FW.status(status).name(lang))
        _put(ws, r, cols["measures"], measures)
        _put(ws, r, cols["evidence"], evidence)
        _put(ws, r, cols["partners"], partners)
    ps = wb[CT.sheets["practices"].names[lang]]
    p_header, p_cols = _header(ps, "practices", lang)
    for i, (title, description, objectives, status, partners) in enumerate(fill["practices"], start=p_header + 1):
        _put(ps, i, p_cols["title"], title)
        _put(ps, i, p_cols["description"], description)
        _put(ps, i, p_cols["objectives"], ", ".join(map(str, sorted(objectives))))
        _put(ps, i, p_cols["status"], FW.status(status).name(lang))
        _put(ps, i, p_cols["partners"], partners)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()

    result = validate_bytes(data, "filled.xlsx")
    assert result.valid, [(p.code, p.sheet, p.cell, p.value) for p in result.errors]
    db = tmp_path_factory.mktemp("store") / "s.db"
    with Store(str(db)) as store:
        assert ingest_bytes(store, data, "filled.xlsx").accepted
        stored = store.latest(2026)[fill["state"]].submission
        assert store.original(store.latest(2026)[fill["state"]].id) == data
    assert stored.lang == lang
    for number, (status, measures, evidence, partners) in fill["rows"].items():
        row = stored.objectives[number]
        assert (row.status, row.measures, row.evidence, row.partners) == (status, measures, evidence, partners)
    assert len(stored.practices) == len(fill["practices"])
    for practice, (title, description, objectives, status, partners) in zip(stored.practices, fill["practices"]):
        assert practice.title == title.strip()
        assert (practice.description, practice.partners, practice.status) == (description, partners, status)
        assert set(practice.objectives) == objectives
