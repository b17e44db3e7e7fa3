"""The safe Markdown subset staff write a review's texts in (review.md, "Authoring"):
paragraphs, headings, lists, emphasis, block quotes and links to http(s) or mailto addresses,
shown with their address. Nothing else: raw HTML, images and other link schemes are refused on
save (never silently stripped), so what is stored is what prints.

`check` says what a text breaks (located by line); `to_html` renders a checked text as HTML
that is safe to put in a page or a PDF whatever the text holds (it escapes everything, and
drops what `check` refuses, in case an older text is rendered). It is the one renderer: the
portal's preview and the review (PDF and HTML) print the same HTML, so the preview is the page.
A link that is not http(s) or mailto shows its text only. markdown-it-py is the
CommonMark parser `rich` already depends on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

#: The longest text a section may hold, in characters.
MAX_CHARS = 20_000
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Control characters a text may not hold (tab, line feed and carriage return are fine).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class TextProblem:
    """What a text breaks: a problem code (the problems catalogue), the line (1-based; 0 for the
    text as a whole) and the offending value."""

    code: str
    line: int
    value: str = ""


def _parser(html_allowed: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html_allowed, "linkify": False, "typographer": False})
    md.disable(["image"])  # ![alt](src) stays literal text
    md.validateLink = lambda url: True  # judged here, so that a refusal says which link
    return md


_CHECKER = _parser(True)
_RENDERER = _parser(False)


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _lines(tokens):
    """Each token with the line (1-based) it starts on: a block's from its map, an inline
    token's counted from its block's first line by the line breaks before it."""
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        yield token, line
        for child in token.children or ():
            yield child, line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def check(text: str, max_chars: int = MAX_CHARS) -> list[TextProblem]:
    """What is wrong with `text` as a review section; empty when it may be saved."""
    problems: list[TextProblem] = []
    if len(text) > max_chars:
        problems.append(TextProblem("text-too-long", 0, str(len(text))))
        return problems
    for number, line in enumerate(text.splitlines(), 1):
        found = _CONTROLS.search(line)
        if found:
            problems.append(TextProblem("text-control-character", number, f"U+{ord(found.group()):04X}"))
        if re.search(r"!\[[^\]]*\]\(", line):
            problems.append(TextProblem("text-image", number, line.strip()[:80]))
    for token, line in _lines(_CHECKER.parse(text)):
        if token.type in ("html_block", "html_inline"):
            problems.append(TextProblem("text-raw-html", line, token.content.strip()[:80]))
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not href.lower().startswith(SAFE_SCHEMES):
                problems.append(TextProblem("text-unsafe-link", line, href[:80]))
    return problems


def to_html(text: str, heading_base: int = 3) -> str:
    """`text` as safe HTML: headings start at <h{heading_base}>, each link is followed by its
    address (as printed), a link that is not http(s) or mailto is shown as text."""
    tokens = _RENDERER.parse(_CONTROLS.sub("", text))
    for token in _walk(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + heading_base - 1)
            token.tag = f"h{level}"
    out = _RENDERER.renderer.render(_with_addresses(tokens), _RENDERER.options, {})
    return out


def _with_addresses(tokens):
    """Inline links: `text (address)` when the text is not the address; unsafe links as text."""
    for token in tokens:
        if not token.children:
            continue
        children, href_stack = [], []
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                safe = href.lower().startswith(SAFE_SCHEMES)
                href_stack.append((href, safe, len(children)))
                if safe:
                    children.append(child)
                continue
            if child.type == "link_close" and href_stack:
                href, safe, start = href_stack.pop()
                label = "".join(c.content for c in children[start:] if c.type == "text")
                if safe:
                    children.append(child)
                    if label.strip() != href.removeprefix("mailto:"):
                        children.extend(_address(child.__class__, href.removeprefix("mailto:")))
                continue
            children.append(child)
        token.children = children
    return tokens


def _address(token_class, address: str) -> list:
    """` (<span class="address">address</span>)`: the printed page keeps a link's address. The
    address is a text token (escaped by the renderer); only the span's own tags are markup."""
    parts = [("text", " ("), ("html_inline", '<span class="address">'), ("text", address),
             ("html_inline", "</span>"), ("text", ")")]
    tokens = []
    for kind, content in parts:
        token = token_class(kind, "", 0)
        token.content = content
        tokens.append(token)
    return tokens


def plain(text: str) -> str:
    """The text of `text` without its markup (for a terminal or a search), escaped for nothing."""
    return html.unescape(re.sub(r"<[^>]+>", "", to_html(text)))
