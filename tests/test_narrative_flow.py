"""A narrative review from upload to confirmed links to a counted version (narrative.md, items 4
and 5 of issue 20): the store keeps it unconfirmed and counting nothing; a person's decisions
(accepted, changed, rejected links; statuses) are kept with who and when; confirming makes it a
version that counts like a workbook, through the same review workflow. On both databases."""

from __future__ import annotations

import json

import pytest

from tests.narrative_fixtures import HOSTILE, fake_reader  # noqa: F401 - fixture
from tests.portal_fixtures import workbook


def _ingest(store, data=b"%PDF- a review", state="JAM", cycle=2026):
    from gcmtrack.service.narrative import ingest_narrative

    return ingest_narrative(store, data, "review.pdf", state, cycle, actor="cli:test")


def test_a_stored_narrative_counts_nothing_until_confirmed(db, fake_reader):
    from gcmtrack.service import narrative
    from gcmtrack.service.ingest import ingest_bytes
    from gcmtrack.store import Store

    with Store(db) as store:
        workbook_id = ingest_bytes(store, workbook("JAM", status="Implemented"), "jam.xlsx").outcome.submission_id
        received = _ingest(store)
        assert received.outcome == "stored"
        nid = received.submission_id
        stored = store.get(nid)
        assert (stored.kind, stored.review_state, stored.version) == ("narrative", "unconfirmed", 2)
        assert store.original(nid) == b"%PDF- a review"
        # the workbook still counts: an unconfirmed narrative never does
        assert store.latest(2026)["JAM"].id == workbook_id
        assert _ingest(store).outcome == "duplicate"

        narrative.decide(store, nid, {1: [1], 2: [15], 3: [], 4: [7]}, actor="jam@gov.jm")
        found = narrative.narrative(store, nid)
        assert [(l.passage, l.objective, l.decision) for l in found.links] == [
            (1, 1, "accepted"), (1, 3, "rejected"), (2, 14, "rejected"), (2, 15, "changed"),
            (3, 19, "rejected"), (3, 20, "rejected"), (4, 7, "accepted")]
        assert {l.actor for l in found.links} == {"jam@gov.jm"} and all(l.at.endswith("Z") for l in found.links)
        # a status is required for every objective with confirmed passages
        with pytest.raises(narrative.NarrativeInputError) as missing:
            narrative.confirm(store, nid, actor="jam@gov.jm")
        assert [w for w, _c, _m in missing.value.errors] == ["statuses.1", "statuses.7", "statuses.15"]
        narrative.set_statuses(store, nid, {1: "implemented", 15: "in_progress", 7: "not-stated"},
                               actor="cmc@iom.int")
        assert store.latest(2026)["JAM"].id == workbook_id

        confirmed = narrative.confirm(store, nid, actor="jam@gov.jm")
        assert confirmed.review_state == "submitted"
        counting = store.latest(2026)["JAM"]
        assert counting.id == nid and counting.is_narrative
        submission = counting.submission
        assert {n: r.status for n, r in submission.objectives.items()} == {1: "implemented", 15: "in_progress"}
        assert [(q.objective, q.page, q.paragraph) for q in submission.quotes] == [(1, 1, 1), (7, 5, 2), (15, 4, 2)]
        assert "<script>" in submission.quotes_for(15)[0].text  # kept as written; escaped where shown
        # suggestions alone never enter it: objective 14 was only suggested, 3 and 20 rejected
        assert not {3, 14, 19, 20} & set(submission.objectives)
        # decisions are frozen once confirmed
        with pytest.raises(Exception) as frozen:
            narrative.decide(store, nid, {3: [20]}, actor="jam@gov.jm")
        assert getattr(frozen.value, "code", "") == "already-confirmed"
        # the same review workflow: returned, an earlier version counts again
        from gcmtrack.service.review import decide

        decide(store, nid, "return", actor="cmc", reason="Objective 1: cite the source")
        assert store.latest(2026)["JAM"].id == workbook_id
        decide(store, nid, "reopen", actor="cmc", reason="cited")
        decide(store, nid, "accept", actor="cmc")
        assert store.latest(2026, accepted_only=True)["JAM"].id == nid
        actions = [e.action for e in store.audit_log() if e.object_id == str(nid)]
        assert actions == ["ingest", "narrative-decide", "narrative-status", "narrative-confirm", "return", "reopen",
                           "accept"]


def test_scores_read_only_what_was_confirmed(db, fake_reader):
    from gcmtrack.reference.framework import framework
    from gcmtrack.scoring import score_submission
    from gcmtrack.service import narrative
    from gcmtrack.store import Store

    with Store(db) as store:
        nid = _ingest(store).submission_id
        narrative.decide(store, nid, {1: [1]}, actor="t")
        narrative.set_statuses(store, nid, {1: "implemented", 2: "planned"}, actor="t")
        narrative.confirm(store, nid, actor="t")
        fw = framework()
        score = score_submission(store.get(nid).submission, fw, fw.edition(2026))
        assert score.objectives[1] == 1 and score.objectives[2] == 0.25 and score.objectives[14] == 0


def test_a_document_that_cannot_be_read_stores_nothing(db, fake_reader):
    from gcmtrack.store import Store

    with Store(db) as store:
        received = _ingest(store, HOSTILE + b" scanned")
        assert received.outcome == "rejected" and received.submission_id is None
        assert store.submissions() == []
        assert [e.action for e in store.audit_log()] == ["upload-rejected"]


def test_withdrawing_an_unconfirmed_narrative(db, fake_reader):
    from gcmtrack.service.review import decide
    from gcmtrack.store import Store

    with Store(db) as store:
        nid = _ingest(store).submission_id
        assert decide(store, nid, "withdraw", actor="t").review_state == "withdrawn"
        with pytest.raises(Exception):
            decide(store, nid, "accept", actor="t")


@pytest.mark.parametrize("body, where", [
    ("{", ["line 1, column 2"]),
    ("[]", [""]),
    ('{"passages": [{"passage": 1, "objectives": [24, "x"]}], "statuses": {"5": "done", "30": "planned"}, '
     '"confirm": "yes", "more": 1}',
     ["more", "passages[0].objectives[0]", "passages[0].objectives[1]", "statuses.5", "statuses.30", "confirm"]),
    ('{"passages": [{"passage": 0, "objectives": 3}, {"objectives": []}, 7]}',
     ["passages[0].passage", "passages[0].objectives", "passages[1].passage", "passages[2]"]),
])
def test_decisions_json_errors_are_located(body, where):
    from gcmtrack.service.narrative import NarrativeInputError, parse_decisions

    with pytest.raises(NarrativeInputError) as error:
        parse_decisions(body)
    assert [w for w, _code, _message in error.value.errors] == where


def test_decisions_json_shape_in_the_readme_parses():
    from gcmtrack.service.narrative import DECISIONS_SHAPE, parse_decisions

    parsed = parse_decisions(DECISIONS_SHAPE)
    assert parsed.choices == {12: [5, 7], 13: []} and parsed.confirm
    assert parsed.statuses == {5: "implemented", 7: "in_progress", 9: "not-stated"}
    assert json.loads(DECISIONS_SHAPE)
