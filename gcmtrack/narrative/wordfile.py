"""Reading a DOCX into blocks, through python-docx, after the package checks of package.py.

Headings are paragraphs with an outline level (set on the paragraph or on its style or a style
it is based on) or a heading style ("Heading 1".."Heading 9", "Title"), in any language Word
writes them. List items are paragraphs with numbering (numPr) on them or their style, or a
list style. Tables are read row by row (a merged cell once), content controls (w:sdt) as their
content. A block's `paragraph` counts the blocks of the body in order from 1."""

from __future__ import annotations

import re

from gcmtrack.narrative import limits
from gcmtrack.narrative.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, clean
from gcmtrack.narrative.model import DocumentProblem
from gcmtrack.narrative.package import DocumentError, check_package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"^(?:heading|titre|título|titulo|überschrift|kop)\s*(\d)$", re.I)


def read_docx(data: bytes) -> list[Block]:
    """The blocks of a DOCX; DocumentError when it cannot be read."""
    check_package(data)
    import io

    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except Exception as error:
        raise DocumentError(DocumentProblem("doc-corrupt", params={"reason": type(error).__name__})) from None
    return _Walker(document).walk()


class _Walker:
    def __init__(self, document):
        self.document = document
        self.blocks: list[Block] = []
        self.style_levels: dict[str, tuple[int | None, bool]] = {}
        self._styles = self._read_styles()

    def _read_styles(self) -> dict[str, object]:
        try:
            root = self.document.styles.element
        except Exception:
            return {}
        return {style.get(f"{_W}styleId"): style for style in root.iter(f"{_W}style")}

    def _style_info(self, style_id: str | None) -> tuple[int | None, bool]:
        """(outline level, is a list) of a paragraph style, following basedOn (at most 20 steps)."""
        if not style_id:
            return None, False
        if style_id in self.style_levels:
            return self.style_levels[style_id]
        level, is_list, seen, current = None, False, set(), style_id
        while current and current not in seen and len(seen) < 20:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            name_el = style.find(f"{_W}name")
            name = (name_el.get(f"{_W}val") if name_el is not None else "") or ""
            ppr = style.find(f"{_W}pPr")
            if level is None and ppr is not None:
                outline = ppr.find(f"{_W}outlineLvl")
                if outline is not None:
                    level = _int(outline.get(f"{_W}val"))
            if level is None:
                match = _HEADING_NAME.match(name.strip())
                if match:
                    level = int(match.group(1)) - 1
                elif name.strip().lower() in ("title", "titre", "título"):
                    level = 0
            if ppr is not None and ppr.find(f"{_W}numPr") is not None:
                is_list = True
            if name.lower().startswith(("list", "liste", "lista")):
                is_list = True
            based = style.find(f"{_W}basedOn")
            current = based.get(f"{_W}val") if based is not None else None
        if level is not None and not 0 <= level <= 8:
            level = None  # 9 is body text
        self.style_levels[style_id] = (level, is_list)
        return level, is_list

    def _add(self, kind: str, text: str, level: int = 0) -> None:
        text = clean(text)
        if not text:
            return
        if len(self.blocks) >= limits.MAX_BLOCKS:
            raise DocumentError(DocumentProblem("doc-too-many-paragraphs", params={"limit": limits.MAX_BLOCKS}))
        self.blocks.append(Block(kind, text[: limits.MAX_PASSAGE_CHARS], None, len(self.blocks) + 1, level))

    def walk(self) -> list[Block]:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        body = self.document.element.body
        self._walk_children(body, Paragraph, Table, self.document._body)
        return self.blocks

    def _walk_children(self, element, Paragraph, Table, parent) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                self._paragraph(Paragraph(child, parent))
            elif tag == f"{_W}tbl":
                self._table(Table(child, parent))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self._walk_children(content, Paragraph, Table, parent)

    def _paragraph(self, paragraph) -> None:
        try:
            text = paragraph.text
        except Exception:
            text = "".join(t.text or "" for t in paragraph._p.iter(f"{_W}t"))
        ppr = paragraph._p.find(f"{_W}pPr")
        style_id = None
        level = None
        has_numbering = False
        if ppr is not None:
            style_el = ppr.find(f"{_W}pStyle")
            style_id = style_el.get(f"{_W}val") if style_el is not None else None
            outline = ppr.find(f"{_W}outlineLvl")
            if outline is not None:
                level = _int(outline.get(f"{_W}val"))
                if level is not None and not 0 <= level <= 8:
                    level = -1  # explicitly body text
            has_numbering = ppr.find(f"{_W}numPr") is not None
        style_level, style_list = self._style_info(style_id)
        if level is None:
            level = style_level
        if level is not None and level >= 0:
            self._add(HEADING, text, level)
        elif has_numbering or style_list:
            self._add(LIST_ITEM, text)
        else:
            self._add(PARAGRAPH, text)

    def _table(self, table) -> None:
        try:
            rows = list(table.rows)
        except Exception:
            return
        for row in rows:
            try:
                cells = row.cells
            except Exception:
                continue
            texts, seen = [], set()
            for cell in cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                text = clean(cell.text).replace("\n", " ")
                if text:
                    texts.append(text)
            if texts:
                self._add(TABLE_ROW, " | ".join(texts))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
