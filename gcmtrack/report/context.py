"""From a process's scored data to the one context object its report template reads: the entry
point of the report's view-model.

`ReportData` holds everything a report is made from (no store access happens in this
package); `build_context` turns it into `ReportContext`, in which every string is already in
the report's language and every number already formatted, so the templates only lay out.
Text typed by states (measures, evidence, partners, practice titles and descriptions, warnings)
stays plain text here, with the language it was written in: the template escapes it and marks
its language.

model.py defines the view-model (frozen, documented dataclasses), sections.py builds each of its
sections; this module gathers the reference data, builds the cover and headings, and assembles.
"""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType

from markupsafe import Markup

from gcmtrack.reference.framework import framework
from gcmtrack.reference.states import states
from gcmtrack.report.i18n import (
    check_lang,
    format_clock,
    format_date_range,
    format_long_date,
    language_name,
    parse_utc,
    translations,
)
from gcmtrack.report.model import DEFAULT_EDITION, EDITIONS, PreviousCycle, ReportContext, ReportData
from gcmtrack.report.review import ReviewParts
from gcmtrack.report.sections import Sections, excerpt

__all__ = ["EDITIONS", "DEFAULT_EDITION", "PreviousCycle", "ReportContext", "ReportData", "build_context",
           "check_edition", "excerpt"]


class UnknownEditionError(ValueError):
    """An edition other than review and staff."""


def check_edition(edition: str) -> str:
    if edition not in EDITIONS:
        raise UnknownEditionError(f"unknown edition {edition!r}: choose one of {', '.join(EDITIONS)}")
    return edition

AUTHOR = "gcmtrack"


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


def _review_headings(lang: str) -> dict[str, str]:
    """The review edition's headings: its own sections, and the staff edition's parts it shares
    (participation, method, state profiles) under their names as annexes of the review."""
    _ = translations(lang).gettext
    return {
        "contents": _("Contents"),
        "key-messages": _("Key messages"),
        "introduction": _("Introduction"),
        "context": _("Regional context"),
        "heatmap": _("Coverage by state and objective"),
        "state-scores": _("Scores by state"),
        "inputs": _("Stakeholder inputs"),
        "recommendations": _("Recommendations and the way forward"),
        "participation": _("Annex 1. Participation"),
        "annex-a": _("Annex 2. Method"),
        "annex-d": _("Annex 3. State profiles"),
    }


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
        "annex-d": _("Annex D. State profiles"),
    }
    if previous_edition:
        headings["trends"] = _("Changes since %(edition)s") % {"edition": previous_edition}
        headings["trend-map"] = _("Change by state and objective")
    return headings


# --------------------------------------------------------------------------- build


def build_context(data: ReportData, lang: str, edition: str = "staff") -> ReportContext:
    """The context of one report in one language and edition (deterministic: no clock, no random
    ids). The default is the staff edition, the v1 report, for callers of this function; the
    command line and the batch default to the review (review.md)."""
    check_lang(lang)
    check_edition(edition)
    build = Sections(data, lang, framework(), states())
    parts = ReviewParts(build)
    _ = build._
    # Every date is derived from as_of, the time of the latest ingested submission.
    moment = parse_utc(data.as_of) if data.as_of else None
    cycle_end = dt.date(data.cycle, 12, 31)
    positions_date = min(moment.date(), cycle_end) if moment else cycle_end
    acronym = data.process.acronym(lang)
    forum_edition = build.edition
    previous = build.previous_edition.title(lang) if build.previous_edition else None
    review = parts.review() if edition == "review" else None
    headings = MappingProxyType(_review_headings(lang) if review else _heading_titles(lang, previous))
    chapters = build.chapters()
    participation = build.participation(positions_date)
    trends = build.trends()
    catalogue = build.catalogue()
    submissions = build.submission_rows()
    # The review is a DRAFT until staff mark it final; the staff edition says on its cover that it
    # is internal instead (it is never published, so never final).
    draft = review is not None and not (data.authored is not None and data.authored.final)
    return ReportContext(
        lang=lang,
        title=_("%(process)s: regional review of the Global Compact for Migration, cycle %(cycle)s") % {
            "process": acronym, "cycle": data.cycle},
        author=AUTHOR,
        process_id=data.process.id,
        process_name=data.process.name(lang),
        process_acronym=acronym,
        cycle=data.cycle,
        edition_name=forum_edition.title(lang),
        forum_name=forum_edition.forum.full_name(lang),
        edition_provisional=forum_edition.provisional,
        edition_dates=(format_date_range(forum_edition.opens, forum_edition.closes, lang)
                       if forum_edition.opens and forum_edition.closes else None),
        edition_hearing=format_long_date(forum_edition.hearing, lang) if forum_edition.hearing else None,
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
        contents=(build.review_contents(headings, review) if review else
                  build.contents(headings, chapters, trends is not None, bool(catalogue))),
        summary=build.summary(),
        positions_as_of=format_long_date(positions_date, lang),
        participation=participation,
        any_position_unverified=any(r.position_unverified for r in participation),
        accepted_only=data.accepted_only,
        any_membership_unverified=any(r.membership_unverified for r in participation),
        heatmap=build.heatmap(),
        state_scores=build.state_scores(),
        round_table_titles=tuple(build.round_table_title(t.number) for t in forum_edition.round_tables),
        trends=trends,
        chapters=chapters,
        gaps=build.gaps(),
        principles=build.principles(),
        methodology=build.methodology(),
        submissions=submissions,
        any_warning=any(row.warnings for row in submissions),
        catalogue=catalogue,
        practice_count=build.count(sum(len(g.entries) for g in catalogue)),
        edition=edition,
        draft=draft,
        draft_mark=css_string(_("DRAFT")) if draft else Markup('""'),
        review_line=parts.review_line(),
        base_line=parts.base_line(),
        caveat=parts.caveat(),
        show_rankings=parts.representative or edition == "staff",
        review=review,
        profiles=parts.profiles(),
    )
