"""The store's side of authoring a review (review.md, "Authoring"): texts with versions,
history and diff; featured items flagged stale; stakeholder inputs; indicators; disclosure;
editions marked final. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from gcmtrack.authored import AuthoredReview, IndicatorValue
from gcmtrack.errors import StoreError
from gcmtrack.service.ingest import ingest_bytes
from gcmtrack.store import Store
from gcmtrack.store import authoring as au
from tests.builders import build_workbook


def workbook(state="MEX", measures="m", practice="Ventanilla única"):
    return build_workbook(state=state, objectives=[(n, "Implemented", f"{measures} {n}") for n in range(1, 24)],
                          practices=[{"title": practice, "status": "Implemented", "objectives": "2",
                                      "description": f"{practice}: a long description " + "x" * 400}])


def add(store, data):
    item = ingest_bytes(store, data, "w.xlsx")
    assert item.accepted, [(p.code, p.cell) for p in item.result.errors]
    return item.outcome.submission_id


def test_every_save_is_a_version_with_history_and_diff(db):
    with Store(db) as store:
        one = au.save_text(store, "RCM", 2026, "en", "introduction", None, "First line\nSecond", actor="a@x")
        same = au.save_text(store, "RCM", 2026, "en", "introduction", None, "First line\nSecond", actor="a@x")
        two = au.save_text(store, "RCM", 2026, "en", "introduction", None, "First line\nChanged", actor="b@x")
        assert (one["version"], same["unchanged"], two["version"]) == (1, True, 2)
        history = au.text_history(store, "RCM", 2026, "en", "introduction", None)
        assert [(h["version"], h["author"]) for h in history] == [(1, "a@x"), (2, "b@x")]
        diff = au.text_diff(store, "RCM", 2026, "en", "introduction", None, 1, 2)["diff"]
        assert "-Second" in diff and "+Changed" in diff
        assert au.text_version(store, "RCM", 2026, "en", "introduction", None, 1)["markdown"] == "First line\nSecond"
        au.save_text(store, "RCM", 2026, "en", "synthesis", 2, "Round table two", actor="a@x")
        with pytest.raises(StoreError, match="per round table"):
            au.save_text(store, "RCM", 2026, "en", "synthesis", None, "x")
        with pytest.raises(StoreError, match="once per review"):
            au.save_text(store, "RCM", 2026, "en", "introduction", 1, "x")
        with pytest.raises(StoreError, match="unknown section"):
            au.save_text(store, "RCM", 2026, "en", "preface", None, "x")
        actions = [e.action for e in store.audit_log()]
        assert actions.count("review-text-save") == 3  # the unchanged save records nothing

        review = store.authored_review("RCM", 2026, "es")
        assert isinstance(review, AuthoredReview) and review.lang == "es"
        intro = review.text("introduction")
        assert intro.markdown == "First line\nChanged" and intro.lang == "en" and intro.is_translation_missing
        assert review.text("synthesis", 2).markdown == "Round table two"
        au.save_text(store, "RCM", 2026, "es", "introduction", None, "Primera línea", actor="a@x")
        intro = store.authored_review("RCM", 2026, "es").text("introduction")
        assert intro.lang == "es" and not intro.is_translation_missing and intro.version == 1
        assert not store.authored_review("RCM", 2026, "en").text("introduction").is_translation_missing


def test_featured_items_are_flagged_when_the_counting_version_no_longer_holds_them(db):
    with Store(db) as store:
        first = add(store, workbook(measures="old"))
        obj = au.feature(store, "RCM", 2026, 1, 2, first, source="Objectives, row 3", actor="a@x")
        row = store.get(first).submission.practices[0].row
        practice = au.feature(store, "RCM", 2026, 1, 2, first, practice_row=row, source=f"Practices, row {row}")
        again = au.feature(store, "RCM", 2026, 1, 2, first, source="Objectives, row 3")
        assert again.id == obj.id  # not featured twice
        assert obj.text == "old 2" and practice.text.endswith("x" * 400) and practice.title == "Ventanilla única"
        assert not obj.stale and not practice.stale
        # a new version that keeps the practice but changes objective 2's text
        add(store, workbook(measures="new"))
        items = {i.kind: i for i in store.authored_review("RCM", 2026, "en").featured}
        assert items["objective-text"].stale and items["objective-text"].text == "old 2"  # kept, flagged
        assert not items["practice"].stale
        # a version without the practice
        add(store, workbook(measures="old", practice="Otra"))
        items = {i.kind: i for i in store.authored_review("RCM", 2026, "en").featured}
        assert items["practice"].stale and not items["objective-text"].stale
        au.unfeature(store, practice.id)
        assert [i.kind for i in au.featured(store, "RCM", 2026)] == ["objective-text"]
        with pytest.raises(StoreError, match="no practice in row 99"):
            au.feature(store, "RCM", 2026, 1, 2, first, practice_row=99, source="x")
        with pytest.raises(StoreError, match="not 2025"):
            au.feature(store, "RCM", 2025, 1, 2, first, source="x")
        assert {"feature", "unfeature"} <= {e.action for e in store.audit_log()}


def test_inputs_indicators_disclosure(db):
    with Store(db) as store:
        au.add_input(store, "RCM", 2026, organisation="Red Migrante", kind="civil-society", lang="es",
                     date=dt.date(2026, 3, 1), text="Texto", consent=True)
        au.add_input(store, "RCM", 2026, organisation="City", kind="local-government", lang="en",
                     date=dt.date(2026, 2, 1), text="Summary", consent=False, is_summary=True)
        with pytest.raises(StoreError, match="unknown kind"):
            au.add_input(store, "RCM", 2026, organisation="x", kind="lobby", lang="en", date=dt.date(2026, 1, 1),
                         text="t", consent=True)
        values = [IndicatorValue("10.7.2", "MEX", 2023, "1", "number", "UN DESA")]
        au.import_indicators(store, "RCM", 2026, "sdg.csv", "0" * 64, "long", values)
        again = au.import_indicators(store, "RCM", 2026, "sdg.csv", "1" * 64, "long", values * 2)
        assert again["replaced"] and len(au.datasets(store, "RCM", 2026)) == 1
        assert au.disclosure_of(store, "RCM") == "aggregate"
        au.set_disclosure(store, "RCM", "anonymous")
        with pytest.raises(StoreError):
            au.set_disclosure(store, "RCM", "public")
        review = store.authored_review("RCM", 2026, "fr")
        assert [i.organisation for i in review.inputs] == ["City", "Red Migrante"]
        assert len(review.indicators) == 2 and review.indicators[0].dataset == "sdg.csv"
        assert review.disclosure == "anonymous" and store.authored_review("CMC", 2026, "fr").disclosure == "aggregate"


def test_final_is_frozen_until_a_change_makes_a_new_draft(db):
    with Store(db) as store:
        add(store, workbook(state="MEX"))
        au.save_text(store, "RCM", 2026, "en", "key-messages", None, "- One")
        assert not store.authored_review("RCM", 2026, "en").final
        final = au.mark_final(store, "RCM", 2026, "en", actor="chief@x")
        assert final.final and final.final_by == "chief@x" and final.final_at.endswith("Z")
        assert au.mark_final(store, "RCM", 2026, "en").extra["finals"] == final.extra["finals"]  # no new mark
        assert not store.authored_review("RCM", 2026, "es").final  # per language
        # a member's new version: a new draft; the final stays recorded
        add(store, workbook(state="MEX", measures="changed"))
        draft = store.authored_review("RCM", 2026, "en")
        assert not draft.final and draft.extra["finals"][0]["by"] == "chief@x"
        assert not draft.extra["finals"][0]["holds"]
        again = au.mark_final(store, "RCM", 2026, "en")
        au.save_text(store, "RCM", 2026, "en", "key-messages", None, "- One\n- Two")
        assert again.final and not store.authored_review("RCM", 2026, "en").final
        assert [e.action for e in store.audit_log()].count("review-final") == 2
