"""What reading a narrative review produces: passages with their place, heading path, language
and suggested objectives, and the document's problems. Plain frozen data, with a JSON round
trip, so that the store, the portal and the CLI can keep and show a reading unchanged."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gcmtrack.intake.problems import ERROR, Problem

KIND_DOCX = "docx"
KIND_PDF = "pdf"
PASSAGE_KINDS = ("paragraph", "list", "table-row")


@dataclass
class DocumentProblem(Problem):
    """A problem of a document: a problem code of problems.yaml, located by page (PDF, 1-based)
    and paragraph instead of sheet and cell; `part` names the package part of a DOCX at fault.
    The place is also given to the message as {page} and {paragraph}."""

    page: int | None = None
    paragraph: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.page is not None:
            self.params.setdefault("page", self.page)
        if self.paragraph is not None:
            self.params.setdefault("paragraph", self.paragraph)

    def to_stored(self) -> dict[str, Any]:
        stored = super().to_stored()
        stored["page"] = self.page
        stored["paragraph"] = self.paragraph
        return stored

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        shown = super().to_dict(lang)
        shown["page"] = self.page
        shown["paragraph"] = self.paragraph
        return shown

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> DocumentProblem:
        return cls(code=stored["code"], sheet=stored.get("sheet"), cell=stored.get("cell"),
                   value=stored.get("value"), params=dict(stored.get("params") or {}),
                   severity=stored.get("severity"), page=stored.get("page"),
                   paragraph=stored.get("paragraph"))


@dataclass(frozen=True)
class Suggestion:
    """An objective suggested for a passage: `confidence` in 0..1, `reasons` the heading or the
    words that led to it, `by_heading` when a heading naming the objective assigned it."""

    objective: int
    confidence: float
    reasons: tuple[str, ...] = ()
    by_heading: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"objective": self.objective, "confidence": self.confidence,
                "reasons": list(self.reasons), "by_heading": self.by_heading}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        return cls(int(data["objective"]), float(data["confidence"]), tuple(data.get("reasons") or ()),
                   bool(data.get("by_heading")))


# How a reason is written in `Suggestion.reasons` (stored and in the API, so its form stays): a
# word or pair of words of the passage; "heading: …" the heading naming the objective that
# assigned it; "under: …" a heading above the passage whose words counted too; "mentions
# objective N" when the passage names the objective's number itself.
HEADING_REASON = "heading: "
UNDER_REASON = "under: "
MENTION_REASON = re.compile(r"mentions objective (\d{1,2})")


def mention_reason(objective: int) -> str:
    return f"mentions objective {objective}"


@dataclass(frozen=True)
class Reasons:
    """A suggestion's reasons sorted for a reader, who sees them in their own language: the
    heading that assigned it, the objective the passage names, the passage's words, the
    heading whose words counted too."""

    heading: str | None = None
    mentions: int | None = None
    words: tuple[str, ...] = ()
    under: str | None = None


def reasons_of(reasons: Iterable[str]) -> Reasons:
    heading = under = None
    mentions = None
    words: list[str] = []
    for reason in reasons:
        reason = str(reason)
        if reason.startswith(HEADING_REASON):
            heading = heading or reason.removeprefix(HEADING_REASON)
        elif reason.startswith(UNDER_REASON):
            under = under or reason.removeprefix(UNDER_REASON)
        elif (match := MENTION_REASON.fullmatch(reason)) is not None:
            mentions = int(match.group(1))
        else:
            words.append(reason)
    return Reasons(heading, mentions, tuple(words), under)


@dataclass(frozen=True)
class Passage:
    """One passage: `number` is its 1-based order in the reading (its id there); `page` the PDF
    page (1-based; None for a DOCX); `paragraph` its paragraph on that page (PDF) or in the
    document (DOCX), counting every block a reader sees (paragraphs, headings, list items, table
    rows) from 1; `headings` the heading path above it; `kind` paragraph, list (a list with its
    lead-in) or table-row; `lang` the detected language (ISO 639-1) or None."""

    number: int
    page: int | None
    paragraph: int
    headings: tuple[str, ...]
    text: str
    lang: str | None = None
    kind: str = "paragraph"
    suggestions: tuple[Suggestion, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "page": self.page, "paragraph": self.paragraph,
                "headings": list(self.headings), "text": self.text, "lang": self.lang, "kind": self.kind,
                "suggestions": [s.to_dict() for s in self.suggestions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(int(data["number"]), data.get("page"), int(data["paragraph"]), tuple(data.get("headings") or ()),
                   str(data["text"]), data.get("lang"), str(data.get("kind") or "paragraph"),
                   tuple(Suggestion.from_dict(s) for s in data.get("suggestions") or ()))


@dataclass(frozen=True)
class Reading:
    """A document as read: its name, kind ("docx" or "pdf"), SHA-256 of its bytes, number of
    pages (PDF; None for a DOCX), passages in reading order and problems (DocumentProblem)."""

    filename: str
    kind: str | None
    sha256: str
    pages: int | None
    passages: tuple[Passage, ...] = ()
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.severity == ERROR for p in self.problems)

    def languages(self) -> dict[str, int]:
        """Detected language -> number of passages, most frequent first."""
        counts = Counter(p.lang for p in self.passages if p.lang)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def to_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "kind": self.kind, "sha256": self.sha256, "pages": self.pages,
                "passages": [p.to_dict() for p in self.passages],
                "problems": [p.to_stored() for p in self.problems]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reading:
        return cls(str(data["filename"]), data.get("kind"), str(data["sha256"]), data.get("pages"),
                   tuple(Passage.from_dict(p) for p in data.get("passages") or ()),
                   [DocumentProblem.from_stored(p) for p in data.get("problems") or ()])

    @classmethod
    def from_json(cls, text: str) -> Reading:
        return cls.from_dict(json.loads(text))
