"""Where every figure of a state's scores comes from (`gcmtrack explain`, cli.md v2).

For each objective: the Objectives row (sheet, cell, status, weight) and every practice mapped to
it (sheet, row, status, weight, named or through a theme), which of them decided the score, and
whether the row's own status is below a practice mapped to the same objective (`contradiction`:
the score follows the practice). Then the round tables and the overall score with what they
leave out. Plain dataclasses: the CLI prints them, the report and the portal show them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from gcmtrack.coverage import NONE, PRACTICE, ROW, submission_coverage  # noqa: F401 (decided_by values)
from gcmtrack.errors import GcmtrackError
from gcmtrack.reference.framework import OBJECTIVE_NUMBERS, Edition, Framework, framework
from gcmtrack.scoring import score_coverage
from gcmtrack.scoring.rounding import published
from gcmtrack.submission import NARRATIVE, StoredSubmission, Submission, location_text


class NoSubmissionError(GcmtrackError):
    """No stored submission matches the state, cycle or id asked for."""


@dataclass(frozen=True)
class PassageSource:
    """A passage of a narrative review that a person confirmed for an objective."""

    passage: int
    page: int | None  # None: a DOCX (no pages)
    paragraph: int

    @property
    def where(self) -> str:
        return location_text(self.page, self.paragraph)

    def to_json(self) -> dict[str, Any]:
        return {"passage": self.passage, "page": self.page, "paragraph": self.paragraph, "where": self.where}


@dataclass(frozen=True)
class RowSource:
    """The Objectives row of an objective; for a narrative review, the status a person
    confirmed and the passages behind it (`document` and `passages` instead of sheet and cell)."""

    sheet: str  # the sheet's name in the workbook ("" for a narrative)
    cell: str | None  # the status cell ("B9"), None when it cannot be located
    row: int  # the row number Excel shows (0 for a narrative)
    status: str  # status key
    weight: float | None  # None: not applicable (no weight)
    document: str | None = None  # a narrative: the document's file name
    passages: tuple[PassageSource, ...] = ()

    @property
    def where(self) -> str:
        """"Objectives B9", or "review.pdf page 4, paragraph 2; page 5, paragraph 1"."""
        if self.document is not None:
            return f"{self.document} {'; '.join(p.where for p in self.passages) or 'no passage'}"
        return f"{self.sheet} {self.cell or 'row ' + str(self.row)}"

    def to_json(self) -> dict[str, Any]:
        if self.document is not None:
            return {"document": self.document, "passages": [p.to_json() for p in self.passages],
                    "status": self.status, "weight": self.weight}
        return {"sheet": self.sheet, "cell": self.cell, "row": self.row, "status": self.status, "weight": self.weight}


@dataclass(frozen=True)
class PracticeSource:
    """A practice mapped to an objective."""

    sheet: str
    row: int
    index: int  # 1-based position of the practice in the submission (its catalogue number)
    title: str
    status: str
    weight: float | None
    via: str  # "objectives": it names the objective; "theme": through one of its themes
    theme: str | None  # the theme key when via == "theme"
    decisive: bool  # this practice set the score (the first, by row, of the highest weight)

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "title": self.title, "status": self.status,
                "weight": self.weight, "via": self.via, "theme": self.theme, "decisive": self.decisive}


@dataclass(frozen=True)
class ObjectiveExplanation:
    number: int
    score: float | None  # None: excluded
    excluded: bool
    row: RowSource | None  # None: the Objectives sheet has no row with a status for it
    practices: tuple[PracticeSource, ...]
    decided_by: str  # "row", "practice" or "none" (not reported anywhere, or excluded)
    contradiction: bool  # the row's status weighs less than a practice mapped to the objective

    @property
    def decisive_practice(self) -> PracticeSource | None:
        return next((p for p in self.practices if p.decisive), None)

    def to_json(self) -> dict[str, Any]:
        return {"score": published(self.score), "excluded": self.excluded,
                "row": self.row.to_json() if self.row else None,
                "practices": [p.to_json() for p in self.practices],
                "decided_by": self.decided_by, "contradiction": self.contradiction}


@dataclass(frozen=True)
class AggregateExplanation:
    """A round table's or the overall score: a mean over objectives, some of them excluded."""

    score: float | None
    objectives: tuple[int, ...]
    excluded: tuple[int, ...]

    def to_json(self, *, with_objectives: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"score": published(self.score)}
        if with_objectives:
            data["objectives"] = list(self.objectives)
        data["excluded"] = list(self.excluded)
        return data


@dataclass(frozen=True)
class Explanation:
    submission_id: int | None
    state: str
    cycle: int
    version: int | None
    objectives: dict[int, ObjectiveExplanation]
    round_tables: dict[int, AggregateExplanation]
    overall: AggregateExplanation

    @property
    def contradictions(self) -> tuple[int, ...]:
        return tuple(n for n, o in self.objectives.items() if o.contradiction)

    def only(self, objective: int) -> "Explanation":
        """The same explanation restricted to one objective (round tables and overall kept)."""
        return Explanation(self.submission_id, self.state, self.cycle, self.version,
                           {objective: self.objectives[objective]}, self.round_tables, self.overall)

    def to_json(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id, "state": self.state, "cycle": self.cycle, "version": self.version,
            "objectives": {str(n): o.to_json() for n, o in self.objectives.items()},
            "round_tables": {str(n): t.to_json() for n, t in self.round_tables.items()},
            "overall": self.overall.to_json(with_objectives=False),
        }


# --------------------------------------------------------------------------- computing


