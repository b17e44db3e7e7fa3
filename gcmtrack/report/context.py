"""From a process's scored data to the one context object its report template reads.

`ReportData` holds everything a report is made from (no store access happens in this
package); `build_context` turns it into `ReportContext`, in which every string is already in
the report's language and every number already formatted, so the templates only lay out.
Text typed by states (measures, evidence, partners, practice titles and descriptions, warnings)
stays plain text here, with the language it was written in: the template escapes it and marks
its language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from markupsafe import Markup

from gcmtrack.common.text import fold
from gcmtrack.intake.problems import summary as problem_summary
from gcmtrack.reference.framework import Edition, Framework, Objective, framework
from gcmtrack.reference.processes import Process
from gcmtrack.reference.states import GcmPosition, states
from gcmtrack.report.i18n import (
    NO_VALUE,
    check_lang,
    format_change,
    format_clock,
    format_count,
    format_date_range,
    format_long_date,
    format_month,
    format_number,
    format_score,
    format_share,
    iso_date,
    language_name,
    parse_utc,
    translations,
)
from gcmtrack.reference.states import PositionEvent
from gcmtrack.scoring import ProcessScore
from gcmtrack.scoring.explain import ObjectiveExplanation, SheetNames, explain_submission
from gcmtrack.scoring.rounding import PRINTED_DECIMALS, PUBLISHED_DECIMALS, round_half_up
from gcmtrack.scoring.trends import MatchedTrends, matched_trends
from gcmtrack.submission import StoredSubmission

AUTHOR = "gcmtrack"
EXCERPT_CHARS = 120  # longest excerpt of a state's measures printed in the report
SHORT_EXCERPT_CHARS = 60  # evidence, partners, practice titles and descriptions in the catalogue
HEAT_STEPS = 5  # colour steps of the heatmap palette (classes heat-0 … heat-4 in report.css)
BEST_AND_LEAST = 3  # objectives named as best- and least-covered in the summary (more when tied)
LOWEST_IN_GAPS = 5  # objectives listed as lowest-covered in the gaps section
MOVERS = 3  # objectives named as having risen or fallen most since the previous cycle
CHART_WIDTH = 40  # longest bar of the summary chart, in SVG user units (millimetres)
CHART_STEP = 4.7  # distance between the chart's bars: one status table row, in millimetres


@dataclass(frozen=True)
class PreviousCycle:
    """The process's data for the cycle of the IMRF edition before (for trends)."""

    cycle: int
    latest: dict[str, StoredSubmission]  # state -> the version that counted then, members then only


@dataclass(frozen=True)
class ReportData:
    """Everything one report is made from: a process, a cycle, its scores and its submissions."""

    process: Process
    cycle: int
    score: ProcessScore
    latest: dict[str, StoredSubmission]  # state -> latest accepted version, members only
    version_counts: dict[str, int]  # state -> number of accepted versions this cycle
    as_of: str | None  # ISO UTC time of the latest ingested submission, None if none
    sample: bool = False  # True when the submissions are fictional samples (the cover says so)
    previous: PreviousCycle | None = None  # the previous edition's cycle, when the store holds any of it
    review_states: Mapping[str, str] = field(default_factory=dict)  # state -> review state of its version
    accepted_only: bool = False  # only versions accepted by the process's staff count


# --------------------------------------------------------------------------- context pieces


@dataclass(frozen=True)
class Score:
    """One score as printed: its text, its heatmap colour step and its bar length."""

    text: str  # "0.75" / "0,75"; an en dash when there is no score (excluded, or nobody submitted)
    step: int | None  # colour step 0 … HEAT_STEPS-1 (light → dark) of the printed value, None without score
    bar: int  # bar length in percent of the full width, 0 … 100


@dataclass(frozen=True)
class Change:
    """A change of score since the previous cycle, as printed."""

    text: str  # "+0.10", "−0.05", "0.00"; an en dash when one side has no score
    direction: int  # 1 up, -1 down, 0 unchanged or not comparable (the template styles by it)


@dataclass(frozen=True)
class ObjectiveRef:
    """An objective named somewhere in the report, with its process score."""

    number: int
    title: str  # the GCM's own wording in the report language (objectives.yaml)
    label: str  # the short label in the report language
    anchor: str  # id of its section in the round-table chapter ("objective-5")
    score: Score


@dataclass(frozen=True)
class Ranked:
    """A short list of objectives by score, with the ties it discloses."""

    objectives: tuple[ObjectiveRef, ...]  # BEST_AND_LEAST, more when the last places tie
    ties: tuple[str, ...]  # one sentence per group of listed objectives with the same printed score


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents page; its page number comes from CSS target-counter."""

    anchor: str
    title: str
    level: int  # 1: section, 2: objective inside a round-table chapter


@dataclass(frozen=True)
class RoundTableScore:
    number: int
    title: str  # "Round table 1"
    anchor: str
    objectives: str  # "2, 5, 6, 12, 18"
    score: Score
    change: Change | None  # since the previous cycle, same states; None without previous data


@dataclass(frozen=True)
class StatusBar:
    """One status of the summary's distribution: a table row and a chart bar."""

    name: str  # status name in the report language, or "Not reported"
    count: str  # formatted number of state-objective rows
    share: str  # formatted percentage of all rows
    width: str  # bar length in SVG units ("42.5")
    y: str  # bar top in SVG units
    text_y: str  # baseline of its labels
    label_x: str  # x of the number printed right of the bar


@dataclass(frozen=True)
class Summary:
    """The one-page executive summary."""

    members: str  # formatted count
    submitted: str  # formatted count
    participation: str  # formatted percentage, or an en dash
    overall: Score
    overall_change: Change | None  # since the previous cycle, same states
    any_submission: bool
    best: Ranked  # highest process scores (ties disclosed)
    least: Ranked  # lowest process scores (ties disclosed)
    round_tables: tuple[RoundTableScore, ...]
    statuses: tuple[StatusBar, ...]  # every status of the vocabulary, then "Not reported"
    rows_total: str  # formatted number of state-objective rows (submitters × 23)
    raised_by_practice: str  # formatted number of rows whose score a practice set above the row's status
    contradictions: str  # formatted number of rows whose status is below a practice mapped to them
    chart_height: str  # SVG height in user units
    moved: tuple[str, ...]  # sentences on what moved since the previous cycle (empty without previous data)


