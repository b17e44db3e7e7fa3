"""The report's view-model: what a report is made from (`ReportData`) and the frozen context its
templates read (`ReportContext` and its parts).

Every class is a frozen dataclass, documented field by field: strings are already in the report's
language and numbers already formatted (sections.py does it), so the templates only lay out. Text
typed by states stays plain text here, with the language it was written in: the template escapes
it and marks its language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from markupsafe import Markup

from gcmtrack.authored import AuthoredReview
from gcmtrack.common.languages import direction
from gcmtrack.reference.processes import Process
from gcmtrack.scoring import ProcessScore
from gcmtrack.submission import StoredSubmission


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
    authored: AuthoredReview | None = None  # what staff wrote and chose for the review edition; None: nothing yet


# --------------------------------------------------------------------------- the context's parts


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
    """A round table's process score in the summary, with its change since the previous cycle."""

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
    shares_note: str = ""  # "Shares are rounded … may not add up to 100%." when the printed shares do not
    bases: str = ""  # the base of the scores (submitting members) and of the changes (states in both cycles)


@dataclass(frozen=True)
class ParticipationRow:
    """One member in the participation table: its GCM position, submission and review."""

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
    """One submitted member in the heatmap: its objective scores."""

    code: str
    name: str
    cells: tuple[Score, ...]  # one per objective, in the groups' column order


@dataclass(frozen=True)
class LegendStep:
    """One colour step of the heatmap's legend."""

    step: int
    text: str  # the range of scores it stands for, "0.20–0.39"


@dataclass(frozen=True)
class Heatmap:
    """The coverage heatmap: states × objectives, grouped by round table."""

    groups: tuple[HeatmapGroup, ...]
    rows: tuple[HeatmapRow, ...]  # submitted members, by name
    process_cells: tuple[Score, ...]  # the process objective scores, same column order
    legend: tuple[LegendStep, ...]
    objectives: tuple[ObjectiveRef, ...]  # the columns in order (for the key under the table)


@dataclass(frozen=True)
class StateScoreRow:
    """One submitted member in the state scores table."""

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
    """One state in the trend map: its change per objective."""

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
    """One status of an objective's distribution: how many states reported it."""

    name: str  # status name in the report language, or "Not reported"
    count: str  # formatted number of states
    bar: int  # share of the submitted members, percent


@dataclass(frozen=True)
class PracticeRef:
    """A practice named in a state's report of an objective, linking to its catalogue entry."""

    id: str  # the practice's catalogue id, "MEX-3"
    number: str  # its number within the state's workbook, "3"
    anchor: str  # its id in the catalogue ("practice-MEX-3")
    name: str = ""  # the one name, "MEX practice 3 (Practices, row 5)", in the report's language


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
    cut: bool = False  # an excerpt is shorter than the text: the row refers to the state's profile (Annex D)


@dataclass(frozen=True)
class ObjectiveSection:
    """One objective inside a round-table chapter: its score, statuses and what each state reported."""

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
    """The chapter of one IMRF round table: its objectives in the edition's order."""

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
    name: str = ""  # the one name, "MEX practice 3 (Practices, row 5)", in the workbook's language like the entry


@dataclass(frozen=True)
class CatalogueGroup:
    """The practices of one state in Annex C."""

    code: str  # the state's code ("MEX")
    name: str  # the state's name in the report language
    entries: tuple[CatalogueEntry, ...]  # its practices, in the order of its workbook


@dataclass(frozen=True)
class Gaps:
    """The gaps section: objectives with no or the lowest coverage, members without a submission."""

    any_submission: bool
    uncovered: tuple[ObjectiveRef, ...]  # process score 0: no submitted member reported progress
    excluded: tuple[ObjectiveRef, ...]  # not applicable for every submitted member
    lowest: tuple[ObjectiveRef, ...]  # the lowest scores above 0
    not_submitted: tuple[str, ...]  # names of members without a submission


