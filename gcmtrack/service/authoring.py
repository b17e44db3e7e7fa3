"""Authoring a process's regional review (review.md, "Authoring"), once for the CLI and the
portal: section texts in a safe Markdown subset (checked on save, previewed as printed, every
save a version), featuring an objective's text or a practice from a stored version, stakeholder
inputs, indicator datasets from CSV, the disclosure setting and marking an edition final.

Each use case takes plain arguments and the store, checks what a person typed (located
problems from the problems catalogue, in the reader's language where they are shown) and
returns data. Who may do it (staff of the process) is the caller's check: the portal's
access.py, or the operating-system user on the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from gcmtrack.authored import DISCLOSURES, PER_ROUND_TABLE, SECTIONS, STAKEHOLDER_KINDS, AuthoredReview
from gcmtrack.common import safemarkdown
from gcmtrack.common.languages import LANGS
from gcmtrack.errors import GcmtrackError, StoreError
from gcmtrack.intake.indicators import CONTROLS, read_indicators
from gcmtrack.intake.problems import Problem
from gcmtrack.store import Store
from gcmtrack.store import authoring as records

MAX_INPUT_CHARS = 50_000


class AuthoringProblems(GcmtrackError):
    """What a person gave cannot be saved: its located problems (nothing was stored)."""

    def __init__(self, problems: list[Problem], what: str):
        self.problems = problems
        first = problems[0]
        super().__init__(f"{what}: {len(problems)} problem(s); first: {first.message('en')}")

    def rendered(self, lang: str) -> list[dict]:
        return [p.to_dict(lang) for p in self.problems]


@dataclass(frozen=True)
class Place:
    """Where a section's text goes: a process, a cycle, a language, a section and (for the
    sections written per round table) a round table."""

    process: str
    cycle: int
    lang: str
    section: str
    round_table: int | None = None

    def args(self) -> tuple:
        return (self.process, self.cycle, self.lang, self.section, self.round_table)


def round_tables(cycle: int) -> tuple[int, ...]:
    """The round-table numbers of the IMRF edition that `cycle` feeds."""
    from gcmtrack.reference.framework import framework

    return tuple(t.number for t in framework().edition(cycle).round_tables)


def process_id(process: str) -> str:
    """A known process's id (UnknownProcessError otherwise)."""
    from gcmtrack.reference.processes import get_process

    return get_process(process).id


def place(process: str, cycle: int, lang: str, section: str, round_table: int | None = None) -> Place:
    """A checked place for a section's text."""
    where = Place(process_id(process), int(cycle), lang, section, round_table)
    if lang not in LANGS:
        raise StoreError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    if section not in SECTIONS:
        raise StoreError(f"unknown section {section!r}; choose one of {', '.join(SECTIONS)}")
    if section in PER_ROUND_TABLE:
        tables = round_tables(where.cycle)
        if round_table not in tables:
            raise StoreError(f"the {section} section is written per round table: give one of "
                             f"{', '.join(map(str, tables))} (--round-table)")
    records.check_place(section, round_table, lang)
    return where


# --------------------------------------------------------------------------- texts


def text_problems(markdown: str, label: str) -> list[Problem]:
    """The located problems of a text as a section of the review (empty: it may be saved).
    Raw HTML is refused, never stripped: what is stored is what prints."""
    problems = []
    for found in sorted(safemarkdown.check(markdown), key=lambda p: p.line):
        params: dict[str, Any] = {"line": found.line}
        if found.code == "text-too-long":
            params["limit"] = f"{safemarkdown.MAX_CHARS:,}"
        problems.append(Problem(found.code, label, None, found.value, params=params))
    return problems


def preview(markdown: str) -> str:
    """The text as safe HTML, as the review prints it."""
    return safemarkdown.to_html(markdown)


