"""Narrative reviews: reading the voluntary GCM reviews states write in prose (.docx, .pdf with a
text layer) into passages with their place, heading path, language and suggested objectives.

    from gcmtrack.narrative import read_document
    reading = read_document(data, "review.docx")   # never raises for bad input; stores nothing
    reading.ok, reading.problems, reading.passages[0].suggestions

Reading the bytes: package.py (the DOCX's zip checked first), wordfile.py (python-docx),
pdffile.py (PDFium). Passages: structure.py. Language: language.py. Suggestions: suggest.py with
words.yaml, documented in docs/narrative-method.md. Limits: limits.py."""

from gcmtrack.narrative.model import DocumentProblem, Passage, Reading, Suggestion
from gcmtrack.narrative.read import read_document

__all__ = ["DocumentProblem", "Passage", "Reading", "Suggestion", "read_document"]