@dataclass(frozen=True)
class PrincipleRow:
    """One guiding principle and how often it is cited."""

    letter: str
    name: str  # the GCM's wording in the report language (principles.yaml)
    objective_rows: str  # formatted count of Objectives rows citing it
    practices: str  # formatted count of practices citing it
    states: str  # formatted count of states citing it at least once
    total: str  # objective_rows + practices
    bar: int  # total relative to the most-cited principle, percent


@dataclass(frozen=True)
class StatusWeight:
    """One status of the vocabulary and the weight scoring gives it (Annex A)."""

    name: str
    weight: str | None  # formatted weight, None when the status is excluded from scoring


@dataclass(frozen=True)
class Methodology:
    """Annex A: the scoring method with the weights actually used, rounding and excerpt lengths."""

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
    """One stored warning of a submission (Annex B)."""

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
    message: str  # one warning: its message, in `lang`; else ""
    summary: str  # several: what the kind means, in the report's language; else ""
    lang: str  # the language of the line: the report's, or the workbook's for a message stored as text


@dataclass(frozen=True)
class SubmissionRow:
    """The counted submission of one state in Annex B."""

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


# --------------------------------------------------------------------------- the review edition (report v2)

#: The two editions from one store (review.md): the public, authored review and the staff's scoreboard.
EDITIONS = ("review", "staff")
DEFAULT_EDITION = "review"


@dataclass(frozen=True)
class AuthoredSection:
    """A section staff write, as the review prints it."""

    key: str  # the section ("key-messages", "synthesis", …)
    html: Markup | None  # the sanitised HTML of the staff's Markdown; None: not written yet
    lang: str  # the language the text is written in (the report's when none)
    note: str  # "Not yet translated: the text as written in English." or ""; "" when written in this language
    missing: str  # what the review says where no text exists yet


@dataclass(frozen=True)
class Quote:
    """A state's text quoted in full in a round-table chapter (a featured item)."""

    state: str  # the state's name in the report language
    code: str  # ISO3, for the link to its profile
    kind: str  # "objective-text" or "practice"
    lang: str  # the language of the text
    title: str  # a practice's title, "" otherwise
    text: str  # in full, plain (escaped by the template)
    source: str  # "Mexico, Objectives, cell C9": where the text stands
    stale: bool  # the version that counts no longer holds this text (shown to staff as a flag)


@dataclass(frozen=True)
class ObjectiveReview:
    """One objective in a round-table chapter of the review: aggregates, reporting states, quotes."""

    number: int
    title: str  # the GCM's wording in the report language
    short_title: str  # "Objective 5. Regular pathways"
    anchor: str
    base: str  # "Reported by 8 of 23 members" (representativeness of the aggregates below)
    statuses: tuple  # StatusCount, every status then "Not reported", over the submitting members
    score: str  # "0.49 over 9 states", or "" when the disclosure or the base does not allow it
    states: tuple[str, ...]  # names of the states that reported it (a status other than not reported)
    quotes: tuple[Quote, ...]  # objective texts featured by staff, in full
    practices: tuple[Quote, ...]  # practices featured by staff, in full
    indicators: tuple["IndicatorRow", ...] = ()  # context indicators concerning it (reference/sdg.py)


@dataclass(frozen=True)
class ChapterReview:
    """The review's chapter of one round table."""

    number: int
    title: str
    anchor: str
    synthesis: AuthoredSection
    objectives: tuple[ObjectiveReview, ...]
    challenges: AuthoredSection


@dataclass(frozen=True)
class InputEntry:
    """A stakeholder's written input, set apart from what States reported."""

    organisation: str  # as recorded (plain)
    kind: str  # the kind of stakeholder, in the report language
    lang: str
    date: str  # long date in the report language
    text: str  # in full, plain
    summary: bool  # the text is the staff's summary of the input


@dataclass(frozen=True)
class IndicatorRow:
    """One value of a context indicator, with its source, year and unit."""

    indicator: str
    geo: str  # the state's or region's name, or the code as given
    year: str
    value: str
    unit: str
    source: str
    note: str
    objectives: tuple[int, ...] = ()  # the GCM objectives it concerns (an SDG indicator; reference/sdg.py)