@dataclass(frozen=True)
class ParticipationRow:
    code: str
    name: str  # in the report language
    position: str  # "Voted in favour; withdrew (8 January 2019), rejoined (5 January 2023)"; unverified events by year
    position_unverified: bool  # footnoted: a fact not verified against a primary source
    membership_unverified: bool  # footnoted: membership of the process not verified
    submitted: bool
    dated: str  # the date the state wrote on its workbook (ISO), or an en dash
    received_on: str  # ISO date (UTC) on which the version that counts was received, or an en dash
    versions: str  # accepted versions this cycle (formatted count)
    warnings: str  # warnings of the version that counts (formatted count), or an en dash
    review: str  # the review state of its version (counted, else latest), in the report language


@dataclass(frozen=True)
class HeatmapGroup:
    """A column group of the heatmap: one round table."""

    number: int
    title: str  # "Round table 1"
    objectives: tuple[ObjectiveRef, ...]


@dataclass(frozen=True)
class HeatmapRow:
    code: str
    name: str
    cells: tuple[Score, ...]  # one per objective, in the groups' column order


@dataclass(frozen=True)
class LegendStep:
    step: int
    text: str  # the range of scores it stands for, "0.20–0.39"


@dataclass(frozen=True)
class Heatmap:
    groups: tuple[HeatmapGroup, ...]
    rows: tuple[HeatmapRow, ...]  # submitted members, by name
    process_cells: tuple[Score, ...]  # the process objective scores, same column order
    legend: tuple[LegendStep, ...]
    objectives: tuple[ObjectiveRef, ...]  # the columns in order (for the key under the table)


@dataclass(frozen=True)
class StateScoreRow:
    code: str
    name: str
    round_tables: tuple[Score, ...]  # in the edition's round-table order
    overall: Score
    reported_share: str  # formatted percentage
    change: Change | None  # of the overall score since the previous cycle; None when not comparable


@dataclass(frozen=True)
class TrendRow:
    """One line of a trends table: a score in the previous cycle and now, and the change."""

    label: str  # round table, objective or state, in the report language
    anchor: str  # where it is detailed ("" for none)
    before: Score
    now: Score
    change: Change


@dataclass(frozen=True)
class TrendMapRow:
    name: str  # state name
    cells: tuple[Change, ...]  # change per objective, heatmap column order


@dataclass(frozen=True)
class Trends:
    """Changes since the previous cycle, over the states that submitted in both."""

    previous_cycle: int
    previous_edition: str  # "FEMI 2022"
    compared: str  # formatted number of states that submitted in both cycles
    compared_names: tuple[str, ...]
    only_now: tuple[str, ...]  # names of states that submitted now but not then
    overall: TrendRow
    round_tables: tuple[TrendRow, ...]
    objectives: tuple[TrendRow, ...]  # heatmap column order
    states: tuple[TrendRow, ...]  # by name: overall score per state
    state_round_tables: tuple[tuple[str, tuple[Change, ...]], ...]  # (state name, change per round table)
    map_rows: tuple[TrendMapRow, ...]  # state × objective changes


@dataclass(frozen=True)
class StatusCount:
    name: str  # status name in the report language, or "Not reported"
    count: str  # formatted number of states
    bar: int  # share of the submitted members, percent


@dataclass(frozen=True)
class PracticeRef:
    id: str  # the practice's catalogue id, "MEX-3"
    number: str  # its number within the state's workbook, "3"
    anchor: str  # its id in the catalogue ("practice-MEX-3")


@dataclass(frozen=True)
class StateReport:
    """What one state reported for one objective, and what decided its score."""

    code: str
    name: str
    lang: str  # the language of the state's workbook: its texts are marked with it
    status: str  # status name of its Objectives row, or "Not reported"
    score: Score  # the state's objective score (row and mapped practices)
    decided_by: str  # "row", "practice" or "none" (scoring.explain)
    decisive: PracticeRef | None  # the practice that set the score, when a practice did
    contradiction: bool  # the row's status is below a practice mapped to the objective
    measures: str  # excerpt of the measures column (plain text; escaped by the template)
    evidence: str  # short excerpt of the evidence column
    partners: str  # short excerpt of the partners column
    practices: tuple[PracticeRef, ...]  # every practice of the state mapped to the objective, by row
    details: str  # "Evidence: … · Partners: … · Practices (Annex C): MEX-2, 5", all in the workbook's
    # language, labels included, so that one `lang` covers the excerpt (see _state_report)


@dataclass(frozen=True)
class ObjectiveSection:
    number: int
    title: str  # the GCM's own wording in the report language
    short_title: str  # "Objective 5. Regular pathways": contents and bookmarks
    anchor: str
    score: Score
    title_unverified: bool  # the title in this language was not found in a UN source
    statuses: tuple[StatusCount, ...]  # every status of the vocabulary, then "Not reported"
    reports: tuple[StateReport, ...]  # submitted members, by name


@dataclass(frozen=True)
class RoundTableChapter:
    number: int
    title: str
    anchor: str
    score: Score
    objectives: tuple[ObjectiveSection, ...]


@dataclass(frozen=True)
class CatalogueEntry:
    """One practice, listed once in Annex C."""

    id: str  # "MEX-3": the state's code and the practice's number in its workbook
    anchor: str
    lang: str  # the language of the state's workbook
    title: str  # excerpt (plain text; escaped by the template)
    description: str  # short excerpt
    meta: str  # "(Implemented; objectives 5, 6)": its status and every objective it maps to (named or
    # through its themes), in the workbook's language like the rest of the entry


@dataclass(frozen=True)
class CatalogueGroup:
    code: str
    name: str
    entries: tuple[CatalogueEntry, ...]


@dataclass(frozen=True)
class Gaps:
    any_submission: bool
    uncovered: tuple[ObjectiveRef, ...]  # process score 0: no submitted member reported progress
    excluded: tuple[ObjectiveRef, ...]  # not applicable for every submitted member
    lowest: tuple[ObjectiveRef, ...]  # the lowest scores above 0
    not_submitted: tuple[str, ...]  # names of members without a submission


