"""Reading a PDF's text layer into blocks, through PDFium (pypdfium2), within the page and time
limits of limits.py. PDFium runs no script and fetches nothing.

Each page's text comes as lines; a new block starts where the gap to the line above is larger
than half the font size, where the font size or weight changes, or where a line starts like a
list item. Headings are inferred, as a PDF does not mark them: a short block in a font larger
than the body's (the size that carries most characters), or bold where the body is not, or a
short line that names an objective ("Objective 5", "Objetivo 5", "Objectif 5"). Their levels
rank their sizes. Lines that are only a page number, and lines repeated on many pages (running
headers and footers), are dropped. A block's `paragraph` counts the blocks of its page from 1.
"""

from __future__ import annotations

import ctypes
import re
import time
from collections import Counter
from dataclasses import dataclass

from gcmtrack.narrative import limits
from gcmtrack.narrative.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block, clean, looks_like_list_item
from gcmtrack.narrative.model import DocumentProblem
from gcmtrack.narrative.package import DocumentError
from gcmtrack.narrative.structure import names_objective_heading

_PAGE_NUMBER = re.compile(r"^(?:(?:page|página|pagina|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|de|sur)\s*\d{1,4})?$", re.I)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    left: float
    size: float
    bold: bool


def read_pdf(data: bytes) -> tuple[list[Block], int, list[DocumentProblem]]:
    """(blocks, number of pages, warnings) of a PDF; DocumentError when it cannot be read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise DocumentError(DocumentProblem("doc-encrypted")) from None
        raise DocumentError(DocumentProblem("doc-corrupt", params={"reason": "PDF"})) from None
    except Exception:
        raise DocumentError(DocumentProblem("doc-corrupt", params={"reason": "PDF"})) from None
    try:
        pages = len(document)
        if pages > limits.MAX_PAGES:
            raise DocumentError(DocumentProblem("doc-too-many-pages", params={"pages": pages, "limit": limits.MAX_PAGES}))
        started = time.monotonic()
        page_lines: list[list[_Line]] = []
        empty: list[int] = []
        for index in range(pages):
            if time.monotonic() - started > limits.MAX_SECONDS:
                raise DocumentError(DocumentProblem("doc-too-slow", page=index + 1,
                                                    params={"limit": int(limits.MAX_SECONDS)}))
            try:
                lines = _page_lines(document[index], raw)
            except DocumentError:
                raise
            except Exception:
                lines = []
            if not lines:
                empty.append(index + 1)
            page_lines.append(lines)
    finally:
        document.close()
    if pages == 0 or len(empty) == pages:
        raise DocumentError(DocumentProblem("no-text-layer", page=1, params={"pages": pages}))
    warnings = []
    if empty:
        warnings.append(DocumentProblem("doc-page-no-text", page=empty[0],
                                        params={"count": len(empty), "pages": _ranges(empty)}))
    return _blocks(page_lines), pages, warnings


def _page_lines(page, raw) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        handle = textpage.raw
        lines: list[_Line] = []
        offset = 0
        left, bottom, right, top = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        rect = raw.FS_RECTF()
        for piece in re.split(r"(\r\n|\n|\r)", text):
            if piece in ("\r\n", "\n", "\r"):
                offset += len(piece)
                continue
            stripped = piece.strip()
            if stripped:
                first = offset + (len(piece) - len(piece.lstrip()))
                first = min(first, count - 1)
                size = float(raw.FPDFText_GetFontSize(handle, first)) or 0.0
                weight = int(raw.FPDFText_GetFontWeight(handle, first))
                if raw.FPDFText_GetLooseCharBox(handle, first, rect):
                    box = (rect.left, rect.bottom, rect.right, rect.top)
                elif raw.FPDFText_GetCharBox(handle, first, left, right, bottom, top):
                    box = (left.value, bottom.value, right.value, top.value)
                else:
                    box = (0.0, 0.0, 0.0, 0.0)
                name = _font_name(raw, handle, first)
                bold = weight >= 600 or "bold" in name or "black" in name or "heavy" in name
                if not _PAGE_NUMBER.match(stripped):
                    lines.append(_Line(stripped, box[3], box[1], box[0], round(size, 1), bold))
            offset += len(piece)
        return _attach_markers(lines)
    finally:
        textpage.close()


_MARKER = re.compile(r"^(?:[•●○◦▪■□►▶✓✔\-–—*·]|\(?[a-zA-Z0-9ivx]{1,4}[.)])$")


def _attach_markers(lines: list[_Line]) -> list[_Line]:
    """A list's bullets and numbers, which some writers (WeasyPrint among them) put in the text
    after the page's text, joined to the line they stand beside."""
    markers = [line for line in lines if _MARKER.match(line.text)]
    if not markers:
        return lines
    out = [line for line in lines if not _MARKER.match(line.text)]
    for marker in markers:
        middle = (marker.top + marker.bottom) / 2
        beside = [line for line in out if line.bottom <= middle <= line.top and line.left > marker.left
                  and not line.text.startswith(marker.text + " ")]
        if beside:
            target = min(beside, key=lambda line: line.left - marker.left)
            target.text = f"{marker.text} {target.text}"
        else:
            out.append(marker)
    return out


