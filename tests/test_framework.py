"""The GCM framework data: what it holds, and that loading rejects inconsistent data."""

from __future__ import annotations

import pytest

from gcmtrack.errors import DataError, UnknownEditionError
from gcmtrack.reference.framework import framework, load_framework
from gcmtrack.reference.processes import load_processes
from gcmtrack.reference.states import load_states
from tests.conftest import edit

SEED_003_ROUND_TABLES = {
    1: (2, 5, 6, 12, 18),
    2: (4, 8, 9, 10, 11, 13, 21),
    3: (14, 15, 16, 19, 20, 22),
    4: (1, 3, 7, 17, 23),
}


def test_23_objectives_with_titles_labels_and_187_actions():
    fw = framework()
    assert list(fw.objectives) == list(range(1, 24))
    assert sum(len(o.actions) for o in fw.objectives.values()) == 187
    assert fw.objectives[5].label("en") == "Regular pathways"
    assert fw.objectives[20].label("es") == "Remesas"
    assert fw.objectives[20].label("fr") == "Envois de fonds"
    assert fw.objectives[1].title("fr").startswith("Collecter et utiliser des données précises et ventilées")
    assert fw.objectives[1].title("es").startswith("Recopilar y utilizar datos exactos y desglosados")
    assert [a.letter for a in fw.objectives[22].actions] == ["a", "b", "c"]


def test_2022_round_tables_are_those_of_seed_003():
    edition = framework().edition(2022)
    assert edition.status == "confirmed"
    assert {t.number: t.objectives for t in edition.round_tables} == SEED_003_ROUND_TABLES


def test_2026_is_provisional_and_2030_planned():
    assert framework().edition(2026).status == "provisional"
    assert framework().edition(2030).status == "planned"
    with pytest.raises(UnknownEditionError):
        framework().edition(2024)


def test_principles_statuses_and_themes():
    fw = framework()
    assert [p.letter for p in fw.principles] == list("abcdefghij")
    assert fw.principles[7].name("es") == "Perspectiva infantil"
    assert fw.weights == {"implemented": 1.0, "in_progress": 0.5, "planned": 0.25, "not_started": 0.0,
                          "not_applicable": None}
    labour = next(t for t in fw.themes if t.name("en") == "Labour migration")
    assert labour.objectives == (5, 6)


# ----------------------------------------------------------------- load-time checks


def test_objective_24_in_a_round_table_names_file_and_entry(data_copy):
    edit(data_copy / "objectives/editions.yaml", "{number: 4, objectives: [1, 3, 7, 17, 23]}",
         "{number: 4, objectives: [1, 3, 7, 17, 23, 24]}")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert err.value.file == "editions.yaml"
    assert "round table 4" in err.value.entry and "24" in str(err.value)


def test_round_tables_missing_an_objective(data_copy):
    edit(data_copy / "objectives/editions.yaml", "{number: 1, objectives: [2, 5, 6, 12, 18]}",
         "{number: 1, objectives: [2, 5, 6, 12]}")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert err.value.file == "editions.yaml" and "edition 2022" in err.value.entry
    assert "[18]" in str(err.value)


def test_round_tables_repeating_an_objective(data_copy):
    edit(data_copy / "objectives/editions.yaml", "{number: 1, objectives: [2, 5, 6, 12, 18]}",
         "{number: 1, objectives: [2, 5, 6, 12, 18, 23]}")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert "objective 23 is already in round table 1" in str(err.value)


def test_theme_naming_no_objective(data_copy):
    edit(data_copy / "objectives/themes.yaml", "{key: diaspora, objectives: [19],", "{key: diaspora, objectives: [],")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert err.value.file == "themes.yaml" and err.value.entry == "theme diaspora"


def test_missing_translation(data_copy):
    edit(data_copy / "objectives/principles.yaml", "es: Perspectiva infantil, ", "")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert err.value.file == "principles.yaml" and err.value.entry == "principle h"
    assert "es" in str(err.value)


def test_every_status_has_a_meaning_in_every_language():
    for status in framework().statuses:
        assert all(status.meaning(lang) for lang in ("en", "es", "fr")), status.key
    assert len({s.meaning("en") for s in framework().statuses}) == len(framework().statuses)


@pytest.mark.parametrize("old, new", [
    ('      fr: "Rien n\'a encore été fait ni décidé."\n', ""),
    ("    meaning:\n      en: \"Nothing has", "    meanin:\n      en: \"Nothing has"),
])
def test_status_without_a_meaning(data_copy, old, new):
    edit(data_copy / "objectives/statuses.yaml", old, new)
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert (err.value.file, err.value.entry) == ("statuses.yaml", "status not_started")


def test_status_key_given_twice(data_copy):
    edit(data_copy / "objectives/statuses.yaml", "key: not_started", "key: planned")
    with pytest.raises(DataError) as err:
        load_framework(data_copy / "objectives")
    assert (err.value.file, err.value.entry) == ("statuses.yaml", "status planned")


def test_unknown_iso_code_in_a_membership_list(data_copy):
    edit(data_copy / "processes/sacm.yaml", "{state: URY,", "{state: XYZ,")
    with pytest.raises(DataError) as err:
        load_processes(data_copy / "processes", load_states(data_copy / "states"))
    assert err.value.file == "sacm.yaml" and "SACM members" in err.value.entry and "XYZ" in str(err.value)


def test_unknown_iso_code_in_an_observer_list(data_copy):
    edit(data_copy / "processes/rcm.yaml", "{state: ARG, source: rcm}", "{state: ARX, source: rcm}")
    with pytest.raises(DataError) as err:
        load_processes(data_copy / "processes", load_states(data_copy / "states"))
    assert err.value.file == "rcm.yaml" and "observers" in err.value.entry


def test_unknown_code_in_the_vote(data_copy):
    edit(data_copy / "states/gcm-positions.yaml", "states: [CZE,", "states: [CZX,")
    with pytest.raises(DataError) as err:
        load_states(data_copy / "states")
    assert err.value.file == "gcm-positions.yaml"


def test_adding_a_process_is_adding_a_file(data_copy):
    (data_copy / "processes/budapest.yaml").write_text(
        "id: BP\nname: {en: Budapest Process, es: Proceso de Budapest, fr: Processus de Budapest, ar: عملية بودابست,"
        " zh: 布达佩斯进程, ru: Будапештский процесс, pt: Processo de Budapeste}\n"
        "acronym: {en: BP, es: PB, fr: PB, ar: BP, zh: BP, ru: BP, pt: PB}\nkind: irf\nestablished: 1993\nlanguages: [en]\n"
        "members: [{state: HUN, source: a citation}, {state: TUR, unverified: true}]\n", encoding="utf-8")
    table = load_processes(data_copy / "processes", load_states(data_copy / "states"))
    assert table["BP"].members(2026) == ("HUN", "TUR")


def test_the_forum_is_named_once_where_it_has_no_acronym():
    from gcmtrack.reference.framework import framework

    forum = framework().edition(2026).forum
    assert forum.full_name("en") == "International Migration Review Forum (IMRF)"
    assert forum.full_name("ru").endswith("(МФОМ)")
    for lang in ("ar", "zh", "pt"):  # their texts write the forum's name in full
        assert not forum.has_acronym(lang) and forum.full_name(lang) == forum.name(lang)