@dataclass(frozen=True)
class SheetNames:
    """Where the parts of a workbook are: the actual sheet names and the status column."""

    objectives: str
    practices: str
    status_column: str | None  # column letter of the Objectives sheet's status header, if known

    @classmethod
    def of_language(cls, lang: str) -> "SheetNames":
        """The names `template` writes in `lang` (used when the original file is not at hand)."""
        from gcmtrack.intake.contract import contract

        sheets = contract().sheets
        return cls(sheets["objectives"].names.get(lang, sheets["objectives"].names["en"]),
                   sheets["practices"].names.get(lang, sheets["practices"].names["en"]), None)


def locate_sheets(original: bytes, lang: str) -> SheetNames:
    """The actual sheet names and the status column of a stored workbook's original bytes.

    The parsed submission keeps row numbers but not columns (the intake does not record them),
    so the status column is found again from the header row, by the contract's names. Any
    failure falls back to the template's names and no column."""
    fallback = SheetNames.of_language(lang)
    try:
        from openpyxl import load_workbook
        from openpyxl.utils import get_column_letter

        from gcmtrack.intake.contract import contract

        ct = contract()
        wb = load_workbook(io.BytesIO(original), read_only=True, data_only=True)
        try:
            names = {ct.sheet_key(ws.title): ws.title for ws in wb.worksheets}
            column = None
            if "objectives" in names:
                ws = wb[names["objectives"]]
                for values in ws.iter_rows(min_row=1, max_row=ct.header_search_rows, values_only=True):
                    keys = [ct.column_key("objectives", v) if isinstance(v, str) else None for v in values]
                    if "status" in keys and "objective" in keys:
                        column = get_column_letter(keys.index("status") + 1)
                        break
        finally:
            wb.close()
        return SheetNames(names.get("objectives", fallback.objectives), names.get("practices", fallback.practices),
                          column)
    except Exception:  # noqa: BLE001 - provenance is best effort; the row number still stands
        return fallback


def explain_submission(submission: Submission, *, fw: Framework | None = None, edition: Edition | None = None,
                       sheets: SheetNames | None = None, submission_id: int | None = None,
                       version: int | None = None) -> Explanation:
    """Explain the scores of one submission. The score of each objective equals
    `score_submission`'s; the explanation adds where it comes from (gcmtrack.coverage's rule)."""
    fw = fw or framework()
    edition = edition or fw.edition(submission.cycle)
    sheets = sheets or SheetNames.of_language(submission.lang)
    covered = submission_coverage(submission, fw)
    scored = score_coverage(submission.state, covered, edition)
    objectives: dict[int, ObjectiveExplanation] = {}
    for number, said in covered.items():
        sources = tuple(PracticeSource(sheets.practices, m.practice.row, m.index, m.practice.title, m.practice.status,
                                       m.weight, m.via, m.theme, m is said.decisive)
                        for m in said.by_row)
        row, row_source = said.row, None
        if row is not None and submission.kind == NARRATIVE:
            row_source = RowSource("", None, 0, row.status, said.row_weight,
                                   document=submission.extra.get("document", {}).get("filename", ""),
                                   passages=tuple(PassageSource(q.passage, q.page, q.paragraph)
                                                  for q in submission.quotes_for(number)))
        elif row is not None:
            cell = f"{sheets.status_column}{row.row}" if sheets.status_column and row.row else None
            row_source = RowSource(sheets.objectives, cell, row.row, row.status, said.row_weight)
        objectives[number] = ObjectiveExplanation(
            number=number, score=scored.objectives[number], excluded=said.excluded, row=row_source,
            practices=sources, decided_by=said.decided_by, contradiction=said.contradiction,
        )
    tables = {
        t.number: AggregateExplanation(scored.round_tables[t.number], tuple(t.objectives),
                                       tuple(o for o in t.objectives if objectives[o].excluded))
        for t in edition.round_tables
    }
    overall = AggregateExplanation(scored.overall, OBJECTIVE_NUMBERS,
                                   tuple(n for n in OBJECTIVE_NUMBERS if objectives[n].excluded))
    return Explanation(submission_id, submission.state, submission.cycle, version, objectives, tables, overall)


def explain_stored(stored: StoredSubmission, original: bytes | None = None) -> Explanation:
    """Explain a stored version; with its original bytes, cells are located in the actual sheets."""
    sub = stored.submission
    sheets = locate_sheets(original, sub.lang) if original is not None and sub.kind != NARRATIVE else None
    return explain_submission(sub, sheets=sheets, submission_id=stored.id, version=stored.version)


def counted_submission(store, state: str, cycle: int) -> StoredSubmission:
    """The version of a state that counts in a cycle (the latest accepted one)."""
    framework().edition(cycle)  # an unknown cycle is an error of its own
    found = store.latest(cycle, [state]).get(state)
    if found is None:
        raise NoSubmissionError(f"no accepted submission of {state} for cycle {cycle}")
    return found


def explain_state(store, state: str | None = None, cycle: int | None = None, *,
                  submission_id: int | None = None) -> Explanation:
    """Explain the version that counts for a state and cycle, or the stored version `submission_id`."""
    if submission_id is not None:
        try:
            stored = store.get(submission_id)
        except GcmtrackError as exc:
            raise NoSubmissionError(str(exc)) from None
    else:
        if state is None or cycle is None:
            raise NoSubmissionError("give a state and a cycle, or a submission id")
        stored = counted_submission(store, state.upper(), cycle)
    return explain_stored(stored, store.original(stored.id))
