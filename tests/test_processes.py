"""Regional processes: memberships as the issue states them, dated membership."""

from __future__ import annotations

import pytest

from gcmtrack.errors import UnknownProcessError
from gcmtrack.reference.processes import get_process, processes


@pytest.mark.parametrize("pid, count", [("RCM", 11), ("CMC", 23), ("SACM", 12), ("MIRPS", 7), ("SICA", 8)])
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


def test_st_martin_ambiguity_is_noted_in_the_data():
    cmc = get_process("CMC")
    sxm = cmc.membership("SXM")
    assert sxm is not None and not sxm.verified and "MAF" in sxm.note


def test_unknown_process():
    with pytest.raises(UnknownProcessError) as err:
        get_process("XYZ")
    assert all(pid in str(err.value) for pid in processes())  # the message lists the known ids
