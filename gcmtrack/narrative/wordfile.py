"""Reading a DOCX into blocks, by streaming its XML through expat after the package checks of
package.py (no third-party XML library: lxml, which python-docx would bring, also changes how
openpyxl writes the annotated workbooks).

Headings are paragraphs with an outline level (set on the paragraph or on its style or a style
it is based on) or a heading style ("heading 1".."heading 9", "Title"), and, below those,
headings typed as plain paragraphs: a short line naming an objective, or a short line wholly in
bold. List items are paragraphs with numbering (numPr) on them or their style, or a list style.
Tables are read row by row (a merged cell once; a table inside a cell is part of that cell),
content controls and tracked insertions as their content; deleted text, field codes and text
boxes are left out. Elements are matched by local name, so Transitional and Strict OOXML read
alike. A block's `paragraph` counts the blocks of the body in order from 1."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from gcmtrack.narrative import limits
from gcmtrack.narrative.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, clean
from gcmtrack.narrative.model import DocumentProblem
from gcmtrack.narrative.package import DocumentError, check_package
from gcmtrack.narrative.structure import names_objective_heading

TITLE_LEVEL = -1  # a document's title stands above its "Heading 1" (outline level 0)
BODY = 99  # a paragraph whose own outline level says body text, whatever its style
INFERRED_OBJECTIVE_LEVEL = 7  # "Objective 5" typed as a plain paragraph: below every styled heading
INFERRED_LEVEL = 8  # a short line wholly in bold: below that

_HEADING_NAME = re.compile(r"^(?:heading|titre|título|titulo|überschrift|kop)\s*(\d)$", re.I)
_STYLES_TYPE = "wordprocessingml.styles+xml"


def read_docx(data: bytes) -> list[Block]:
    """The blocks of a DOCX; DocumentError when it cannot be read."""
    package, main, styles_part = check_package(data)
    styles = _Styles(_parse(package, styles_part, _StylesHandler()).styles) if styles_part else _Styles({})
    return _parse(package, main, _BodyHandler(styles)).blocks


# ------------------------------------------------------------------------------ XML streaming

def _parse(package: zipfile.ZipFile, name: str, handler):
    """Stream one part through an expat parser that refuses DTDs and entities (the package
    check refused them already; this is the second line)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(*_args):
        raise DocumentError(DocumentProblem("doc-xml-forbidden", params={"part": name, "reason": "<!DOCTYPE"}))

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.StartElementHandler = lambda tag, attrs: handler.start(tag.rpartition(" ")[2], _local(attrs))
    parser.EndElementHandler = lambda tag: handler.end(tag.rpartition(" ")[2])
    parser.CharacterDataHandler = handler.text
    try:
        with package.open(name) as stream:
            while chunk := stream.read(limits.CHUNK_BYTES):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise DocumentError(DocumentProblem("doc-corrupt", params={
            "reason": f"{name}: {expat.ErrorString(error.code)}, line {error.lineno}"})) from None
    except DocumentError:
        raise
    except Exception as error:  # zipfile's damage (CRC, sizes) while decompressing
        raise DocumentError(DocumentProblem("doc-corrupt", params={"reason": f"{name}: {type(error).__name__}"})) from None
    return handler


def _local(attrs: dict) -> dict:
    return {key.rpartition(" ")[2]: value for key, value in attrs.items()}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _on(attrs: dict) -> bool:
    """A toggle property (<w:b/>, <w:b w:val="0"/>) is on unless its value says off."""
    return attrs.get("val", "true").lower() not in ("0", "false", "off")


# ------------------------------------------------------------------------------ styles

@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    numbered: bool = False


class _StylesHandler:
    def __init__(self):
        self.styles: dict[str, _Style] = {}
        self.current: _Style | None = None
        self.stack: list[str] = []

    def start(self, tag: str, attrs: dict) -> None:
        self.stack.append(tag)
        if tag == "style" and attrs.get("type", "paragraph") == "paragraph":
            self.current = _Style()
            self.styles[attrs.get("styleId", "")] = self.current
        elif self.current is not None and len(self.stack) >= 2 and self.stack[-2] == "style":
            if tag == "name":
                self.current.name = attrs.get("val", "")
            elif tag == "basedOn":
                self.current.based_on = attrs.get("val")
        elif self.current is not None and len(self.stack) >= 2 and self.stack[-2] == "pPr":
            if tag == "outlineLvl":
                self.current.outline = _int(attrs.get("val"))
            elif tag == "numPr":
                self.current.numbered = True

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag == "style":
            self.current = None

    def text(self, _data: str) -> None:
        pass


class _Styles:
    def __init__(self, styles: dict[str, _Style]):
        self.styles = styles
        self.cache: dict[str | None, tuple[int | None, bool]] = {}

    def info(self, style_id: str | None) -> tuple[int | None, bool]:
        """(heading level, is a list) of a paragraph style, following basedOn (20 steps at most)."""
        if style_id in self.cache:
            return self.cache[style_id]
        level, is_list, seen, current = None, False, set(), style_id
        while current and current not in seen and len(seen) < 20:
            seen.add(current)
            style = self.styles.get(current)
            if style is None:
                break
            name = style.name.strip()
            if level is None and style.outline is not None:
                level = style.outline
            if level is None:
                match = _HEADING_NAME.match(name)
                if match:
                    level = int(match.group(1)) - 1
                elif name.lower() in ("title", "titre", "título"):
                    level = TITLE_LEVEL
            is_list = is_list or style.numbered or name.lower().startswith(("list", "liste", "lista"))
            current = style.based_on
        if level is not None and not TITLE_LEVEL <= level <= 8:
            level = None  # 9 is body text
        self.cache[style_id] = (level, is_list)
        return level, is_list