@dataclass(frozen=True)
class ProfileQuote:
    """A passage of a narrative review confirmed for an objective, quoted in full."""

    text: str  # as the document says it (plain text; escaped by the template)
    where: str  # "page 4, paragraph 2" (or "paragraph 12" for a DOCX), in the report language
    headings: str  # the heading path above it, "Part II › Objective 5", as written
    lang: str  # the passage's language as detected, else the document's


@dataclass(frozen=True)
class ProfileObjective:
    """What a state wrote for one objective, in full."""

    number: int
    title: str  # "Objective 5. Regular pathways"
    status: str  # the status it gave itself, in the report language
    measures: str  # in full
    evidence: str  # in full
    partners: str  # in full
    practices: str  # "CAN practice 2 (Practices, row 3)" names of its practices mapped to the objective
    quotes: tuple[ProfileQuote, ...] = ()  # a narrative review: the passages a person confirmed, in full


@dataclass(frozen=True)
class ProfilePractice:
    """A practice of a state, in full."""

    name: str  # "CAN practice 2 (Practices, row 3)"
    anchor: str  # "practice-CAN-2"
    title: str
    description: str
    status: str  # in the report language
    objectives: str  # "5, 6"
    partners: str
    link: str  # the address as written (shown, never fetched)
    start_year: str


@dataclass(frozen=True)
class StateProfile:
    """Annex: everything one state wrote, never cut. Identical in every process the state belongs
    to: its HTML fragment is rendered once per submission and language and reused (`html`)."""

    code: str
    name: str
    anchor: str  # "profile-CAN"
    lang: str  # the workbook's language: every text of the profile is in it
    sha256: str  # the submission's digest: the key of the fragment's cache
    institution: str
    period: str
    objectives: tuple[ProfileObjective, ...]  # the objectives it wrote or gave a status for, in order
    practices: tuple[ProfilePractice, ...]
    html: Markup | None = None  # the rendered fragment, filled by render.py (from its cache)
    report_lang: str = "en"  # the report's language: the profile's texts get a dir when theirs differs

    document: str = ""  # a narrative review: "Narrative review: review.pdf (30 pages)"; "" for a workbook


@dataclass(frozen=True)
class Review:
    """The parts only the review edition has (review.md, "What the review holds")."""

    disclosure: str  # "aggregate", "anonymous" or "named"
    representative: bool  # at least a third of the members and at least 3 states submitted
    base: str  # "8 of 23 members submitted a report"
    caveat: str  # "These figures describe the 2 states that reported, not the region." or ""
    key_messages: AuthoredSection
    introduction: AuthoredSection
    facts: tuple[str, ...]  # generated facts of the introduction: members, who submitted, how, when
    context: AuthoredSection
    indicators: tuple[IndicatorRow, ...]
    chapters: tuple[ChapterReview, ...]
    inputs: tuple[InputEntry, ...]  # only those whose authors agreed to publication
    recommendations: AuthoredSection
    distribution: tuple[tuple[str, str], ...]  # anonymous disclosure: (score band, number of states)
    disclaimer: str  # the UN disclaimer on designations
    sample: bool  # the authored content is sample content (the demo)


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
    edition: str = "staff"  # "review" (public, authored) or "staff" (the v1 scoreboard, named)
    draft: bool = False  # DRAFT on the cover and in every page's margin (review edition until final)
    draft_mark: Markup = Markup('""')  # CSS content value of the margin's DRAFT mark
    review_line: str = ""  # "12 of 15 versions accepted; 3 not yet reviewed"
    base_line: str = ""  # "8 of 23 members" on which the aggregates rest
    caveat: str = ""  # the figures describe those states, not the region ("" when representative)
    show_rankings: bool = True  # best/least lists printed (never under a third of members or 3 states in the review)
    review: Review | None = None  # the review edition's own parts
    profiles: tuple[StateProfile, ...] = ()  # annex: every submitting state's texts, in full

    @property
    def dir(self) -> str:
        """The report's writing direction, <html dir>: "rtl" for Arabic, else "ltr"."""
        return direction(self.lang)
