"""Hand-made readings of narrative documents, in the shape of gcmtrack.narrative's Reading, for
tests of the flow that should not depend on how a real document is cut (the end-to-end tests
read real DOCX and PDF files)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True)
class FakeProblem:
    code: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_stored(self) -> dict:
        return {"severity": self.severity, "code": self.code, "sheet": None, "cell": None, "value": None,
                "params": {}}

    def to_dict(self, lang: str = "en") -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.code, "hint": ""}


@dataclass
class FakeReading:
    filename: str
    data: bytes
    passages: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    kind: str = "pdf"
    pages: int = 3

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def languages(self):
        return {"en": len(self.passages)}

    def to_dict(self) -> dict:
        return {"filename": self.filename, "kind": self.kind, "sha256": self.sha256, "pages": self.pages,
                "passages": self.passages, "problems": [p.to_stored() for p in self.problems]}


HOSTILE = b"HOSTILE"


def passage(number, text, suggestions=(), page=1, paragraph=None, headings=("Review",)):
    return {"number": number, "page": page, "paragraph": paragraph or number, "headings": list(headings),
            "text": text, "lang": "en", "kind": "paragraph",
            "suggestions": [{"objective": o, "confidence": c, "reasons": list(r), "by_heading": False}
                            for o, c, r in suggestions]}


PASSAGES = [
    passage(1, "The national statistics office publishes migration data every quarter (test content).",
            [(1, 0.9, ("data", "statistics")), (3, 0.3, ("information",))], page=1, paragraph=1),
    passage(2, "Consular assistance is offered in every embassy <script>alert(1)</script> (test content).",
            [(14, 0.8, ("consular",))], page=4, paragraph=2),
    passage(3, "Remittance costs fell after a new regulation (test content).",
            [(20, 0.7, ("remittance",)), (19, 0.2, ("diaspora",))], page=5, paragraph=1),
    passage(4, "The weather was fine during the consultations (test content).", [(7, 0.1, ("consultations",))],
            page=5, paragraph=2),
]


def fake_read(data: bytes, filename: str) -> FakeReading:
    if data.startswith(HOSTILE):
        return FakeReading(filename, data, [], [FakeProblem("no-text-layer")])
    return FakeReading(filename, data, [dict(p) for p in PASSAGES])


@pytest.fixture
def fake_reader(monkeypatch):
    from gcmtrack.service import narrative

    monkeypatch.setattr(narrative, "read", fake_read)
    return fake_read