def save_text(store: Store, where: Place, markdown: str, *, actor: str | None = None) -> dict:
    """Save a section's text as its next version (AuthoringProblems when it breaks the safe
    Markdown subset or is too long; an unchanged text is not saved again)."""
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    problems = text_problems(markdown, records._place(where.section, where.round_table))
    if problems:
        raise AuthoringProblems(problems, "the text was not saved")
    return records.save_text(store, *where.args(), markdown, actor=actor)


def history(store: Store, where: Place) -> list[dict]:
    return records.text_history(store, *where.args())


def show(store: Store, where: Place, version: int | None = None) -> dict:
    shown = records.text_version(store, *where.args(), version)
    return {**shown, "html": preview(shown["markdown"])}


def diff(store: Store, where: Place, old: int, new: int) -> dict:
    return records.text_diff(store, *where.args(), old, new)


# --------------------------------------------------------------------------- featuring


def feature_source(stored, objective: int, practice_row: int | None) -> str:
    """Where a featured text stands in the state's workbook, in the workbook's language:
    "Objectives, row 9 (Measures taken)" or "Practices, row 12"."""
    from gcmtrack.intake.contract import contract

    ct, lang = contract(), stored.submission.lang
    if practice_row is not None:
        return f"{ct.sheets['practices'].names[lang]}, row {practice_row}"
    row = stored.submission.objectives.get(objective)
    measures = ct.columns["objectives"]["measures"].names[lang]
    return f"{ct.sheets['objectives'].names[lang]}, row {row.row if row else '?'} ({measures})"


def feature(store: Store, process: str, submission_id: int, objective: int, *, practice_row: int | None = None,
            round_table: int | None = None, actor: str | None = None):
    """Feature objective `objective`'s text (or the practice in row `practice_row`) of one
    stored version in a round-table chapter of `process`'s review (by default, the round table
    the objective belongs to). The state must be a member of the process that cycle."""
    from gcmtrack.reference.framework import framework
    from gcmtrack.reference.processes import get_process

    known = get_process(process)
    stored = store.get(submission_id)
    if stored.state not in known.members(stored.cycle):
        raise StoreError(f"{stored.state} is not a member of {known.id} in {stored.cycle}")
    edition = framework().edition(stored.cycle)
    try:
        own_table = edition.round_table_of(objective)
    except KeyError:
        raise StoreError(f"no objective {objective}") from None
    if practice_row is not None:
        practice = next((p for p in stored.submission.practices if p.row == practice_row), None)
        if practice is None:
            raise StoreError(f"submission {submission_id} has no practice in row {practice_row}")
        if objective not in practice.mapped_objectives(framework()):
            raise StoreError(f"the practice in row {practice_row} is not mapped to objective {objective}")
    table = own_table if round_table is None else round_table
    if table not in round_tables(stored.cycle):
        raise StoreError(f"no round table {table} in {edition.name}")
    return records.feature(store, known.id, stored.cycle, table, objective, submission_id,
                           practice_row=practice_row, source=feature_source(stored, objective, practice_row),
                           actor=actor)


def unfeature(store: Store, featured_id: int, *, actor: str | None = None) -> None:
    records.unfeature(store, featured_id, actor=actor)


def featured(store: Store, process: str, cycle: int):
    return records.featured(store, process_id(process), cycle)


# --------------------------------------------------------------------------- stakeholder inputs


def add_input(store: Store, process: str, cycle: int, *, organisation: str, kind: str, lang: str, date: str,
              text: str, consent: bool, is_summary: bool = False, actor: str | None = None):
    try:
        day = dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise StoreError(f"the date {date!r} is not a date (YYYY-MM-DD)") from None
    if kind not in STAKEHOLDER_KINDS:
        raise StoreError(f"unknown kind of stakeholder {kind!r}; choose one of {', '.join(STAKEHOLDER_KINDS)}")
    if len(text) > MAX_INPUT_CHARS:
        raise StoreError(f"the text has {len(text):,} characters; an input holds at most {MAX_INPUT_CHARS:,} "
                         "(record a summary)")
    if CONTROLS.search(text) or CONTROLS.search(organisation):
        raise StoreError("the organisation or the text holds a control character; remove it")
    if len(organisation) > 300:
        raise StoreError("the organisation's name is longer than 300 characters")
    return records.add_input(store, process_id(process), int(cycle), organisation=organisation, kind=kind,
                             lang=lang, date=day, text=text, consent=consent, is_summary=is_summary, actor=actor)


