"""Regional processes: memberships as the issue states them, dated membership."""

from __future__ import annotations

import pytest

from gcmtrack.errors import UnknownProcessError
from gcmtrack.reference.processes import get_process, processes


@pytest.mark.parametrize("pid, count", [("RCM", 11), ("CMC", 23), ("SACM", 12), ("MIRPS", 7), ("SICA", 8),
                                        ("SODERKOPING", 14), ("AFRICA-EU", 54 + 27), ("ACP-EU", 79 + 27),
                                        ("IGC", 19), ("ECE", 56), ("ESCAP", 53 + 9), ("MIDCAS", 10),
                                        ("PAFOM", 54)])
def test_member_counts_for_2026(pid, count):
    assert len(get_process(pid).members(2026)) == count


def test_every_process_has_names_in_three_languages():
    for process in processes().values():
        assert all(process.name(lang) for lang in ("en", "es", "fr"))
    assert get_process("rcm").acronym("es") == "CRM"


def test_membership_is_dated():
    sica = get_process("SICA")
    assert "DOM" in sica.members(2022)
    assert "DOM" not in sica.members(2010)
    assert len(sica.members(2010)) == 7


def test_soderkoping_process_participants_and_years():
    process = get_process("SODERKOPING")
    assert process.kind == "rcp" and process.established == 2001
    assert {"LTU", "POL", "UKR", "SWE", "GEO", "ARM"} <= set(process.members(2026))
    assert set(process.members(2001)) == {"BLR", "LTU", "POL", "UKR", "ARM", "AZE", "SWE"}  # three undated
    assert "GEO" not in process.members(2010)
    assert not process.membership("BLR").verified  # suspended its Eastern Partnership participation in 2021
    assert sum(not m.verified for m in process.memberships) == 1


def test_africa_eu_is_every_au_and_eu_member_state_with_an_iso_code():
    process = get_process("AFRICA-EU")
    members = set(process.members(2026))
    assert {"MAR", "SSD", "EGY", "ZAF", "DEU", "HRV", "SWE"} <= members
    assert not {"GBR", "ESH", "NOR", "CHE"} & members  # left the EU; SADR has no ISO code; not EU members
    african = {m.state for m in process.memberships if m.source.startswith("African Union")}
    assert african == set(get_process("ECA").members(2026))  # the AU's members are the African UN members + SADR
    eu = members - african
    assert len(eu) == 27 and eu < set(get_process("ACP-EU").members(2026))
    assert all(m.verified for m in process.memberships)


def test_acp_eu_is_the_oacps_and_eu_member_states():
    process = get_process("ACP-EU")
    members = set(process.members(2026))
    assert {"JAM", "COD", "COG", "TLS", "COK", "NIU", "ZAF", "FRA"} <= members
    assert not {"MAR", "DZA", "EGY", "TUN", "LBY", "GBR"} & members  # North Africa is not ACP
    assert [m.state for m in process.memberships if not m.verified] == ["CUB"]  # no Cotonou signature


def test_midcas_is_the_eccas_member_states_with_rwanda_dated_and_unverified():
    process = get_process("MIDCAS")
    assert process.kind == "rcp" and process.established == 2012
    assert {"CMR", "COD", "GAB", "STP", "AGO", "TCD"} <= set(process.members(2026))
    assert "RWA" not in process.members(2026)  # withdrawal from ECCAS announced on 7 June 2025
    assert set(process.members(2022)) - set(process.members(2026)) == {"RWA"}  # readmitted to ECCAS in 2015
    rwanda = process.membership("RWA")
    assert (rwanda.since, rwanda.until, rwanda.verified) == (2015, 2025, False)
    assert [m.state for m in process.memberships if not m.verified] == ["RWA"]
    assert any("ECCAS" in note and "organisation's membership" in note for note in process.notes)
    assert set(process.members(2026)) < set(get_process("ECA").members(2026))


def test_pafom_is_every_au_member_state_with_an_iso_code():
    process = get_process("PAFOM")
    assert process.kind == "irf" and process.established == 2015
    members = set(process.members(2026))
    assert members == set(get_process("ECA").members(2026))  # the AU's members are the African UN members + SADR
    african = {m.state for m in get_process("AFRICA-EU").memberships if m.source.startswith("African Union")}
    assert members == african and "ESH" not in members
    assert "MAR" not in process.members(2015) and len(process.members(2015)) == 53  # rejoined the AU in 2017
    assert all(m.verified for m in process.memberships)
    assert any("African Union member states" in note for note in process.notes)


def test_regional_commission_reviews_are_checked_and_igc_19th_is_unverified():
    assert all(m.verified for pid in ("ECE", "ESCAP") for m in get_process(pid).memberships)
    assert [m.state for m in get_process("IGC").memberships if not m.verified] == ["FRA"]


def test_st_martin_ambiguity_is_noted_in_the_data():
    cmc = get_process("CMC")
    sxm = cmc.membership("SXM")
    assert sxm is not None and not sxm.verified and "MAF" in sxm.note


def test_unknown_process():
    with pytest.raises(UnknownProcessError) as err:
        get_process("XYZ")
    assert all(pid in str(err.value) for pid in processes())  # the message lists the known ids


def test_processes_of_a_state_is_the_scan_of_every_membership():
    from gcmtrack.reference.processes import processes, processes_of
    from gcmtrack.reference.states import states

    table = processes()
    codes = sorted(states().entities)
    for cycle in (None, 2018, 2022, 2026):
        for code in codes:
            scanned = tuple(p.id for p in table.values()
                            if any(m.state == code and (cycle is None or m.active_in(cycle)) for m in p.memberships))
            assert processes_of(code, cycle) == scanned, (code, cycle)
    assert processes_of("JAM", 2026) and processes_of("XXX") == ()
