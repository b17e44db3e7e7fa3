"""Each section of a report's context, built from its data in the report's language: the summary,
participation, heatmap, state scores, trends, round-table chapters, gaps, principles and annexes.

`Sections` holds what every section needs (the data, the language, the reference data, the
explained submissions, the matched-cycle trends from scoring.trends) and builds one part of the
view-model (model.py) per method; context.py assembles them into the `ReportContext`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Mapping

from gcmtrack.common.text import fold
from gcmtrack.intake.problems import summary as problem_summary
from gcmtrack.reference.framework import Edition, Framework, Objective, RoundTable
from gcmtrack.reference.states import GcmPosition, PositionEvent, StateRegistry, states
from gcmtrack.report.i18n import (
    NO_VALUE,
    format_change,
    format_count,
    format_long_date,
    format_month,
    format_number,
    format_score,
    format_share,
    iso_date,
    parse_utc,
    translations,
)
from gcmtrack.report.model import (
    CatalogueEntry,
    CatalogueGroup,
    Change,
    ContentsEntry,
    Gaps,
    Heatmap,
    HeatmapGroup,
    HeatmapRow,
    LegendStep,
    Methodology,
    ObjectiveRef,
    ObjectiveSection,
    ParticipationRow,
    PracticeRef,
    PrincipleRow,
    Ranked,
    ReportData,
    RoundTableChapter,
    RoundTableScore,
    Score,
    StateReport,
    StateScoreRow,
    StatusBar,
    StatusCount,
    StatusWeight,
    Summary,
    SubmissionRow,
    TrendMapRow,
    TrendRow,
    Trends,
    WarningGroup,
    WarningRow,
)
from gcmtrack.scoring.explain import ObjectiveExplanation, SheetNames, explain_submission
from gcmtrack.scoring.rounding import PRINTED_DECIMALS, PUBLISHED_DECIMALS, round_half_up
from gcmtrack.scoring.trends import MatchedTrends, matched_trends

EXCERPT_CHARS = 120  # longest excerpt of a state's measures printed in the report
SHORT_EXCERPT_CHARS = 60  # evidence, partners, practice titles and descriptions in the catalogue
HEAT_STEPS = 5  # colour steps of the heatmap palette (classes heat-0 … heat-4 in report.css)
BEST_AND_LEAST = 3  # objectives named as best- and least-covered in the summary (more when tied)
LOWEST_IN_GAPS = 5  # objectives listed as lowest-covered in the gaps section
MOVERS = 3  # objectives named as having risen or fallen most since the previous cycle
CHART_WIDTH = 40  # longest bar of the summary chart, in SVG user units (millimetres)
CHART_STEP = 4.7  # distance between the chart's bars: one status table row, in millimetres


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


class Sections:
    """Builds the parts of one report's context; holds what every part needs. `fw` and `registry`
    are the reference data (the framework of objectives and the states) the entry point passes."""

    def __init__(self, data: ReportData, lang: str, fw: Framework, registry: StateRegistry) -> None:
        self.data = data
        self.lang = lang
        self.fw: Framework = fw
        self.registry = registry
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

    def practice_ref(self, code: str, index: int, sheet: str = "", row: int = 0) -> PracticeRef:
        return PracticeRef(f"{code}-{index}", str(index), f"practice-{code}-{index}",
                           self.practice_name(code, index, sheet, row))

    def practice_name(self, code: str, index: int, sheet: str, row: int, lang: str | None = None) -> str:
        """"CAN practice 2 (Practices, row 3)": the one name of a practice (submission.practice_name)
        in the report's language, or in `lang`."""
        _ = translations(lang).gettext if lang else self._
        if row and sheet:
            return _("%(state)s practice %(number)s (%(sheet)s, row %(row)s)") % {
                "state": code, "number": index, "sheet": sheet, "row": row}
        return _("%(state)s practice %(number)s") % {"state": code, "number": index}

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

    @staticmethod
    def with_ties(ordered: list, limit: int, printed) -> list:
        """The first `limit` items of an ordered list, and every later one that prints the same as
        the last of them: a list never drops a tie (review.md, "Ties")."""
        chosen = ordered[:limit]
        if chosen:
            last = printed(chosen[-1])
            chosen += [item for item in ordered[limit:] if printed(item) == last]
        return chosen

    def round_table(self, table: RoundTable) -> dict:
        """What the summary's line and the chapter of a round table both give: its number, title,
        anchor and process score."""
        return {"number": table.number, "title": self.round_table_title(table.number),
                "anchor": f"round-table-{table.number}",
                "score": self.score_of(self.score.round_tables.get(table.number))}

    def round_table_scores(self) -> tuple[RoundTableScore, ...]:
        return tuple(
            RoundTableScore(
                **self.round_table(table),
                objectives=", ".join(str(o) for o in table.objectives),
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
        self.shares_rounded = sum(round_half_up(counts[k] / total, 2) for k in keys) != 1 if total else False
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
            numbers = self.with_ties(numbers, MOVERS, lambda n: round_half_up(comparable[n], PRINTED_DECIMALS))
            return _join([self._("objective %(number)s (%(change)s)") % {
                "number": n, "change": change_of(comparable[n], self.lang).text} for n in numbers], self.lang)

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
            shares_note=self._("Shares are rounded to whole percentages and may not add up to 100.")
            if self.shares_rounded else "",
            bases=self.bases(),
        )

    def bases(self) -> str:
        """One base per figure, or said: scores rest on the submitting states, changes on those
        that reported in both cycles."""
        text = self._("Scores are means over the %(count)s of %(members)s members that submitted a report.") % {
            "count": self.count(len(self.submitted)), "members": self.count(len(self.score.members))}
        if self.trend is not None:
            text += " " + self._("Changes compare only the %(count)s states that reported in both cycles.") % {
                "count": self.count(len(self.trend.states))}
        return text

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
            decisive=self.practice_ref(code, decisive.index, decisive.sheet, decisive.row) if decisive else None,
            contradiction=explained.contradiction,
            measures=excerpt(row.measures) if row else "",
            evidence=evidence,
            partners=partners,
            practices=practices,
            details=details,
            cut=bool(row) and any(_SPACES.sub(" ", text or "").strip() != shown for text, shown in (
                (row.measures, excerpt(row.measures)), (row.evidence, evidence), (row.partners, partners))),
        )

    def objective_statuses(self, number: int) -> tuple[StatusCount, ...]:
        """How many submitting states gave each status to an objective, then how many have no row."""
        not_reported = self._("Not reported")
        counts: Counter[str | None] = Counter()
        for code in self.submissions:
            row = self.submissions[code].objectives.get(number)
            counts[row.status if row else None] += 1  # None: no row in the Objectives sheet
        total = max(1, len(self.submissions))
        return tuple(
            StatusCount(self.status_names.get(key, key) if key else not_reported,
                        self.count(counts[key]), round(100 * counts[key] / total))
            for key in [s.key for s in self.fw.statuses] + [None]
        )

    def _objective_section(self, number: int) -> ObjectiveSection:
        objective = self.fw.objectives[number]
        codes = self.by_name(self.submissions)
        statuses = self.objective_statuses(number)
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
            RoundTableChapter(**self.round_table(table),
                              objectives=tuple(self._objective_section(n) for n in table.objectives))
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
            practices_sheet = SheetNames.of_language(sub.lang).practices
            entries = tuple(
                CatalogueEntry(
                    id=f"{code}-{index}", anchor=f"practice-{code}-{index}", lang=sub.lang,
                    name=self.practice_name(code, index, practices_sheet, practice.row, sub.lang),
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
            lowest=tuple(self.with_ties(sorted(covered, key=lambda r: (exact[r.number], r.number)), LOWEST_IN_GAPS,
                                        lambda r: self.printed_score(r.number))),
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
        if forum.has_acronym(self.lang):
            note = self._("The forum is named “%(name)s (%(acronym)s)” in this report, as in the workbook.") % {
                "name": forum.name(self.lang), "acronym": forum.acronym(self.lang)}
        else:
            note = self._("The forum is named “%(name)s” in this report, as in the workbook.") % {
                "name": forum.name(self.lang)}
        if forum.has_acronym(self.lang) and f"acronym.{self.lang}" in forum.unverified:
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
            # in the report's language; a warning stored as text by an earlier release keeps its words
            shown = [{**w, "lang": sub.lang if "message" in kept else self.lang}
                     for w, kept in zip(stored.warnings(self.lang),
                                        stored.problems if stored.problem_data is None else stored.problem_data)]
            warnings = tuple(
                WarningRow(code=str(w.get("code", "")),
                           where=" ".join(str(x) for x in (w.get("sheet"), w.get("cell")) if x) or NO_VALUE,
                           message=str(w.get("message") or ""))
                for w in shown)
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
                warning_groups=self.warning_groups(shown),
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
                groups.extend(WarningGroup(code, self.count(1), _places([w]), str(w.get("message") or ""), "",
                                           w.get("lang", self.lang)) for w in found)
            else:
                groups.append(WarningGroup(code, self.count(len(found)), _places(found), "", meaning, self.lang))
        return tuple(groups)

    def review_contents(self, headings: Mapping[str, str], review) -> tuple[ContentsEntry, ...]:
        """The review edition's contents, in the order of review.md ("What the review holds")."""
        entries = [ContentsEntry(key, headings[key], 1) for key in ("key-messages", "introduction", "context")]
        if review.disclosure == "named" and self.submitted:
            entries.append(ContentsEntry("heatmap", headings["heatmap"], 1))
        for chapter in review.chapters:
            entries.append(ContentsEntry(chapter.anchor, chapter.title, 1))
            entries.extend(ContentsEntry(o.anchor, o.short_title, 2) for o in chapter.objectives)
        keys = ["inputs", "recommendations", "participation", "annex-a"] + (["annex-d"] if self.submissions else [])
        entries.extend(ContentsEntry(key, headings[key], 1) for key in keys)
        return tuple(entries)

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
        keys = ["gaps", "principles", "annex-a", "annex-b"] + (["annex-c"] if has_catalogue else []) + (
            ["annex-d"] if self.submissions else [])
        entries.extend(ContentsEntry(key, headings[key], 1) for key in keys)
        return tuple(entries)
