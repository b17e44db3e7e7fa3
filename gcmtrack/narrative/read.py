"""read_document: a narrative review's bytes to a Reading, never raising for bad input.

The kind is decided from the bytes (a PDF starts with %PDF-, a DOCX is a zip package holding a
Word document); a name whose extension says otherwise is refused (`doc-extension-mismatch`), as
are other formats (`doc-wrong-format`). Nothing is stored, fetched or run."""

from __future__ import annotations

import hashlib
import logging
import os

from gcmtrack.narrative import limits
from gcmtrack.narrative.blocks import Block
from gcmtrack.narrative.language import detect
from gcmtrack.narrative.model import KIND_DOCX, KIND_PDF, DocumentProblem, Passage, Reading
from gcmtrack.narrative.package import ZIP_MAGICS, DocumentError
from gcmtrack.narrative.structure import passages_from
from gcmtrack.narrative.suggest import suggest

log = logging.getLogger(__name__)

EXTENSIONS = {".docx": KIND_DOCX, ".pdf": KIND_PDF}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """What the bytes are: "pdf", "docx" (any zip package; the package check says more), "ole2"
    (Word 97-2003 or an encrypted Office file), "html", "text" or "unknown"."""
    if b"%PDF-" in data[:1024]:
        return KIND_PDF
    if data[:4] in ZIP_MAGICS:
        return KIND_DOCX
    if data.startswith(_OLE2):
        return "ole2"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    try:
        data[:4096].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


_KIND_NAMES = {"ole2": "a Word 97-2003 document (.doc) or an encrypted Office file", "html": "a web page (HTML)",
               "rtf": "a Rich Text Format document (.rtf)", "text": "a text file", "unknown": "not a document gcmtrack reads",
               KIND_PDF: "a PDF document", KIND_DOCX: "a Word document (.docx)"}


def read_document(data: bytes, filename: str) -> Reading:
    """Read a .docx or a .pdf with a text layer into passages with suggested objectives."""
    sha = hashlib.sha256(data or b"").hexdigest()
    name = os.path.basename(str(filename or "").replace("\\", "/"))[:255]
    kind: str | None = None
    try:
        if not data:
            raise DocumentError(DocumentProblem("doc-empty"))
        if len(data) > limits.MAX_DOCUMENT_BYTES:
            raise DocumentError(DocumentProblem("doc-too-large", params={"size": len(data), "limit": limits.MAX_DOCUMENT_BYTES}))
        found = sniff(data)
        if found == "ole2" and (b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data):
            raise DocumentError(DocumentProblem("doc-encrypted"))
        if found not in (KIND_DOCX, KIND_PDF):
            raise DocumentError(DocumentProblem("doc-wrong-format", params={"kind": _KIND_NAMES[found]}))
        extension = os.path.splitext(name)[1].lower()
        expected = EXTENSIONS.get(extension)
        if extension and expected != found:
            raise DocumentError(DocumentProblem("doc-extension-mismatch", params={
                "extension": extension, "kind": _KIND_NAMES[found], "right": ".pdf" if found == KIND_PDF else ".docx"}))
        kind = found
        warnings: list[DocumentProblem] = []
        pages = None
        if kind == KIND_PDF:
            from gcmtrack.narrative.pdffile import read_pdf

            blocks, pages, warnings = read_pdf(data)
        else:
            from gcmtrack.narrative.wordfile import read_docx

            blocks = read_docx(data)
        passages = _passages(blocks)
        if not passages:
            raise DocumentError(DocumentProblem("doc-no-text", page=1 if kind == KIND_PDF else None))
        return Reading(name, kind, sha, pages, passages, warnings)
    except DocumentError as error:
        return Reading(name, kind, sha, None, (), [error.problem])
    except Exception as error:  # a reader's library failing on a hostile file: still a located answer
        log.warning("narrative: %s reading %s", type(error).__name__, name, exc_info=True)
        return Reading(name, kind, sha, None, (), [DocumentProblem("doc-corrupt", params={"reason": type(error).__name__})])


def _passages(blocks: list[Block]) -> tuple[Passage, ...]:
    cut = passages_from(blocks)
    langs = [detect(text) for _block, text, _path, _kind in cut]
    known = [lang for lang in langs if lang]
    main = max(sorted(set(known)), key=known.count) if known else None
    out = []
    for number, ((block, text, path, kind), lang) in enumerate(zip(cut, langs), start=1):
        lang = lang or main
        out.append(Passage(number, block.page, block.paragraph, path, text, lang, kind, suggest(text, path, lang)))
    return tuple(out)
