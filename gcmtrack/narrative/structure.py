"""The document's structure: which headings name an objective, and how blocks become passages.

A heading names objective N when it says so with a number ("Objective 5", "Objetivo 5",
"Objectif 5", "OBJ 5", "Obj. 5", "GCM objective 5", "5. Provide access…" when what follows is
that objective's title) or gives an objective's title or short label (the reference data's
English, Spanish and French, compared folded: case, accents and punctuation ignored). Passages:
each paragraph is one; list items are kept together with the paragraph that leads into them (a
paragraph right before the list), as one passage of kind "list"; each table row is one; the
heading path above a passage is the stack of headings of lower level before it."""

from __future__ import annotations

import re
from functools import cache

from gcmtrack.common.text import fold_loose
from gcmtrack.narrative.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block

_WORDS = r"(?:gcm\s+|pmm\s+|pm\s+|gmc\s+)?(?:objectives?|objetivos?|objectifs?|obj\.?|o\.)"
_NUMBERED = re.compile(
    rf"\b{_WORDS}\s*(?:n[°ºo]\.?\s*|no\.\s*|#\s*)?(\d{{1,2}})((?:\s*(?:,|and|y|et|&|/|-|–|to|a|à)\s*\d{{1,2}})*)",
    re.I)
_MORE_NUMBERS = re.compile(r"\d{1,2}")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.):\-–]\s*(\S.*)$")


@cache
def _titles() -> tuple[tuple[int, str, str], ...]:
    """(objective, folded title or label, language) of every objective, longest first."""
    from gcmtrack.reference.framework import framework

    out = []
    for number, objective in framework().objectives.items():
        for lang in ("en", "es", "fr"):
            for text in (getattr(objective.title, lang, None), getattr(objective.label, lang, None)):
                if text:
                    out.append((number, fold_loose(text), lang))
    return tuple(sorted(out, key=lambda item: -len(item[1])))


def objectives_named(heading: str) -> list[int]:
    """The objectives a heading names, in order (empty when it names none)."""
    found: list[int] = []
    for match in _NUMBERED.finditer(heading):
        numbers = [int(match.group(1))]
        tail = match.group(2) or ""
        numbers += [int(n) for n in _MORE_NUMBERS.findall(tail)]
        if re.search(r"\d\s*(?:-|–|to|a|à)\s*\d", tail + " ") and len(numbers) == 2 and numbers[0] < numbers[1]:
            numbers = list(range(numbers[0], numbers[1] + 1))  # "Objectives 5-7"
        for n in numbers:
            if 1 <= n <= 23 and n not in found:
                found.append(n)
    if found:
        return found
    folded = fold_loose(heading)
    if not folded or len(folded) > 300:
        return []
    leading = _LEADING_NUMBER.match(heading)
    for number, title, _lang in _titles():
        if len(title) < 4:
            continue
        if folded == title or (len(title) >= 12 and title in folded and len(folded) <= len(title) + 40):
            if leading and int(leading.group(1)) != number and fold_loose(leading.group(2)) != title:
                continue
            return [number]
    return []


def names_objective_heading(text: str) -> bool:
    """A short line that reads like an objective's heading: a number named first."""
    match = _NUMBERED.search(text)
    return bool(match) and match.start() <= 3


def passages_from(blocks: list[Block]) -> list[tuple[Block, str, tuple[str, ...], str]]:
    """(first block, text, heading path, kind) of each passage, in reading order."""
    out: list[tuple[Block, str, tuple[str, ...], str]] = []
    stack: list[tuple[int, str]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        path = tuple(text for _, text in stack)
        if block.kind == HEADING:
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            index += 1
            continue
        if block.kind == TABLE_ROW:
            out.append((block, block.text, path, "table-row"))
            index += 1
            continue
        # a paragraph followed by list items, or a list without a lead-in
        items: list[Block] = []
        following = index + (1 if block.kind == PARAGRAPH else 0)
        while following < len(blocks) and blocks[following].kind == LIST_ITEM:
            items.append(blocks[following])
            following += 1
        if block.kind == PARAGRAPH and not items:
            out.append((block, block.text, path, "paragraph"))
            index += 1
            continue
        if block.kind == PARAGRAPH and not _leads_in(block.text):
            out.append((block, block.text, path, "paragraph"))
            index += 1
            continue
        lines = ([block.text] if block.kind == PARAGRAPH else []) + [_item(b.text) for b in items]
        out.append((block, "\n".join(lines), path, "list"))
        index = following
    return out


def _leads_in(text: str) -> bool:
    """A paragraph that introduces the list after it: it ends with a colon, or is short."""
    stripped = text.rstrip()
    return stripped.endswith((":", "：", "…", "...")) or len(stripped) <= 200


def _item(text: str) -> str:
    return text if text[:1] in "•●○◦▪■□►▶✓✔-–—*·" or re.match(r"^\(?[a-zA-Z0-9ivx]{1,4}[.)]\s", text) else "• " + text
