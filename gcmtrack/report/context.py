"""From a process's scored data to the one context object its report template reads.

`ReportData` holds everything a report is made from (no store access happens in this
package); `build_context` turns it into `ReportContext`, in which every string is already in
the report's language and every number already formatted, so the templates only lay out.
Text typed by states (measures, practice titles and descriptions) stays plain text here: the
template escapes it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from markupsafe import Markup

from gcmtrack.reference.framework import Framework, Objective, framework
from gcmtrack.submission import StoredSubmission
from gcmtrack.reference.processes import Process
from gcmtrack.report.i18n import (
    NO_VALUE,
    PRINTED_DECIMALS,
    PUBLISHED_DECIMALS,
    check_lang,
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
    published,
    translations,
)
from gcmtrack.scoring import ProcessScore
from gcmtrack.reference.states import GcmPosition, PositionEvent, states
from gcmtrack.common.text import fold

AUTHOR = "gcmtrack"
EXCERPT_CHARS = 300  # longest excerpt of a state's narrative printed in the report
HEAT_STEPS = 5  # colour steps of the heatmap palette (classes heat-0 … heat-4 in report.css)
BEST_AND_LEAST = 3  # objectives named as best- and least-covered in the summary
LOWEST_IN_GAPS = 5  # objectives listed as lowest-covered in the gaps section


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


# --------------------------------------------------------------------------- context pieces


@dataclass(frozen=True)
class Score:
    """One score as printed: its text, its heatmap colour step and its bar length."""

    text: str  # "0.75" / "0,75"; an en dash when there is no score (excluded, or nobody submitted)
    step: int | None  # colour step 0 … HEAT_STEPS-1 (light → dark), None when there is no score
    bar: int  # bar length in percent of the full width, 0 … 100


@dataclass(frozen=True)
class ObjectiveRef:
    """An objective named somewhere in the report, with its process score."""

    number: int
    title: str  # the GCM's own wording in the report language (objectives.yaml)
    label: str  # the short label in the report language
    anchor: str  # id of its section in the round-table chapter ("objective-5")
    score: Score


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


@dataclass(frozen=True)
class Summary:
    members: str  # formatted count
    submitted: str  # formatted count
    participation: str  # formatted percentage, or an en dash
    overall: Score
    any_submission: bool
    best: tuple[ObjectiveRef, ...]  # highest process scores, ties by objective number
    least: tuple[ObjectiveRef, ...]  # lowest process scores, ties by objective number
    round_tables: tuple[RoundTableScore, ...]


@dataclass(frozen=True)
class ParticipationRow:
    code: str
    name: str  # in the report language
    position: str  # "Voted in favour; withdrew (8 January 2019), rejoined (5 January 2023)"
    position_unverified: bool  # footnoted: a fact not verified against a primary source
    membership_unverified: bool  # footnoted: membership of the process not verified
    submitted: bool
    submitted_on: str  # ISO date of ingestion of the version that counts, or an en dash
    versions: str  # accepted versions this cycle (formatted count)
    warnings: str  # warnings of the version that counts (formatted count), or an en dash


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


@dataclass(frozen=True)
class StatusCount:
    name: str  # status name in the report language, or "Not reported"
    count: str  # formatted number of states
    bar: int  # share of the submitted members, percent


@dataclass(frozen=True)
class StateReport:
    """What one state reported for one objective."""

    code: str
    name: str
    status: str  # status name of its Objectives row, or "Not reported"
    score: Score  # the state's objective score (row and mapped practices)
    measures: str  # excerpt of the measures column (plain text; escaped by the template)


@dataclass(frozen=True)
class PracticeEntry:
    title: str  # excerpt (plain text; escaped by the template)
    state: str  # state name
    status: str
    description: str  # excerpt (plain text; escaped by the template)


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
    practices: tuple[PracticeEntry, ...]  # mapped through objectives or themes, by state then row


@dataclass(frozen=True)
class RoundTableChapter:
    number: int
    title: str
    anchor: str
    score: Score
    objectives: tuple[ObjectiveSection, ...]


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
    excerpt_chars: str
    unverified_titles: tuple[str, ...]  # objective numbers whose title in this language is unverified


@dataclass(frozen=True)
class SubmissionRow:
    code: str
    name: str
    filename: str
    sha256: str  # first 12 hex digits
    ingested_at: str  # "2026-03-02 14:05 UTC"
    template_version: str  # or an en dash
    version: str  # "2 / 3": the version that counts, of the accepted versions
    warnings: str


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
    edition_name: str  # IMRF edition of the cycle ("IMRF 2026")
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
    summary: Summary  # section 3
    positions_as_of: str  # ISO date at which GCM positions are stated (as_of, at most the cycle's end)
    participation: tuple[ParticipationRow, ...]  # section 4: every member, by name
    any_position_unverified: bool  # a position fact is footnoted as unverified
    any_membership_unverified: bool  # a membership is footnoted as unverified
    heatmap: Heatmap  # section 5
    state_scores: tuple[StateScoreRow, ...]  # section 5, round-table and overall scores per state
    round_table_titles: tuple[str, ...]  # column headers of the state scores table
    chapters: tuple[RoundTableChapter, ...]  # section 6: one per round table of the edition
    gaps: Gaps  # section 7
    principles: tuple[PrincipleRow, ...]  # section 8: the ten principles in order a-j
    methodology: Methodology  # annex A
    submissions: tuple[SubmissionRow, ...]  # annex B: the counted submission of each submitter


# --------------------------------------------------------------------------- helpers


def score_of(value: float | None, lang: str) -> Score:
    number = published(value)
    if number is None:
        return Score(format_score(None, lang), None, 0)
    fraction = min(max(float(number), 0.0), 1.0)
    step = min(HEAT_STEPS - 1, math.floor(fraction * HEAT_STEPS))
    return Score(format_score(value, lang), step, round(fraction * 100))


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
    """The vote and the later events, worded by the vocabulary of states/gcm-positions.yaml."""
    _ = translations(lang).gettext
    vocabulary = states().vocabulary
    text = vocabulary.votes[position.vote](lang)
    changes = [_("%(event)s (%(date)s)") % {"event": vocabulary.events[e.position](lang), "date": _event_date(e, lang)}
               for e in position.events]
    if not changes:
        return text
    return _("%(vote)s; %(changes)s") % {"vote": text, "changes": ", ".join(changes)}


def _heading_titles(lang: str) -> dict[str, str]:
    _ = translations(lang).gettext
    return {
        "contents": _("Contents"),
        "summary": _("Summary"),
        "participation": _("Participation"),
        "heatmap": _("Coverage by state and objective"),
        "state-scores": _("Scores by state"),
        "gaps": _("Gaps"),
        "principles": _("Guiding principles"),
        "annex-a": _("Annex A. Methodology"),
        "annex-b": _("Annex B. Submissions"),
    }


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
        self.edition = self.fw.edition(data.cycle)
        self.submitted = [code for code in self.score.members if code in self.score.states]
        self.submissions = {code: data.latest[code].submission for code in self.submitted if code in data.latest}
        self.status_names = {s.key: s.name(lang) for s in self.fw.statuses}
        self.objectives = {number: self._objective_ref(obj) for number, obj in self.fw.objectives.items()}

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

    def published_score(self, number: int) -> float | None:
        value = published(self.score.objectives.get(number))
        return None if value is None else float(value)

    def _objective_ref(self, objective: Objective) -> ObjectiveRef:
        return ObjectiveRef(objective.number, objective.title(self.lang), objective.label(self.lang),
                            f"objective-{objective.number}", self.score_of(self.score.objectives.get(objective.number)))

    # ---- sections

    def summary(self) -> Summary:
        scored = [ref for ref in self.objectives.values() if ref.score.step is not None]
        ranked = sorted(scored, key=lambda r: (-self.published_score(r.number), r.number))
        least = sorted(scored, key=lambda r: (self.published_score(r.number), r.number))
        return Summary(
            members=self.count(len(self.score.members)),
            submitted=self.count(len(self.submitted)),
            participation=format_share(self.score.participation, self.lang),
            overall=self.score_of(self.score.overall),
            any_submission=bool(self.submitted),
            best=tuple(ranked[:BEST_AND_LEAST]),
            least=tuple(least[:BEST_AND_LEAST]),
            round_tables=tuple(
                RoundTableScore(
                    number=table.number,
                    title=self.round_table_title(table.number),
                    anchor=f"round-table-{table.number}",
                    objectives=", ".join(str(o) for o in table.objectives),
                    score=self.score_of(self.score.round_tables.get(table.number)),
                )
                for table in self.edition.round_tables
            ),
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
                submitted_on=iso_date(stored.ingested_at) if stored else NO_VALUE,
                versions=self.count(self.data.version_counts.get(code, 0)),
                warnings=self.count(stored.warning_count) if stored else NO_VALUE,
            ))
        return tuple(rows)

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
        return tuple(
            StateScoreRow(
                code=code,
                name=self.name(code),
                round_tables=tuple(self.score_of(self.score.states[code].round_tables.get(t.number))
                                   for t in self.edition.round_tables),
                overall=self.score_of(self.score.states[code].overall),
                reported_share=format_share(self.score.states[code].reported_share, self.lang),
            )
            for code in self.by_name(self.submitted)
        )

    def _practices_by_objective(self) -> dict[int, list[PracticeEntry]]:
        """Each practice under every objective it maps to (named objectives and themes)."""
        result: dict[int, list[PracticeEntry]] = {}
        for code in self.by_name(self.submissions):
            for practice in sorted(self.submissions[code].practices, key=lambda p: p.row):
                entry = PracticeEntry(
                    title=excerpt(practice.title),
                    state=self.name(code),
                    status=self.status_names.get(practice.status, practice.status),
                    description=excerpt(practice.description),
                )
                for number in practice.mapped_objectives(self.fw):
                    result.setdefault(number, []).append(entry)
        return result

    def _objective_section(self, number: int, practices: list[PracticeEntry]) -> ObjectiveSection:
        objective = self.fw.objectives[number]
        not_reported = self._("Not reported")
        counts: Counter[str | None] = Counter()
        reports = []
        for code in self.by_name(self.submissions):
            row = self.submissions[code].objectives.get(number)
            counts[row.status if row else None] += 1  # None: no row in the Objectives sheet
            reports.append(StateReport(
                code=code,
                name=self.name(code),
                status=self.status_names.get(row.status, row.status) if row else not_reported,
                score=self.score_of(self.score.states[code].objectives.get(number)),
                measures=excerpt(row.measures) if row else "",
            ))
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
            reports=tuple(reports),
            practices=tuple(practices),
        )

    def chapters(self) -> tuple[RoundTableChapter, ...]:
        practices = self._practices_by_objective()
        return tuple(
            RoundTableChapter(
                number=table.number,
                title=self.round_table_title(table.number),
                anchor=f"round-table-{table.number}",
                score=self.score_of(self.score.round_tables.get(table.number)),
                objectives=tuple(self._objective_section(n, practices.get(n, [])) for n in table.objectives),
            )
            for table in self.edition.round_tables
        )

    def gaps(self) -> Gaps:
        refs = list(self.objectives.values())
        covered = [ref for ref in refs if (self.published_score(ref.number) or 0) > 0]
        return Gaps(
            any_submission=bool(self.submitted),
            uncovered=tuple(ref for ref in refs if self.published_score(ref.number) == 0.0),
            excluded=tuple(ref for ref in refs if self.submitted and self.published_score(ref.number) is None),
            lowest=tuple(sorted(covered, key=lambda r: (self.published_score(r.number), r.number))[:LOWEST_IN_GAPS]),
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
        return Methodology(
            method=self.fw.scoring_method,
            weights=tuple(StatusWeight(s.name(self.lang),
                                       None if s.weight is None else format_number(s.weight, self.lang))
                          for s in statuses),
            excluded_statuses=tuple(s.name(self.lang) for s in statuses if s.weight is None),
            published_decimals=self.count(PUBLISHED_DECIMALS),
            printed_decimals=self.count(PRINTED_DECIMALS),
            excerpt_chars=self.count(EXCERPT_CHARS),
            unverified_titles=tuple(str(o.number) for o in self.fw.objectives.values()
                                    if not o.is_verified(f"title.{self.lang}")),
        )

    def submission_rows(self) -> tuple[SubmissionRow, ...]:
        rows = []
        for code in self.by_name(self.submitted):
            stored = self.data.latest.get(code)
            if stored is None:
                continue
            versions = max(stored.version, self.data.version_counts.get(code, 0))
            rows.append(SubmissionRow(
                code=code,
                name=self.name(code),
                filename=stored.filename,
                sha256=stored.sha256[:12],
                ingested_at=parse_utc(stored.ingested_at).strftime("%Y-%m-%d %H:%M UTC"),
                template_version=stored.template_version or NO_VALUE,
                version=f"{self.count(stored.version)} / {self.count(versions)}",
                warnings=self.count(stored.warning_count),
            ))
        return tuple(rows)

    def contents(self, headings: Mapping[str, str],
                 chapters: tuple[RoundTableChapter, ...]) -> tuple[ContentsEntry, ...]:
        """The contents page: the same titles as the headings and the bookmarks."""
        entries = [ContentsEntry(key, headings[key], 1) for key in ("summary", "participation", "heatmap")]
        entries.append(ContentsEntry("state-scores", headings["state-scores"], 2))
        for chapter in chapters:
            entries.append(ContentsEntry(chapter.anchor, chapter.title, 1))
            entries.extend(ContentsEntry(s.anchor, s.short_title, 2) for s in chapter.objectives)
        entries.extend(ContentsEntry(key, headings[key], 1) for key in ("gaps", "principles", "annex-a", "annex-b"))
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
    headings = MappingProxyType(_heading_titles(lang))
    chapters = build.chapters()
    participation = build.participation(positions_date)
    return ReportContext(
        lang=lang,
        title=_("%(process)s: regional review of the Global Compact for Migration, cycle %(cycle)s") % {
            "process": acronym, "cycle": data.cycle},
        author=AUTHOR,
        process_id=data.process.id,
        process_name=data.process.name(lang),
        process_acronym=acronym,
        cycle=data.cycle,
        edition_name=build.edition.name,
        edition_provisional=build.edition.provisional,
        edition_dates=(format_date_range(build.edition.opens, build.edition.closes, lang)
                       if build.edition.opens and build.edition.closes else None),
        edition_hearing=format_long_date(build.edition.hearing, lang) if build.edition.hearing else None,
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
        contents=build.contents(headings, chapters),
        summary=build.summary(),
        positions_as_of=positions_date.isoformat(),
        participation=participation,
        any_position_unverified=any(r.position_unverified for r in participation),
        any_membership_unverified=any(r.membership_unverified for r in participation),
        heatmap=build.heatmap(),
        state_scores=build.state_scores(),
        round_table_titles=tuple(build.round_table_title(t.number) for t in build.edition.round_tables),
        chapters=chapters,
        gaps=build.gaps(),
        principles=build.principles(),
        methodology=build.methodology(),
        submissions=build.submission_rows(),
    )