@dataclass(frozen=True)
class PrincipleRow:
    letter: str
    name: str  # the GCM's wording in the report language (principles.yaml)
    objective_rows: str  # formatted count of Objectives rows citing it
    practices: str  # formatted count of practices citing it
    states: str  # formatted count of states citing it at least once
    total: str  # objective_rows + practices
    bar: int  # total relative to the most-cited principle, percent


@dataclass(frozen=True)
class StatusWeight:
    name: str
    weight: str | None  # formatted weight, None when the status is excluded from scoring


@dataclass(frozen=True)
class Methodology:
    method: str  # scoring method id from statuses.yaml ("v1")
    weights: tuple[StatusWeight, ...]  # read from framework().statuses, never written in code
    excluded_statuses: tuple[str, ...]  # names of statuses without weight (not applicable)
    published_decimals: str
    printed_decimals: str
    rounding_example: str  # "0.475 → 0.48" in the report's number format
    excerpt_chars: str
    short_excerpt_chars: str
    unverified_titles: tuple[str, ...]  # objective numbers whose title in this language is unverified
    forum_note: str  # the forum's name and acronym in this language, and their source status


@dataclass(frozen=True)
class WarningRow:
    code: str  # the problem code (problems.yaml)
    where: str  # "Objectives B7", or an en dash
    message: str  # as the validator wrote it, in the workbook's language


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one kind of one submission, for Annex B. A kind that occurs once keeps the
    validator's message; several of a kind are given once, with what they mean."""

    code: str  # the problem code (problems.yaml)
    count: str  # how many (formatted)
    places: str  # "Objectives B2, B5; Practices D4": where each one is, by sheet, or an en dash
    message: str  # one warning: the validator's message, in the workbook's language; else ""
    summary: str  # several: what the kind means, in the report's language; else ""


@dataclass(frozen=True)
class SubmissionRow:
    code: str
    name: str
    lang: str  # the workbook's language (institution, period and warnings are in it)
    filename: str
    sha256: str  # first 12 hex digits
    received: str  # "2026-03-02 14:05 UTC"
    dated: str  # the date written on the workbook (ISO), or an en dash
    period: str  # reporting period as written, or an en dash
    institution: str  # submitting institution as written, or an en dash
    template_version: str  # or an en dash
    version: str  # "2 / 3": the version that counts, of the accepted versions
    warnings: tuple[WarningRow, ...]
    warning_groups: tuple[WarningGroup, ...]  # the same warnings, by kind, in order of first place


@dataclass(frozen=True)
class ReportContext:
    """Everything the report templates read, and nothing else: the templates receive only
    `ctx` (an instance of this class) and the gettext functions. Strings are in the report
    language, numbers already formatted; text typed by states is plain (the template escapes it)."""

    lang: str  # report language (en, es, fr), also <html lang> and the PDF /Lang
    title: str  # document title: <title>, PDF metadata
    author: str  # PDF metadata author ("gcmtrack")
    process_id: str  # the process's id in processes/ ("RCM")
    process_name: str  # the process's name in the report language
    process_acronym: str  # the process's acronym in the report language ("CRM" in es)
    cycle: int  # review cycle (the IMRF year it feeds)
    edition_name: str  # the edition as the report language names it ("IMRF 2026", "FEMI 2026")
    forum_name: str  # the forum's full name in the report language, acronym included
    edition_provisional: bool  # the edition's status in editions.yaml is not "confirmed"
    edition_dates: str | None  # the forum's days ("5–8 May 2026") where editions.yaml gives them, else None
    edition_hearing: str | None  # long date of the informal multi-stakeholder hearing, else None
    language_name: str  # the report language's own name ("Español")
    sample: bool  # the data are fictional samples: the cover says the figures are illustrative
    generated_on: str | None  # long date derived from ReportData.as_of (never the clock); None without data
    data_as_of: str | None  # long date and time (UTC) of the latest ingested submission; None without data
    created_w3c: str | None  # the same moment for <meta name="dcterms.created"> (PDF dates)
    running_header: Markup  # CSS content value (an escaped string) of the running page header
    page_numbers: Markup  # CSS content value of the footer, from the translated "Page %(page)s of %(pages)s"
    headings: Mapping[str, str]  # section id -> heading, shared by headings, contents and bookmarks
    contents: tuple[ContentsEntry, ...]  # lines of the contents page, in document order
    summary: Summary  # section 3: the one-page executive summary
    positions_as_of: str  # long date at which GCM positions are stated (as_of, at most the cycle's end)
    participation: tuple[ParticipationRow, ...]  # section 4: every member, by name
    any_position_unverified: bool  # a position fact is footnoted as unverified
    accepted_only: bool  # only versions accepted by staff are counted (the participation note says so)
    any_membership_unverified: bool  # a membership is footnoted as unverified
    heatmap: Heatmap  # section 5
    state_scores: tuple[StateScoreRow, ...]  # section 5, round-table and overall scores per state
    round_table_titles: tuple[str, ...]  # column headers of the state scores table
    trends: Trends | None  # changes since the previous cycle; None when the store holds none of it
    chapters: tuple[RoundTableChapter, ...]  # section 6: one per round table of the edition
    gaps: Gaps  # section 7
    principles: tuple[PrincipleRow, ...]  # section 8: the ten principles in order a-j
    methodology: Methodology  # annex A
    submissions: tuple[SubmissionRow, ...]  # annex B: the counted submission of each submitter
    any_warning: bool  # annex B lists warnings
    catalogue: tuple[CatalogueGroup, ...]  # annex C: every practice once, by state name then row
    practice_count: str  # formatted number of practices in the catalogue


# --------------------------------------------------------------------------- helpers


def score_of(value: float | None, lang: str) -> Score:
    """A score as printed; its colour step and bar follow the printed (rounded) value, so the
    colour always matches the legend's range for the number in the cell."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return Score(format_score(None, lang), None, 0)
    fraction = min(max(float(number), 0.0), 1.0)
    step = min(HEAT_STEPS - 1, math.floor(fraction * HEAT_STEPS))
    return Score(format_score(value, lang), step, round(fraction * 100))


def change_of(value: Fraction | None, lang: str) -> Change:
    """A change as printed, half-up from the exact difference (never the difference of rounded figures)."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return Change(NO_VALUE, 0)
    return Change(format_change(number, lang), (number > 0) - (number < 0))


