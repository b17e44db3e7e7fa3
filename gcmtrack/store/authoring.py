"""What staff write and choose for a process's regional review (review.md, "Authoring"), kept
in the store: section texts where every save is a new version, featured items, stakeholder
inputs, indicator datasets, the disclosure setting and editions marked final. Read back as one
`gcmtrack.authored.AuthoredReview` (`authored_review`).

Every write is one transaction with its audit event. The checks of what people type (the safe
Markdown, the CSV) are the service's; the store refuses only what would break its records.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import asdict, replace
from typing import Any, Iterable

from django.db import connections

from gcmtrack.authored import (
    DEFAULT_DISCLOSURE,
    DISCLOSURES,
    PER_ROUND_TABLE,
    SECTIONS,
    STAKEHOLDER_KINDS,
    AuthoredReview,
    AuthoredText,
    FeaturedItem,
    IndicatorValue,
    StakeholderInput,
)
from gcmtrack.common.languages import LANGS
from gcmtrack.errors import StoreError
from gcmtrack.store.api import Store, cli_actor, iso, utc_now
from gcmtrack.store.events import Action
from gcmtrack.store.models import (
    AuthoredTextVersion,
    FeaturedEntry,
    FinalMark,
    IndicatorDataset,
    IndicatorRow,
    ReviewSetting,
    StakeholderEntry,
)
from gcmtrack.submission import Submission


def _lock(store: Store, key: str) -> None:
    """One writer of `key` at a time on PostgreSQL (SQLite's write transaction already is)."""
    if connections[store.alias].vendor == "postgresql":
        with connections[store.alias].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"gcmtrack:authoring:{key}"])


def check_place(section: str, round_table: int | None, lang: str) -> None:
    """A section's place: a known section, a round table exactly for those written per table."""
    if section not in SECTIONS:
        raise StoreError(f"unknown section {section!r}; choose one of {', '.join(SECTIONS)}")
    if lang not in LANGS:
        raise StoreError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    if section in PER_ROUND_TABLE and round_table is None:
        raise StoreError(f"the {section} section is written per round table: give its number")
    if section not in PER_ROUND_TABLE and round_table is not None:
        raise StoreError(f"the {section} section is written once per review, not per round table")
    if round_table is not None and not 1 <= round_table <= 99:
        raise StoreError(f"no round table {round_table}")


def _texts(store: Store, process: str, cycle: int):
    return AuthoredTextVersion.objects.using(store.alias).filter(process=process, cycle=cycle)


def _place(section: str, round_table: int | None) -> str:
    return section if round_table is None else f"{section}:{round_table}"


# --------------------------------------------------------------------------- texts


def save_text(store: Store, process: str, cycle: int, lang: str, section: str, round_table: int | None,
              markdown: str, *, actor: str | None = None, now: dt.datetime | None = None) -> dict:
    """Save `markdown` as the next version of a section's text; a text equal to the latest
    version is not saved again (`unchanged`)."""
    check_place(section, round_table, lang)
    actor = actor or cli_actor()
    moment = now or utc_now()
    with store.transaction():
        _lock(store, f"{process}:{cycle}:{lang}:{_place(section, round_table)}")
        rows = _texts(store, process, cycle).filter(lang=lang, section=section, round_table=round_table)
        last = rows.order_by("-version").first()
        if last is not None and last.markdown == markdown:
            return {**_version_dict(last), "unchanged": True}
        row = AuthoredTextVersion.objects.using(store.alias).create(
            process=process, cycle=cycle, lang=lang, section=section, round_table=round_table,
            version=(last.version if last else 0) + 1, markdown=markdown, author=actor, saved_at=moment)
        store.record(actor, Action.TEXT_SAVE, object_type="review-text", object_id=row.id, process=process,
                     cycle=cycle, at=moment, detail={"lang": lang, "section": section, "round_table": round_table,
                                                     "version": row.version, "chars": len(markdown)})
    return {**_version_dict(row), "unchanged": False}