def inputs(store: Store, process: str, cycle: int):
    return records.inputs(store, process_id(process), cycle)


# --------------------------------------------------------------------------- indicators


def import_indicators(store: Store, process: str, cycle: int, data: bytes, filename: str, *,
                      actor: str | None = None) -> dict:
    """Check and keep a CSV of context indicators (the UN SDG Global Database export or the
    long form). With any error nothing is stored (AuthoringProblems, each problem located)."""
    known = process_id(process)
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:255] or "indicators.csv"
    found = read_indicators(data, name)
    if not found.ok:
        raise AuthoringProblems(found.problems, f"{name} was not imported")
    return records.import_indicators(store, known, int(cycle), name, hashlib.sha256(data).hexdigest(), found.form,
                                     found.values, actor=actor)


def datasets(store: Store, process: str, cycle: int) -> list[dict]:
    return records.datasets(store, process_id(process), cycle)


# --------------------------------------------------------------------------- disclosure and final


def set_disclosure(store: Store, process: str, disclosure: str, *, actor: str | None = None) -> str:
    if disclosure not in DISCLOSURES:
        raise StoreError(f"unknown disclosure {disclosure!r}; choose one of {', '.join(DISCLOSURES)}")
    return records.set_disclosure(store, process_id(process), disclosure, actor=actor)


def disclosure(store: Store, process: str) -> str:
    return records.disclosure_of(store, process_id(process))


def mark_final(store: Store, process: str, cycle: int, lang: str, *, actor: str | None = None) -> AuthoredReview:
    """Mark the review edition of a process, cycle and language final (frozen with the digest
    of what it is made from; a later change makes a new draft, the mark stays recorded)."""
    if lang not in LANGS:
        raise StoreError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return records.mark_final(store, process_id(process), int(cycle), lang, actor=actor)


def review(store: Store, process: str, cycle: int, lang: str) -> AuthoredReview:
    return store.authored_review(process_id(process), int(cycle), lang)


def review_status(review: AuthoredReview) -> dict:
    """An edition's authoring state as JSON: its texts (which are missing or untranslated),
    featured items (stale ones flagged), inputs, indicators, disclosure and final."""
    texts = {records._place(t.section, t.round_table): {"lang": t.lang, "version": t.version, "author": t.author,
                                                         "saved_at": t.saved_at,
                                                         "translation_missing": t.is_translation_missing}
             for t in review.texts}
    tables = round_tables(review.cycle)
    wanted = [s for s in SECTIONS if s not in PER_ROUND_TABLE] + [f"{s}:{t}" for s in SECTIONS
                                                                  if s in PER_ROUND_TABLE for t in tables]
    return {"process": review.process, "cycle": review.cycle, "lang": review.lang,
            "final": review.final, "final_by": review.final_by, "final_at": review.final_at,
            "finals": review.extra.get("finals", []), "disclosure": review.disclosure,
            "texts": texts, "missing": [w for w in wanted if w not in texts],
            "featured": [featured_dict(f) for f in review.featured],
            "stale": sum(f.stale for f in review.featured), "inputs": len(review.inputs),
            "indicators": len(review.indicators)}


def featured_dict(item) -> dict:
    return {"id": item.id, "round_table": item.round_table, "objective": item.objective, "kind": item.kind,
            "state": item.state, "submission": item.submission_id, "source": item.source, "lang": item.lang,
            "title": item.title, "text": item.text, "stale": item.stale}


def input_dict(item) -> dict:
    return {"id": item.id, "organisation": item.organisation, "kind": item.kind, "lang": item.lang,
            "date": item.date, "text": item.text, "summary": item.is_summary, "consent": item.consent}