# ------------------------------------------------------------------------------ the body

@dataclass
class _Paragraph:
    style: str | None = None
    outline: int | None = None
    numbered: bool = False
    parts: list[str] = field(default_factory=list)
    runs_bold: list[bool] = field(default_factory=list)


_SKIPPED = frozenset({"txbxContent", "Fallback", "del", "moveFrom", "instrText", "delText", "footnoteReference"})


class _BodyHandler:
    def __init__(self, styles: _Styles):
        self.styles = styles
        self.blocks: list[Block] = []
        self.stack: list[str] = []
        self.skip = 0  # depth inside an element whose content is left out
        self.paragraphs: list[_Paragraph] = []
        self.tables = 0  # depth of tables; only the outermost one makes rows
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.run_bold = False
        self.run_text = False

    # --- expat handlers
    def start(self, tag: str, attrs: dict) -> None:
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(tag)
        if self.skip or tag in _SKIPPED:
            self.skip += 1
            return
        if tag == "p":
            self.paragraphs.append(_Paragraph())
        elif tag == "tbl":
            self.tables += 1
        elif tag == "tr" and self.tables == 1:
            self.row = []
        elif tag == "tc" and self.tables == 1:
            self.cell = []
        elif not self.paragraphs:
            return
        elif parent == "pPr" and tag == "pStyle":
            self.paragraphs[-1].style = attrs.get("val")
        elif parent == "pPr" and tag == "outlineLvl":
            self.paragraphs[-1].outline = _int(attrs.get("val"))
        elif parent == "pPr" and tag == "numPr":
            self.paragraphs[-1].numbered = True
        elif tag == "r":
            self.run_bold, self.run_text = False, False
        elif tag == "b" and parent == "rPr" and len(self.stack) >= 3 and self.stack[-3] == "r":
            self.run_bold = _on(attrs)
        elif tag == "tab" and parent == "r":
            self.paragraphs[-1].parts.append("\t")
        elif tag in ("br", "cr") and parent == "r":
            self.paragraphs[-1].parts.append("\n")

    def end(self, tag: str) -> None:
        self.stack.pop()
        if self.skip:
            self.skip -= 1
            return
        if tag == "p" and self.paragraphs:
            self._paragraph(self.paragraphs.pop())
        elif tag == "r" and self.paragraphs and self.run_text:
            self.paragraphs[-1].runs_bold.append(self.run_bold)
        elif tag == "tc" and self.tables == 1 and self.cell is not None:
            text = clean(" ".join(self.cell)).replace("\n", " ")
            if text and self.row is not None:
                self.row.append(text)
            self.cell = None
        elif tag == "tr" and self.tables == 1 and self.row is not None:
            if self.row:
                self._add(TABLE_ROW, " | ".join(self.row))
            self.row = None
        elif tag == "tbl":
            self.tables -= 1

    def text(self, data: str) -> None:
        if self.skip or not self.paragraphs or not self.stack or self.stack[-1] != "t":
            return
        self.paragraphs[-1].parts.append(data)
        if data.strip():
            self.run_text = True

    # --- blocks
    def _paragraph(self, paragraph: _Paragraph) -> None:
        text = "".join(paragraph.parts)
        if self.paragraphs:  # a paragraph inside another one's content (rare): part of it
            self.paragraphs[-1].parts.append(" " + text)
            return
        if self.tables:
            if self.cell is not None:
                self.cell.append(text)
            return
        level = paragraph.outline
        if level is not None and not 0 <= level <= 8:
            level = BODY
        style_level, style_list = self.styles.info(paragraph.style)
        if level is None:
            level = style_level
        if level is not None and level != BODY:
            self._add(HEADING, text, level)
        elif paragraph.numbered or style_list:
            self._add(LIST_ITEM, text)
        elif level is None and _looks_like_heading(text, paragraph.runs_bold):
            # a heading typed as a plain paragraph: "Objective 5" on its own line, or a short
            # line wholly in bold; below any styled heading
            self._add(HEADING, text, INFERRED_OBJECTIVE_LEVEL if names_objective_heading(text) else INFERRED_LEVEL)
        else:
            self._add(PARAGRAPH, text)

    def _add(self, kind: str, text: str, level: int = 0) -> None:
        text = clean(text)
        if not text:
            return
        if len(self.blocks) >= limits.MAX_BLOCKS:
            raise DocumentError(DocumentProblem("doc-too-many-paragraphs", params={"limit": limits.MAX_BLOCKS}))
        self.blocks.append(Block(kind, text[: limits.MAX_PASSAGE_CHARS], None, len(self.blocks) + 1, level))


def _looks_like_heading(text: str, runs_bold: list[bool]) -> bool:
    stripped = clean(text)
    if not stripped or len(stripped) > 150 or "\n" in stripped or stripped.endswith((".", ";", ",")):
        return False
    if names_objective_heading(stripped):
        return True
    if len(stripped) > 100 or stripped.endswith(":"):
        return False
    return bool(runs_bold) and all(runs_bold)