def _version_dict(row: AuthoredTextVersion, with_text: bool = False) -> dict:
    data = {"process": row.process, "cycle": row.cycle, "lang": row.lang, "section": row.section,
            "round_table": row.round_table, "version": row.version, "author": row.author,
            "saved_at": iso(row.saved_at), "chars": len(row.markdown)}
    if with_text:
        data["markdown"] = row.markdown
    return data


def text_history(store: Store, process: str, cycle: int, lang: str, section: str,
                 round_table: int | None) -> list[dict]:
    """Every version of a section's text, oldest first (without the texts)."""
    check_place(section, round_table, lang)
    rows = _texts(store, process, cycle).filter(lang=lang, section=section, round_table=round_table)
    return [_version_dict(r) for r in rows.order_by("version")]


def text_version(store: Store, process: str, cycle: int, lang: str, section: str, round_table: int | None,
                 version: int | None = None) -> dict:
    """One version of a section's text (the latest without `version`), with its Markdown."""
    check_place(section, round_table, lang)
    rows = _texts(store, process, cycle).filter(lang=lang, section=section, round_table=round_table)
    row = rows.filter(version=version).first() if version is not None else rows.order_by("-version").first()
    if row is None:
        what = f"{process} {cycle} {lang} {_place(section, round_table)}"
        raise StoreError(f"no version {version} of {what}" if version is not None else f"no text yet for {what}")
    return _version_dict(row, with_text=True)


def text_diff(store: Store, process: str, cycle: int, lang: str, section: str, round_table: int | None,
              old: int, new: int) -> dict:
    """A unified diff (difflib, by line) between two versions of a section's text."""
    before = text_version(store, process, cycle, lang, section, round_table, old)
    after = text_version(store, process, cycle, lang, section, round_table, new)
    lines = list(difflib.unified_diff(before["markdown"].splitlines(), after["markdown"].splitlines(),
                                      f"version {old}", f"version {new}", lineterm=""))
    return {"old": {k: v for k, v in before.items() if k != "markdown"},
            "new": {k: v for k, v in after.items() if k != "markdown"}, "diff": lines}


def _current_texts(store: Store, process: str, cycle: int, lang: str) -> list[AuthoredText]:
    """The latest version of each section in `lang`; a section without a text in `lang` gets
    the text of the language it was first written in, marked by `asked_lang`."""
    latest: dict[tuple[str, int | None, str], AuthoredTextVersion] = {}
    first_at: dict[tuple[str, int | None, str], dt.datetime] = {}
    for row in _texts(store, process, cycle).order_by("version", "id"):
        key = (row.section, row.round_table, row.lang)
        latest[key] = row
        first_at.setdefault(key, row.saved_at)
    places = sorted({(s, t) for s, t, _ in latest}, key=lambda p: (SECTIONS.index(p[0]) if p[0] in SECTIONS
                                                                    else 99, p[1] or 0))
    texts = []
    for section, table in places:
        row = latest.get((section, table, lang))
        if row is None:  # no translation: the original
            written = [k for k in latest if k[:2] == (section, table)]
            row = latest[min(written, key=lambda k: (first_at[k], k[2]))]
        texts.append(AuthoredText(section=row.section, round_table=row.round_table, lang=row.lang,
                                  markdown=row.markdown, version=row.version, author=row.author,
                                  saved_at=iso(row.saved_at), asked_lang=lang))
    return texts


# --------------------------------------------------------------------------- featured items


def featured_text(submission: Submission, kind: str, objective: int,
                  practice_row: int | None) -> tuple[str, str]:
    """The (title, text) that a featured item quotes from a submission; StoreError when it
    holds none."""
    if kind == "objective-text":
        row = submission.objectives.get(objective)
        if row is None or not row.measures.strip():
            raise StoreError(f"the submission has no text for objective {objective}")
        return "", row.measures
    practice = next((p for p in submission.practices if p.row == practice_row), None)
    if practice is None:
        raise StoreError(f"the submission has no practice in row {practice_row}")
    return practice.title, practice.description


def _holds(submission: Submission, kind: str, objective: int, title: str, text: str) -> bool:
    if kind == "objective-text":
        row = submission.objectives.get(objective)
        return row is not None and row.measures == text
    return any(p.title == title and p.description == text for p in submission.practices)