_SPACES = re.compile(r"\s+")


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of `text` on one line, cut at a word boundary when one is near,
    with an ellipsis when cut."""
    flat = _SPACES.sub(" ", text or "").strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "\u2026"


def css_string(text: str) -> Markup:
    """A CSS string literal of `text`, safe inside <style>: quotes, backslashes, line breaks and
    angle brackets are written as CSS escapes."""
    out = []
    for ch in text:
        if ch in '"\\<>&\n\r\f' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def _page_numbers_css(template: str) -> Markup:
    """Turn the translated "Page %(page)s of %(pages)s" into a CSS content value."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > last:
            parts.append(css_string(template[last:match.start()]))
        parts.append(Markup(f"counter({match.group(1)})"))
        last = match.end()
    if last < len(template):
        parts.append(css_string(template[last:]))
    return Markup(" ").join(parts)


def _event_date(event: PositionEvent, lang: str) -> str:
    """An event's date as far as the sources give it: "16 April 2025", or "December 2021"
    when only the month is known (never an invented day)."""
    if event.precision == "month":
        return format_month(event.date, lang)
    return format_long_date(event.date, lang)


def _position_text(position: GcmPosition, lang: str) -> str:
    """The vote and the later events, worded by the vocabulary of states/gcm-positions.yaml; an
    event not verified against a primary source is given by its year only (never as an exact
    date) and footnoted by the table."""
    _ = translations(lang).gettext
    vocabulary = states().vocabulary
    text = vocabulary.votes[position.vote](lang)
    changes = []
    for event in position.events:
        name = vocabulary.events[event.position](lang)
        if event.verified:
            changes.append(_("%(event)s (%(date)s)") % {"event": name, "date": _event_date(event, lang)})
        else:
            changes.append(_("%(event)s in %(year)s") % {"event": name, "year": event.date.year})
    if not changes:
        return text
    return _("%(vote)s; %(changes)s") % {"vote": text, "changes": ", ".join(changes)}


def _heading_titles(lang: str, previous_edition: str | None) -> dict[str, str]:
    _ = translations(lang).gettext
    headings = {
        "contents": _("Contents"),
        "summary": _("Executive summary"),
        "participation": _("Participation"),
        "heatmap": _("Coverage by state and objective"),
        "state-scores": _("Scores by state"),
        "gaps": _("Gaps"),
        "principles": _("Guiding principles"),
        "annex-a": _("Annex A. Methodology"),
        "annex-b": _("Annex B. Submissions"),
        "annex-c": _("Annex C. Practices"),
    }
    if previous_edition:
        headings["trends"] = _("Changes since %(edition)s") % {"edition": previous_edition}
        headings["trend-map"] = _("Change by state and objective")
    return headings


def _join(items: list[str], lang: str) -> str:
    """"1, 10, 17 and 23" the way the language writes a list."""
    from babel.lists import format_list

    return format_list(items, locale=lang)


def _places(warnings) -> str:
    """"Objectives B2, B5; Practices D4": the places of some warnings by sheet, in order of first
    occurrence; an en dash when none has one."""
    sheets: dict[str, list[str]] = {}
    for w in warnings:
        if w.get("sheet") or w.get("cell"):
            cells = sheets.setdefault(str(w.get("sheet") or ""), [])
            if w.get("cell") and str(w["cell"]) not in cells:
                cells.append(str(w["cell"]))
    return "; ".join(" ".join(x for x in (sheet, ", ".join(cells)) if x) for sheet, cells in sheets.items()) or NO_VALUE


# --------------------------------------------------------------------------- build


