"""The parts of a report that v2 adds (review.md): the review edition's authored sections and
round-table chapters, stakeholder inputs and context indicators, the state profiles both editions
annex (everything a state wrote, never cut), and what both editions say about their base:
representativeness, review status and DRAFT.

`ReviewParts` reads a `Sections` (sections.py), so that every figure comes from the same
explained submissions and scores as the staff edition's.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from babel import Locale
from markupsafe import Markup

from gcmtrack.authored import DEFAULT_DISCLOSURE, AuthoredReview
from gcmtrack.common import safemarkdown
from gcmtrack.reference.sdg import objectives_of_indicator
from gcmtrack.report.i18n import NO_VALUE, format_long_date, format_score, parse_utc
from gcmtrack.report.model import (
    AuthoredSection,
    ChapterReview,
    IndicatorRow,
    InputEntry,
    ObjectiveReview,
    ProfileObjective,
    ProfileQuote,
    ProfilePractice,
    Quote,
    Review,
    StateProfile,
)
from gcmtrack.report.sections import Sections, _join
from gcmtrack.submission import NARRATIVE
from gcmtrack.scoring.explain import SheetNames

SCORE_BANDS = 5  # the anonymous disclosure's distribution of state scores: 0–0.19 … 0.80–1.00


def is_representative(submitted: int, members: int) -> bool:
    """Whether aggregates may stand for the region: at least a third of the members and at least
    3 states (review.md, "Representativeness")."""
    return submitted >= 3 and 3 * submitted >= members


class ReviewParts:
    """Builds the v2 parts of one report's context from its `Sections`."""

    def __init__(self, build: Sections) -> None:
        self.b = build
        self._ = build._
        self.lang = build.lang
        self.authored: AuthoredReview | None = build.data.authored
        self.disclosure = self.authored.disclosure if self.authored else DEFAULT_DISCLOSURE
        self.members = len(build.score.members)
        self.submitted = len(build.submitted)
        self.representative = is_representative(self.submitted, self.members)

    # ---- what every aggregate rests on

    def base_line(self) -> str:
        """"8 of 23 members": the base of every aggregate."""
        return self._("%(count)s of %(members)s members") % {
            "count": self.b.count(self.submitted), "members": self.b.count(self.members)}

    def caveat(self) -> str:
        if self.representative or not self.submitted:
            return ""
        return self._("These figures describe the states that reported (%(base)s), not the region: fewer than a "
                      "third of the members, or fewer than 3 states, submitted a report.") % {"base": self.base_line()}

    def review_line(self) -> str:
        """"12 of 15 versions accepted; 3 not yet reviewed": the staff's review of the counted versions."""
        states = self.b.data.review_states
        total = len(self.b.data.latest)
        if not total:
            return ""
        accepted = sum(1 for code in self.b.data.latest if states.get(code) == "accepted")
        pending = total - accepted
        if not pending:
            return self._("All %(total)s counted versions accepted by staff") % {"total": self.b.count(total)}
        return self._("%(accepted)s of %(total)s versions accepted; %(pending)s not yet reviewed") % {
            "accepted": self.b.count(accepted), "total": self.b.count(total), "pending": self.b.count(pending)}

    # ---- authored texts

    def language_name(self, code: str) -> str:
        try:
            return Locale.parse(code).get_display_name(self.lang) or code
        except (ValueError, TypeError):
            return code

    def section(self, key: str, round_table: int | None = None) -> AuthoredSection:
        missing = self._("The secretariat has not written this section yet.")
        text = self.authored.text(key, round_table) if self.authored else None
        if text is None or not text.markdown.strip():
            return AuthoredSection(key, None, self.lang, "", missing)
        note = ""
        if text.is_translation_missing:
            note = self._("Not yet translated: the text as written in %(language)s.") % {
                "language": self.language_name(text.lang)}
        return AuthoredSection(key, Markup(safemarkdown.to_html(text.markdown)), text.lang, note, missing)

    # ---- introduction

    def facts(self) -> tuple[str, ...]:
        _ = self._
        b = self.b
        facts = [_("The process has %(members)s members; %(count)s of them submitted a progress report for cycle "
                   "%(cycle)s.") % {"members": b.count(self.members), "count": b.count(self.submitted),
                                    "cycle": b.data.cycle}]
        if b.submitted:
            facts.append(_("Reports received from: %(names)s.") % {
                "names": _join([b.name(c) for c in b.by_name(b.submitted)], self.lang)})
            narratives = [c for c in b.by_name(b.submitted)
                          if c in b.data.latest and b.data.latest[c].submission.kind == NARRATIVE]
            if not narratives:
                facts.append(_("Every report was submitted with the reporting workbook of the cycle."))
            else:
                facts.append(_("Reports sent as a narrative review, whose passages a person linked to the objectives "
                               "and confirmed: %(names)s.") % {
                    "names": _join([b.name(c) for c in narratives], self.lang)})
            days = sorted(parse_utc(s.ingested_at).date() for c, s in b.data.latest.items() if c in b.submissions)
            if days:
                facts.append(_("The versions that count were received between %(first)s and %(last)s.") % {
                    "first": format_long_date(days[0], self.lang), "last": format_long_date(days[-1], self.lang)}
                    if days[0] != days[-1] else
                    _("The versions that count were received on %(date)s.") % {
                        "date": format_long_date(days[0], self.lang)})
        if b.score.not_submitted:
            facts.append(_("Members without a report: %(names)s.") % {
                "names": _join([b.name(c) for c in b.by_name(b.score.not_submitted)], self.lang)})
        return tuple(facts)

    # ---- context

    @cached_property
    def _indicators(self) -> tuple[IndicatorRow, ...]:
        if not self.authored:
            return ()
        rows = []
        for value in sorted(self.authored.indicators, key=lambda v: (v.indicator, v.geo, v.year)):
            geo = self.b.name(value.geo) if value.geo in self.b.registry else value.geo
            rows.append(IndicatorRow(value.indicator, geo, str(value.year), value.value, value.unit, value.source,
                                     value.note, objectives_of_indicator(value.indicator)))
        return tuple(rows)

    def indicators(self, objective: int | None = None) -> tuple[IndicatorRow, ...]:
        """Every context indicator, or those concerning one objective (placed beside it)."""
        if objective is None:
            return self._indicators
        return tuple(row for row in self._indicators if objective in row.objectives)

    # ---- chapters

    def quote(self, item) -> Quote:
        name = self.b.name(item.state)
        return Quote(state=name, code=item.state, kind=item.kind, lang=item.lang, title=item.title, text=item.text,
                     source=f"{name}, {item.source}" if item.source else name, stale=item.stale)

    def objective(self, table: int, number: int) -> ObjectiveReview:
        b = self.b
        section = b.objective_statuses(number)
        reporting = [c for c in b.by_name(b.submissions) if b.submissions[c].objectives.get(number) is not None]
        featured = self.authored.featured_for(table, number) if self.authored else ()
        score = ""
        if b.submitted:
            score = self._("Process score %(score)s over %(count)s states") % {
                "score": format_score(b.score.objectives.get(number), self.lang), "count": b.count(self.submitted)}
        return ObjectiveReview(
            number=number,
            title=b.fw.objectives[number].title(self.lang),
            short_title=b.objective_short_title(number),
            anchor=f"objective-{number}",
            base=self._("Reported by %(count)s of %(members)s members") % {
                "count": b.count(len(reporting)), "members": b.count(self.members)},
            statuses=section,
            score=score,
            states=tuple(b.name(c) for c in reporting),
            quotes=tuple(self.quote(f) for f in featured if f.kind != "practice"),
            practices=tuple(self.quote(f) for f in featured if f.kind == "practice"),
            indicators=self.indicators(number),
        )

    def chapters(self) -> tuple[ChapterReview, ...]:
        return tuple(
            ChapterReview(
                number=table.number, title=self.b.round_table_title(table.number), anchor=f"round-table-{table.number}",
                synthesis=self.section("synthesis", table.number),
                objectives=tuple(self.objective(table.number, n) for n in table.objectives),
                challenges=self.section("challenges", table.number),
            )
            for table in self.b.edition.round_tables)

    def inputs(self) -> tuple[InputEntry, ...]:
        if not self.authored:
            return ()
        _ = self._
        kinds = {"civil-society": _("Civil society"), "local-government": _("Local government"),
                 "nhri": _("National human rights institution"),
                 "migrant-diaspora": _("Migrants' and diaspora organisation"), "un-entity": _("UN entity"),
                 "academia": _("Academia"), "private-sector": _("Private sector"), "trade-union": _("Trade union"),
                 "other": _("Other stakeholder")}
        entries = []
        for item in self.authored.inputs:
            if not item.consent:
                continue  # the public review prints only inputs whose authors agreed to publication
            try:
                date = format_long_date(dt.date.fromisoformat(item.date), self.lang)
            except ValueError:
                date = item.date or NO_VALUE
            entries.append(InputEntry(item.organisation, kinds.get(item.kind, kinds["other"]), item.lang, date,
                                      item.text, item.is_summary))
        return tuple(entries)

    def distribution(self) -> tuple[tuple[str, str], ...]:
        """Anonymous disclosure: how many states have an overall score in each band, no names."""
        if self.disclosure != "anonymous":
            return ()
        counts = [0] * SCORE_BANDS
        for code in self.b.submitted:
            value = self.b.score.states[code].overall
            if value is not None:
                counts[min(SCORE_BANDS - 1, int(float(value) * SCORE_BANDS))] += 1
        legend = self.b.heatmap().legend
        return tuple((step.text, self.b.count(counts[step.step])) for step in legend)

    def disclaimer(self) -> str:
        return self._("The designations employed and the presentation of material in this publication do not imply "
                      "the expression of any opinion whatsoever on the part of the Secretariat of the United Nations "
                      "concerning the legal status of any country, territory, city or area or of its authorities, or "
                      "concerning the delimitation of its frontiers or boundaries.")

    def review(self) -> Review:
        return Review(
            disclosure=self.disclosure,
            representative=self.representative,
            base=self._("%(base)s submitted a report") % {"base": self.base_line()},
            caveat=self.caveat(),
            key_messages=self.section("key-messages"),
            introduction=self.section("introduction"),
            facts=self.facts(),
            context=self.section("context"),
            indicators=self.indicators(),
            chapters=self.chapters(),
            inputs=self.inputs(),
            recommendations=self.section("recommendations"),
            distribution=self.distribution(),
            disclaimer=self.disclaimer(),
            sample=bool(self.authored and self.authored.sample),
        )

    # ---- state profiles (both editions)

    def profiles(self) -> tuple[StateProfile, ...]:
        b = self.b
        profiles = []
        for code in b.by_name(b.submissions):
            stored = b.data.latest[code]
            sub = stored.submission
            sheets = SheetNames.of_language(sub.lang)
            names = {p.index: b.practice_name(code, p.index, sheets.practices, p.row)
                     for e in b.explained[code].objectives.values() for p in e.practices}
            objectives = []
            narrative = sub.kind == NARRATIVE
            for number in b.fw.objectives:
                row = sub.objectives.get(number)
                quotes = tuple(ProfileQuote(text=q.text, where=self.passage_place(q.page, q.paragraph),
                                            headings=" › ".join(q.headings), lang=q.lang or sub.lang)
                               for q in sub.quotes_for(number))
                if row is None and not quotes:
                    continue
                mapped = b.explained[code].objectives[number].practices
                objectives.append(ProfileObjective(
                    number=number, title=b.objective_short_title(number),
                    status=b.status_names.get(row.status, row.status) if row and row.status else NO_VALUE,
                    # a narrative's measures are its quotes, shown once, with where they are
                    measures="" if narrative or row is None else row.measures or "",
                    evidence=row.evidence or "" if row else "", partners=row.partners or "" if row else "",
                    practices="; ".join(names[p.index] for p in mapped), quotes=quotes))
            practices = tuple(
                ProfilePractice(
                    name=b.practice_name(code, index, sheets.practices, practice.row),
                    anchor=f"profile-practice-{code}-{index}",
                    title=practice.title or "", description=practice.description or "",
                    status=b.status_names.get(practice.status, practice.status) if practice.status else NO_VALUE,
                    objectives=", ".join(str(n) for n in practice.mapped_objectives(b.fw)) or NO_VALUE,
                    partners=practice.partners or "", link=practice.link or "",
                    start_year=str(practice.start_year) if practice.start_year else "")
                for index, practice in enumerate(sub.practices, start=1))
            profiles.append(StateProfile(
                code=code, name=b.name(code), anchor=f"profile-{code}", lang=sub.lang, sha256=stored.sha256,
                institution=sub.institution or "", period=sub.period or "",
                objectives=tuple(objectives), practices=practices, report_lang=b.lang,
                document=self.narrative_document(sub) if narrative else ""))
        return tuple(profiles)

    def passage_place(self, page: int | None, paragraph: int) -> str:
        """Where a quoted passage is: "page 4, paragraph 2", or "paragraph 12" (a DOCX has no pages)."""
        if page:
            return self._("page %(page)s, paragraph %(paragraph)s") % {"page": page, "paragraph": paragraph}
        return self._("paragraph %(paragraph)s") % {"paragraph": paragraph}

    def narrative_document(self, sub) -> str:
        document = sub.extra.get("document", {})
        return self._("Narrative review: %(filename)s; the passages below were confirmed by a person, objective "
                      "by objective") % {"filename": document.get("filename", "")}