def feature(store: Store, process: str, cycle: int, round_table: int, objective: int, submission_id: int, *,
            practice_row: int | None = None, source: str, actor: str | None = None) -> FeaturedItem:
    """Feature an objective's text (no `practice_row`) or a practice of one stored version in a
    round-table chapter; the text is copied in full. The same text featured twice in the same
    place is not added again."""
    stored = store.get(submission_id)
    if stored.cycle != cycle:
        raise StoreError(f"submission {submission_id} is for cycle {stored.cycle}, not {cycle}")
    kind = "objective-text" if practice_row is None else "practice"
    title, text = featured_text(stored.submission, kind, objective, practice_row)
    actor = actor or cli_actor()
    moment = utc_now()
    with store.transaction():
        _lock(store, f"{process}:{cycle}:featured")
        rows = FeaturedEntry.objects.using(store.alias).filter(process=process, cycle=cycle, removed_at=None)
        row = rows.filter(round_table=round_table, objective=objective, kind=kind, state=stored.state,
                          title=title, text=text).first()
        if row is None:
            row = FeaturedEntry.objects.using(store.alias).create(
                process=process, cycle=cycle, round_table=round_table, objective=objective, kind=kind,
                state=stored.state, submission_id=submission_id, source=source[:200], practice_row=practice_row,
                lang=stored.submission.lang, title=title, text=text, added_by=actor, added_at=moment)
            store.record(actor, Action.FEATURE, object_type="featured", object_id=row.id, state=stored.state,
                         process=process, cycle=cycle, at=moment,
                         detail={"submission": submission_id, "round_table": round_table, "objective": objective,
                                 "kind": kind, "source": row.source})
    return _featured(store, [row])[0]


def unfeature(store: Store, featured_id: int, *, actor: str | None = None) -> None:
    """Take a featured item out of the review (the record stays, marked removed)."""
    actor = actor or cli_actor()
    with store.transaction():
        row = FeaturedEntry.objects.using(store.alias).select_for_update().filter(id=featured_id,
                                                                                   removed_at=None).first()
        if row is None:
            raise StoreError(f"no featured item {featured_id}")
        row.removed_at = utc_now()
        row.save(update_fields=["removed_at"])
        store.record(actor, Action.UNFEATURE, object_type="featured", object_id=row.id, state=row.state,
                     process=row.process, cycle=row.cycle)


def _featured(store: Store, rows: Iterable[FeaturedEntry]) -> list[FeaturedItem]:
    """Featured items, each flagged `stale` when the version that counts now for its state no
    longer holds its text (or no version counts)."""
    rows = list(rows)
    counting: dict[tuple[str, int], Any] = {}
    for cycle in {r.cycle for r in rows}:
        for state, stored in store.latest(cycle, {r.state for r in rows if r.cycle == cycle}).items():
            counting[(state, cycle)] = stored
    items = []
    for row in rows:
        now = counting.get((row.state, row.cycle))
        stale = now is None or (now.id != row.submission_id
                                and not _holds(now.submission, row.kind, row.objective, row.title, row.text))
        items.append(FeaturedItem(round_table=row.round_table, objective=row.objective, kind=row.kind,
                                  state=row.state, submission_id=row.submission_id, source=row.source,
                                  lang=row.lang, text=row.text, title=row.title, stale=stale, id=row.id))
    return items


def featured(store: Store, process: str, cycle: int) -> list[FeaturedItem]:
    rows = FeaturedEntry.objects.using(store.alias).filter(process=process, cycle=cycle, removed_at=None)
    return _featured(store, rows.order_by("round_table", "objective", "id"))


# --------------------------------------------------------------------------- stakeholder inputs