class _Builder:
    """Builds the parts of one report's context; holds what every part needs."""

    def __init__(self, data: ReportData, lang: str) -> None:
        self.data = data
        self.lang = lang
        self.fw: Framework = framework()
        self.registry = states()
        self._ = translations(lang).gettext
        self.score = data.score
        self.edition: Edition = self.fw.edition(data.cycle)
        self.submitted = [code for code in self.score.members if code in self.score.states]
        self.submissions = {code: data.latest[code].submission for code in self.submitted if code in data.latest}
        self.status_names = {s.key: s.name(lang) for s in self.fw.statuses}
        self.status_names_in: dict[str, dict[str, str]] = {lang: self.status_names}  # by language
        self.objectives = {number: self._objective_ref(obj) for number, obj in self.fw.objectives.items()}
        self.columns = [o for table in self.edition.round_tables for o in table.objectives]
        self.explained = {
            code: explain_submission(sub, fw=self.fw, edition=self.edition, sheets=SheetNames.of_language(sub.lang))
            for code, sub in self.submissions.items()
        }
        self.previous_edition: Edition | None = (
            self.fw.edition(data.previous.cycle) if data.previous and data.previous.latest else None)
        # The scores of the states that submitted in both cycles, then and now (scoring.trends).
        self.trend: MatchedTrends | None = None
        if self.previous_edition is not None:
            prev = data.previous
            self.trend = matched_trends(data.process.id, data.cycle, self.submissions, prev.cycle,
                                        {c: s.submission for c, s in prev.latest.items()}, self.fw)

    # ---- small helpers

    def name(self, code: str) -> str:
        return self.registry.get(code).name(self.lang) if code in self.registry else code

    def by_name(self, codes) -> list[str]:
        """States ordered by their name in the report language, accents ignored."""
        return sorted(codes, key=lambda c: (fold(self.name(c)), c))

    def score_of(self, value: float | None) -> Score:
        return score_of(value, self.lang)

    def count(self, value: int) -> str:
        return format_count(value, self.lang)

    def round_table_title(self, number: int) -> str:
        return self._("Round table %(number)s") % {"number": number}

    def objective_short_title(self, number: int) -> str:
        return self._("Objective %(number)s") % {"number": number} + ". " + self.objectives[number].label

    def printed_score(self, number: int) -> Decimal | None:
        return round_half_up(self.score.objectives.get(number), PRINTED_DECIMALS)

    def _objective_ref(self, objective: Objective) -> ObjectiveRef:
        return ObjectiveRef(objective.number, objective.title(self.lang), objective.label(self.lang),
                            f"objective-{objective.number}", self.score_of(self.score.objectives.get(objective.number)))

    def practice_ref(self, code: str, index: int) -> PracticeRef:
        return PracticeRef(f"{code}-{index}", str(index), f"practice-{code}-{index}")

    def process_change(self, kind: str, key=None) -> Change | None:
        """The change of a process figure over the states that submitted in both cycles."""
        if self.trend is None:
            return None
        return change_of(self.trend.change(kind, key), self.lang)

    # ---- sections

    def ranked(self, reverse: bool) -> Ranked:
        """The BEST_AND_LEAST objectives by exact process score, extended by every objective whose
        printed score equals the last one listed; groups of equal printed scores are disclosed."""
        scored = [n for n in self.objectives if self.printed_score(n) is not None]
        exact = self.score.exact.get("objectives", {})
        order = sorted(scored, key=lambda n: ((-1 if reverse else 1) * exact[n], n))
        chosen = order[:BEST_AND_LEAST]
        if chosen:
            last = self.printed_score(chosen[-1])
            chosen += [n for n in order[BEST_AND_LEAST:] if self.printed_score(n) == last]
        groups: dict[Decimal, list[int]] = {}
        for n in chosen:
            groups.setdefault(self.printed_score(n), []).append(n)
        ties = tuple(
            self._("Objectives %(numbers)s have the same score (%(score)s).") % {
                "numbers": _join([str(n) for n in sorted(numbers)], self.lang),
                "score": format_score(value, self.lang)}
            for value, numbers in groups.items() if len(numbers) > 1)
        return Ranked(tuple(self.objectives[n] for n in chosen), ties)

    def round_table_scores(self) -> tuple[RoundTableScore, ...]:
        return tuple(
            RoundTableScore(
                number=table.number,
                title=self.round_table_title(table.number),
                anchor=f"round-table-{table.number}",
                objectives=", ".join(str(o) for o in table.objectives),
                score=self.score_of(self.score.round_tables.get(table.number)),
                change=self.process_change("round_tables", table.number),
            )
            for table in self.edition.round_tables
        )

    def status_bars(self) -> tuple[tuple[StatusBar, ...], int, str]:
        counts: Counter[str | None] = Counter()
        for sub in self.submissions.values():
            for number in self.objectives:
                row = sub.objectives.get(number)
                counts[row.status if row else None] += 1
        total = sum(counts.values())
        keys = [s.key for s in self.fw.statuses] + [None]
        largest = max([counts[k] for k in keys] + [1])
        bars, step = [], CHART_STEP
        for i, key in enumerate(keys):
            width = CHART_WIDTH * counts[key] / largest
            bars.append(StatusBar(
                name=self.status_names.get(key, key) if key else self._("Not reported"),
                count=self.count(counts[key]),
                share=format_share(counts[key] / total if total else None, self.lang),
                width=f"{width:.1f}", y=f"{i * step + 0.8:.1f}", text_y=f"{i * step + 3.6:.1f}",
                label_x=f"{width + 1.2:.1f}",
            ))
        return tuple(bars), total, f"{len(keys) * step + 1:.1f}"

    def moved(self) -> tuple[str, ...]:
        """What moved since the previous cycle, in a few sentences (states in both cycles only)."""
        trend = self.trend
        if trend is None:
            return ()
        _ = self._
        edition = self.previous_edition.title(self.lang)
        sentences = [_("Compared with %(edition)s, over the %(count)s states that reported in both cycles, the "
                       "overall coverage score moved from %(before)s to %(now)s (%(change)s).") % {
            "edition": edition, "count": self.count(len(trend.states)),
            "before": format_score(trend.before.overall, self.lang),
            "now": format_score(trend.now.overall, self.lang),
            "change": self.process_change("overall").text}]
        changes = {n: trend.change("objectives", n) for n in self.objectives}
        comparable = {n: v for n, v in changes.items() if v is not None}
        rose = sorted((n for n, v in comparable.items() if round_half_up(v) > 0), key=lambda n: (-comparable[n], n))
        fell = sorted((n for n, v in comparable.items() if round_half_up(v) < 0), key=lambda n: (comparable[n], n))

        def listing(numbers):
            return _join([self._("objective %(number)s (%(change)s)") % {
                "number": n, "change": change_of(comparable[n], self.lang).text} for n in numbers[:MOVERS]], self.lang)

        if rose:
            sentences.append(_("Rose most: %(list)s.") % {"list": listing(rose)})
        if fell:
            sentences.append(_("Fell most: %(list)s.") % {"list": listing(fell)})
        if not rose and not fell:
            sentences.append(_("No objective's score changed."))
        up = sum(1 for c in trend.states if (self.state_change(c) or 0) > 0)
        down = sum(1 for c in trend.states if (self.state_change(c) or 0) < 0)
        sentences.append(_("%(up)s of these states raised their overall score and %(down)s lowered it.") % {
            "up": self.count(up), "down": self.count(down)})
        return tuple(sentences)

    def state_change(self, code: str) -> Decimal | None:
        if self.trend is None:
            return None
        return round_half_up(self.trend.state_change(code), PRINTED_DECIMALS)

    def summary(self) -> Summary:
        bars, total, height = self.status_bars()
        raised = sum(1 for e in self.explained.values() for o in e.objectives.values()
                     if o.decided_by == "practice")
        contradictions = sum(len(e.contradictions) for e in self.explained.values())
        return Summary(
            members=self.count(len(self.score.members)),
            submitted=self.count(len(self.submitted)),
            participation=format_share(self.score.participation, self.lang),
            overall=self.score_of(self.score.overall),
            overall_change=self.process_change("overall"),
            any_submission=bool(self.submitted),
            best=self.ranked(reverse=True),
            least=self.ranked(reverse=False),
            round_tables=self.round_table_scores(),
            statuses=bars,
            rows_total=self.count(total),
            raised_by_practice=self.count(raised),
            contradictions=self.count(contradictions),
            chart_height=height,
            moved=self.moved(),
        )

    def participation(self, positions_date: dt.date) -> tuple[ParticipationRow, ...]:
        rows = []
        for code in self.by_name(self.score.members):
            position = self.registry.position(code, positions_date) if code in self.registry else None
            membership = self.data.process.membership(code)
            stored = self.data.latest.get(code)
            rows.append(ParticipationRow(
                code=code,
                name=self.name(code),
                position=_position_text(position, self.lang) if position else NO_VALUE,
                position_unverified=bool(position and not position.verified),
                membership_unverified=bool(membership and not membership.verified),
                submitted=stored is not None,
                dated=(stored.submission.date or NO_VALUE) if stored else NO_VALUE,
                received_on=iso_date(stored.ingested_at) if stored else NO_VALUE,
                versions=self.count(self.data.version_counts.get(code, 0)),
                warnings=self.count(stored.warning_count) if stored else NO_VALUE,
                review=self.review_state(self.data.review_states.get(code)),
            ))
        return tuple(rows)

    def review_state(self, state: str | None) -> str:
        _ = self._
        names = {"submitted": _("Not yet reviewed"), "accepted": _("Accepted"), "returned": _("Returned"),
                 "withdrawn": _("Withdrawn")}
        return names.get(state or "", NO_VALUE)

    def heatmap(self) -> Heatmap:
        groups = tuple(
            HeatmapGroup(table.number, self.round_table_title(table.number),
                         tuple(self.objectives[o] for o in table.objectives))
            for table in self.edition.round_tables
        )
        columns = tuple(ref for group in groups for ref in group.objectives)
        rows = tuple(
            HeatmapRow(code, self.name(code),
                       tuple(self.score_of(self.score.states[code].objectives.get(ref.number)) for ref in columns))
            for code in self.by_name(self.submitted)
        )
        last = HEAT_STEPS - 1
        legend = tuple(
            LegendStep(step, "%s\u2013%s" % (
                format_number(step / HEAT_STEPS, self.lang),
                format_number(1.0 if step == last else (step + 1) / HEAT_STEPS - 0.01, self.lang)))
            for step in range(HEAT_STEPS)
        )
        return Heatmap(groups, rows, tuple(ref.score for ref in columns), legend, columns)

    def state_scores(self) -> tuple[StateScoreRow, ...]:
        rows = []
        for code in self.by_name(self.submitted):
            change = self.state_change(code)
            rows.append(StateScoreRow(
                code=code,
                name=self.name(code),
                round_tables=tuple(self.score_of(self.score.states[code].round_tables.get(t.number))
                                   for t in self.edition.round_tables),
                overall=self.score_of(self.score.states[code].overall),
                reported_share=format_share(self.score.states[code].reported_share, self.lang),
                change=None if self.trend is None else change_of(change, self.lang),
            ))
        return tuple(rows)

    def trends(self) -> Trends | None:
        if self.previous_edition is None:
            return None
        trend = self.trend
        lang = self.lang

        if trend is None:  # the previous cycle has data, but no state reported in both
            empty = TrendRow("", "", self.score_of(None), self.score_of(None), change_of(None, lang))
            return Trends(self.data.previous.cycle, self.previous_edition.title(lang), self.count(0), (),
                          tuple(self.name(c) for c in self.by_name(self.submitted)), empty, (), (), (), (), ())

        def exact_row(label, anchor, kind, key=None):
            b, n = trend.before.exact[kind], trend.now.exact[kind]
            if key is not None:
                b, n = b.get(key), n.get(key)
            return TrendRow(label, anchor, self.score_of(None if b is None else float(b)),
                            self.score_of(None if n is None else float(n)), change_of(trend.change(kind, key), lang))

        matched = self.by_name(trend.states)
        state_rows = tuple(
            TrendRow(self.name(c), "", self.score_of(trend.before.states[c].overall),
                     self.score_of(trend.now.states[c].overall), change_of(trend.state_change(c), lang))
            for c in matched)
        state_tables = tuple(
            (self.name(c), tuple(change_of(trend.state_change(c, "round_tables", t.number), lang)
                                 for t in self.edition.round_tables))
            for c in matched)
        map_rows = tuple(
            TrendMapRow(self.name(c), tuple(change_of(trend.state_change(c, "objectives", o), lang)
                                            for o in self.columns))
            for c in matched)
        return Trends(
            previous_cycle=self.data.previous.cycle,
            previous_edition=self.previous_edition.title(lang),
            compared=self.count(len(matched)),
            compared_names=tuple(self.name(c) for c in matched),
            only_now=tuple(self.name(c) for c in self.by_name(c for c in self.submitted if c not in trend.states)),
            overall=exact_row(self._("Overall"), "", "overall"),
            round_tables=tuple(exact_row(self.round_table_title(t.number), f"round-table-{t.number}", "round_tables",
                                         t.number) for t in self.edition.round_tables),
            objectives=tuple(exact_row(self.objective_short_title(o), f"objective-{o}", "objectives", o)
                             for o in self.columns),
            states=state_rows,
            state_round_tables=state_tables,
            map_rows=map_rows,
        )

    def _state_report(self, code: str, number: int) -> StateReport:
        sub = self.submissions[code]
        row = sub.objectives.get(number)
        explained: ObjectiveExplanation = self.explained[code].objectives[number]
        decisive = explained.decisive_practice
        evidence = excerpt(row.evidence, SHORT_EXCERPT_CHARS) if row else ""
        partners = excerpt(row.partners, SHORT_EXCERPT_CHARS) if row else ""
        practices = tuple(self.practice_ref(code, p.index) for p in explained.practices)
        # The excerpt's labels are in the workbook's language, like the text they label: a label in
        # the report's language would need an element of its own inside the excerpt, and each such
        # inline element costs WeasyPrint more than the text it holds (a third more time for a
        # Spanish report of English workbooks).
        _w = translations(sub.lang).gettext
        details = " · ".join(part for part in (
            evidence and f"{_w('Evidence:')} {evidence}",
            partners and f"{_w('Partners:')} {partners}",
            practices and f"{_w('Practices (Annex C):')} {code}-{', '.join(str(p.number) for p in practices)}",
        ) if part)
        return StateReport(
            code=code,
            name=self.name(code),
            lang=sub.lang,
            status=self.status_names.get(row.status, row.status) if row else self._("Not reported"),
            score=self.score_of(self.score.states[code].objectives.get(number)),
            decided_by=explained.decided_by,
            decisive=self.practice_ref(code, decisive.index) if decisive else None,
            contradiction=explained.contradiction,
            measures=excerpt(row.measures) if row else "",
            evidence=evidence,
            partners=partners,
            practices=practices,
            details=details,
        )

    def _objective_section(self, number: int) -> ObjectiveSection:
        objective = self.fw.objectives[number]
        not_reported = self._("Not reported")
        counts: Counter[str | None] = Counter()
        codes = self.by_name(self.submissions)
        for code in codes:
            row = self.submissions[code].objectives.get(number)
            counts[row.status if row else None] += 1  # None: no row in the Objectives sheet
        total = max(1, len(self.submissions))
        statuses = tuple(
            StatusCount(self.status_names.get(key, key) if key else not_reported,
                        self.count(counts[key]), round(100 * counts[key] / total))
            for key in [s.key for s in self.fw.statuses] + [None]
        )
        return ObjectiveSection(
            number=number,
            title=objective.title(self.lang),
            short_title=self.objective_short_title(number),
            anchor=f"objective-{number}",
            score=self.objectives[number].score,
            title_unverified=not objective.is_verified(f"title.{self.lang}"),
            statuses=statuses,
            reports=tuple(self._state_report(code, number) for code in codes),
        )

    def chapters(self) -> tuple[RoundTableChapter, ...]:
        return tuple(
            RoundTableChapter(
                number=table.number,
                title=self.round_table_title(table.number),
                anchor=f"round-table-{table.number}",
                score=self.score_of(self.score.round_tables.get(table.number)),
                objectives=tuple(self._objective_section(n) for n in table.objectives),
            )
            for table in self.edition.round_tables
        )

    def practice_meta(self, practice, lang: str) -> str:
        """"(Implemented; objectives 5, 6)": a practice's status and objectives for its catalogue
        line, in `lang`, the language of its workbook (the line is all in that language)."""
        _w = translations(lang).gettext
        numbers = practice.mapped_objectives(self.fw)
        listed = ", ".join(str(n) for n in numbers) or NO_VALUE
        objectives = (_w("objective %(list)s") if len(numbers) == 1 else _w("objectives %(list)s")) % {
            "list": listed}
        names = self.status_names_in.get(lang)
        if names is None:  # once per language, not once per practice
            names = self.status_names_in[lang] = {s.key: s.name(lang) for s in self.fw.statuses}
        return _w("(%(status)s; %(objectives)s)") % {
            "status": names.get(practice.status, practice.status), "objectives": objectives}

    def catalogue(self) -> tuple[CatalogueGroup, ...]:
        groups = []
        for code in self.by_name(self.submissions):
            sub = self.submissions[code]
            entries = tuple(
                CatalogueEntry(
                    id=f"{code}-{index}", anchor=f"practice-{code}-{index}", lang=sub.lang,
                    title=excerpt(practice.title, SHORT_EXCERPT_CHARS),
                    description=excerpt(practice.description, SHORT_EXCERPT_CHARS),
                    meta=self.practice_meta(practice, sub.lang),
                )
                for index, practice in enumerate(sub.practices, start=1)
            )
            if entries:
                groups.append(CatalogueGroup(code, self.name(code), entries))
        return tuple(groups)

    def gaps(self) -> Gaps:
        refs = list(self.objectives.values())
        exact = self.score.exact.get("objectives", {})
        covered = [ref for ref in refs if (self.printed_score(ref.number) or 0) > 0]
        return Gaps(
            any_submission=bool(self.submitted),
            uncovered=tuple(ref for ref in refs if self.printed_score(ref.number) == 0),
            excluded=tuple(ref for ref in refs if self.submitted and self.printed_score(ref.number) is None),
            lowest=tuple(sorted(covered, key=lambda r: (exact[r.number], r.number))[:LOWEST_IN_GAPS]),
            not_submitted=tuple(self.name(code) for code in self.by_name(self.score.not_submitted)),
        )

    def principles(self) -> tuple[PrincipleRow, ...]:
        rows: Counter[str] = Counter()
        practices: Counter[str] = Counter()
        citing: dict[str, set[str]] = {}
        for code, submission in self.submissions.items():
            for row in submission.objectives.values():
                for letter in set(row.principles):
                    rows[letter] += 1
                    citing.setdefault(letter, set()).add(code)
            for practice in submission.practices:
                for letter in set(practice.principles):
                    practices[letter] += 1
                    citing.setdefault(letter, set()).add(code)
        most = max([rows[p.letter] + practices[p.letter] for p in self.fw.principles] + [1])
        return tuple(
            PrincipleRow(
                letter=p.letter,
                name=p.name(self.lang),
                objective_rows=self.count(rows[p.letter]),
                practices=self.count(practices[p.letter]),
                states=self.count(len(citing.get(p.letter, ()))),
                total=self.count(rows[p.letter] + practices[p.letter]),
                bar=round(100 * (rows[p.letter] + practices[p.letter]) / most),
            )
            for p in self.fw.principles
        )

    def methodology(self) -> Methodology:
        statuses = self.fw.statuses
        forum = self.edition.forum
        note = self._("The forum is named “%(name)s (%(acronym)s)” in this report, as in the workbook.") % {
            "name": forum.name(self.lang), "acronym": forum.acronym(self.lang)}
        if f"acronym.{self.lang}" in forum.unverified:
            note += " " + self._("The acronym was not found in a UN source.")
        return Methodology(
            method=self.fw.scoring_method,
            weights=tuple(StatusWeight(s.name(self.lang),
                                       None if s.weight is None else format_number(s.weight, self.lang))
                          for s in statuses),
            excluded_statuses=tuple(s.name(self.lang) for s in statuses if s.weight is None),
            published_decimals=self.count(PUBLISHED_DECIMALS),
            printed_decimals=self.count(PRINTED_DECIMALS),
            rounding_example="%s \u2192 %s" % (format_number(0.475, self.lang, 3), format_score(0.475, self.lang)),
            excerpt_chars=self.count(EXCERPT_CHARS),
            short_excerpt_chars=self.count(SHORT_EXCERPT_CHARS),
            unverified_titles=tuple(str(o.number) for o in self.fw.objectives.values()
                                    if not o.is_verified(f"title.{self.lang}")),
            forum_note=note,
        )

    def submission_rows(self) -> tuple[SubmissionRow, ...]:
        rows = []
        for code in self.by_name(self.submitted):
            stored = self.data.latest.get(code)
            if stored is None:
                continue
            sub = stored.submission
            versions = max(stored.version, self.data.version_counts.get(code, 0))
            warnings = tuple(
                WarningRow(code=str(w.get("code", "")),
                           where=" ".join(str(x) for x in (w.get("sheet"), w.get("cell")) if x) or NO_VALUE,
                           message=str(w.get("message") or ""))
                for w in stored.problems)
            rows.append(SubmissionRow(
                code=code,
                name=self.name(code),
                lang=sub.lang,
                filename=stored.filename,
                sha256=stored.sha256[:12],
                received=parse_utc(stored.ingested_at).strftime("%Y-%m-%d %H:%M UTC"),
                dated=sub.date or NO_VALUE,
                period=sub.period or NO_VALUE,
                institution=sub.institution or NO_VALUE,
                template_version=stored.template_version or NO_VALUE,
                version=f"{self.count(stored.version)} / {self.count(versions)}",
                warnings=warnings,
                warning_groups=self.warning_groups(stored.problems),
            ))
        return tuple(rows)

    def warning_groups(self, problems) -> tuple[WarningGroup, ...]:
        """A submission's stored warnings by kind (Annex B): several warnings of a kind take one
        line, with the kind's summary in the report's language and every place; one warning, or a
        kind with no summary (a code no longer in the catalogue), keeps its own message."""
        kinds: dict[str, list[dict]] = {}
        for w in problems:
            kinds.setdefault(str(w.get("code", "")), []).append(w)
        groups = []
        for code, found in kinds.items():
            meaning = problem_summary(code, self.lang)
            if len(found) == 1 or meaning is None:
                groups.extend(WarningGroup(code, self.count(1), _places([w]), str(w.get("message") or ""), "")
                              for w in found)
            else:
                groups.append(WarningGroup(code, self.count(len(found)), _places(found), "", meaning))
        return tuple(groups)

    def contents(self, headings: Mapping[str, str], chapters: tuple[RoundTableChapter, ...],
                 has_trends: bool, has_catalogue: bool) -> tuple[ContentsEntry, ...]:
        """The contents page: the same titles as the headings and the bookmarks."""
        entries = [ContentsEntry(key, headings[key], 1) for key in ("summary", "participation", "heatmap")]
        entries.append(ContentsEntry("state-scores", headings["state-scores"], 2))
        if has_trends:
            entries.append(ContentsEntry("trends", headings["trends"], 1))
            entries.append(ContentsEntry("trend-map", headings["trend-map"], 2))
        for chapter in chapters:
            entries.append(ContentsEntry(chapter.anchor, chapter.title, 1))
            entries.extend(ContentsEntry(s.anchor, s.short_title, 2) for s in chapter.objectives)
        keys = ["gaps", "principles", "annex-a", "annex-b"] + (["annex-c"] if has_catalogue else [])
        entries.extend(ContentsEntry(key, headings[key], 1) for key in keys)
        return tuple(entries)


