"""State resolution (codes and names in EN/ES/FR, aliases, ambiguity, suggestions) and positions."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcmtrack.reference.states import states

CODES = sorted(c.alpha_3 for c in pycountry.countries)
NAMES = sorted({(getattr(c, attr), c.alpha_3) for c in pycountry.countries
                for attr in ("name", "official_name", "common_name") if getattr(c, attr, None)})


@pytest.mark.parametrize("text, code", [
    ("St. Lucia", "LCA"), ("Saint Lucia", "LCA"), ("Santa Lucía", "LCA"), ("Sainte-Lucie", "LCA"),
    ("Bahamas, The", "BHS"), ("Curacao", "CUW"), ("Curaçao", "CUW"), ("Belice", "BLZ"),
    ("Estados Unidos", "USA"), ("États-Unis", "USA"), ("USA", "USA"), ("usa", "USA"),
    ("St Kitts and Nevis", "KNA"), ("Turks and Caicos", "TCA"), ("República Dominicana", "DOM"),
    ("Haïti", "HTI"), ("Mexique", "MEX"), ("Bolivia", "BOL"), ("Venezuela", "VEN"),
    ("  trinidad   AND tobago ", "TTO"), ("Cayman Islands", "CYM"),
])
def test_names_resolve(text, code):
    assert states().resolve(text).code == code


def test_ambiguous_name_returns_all_candidates():
    result = states().resolve("St. Martin")
    assert result.code is None and result.ambiguous
    assert result.codes == ("MAF", "SXM")


def test_unknown_name_returns_suggestions_and_no_code():
    result = states().resolve("Jamaika")
    assert result.codes == ()
    assert any("JAM" in s for s in result.suggestions)
    assert states().resolve("Atlantis").code is None


def test_empty_is_unknown():
    assert states().resolve("").codes == ()
    assert states().resolve(None).codes == ()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CODES))
def test_every_iso3_code_resolves_to_itself(code):
    assert states().resolve(code).code == code
    assert states().resolve(code.lower()).code == code


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from(["upper", "lower", "title", "same"]),
       st.sampled_from(["", " ", "  ", "\t"]), st.booleans(), st.booleans())
def test_every_pycountry_name_resolves_with_case_accent_and_spacing_variants(pair, case, pad, strip_accents, double_spaces):
    name, code = pair
    variant = {"upper": name.upper(), "lower": name.lower(), "title": name.title(), "same": name}[case]
    if strip_accents:
        variant = "".join(ch for ch in unicodedata.normalize("NFKD", variant) if not unicodedata.combining(ch))
    if double_spaces:
        variant = variant.replace(" ", "  ")
    assert states().resolve(pad + variant + pad).code == code


def test_territories_are_first_class_and_have_no_vote():
    registry = states()
    for code in ("AIA", "ABW", "CYM", "CUW", "MSR", "SXM", "MAF", "TCA"):
        entity = registry.get(code)
        assert entity.kind == "territory"
        assert registry.position(code).vote == "not_a_member"


def test_un_membership():
    assert sum(1 for e in states().entities.values() if e.un_member) == 193
    assert states().get("VAT").kind == "un_observer_state"


def test_gcm_vote_and_dated_positions():
    registry = states()
    assert registry.position("USA").vote == "against"
    assert registry.position("CHL").vote == "abstained"
    assert registry.position("BLZ").vote == "did_not_vote"
    assert registry.position("MEX").vote == "in_favour"
    brazil_2022 = registry.position("BRA", dt.date(2021, 12, 31))
    assert brazil_2022.vote == "in_favour" and brazil_2022.latest == "withdrew"
    assert registry.position("BRA", dt.date(2026, 1, 1)).latest == "rejoined"
    assert registry.position("BRA", dt.date(2018, 12, 31)).latest is None
    assert registry.position("DOM").latest == "declined"