def add_input(store: Store, process: str, cycle: int, *, organisation: str, kind: str, lang: str,
              date: dt.date, text: str, consent: bool, is_summary: bool = False,
              actor: str | None = None) -> StakeholderInput:
    if kind not in STAKEHOLDER_KINDS:
        raise StoreError(f"unknown kind of stakeholder {kind!r}; choose one of {', '.join(STAKEHOLDER_KINDS)}")
    if lang not in LANGS:
        raise StoreError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    if not organisation.strip() or not text.strip():
        raise StoreError("a stakeholder input needs an organisation and a text")
    actor = actor or cli_actor()
    moment = utc_now()
    with store.transaction():
        row = StakeholderEntry.objects.using(store.alias).create(
            process=process, cycle=cycle, organisation=organisation.strip()[:300], kind=kind, lang=lang, date=date,
            text=text, is_summary=is_summary, consent=consent, added_by=actor, added_at=moment)
        store.record(actor, Action.INPUT_ADD, object_type="stakeholder-input", object_id=row.id, process=process,
                     cycle=cycle, at=moment, detail={"organisation": row.organisation, "kind": kind, "lang": lang,
                                                     "consent": consent})
    return _input(row)


def _input(row: StakeholderEntry) -> StakeholderInput:
    return StakeholderInput(organisation=row.organisation, kind=row.kind, lang=row.lang,
                            date=row.date.isoformat(), text=row.text, consent=row.consent,
                            is_summary=row.is_summary, id=row.id)


def inputs(store: Store, process: str, cycle: int) -> list[StakeholderInput]:
    rows = StakeholderEntry.objects.using(store.alias).filter(process=process, cycle=cycle)
    return [_input(r) for r in rows.order_by("date", "id")]


# --------------------------------------------------------------------------- indicators


def import_indicators(store: Store, process: str, cycle: int, name: str, sha256: str, form: str,
                      values: list[IndicatorValue], *, actor: str | None = None) -> dict:
    """Keep a checked dataset of indicator values; a dataset of the same name imported before
    for this process and cycle is replaced (the audit log keeps both imports)."""
    actor = actor or cli_actor()
    moment = utc_now()
    with store.transaction():
        _lock(store, f"{process}:{cycle}:indicators")
        datasets = IndicatorDataset.objects.using(store.alias)
        replaced = list(datasets.filter(process=process, cycle=cycle, name=name).values_list("id", flat=True))
        datasets.filter(id__in=replaced).delete()
        row = datasets.create(process=process, cycle=cycle, name=name[:255], sha256=sha256, form=form,
                              imported_by=actor, imported_at=moment)
        IndicatorRow.objects.using(store.alias).bulk_create(
            [IndicatorRow(dataset=row, indicator=v.indicator, geo=v.geo, year=v.year, value=v.value, unit=v.unit,
                          source=v.source, note=v.note) for v in values], batch_size=500)
        store.record(actor, Action.INDICATORS_IMPORT, object_type="indicator-dataset", object_id=row.id,
                     process=process, cycle=cycle, at=moment,
                     detail={"name": row.name, "sha256": sha256, "form": form, "rows": len(values),
                             "replaced": replaced})
    return {"id": row.id, "name": row.name, "form": form, "rows": len(values), "replaced": replaced,
            "imported_at": iso(moment), "imported_by": actor}


def datasets(store: Store, process: str, cycle: int) -> list[dict]:
    from django.db.models import Count

    rows = IndicatorDataset.objects.using(store.alias).filter(process=process, cycle=cycle)
    return [{"id": r.id, "name": r.name, "form": r.form, "rows": r.n, "sha256": r.sha256,
             "imported_at": iso(r.imported_at), "imported_by": r.imported_by}
            for r in rows.annotate(n=Count("rows")).order_by("name")]


def indicators(store: Store, process: str, cycle: int) -> list[IndicatorValue]:
    rows = IndicatorRow.objects.using(store.alias).filter(dataset__process=process, dataset__cycle=cycle)
    return [IndicatorValue(indicator=r.indicator, geo=r.geo, year=r.year, value=r.value, unit=r.unit,
                           source=r.source, note=r.note, dataset=r.dataset.name)
            for r in rows.select_related("dataset").order_by("dataset__name", "indicator", "geo", "year", "id")]


# --------------------------------------------------------------------------- disclosure