def build_context(data: ReportData, lang: str) -> ReportContext:
    """The context of one report in one language (deterministic: no clock, no random ids)."""
    check_lang(lang)
    build = _Builder(data, lang)
    _ = build._
    # Every date is derived from as_of, the time of the latest ingested submission.
    moment = parse_utc(data.as_of) if data.as_of else None
    cycle_end = dt.date(data.cycle, 12, 31)
    positions_date = min(moment.date(), cycle_end) if moment else cycle_end
    acronym = data.process.acronym(lang)
    edition = build.edition
    previous = build.previous_edition.title(lang) if build.previous_edition else None
    headings = MappingProxyType(_heading_titles(lang, previous))
    chapters = build.chapters()
    participation = build.participation(positions_date)
    trends = build.trends()
    catalogue = build.catalogue()
    submissions = build.submission_rows()
    return ReportContext(
        lang=lang,
        title=_("%(process)s: regional review of the Global Compact for Migration, cycle %(cycle)s") % {
            "process": acronym, "cycle": data.cycle},
        author=AUTHOR,
        process_id=data.process.id,
        process_name=data.process.name(lang),
        process_acronym=acronym,
        cycle=data.cycle,
        edition_name=edition.title(lang),
        forum_name="%s (%s)" % (edition.forum.name(lang), edition.forum.acronym(lang)),
        edition_provisional=edition.provisional,
        edition_dates=(format_date_range(edition.opens, edition.closes, lang)
                       if edition.opens and edition.closes else None),
        edition_hearing=format_long_date(edition.hearing, lang) if edition.hearing else None,
        language_name=language_name(lang),
        sample=data.sample,
        generated_on=format_long_date(moment.date(), lang) if moment else None,
        data_as_of=(_("%(date)s, %(time)s UTC") % {"date": format_long_date(moment.date(), lang),
                                                   "time": format_clock(moment, lang)}) if moment else None,
        created_w3c=moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None,
        running_header=css_string(_("%(process)s · Regional review, cycle %(cycle)s") % {
            "process": acronym, "cycle": data.cycle}),
        page_numbers=_page_numbers_css(_("Page %(page)s of %(pages)s")),
        headings=headings,
        contents=build.contents(headings, chapters, trends is not None, bool(catalogue)),
        summary=build.summary(),
        positions_as_of=format_long_date(positions_date, lang),
        participation=participation,
        any_position_unverified=any(r.position_unverified for r in participation),
        accepted_only=data.accepted_only,
        any_membership_unverified=any(r.membership_unverified for r in participation),
        heatmap=build.heatmap(),
        state_scores=build.state_scores(),
        round_table_titles=tuple(build.round_table_title(t.number) for t in edition.round_tables),
        trends=trends,
        chapters=chapters,
        gaps=build.gaps(),
        principles=build.principles(),
        methodology=build.methodology(),
        submissions=submissions,
        any_warning=any(row.warnings for row in submissions),
        catalogue=catalogue,
        practice_count=build.count(sum(len(g.entries) for g in catalogue)),
    )