def _font_name(raw, handle, index: int) -> str:
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    length = raw.FPDFText_GetFontInfo(handle, index, buffer, 128, ctypes.byref(flags))
    return buffer.raw[: max(0, min(length, 128) - 1)].decode("latin-1").lower() if length else ""


def _blocks(page_lines: list[list[_Line]]) -> list[Block]:
    # running headers and footers: the same line on a third of the pages or more (3 at least)
    counts = Counter(text for lines in page_lines for text in {line.text for line in lines})
    repeated = {text for text, n in counts.items() if n >= max(3, len(page_lines) // 3)}
    sizes: Counter = Counter()
    bold_chars = 0
    all_chars = 0
    for lines in page_lines:
        for line in lines:
            sizes[line.size] += len(line.text)
            all_chars += len(line.text)
            bold_chars += len(line.text) if line.bold else 0
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    body_bold = bold_chars > all_chars / 2
    groups: list[tuple[int, list[_Line]]] = []
    for page_number, lines in enumerate(page_lines, start=1):
        current: list[_Line] = []
        for line in lines:
            if line.text in repeated:
                continue
            if current and _breaks(current[-1], line):
                groups.append((page_number, current))
                current = []
            current.append(line)
        if current:
            groups.append((page_number, current))
    heading_sizes = sorted({lines[0].size for _, lines in groups if _is_heading(lines, body, body_bold)}, reverse=True)
    blocks: list[Block] = []
    paragraph_on_page: Counter = Counter()
    for page_number, lines in groups:
        text = _join(lines)
        if not text:
            continue
        paragraph_on_page[page_number] += 1
        number = paragraph_on_page[page_number]
        if len(blocks) >= limits.MAX_BLOCKS:
            raise DocumentError(DocumentProblem("doc-too-many-paragraphs", params={"limit": limits.MAX_BLOCKS}))
        if _is_heading(lines, body, body_bold):
            size = lines[0].size
            level = heading_sizes.index(size) if size > body * 1.1 and size in heading_sizes else len(
                [s for s in heading_sizes if s > body * 1.1])
            blocks.append(Block(HEADING, text, page_number, number, min(level, 8)))
        elif looks_like_list_item(text):
            blocks.append(Block(LIST_ITEM, text[: limits.MAX_PASSAGE_CHARS], page_number, number))
        else:
            blocks.append(Block(PARAGRAPH, text[: limits.MAX_PASSAGE_CHARS], page_number, number))
    return blocks


def _breaks(previous: _Line, line: _Line) -> bool:
    size = max(previous.size, line.size, 1.0)
    gap = previous.bottom - line.top
    if gap > 0.45 * size or gap < -2 * size:  # a blank line, or a new column or jump back up
        return True
    if abs(previous.size - line.size) > 0.5 or previous.bold != line.bold:
        return True
    return looks_like_list_item(line.text)


def _is_heading(lines: list[_Line], body: float, body_bold: bool) -> bool:
    text = " ".join(line.text for line in lines)
    if len(text) > 200 or len(lines) > 3:
        return False
    first = lines[0]
    if first.size > body * 1.1:
        return True
    if first.bold and not body_bold and not text.endswith((".", ":", ";", ",")):
        return True
    return len(text) <= 120 and names_objective_heading(text)


def _join(lines: list[_Line]) -> str:
    out = ""
    for line in lines:
        text = line.text
        if out.endswith("-") and text[:1].islower():
            out = out[:-1] + text
        elif out:
            out += " " + text
        else:
            out = text
    return clean(out)


def _ranges(numbers: list[int]) -> str:
    parts, start, previous = [], None, None
    for n in numbers + [None]:
        if start is None:
            start = previous = n
        elif n is not None and n == previous + 1:
            previous = n
        else:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = previous = n
    return ", ".join(parts[:20]) + (", …" if len(parts) > 20 else "")