def set_disclosure(store: Store, process: str, disclosure: str, *, actor: str | None = None) -> str:
    if disclosure not in DISCLOSURES:
        raise StoreError(f"unknown disclosure {disclosure!r}; choose one of {', '.join(DISCLOSURES)}")
    actor = actor or cli_actor()
    with store.transaction():
        before = disclosure_of(store, process)
        ReviewSetting.objects.using(store.alias).update_or_create(process=process,
                                                                  defaults={"disclosure": disclosure})
        store.record(actor, Action.DISCLOSURE, object_type="process", object_id=process, process=process,
                     from_state=before, to_state=disclosure)
    return disclosure


def disclosure_of(store: Store, process: str) -> str:
    row = ReviewSetting.objects.using(store.alias).filter(process=process).first()
    return row.disclosure if row else DEFAULT_DISCLOSURE


# --------------------------------------------------------------------------- the review, and final


def _members(process: str, cycle: int) -> tuple[str, ...] | None:
    from gcmtrack.reference.processes import processes

    known = processes().get(process)
    return known.members(cycle) if known else None


def _draft(store: Store, process: str, cycle: int, lang: str) -> AuthoredReview:
    if lang not in LANGS:
        raise StoreError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return AuthoredReview(process=process, cycle=cycle, lang=lang,
                          texts=tuple(_current_texts(store, process, cycle, lang)),
                          featured=tuple(featured(store, process, cycle)), inputs=tuple(inputs(store, process, cycle)),
                          indicators=tuple(indicators(store, process, cycle)),
                          disclosure=disclosure_of(store, process), sample=store.holds_samples)


def inputs_digest(store: Store, review: AuthoredReview) -> str:
    """The SHA-256 of everything an edition is made from: what staff wrote and chose (each
    text's version, each featured item and whether it is stale, inputs, indicators,
    disclosure) and the version that counts for each member state."""
    members = _members(review.process, review.cycle)
    counting = {state: [s.id, s.sha256, s.review_state]
                for state, s in store.latest(review.cycle, members).items()}
    content = asdict(replace(review, final=False, final_by=None, final_at=None, extra={}))
    content["counting"] = counting
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()


def _marks(store: Store, process: str, cycle: int, lang: str):
    return FinalMark.objects.using(store.alias).filter(process=process, cycle=cycle, lang=lang).order_by("id")


def authored_review(store: Store, process: str, cycle: int, lang: str) -> AuthoredReview:
    """What staff wrote and chose for one process, cycle and language, final when its latest
    mark still holds (the same digest); `extra["finals"]` lists every mark, `extra["digest"]`
    is the digest now."""
    review = _draft(store, process, cycle, lang)
    marks = list(_marks(store, process, cycle, lang))
    digest = inputs_digest(store, review)
    last = marks[-1] if marks else None
    final = last is not None and last.digest == digest
    return replace(review, final=final, final_by=last.marked_by if final else None,
                   final_at=iso(last.marked_at) if final else None,
                   extra={"digest": digest, "finals": [{"digest": m.digest, "by": m.marked_by, "at": iso(m.marked_at),
                                                        "holds": m.digest == digest} for m in marks]})


def mark_final(store: Store, process: str, cycle: int, lang: str, *, actor: str | None = None) -> AuthoredReview:
    """Mark a review edition final: its digest is kept with who and when. Marking an edition
    that is already final (nothing changed since) records nothing new."""
    actor = actor or cli_actor()
    with store.transaction():
        _lock(store, f"{process}:{cycle}:{lang}:final")
        review = authored_review(store, process, cycle, lang)
        if not review.final:
            moment = utc_now()
            FinalMark.objects.using(store.alias).create(process=process, cycle=cycle, lang=lang,
                                                        digest=review.extra["digest"], marked_by=actor,
                                                        marked_at=moment)
            store.record(actor, Action.FINAL, object_type="review", object_id=f"{process}:{cycle}:{lang}",
                         process=process, cycle=cycle, at=moment, to_state="final",
                         detail={"lang": lang, "digest": review.extra["digest"]})
    return authored_review(store, process, cycle, lang)
