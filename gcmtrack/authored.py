"""What the secretariat writes and chooses for a process's regional review (review.md, report v2):
texts per section and language, items featured from submissions, stakeholder inputs, context
indicators, the disclosure setting and whether the edition is final.

Plain frozen records, the way `submission.py` is for what states send: the store keeps them,
the service and the portal edit them, and the report reads an `AuthoredReview` without knowing
where it came from. Nothing here imports the store, Django or the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The sections staff write, in the order the review prints them. `synthesis` and `challenges`
#: are written once per round table; the others once per review.
SECTIONS = ("key-messages", "introduction", "context", "synthesis", "challenges", "recommendations")
PER_ROUND_TABLE = frozenset({"synthesis", "challenges"})

#: How per-state scores may appear in the review edition (the staff edition is always "named").
DISCLOSURES = ("aggregate", "anonymous", "named")
DEFAULT_DISCLOSURE = "aggregate"

#: Kinds of stakeholders whose written inputs a review records (always set apart from what
#: States reported).
STAKEHOLDER_KINDS = ("civil-society", "local-government", "nhri", "migrant-diaspora", "un-entity",
                     "academia", "private-sector", "trade-union", "other")

#: What can be featured from a submission's page.
FEATURE_KINDS = ("objective-text", "practice")


@dataclass(frozen=True)
class AuthoredText:
    """One section's text as the review shows it in one language."""

    section: str  # one of SECTIONS
    round_table: int | None  # for `synthesis` and `challenges`; else None
    lang: str  # the language the text is written in
    markdown: str  # the safe Markdown subset, as saved (sanitised when rendered)
    version: int  # 1, 2, …: every save is a version
    author: str
    saved_at: str  # ISO 8601, UTC
    asked_lang: str  # the language the review is in; differs from `lang` when no translation exists

    @property
    def is_translation_missing(self) -> bool:
        return self.lang != self.asked_lang


@dataclass(frozen=True)
class FeaturedItem:
    """An objective's text or a practice of a submission, chosen for a round-table chapter,
    quoted in full with its state and its source."""

    round_table: int
    objective: int
    kind: str  # one of FEATURE_KINDS
    state: str  # ISO3
    submission_id: int  # the version it was featured from
    source: str  # "Objectives, cell C9", "Practices, row 12", or a narrative's page and paragraph
    lang: str  # the language of the text
    text: str  # in full, never cut
    title: str = ""  # a practice's title
    stale: bool = False  # the version that counts now no longer holds this text (flagged to staff)
    id: int = 0  # the store's id of this choice (to remove it)


@dataclass(frozen=True)
class StakeholderInput:
    """A written input of a stakeholder, recorded by staff."""

    organisation: str
    kind: str  # one of STAKEHOLDER_KINDS
    lang: str
    date: str  # ISO date
    text: str  # the text, or its summary
    consent: bool  # the author agreed to publication; the public review prints only these
    is_summary: bool = False
    id: int = 0  # the store's id of this input


@dataclass(frozen=True)
class IndicatorValue:
    """One value of a context indicator (the UN SDG Global Database export or the long form
    `indicator,geo,year,value,unit,source,note`)."""

    indicator: str  # e.g. "10.7.2"
    geo: str  # ISO3, or an M49 code for a region
    year: int
    value: str  # as given (a number in the source's notation, or a category)
    unit: str
    source: str
    note: str = ""
    dataset: str = ""  # the imported dataset it came from


@dataclass(frozen=True)
class AuthoredReview:
    """Everything staff wrote and chose for one process, cycle and language."""

    process: str
    cycle: int
    lang: str
    texts: tuple[AuthoredText, ...] = ()
    featured: tuple[FeaturedItem, ...] = ()
    inputs: tuple[StakeholderInput, ...] = ()
    indicators: tuple[IndicatorValue, ...] = ()
    disclosure: str = DEFAULT_DISCLOSURE
    final: bool = False  # marked final by staff: frozen; until then DRAFT on every page
    final_by: str | None = None
    final_at: str | None = None
    sample: bool = False  # sample content (the demo): said on every page where it shows
    extra: dict = field(default_factory=dict, compare=False)

    def text(self, section: str, round_table: int | None = None) -> AuthoredText | None:
        return next((t for t in self.texts if t.section == section and t.round_table == round_table), None)

    def featured_for(self, round_table: int, objective: int) -> tuple[FeaturedItem, ...]:
        return tuple(f for f in self.featured if f.round_table == round_table and f.objective == objective)
