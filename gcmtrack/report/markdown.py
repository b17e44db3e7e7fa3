"""The safe Markdown subset staff write for a review (review.md, "Authoring"), as sanitised HTML.

markdown-it-py parses it: a CommonMark parser that is maintained, already installed with `rich`,
with raw HTML switched off at the parser (an `<script>` typed by staff stays text) and every rule
outside the subset disabled. Its tokens are then rendered here, not by its HTML renderer, from a
whitelist: paragraphs, headings (shifted below the section's own heading), bullet and numbered
lists, emphasis, strong, line breaks and links. A link prints its address beside its text
("text (https://…)"), so a printed page keeps it, and only http, https and mailto addresses
become links; any other token is dropped and its text kept, escaped.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

#: The rules of the subset (everything else of CommonMark is off: no images, no code, no tables,
#: no raw HTML, no block quotes, no reference definitions).
_BLOCK_RULES = ["paragraph", "heading", "list", "hr"]
_INLINE_RULES = ["emphasis", "link", "newline", "escape", "backticks", "autolink"]
_SCHEMES = ("http://", "https://", "mailto:")
_HEADING_SHIFT = 2  # "# A" in a section's text is an <h3>: the section and its chapter hold h1, h2


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(_BLOCK_RULES).enable(_INLINE_RULES)
    md.validateLink = lambda url: url.strip().lower().startswith(_SCHEMES)
    return md


_BLOCK_TAGS = {"paragraph": "p", "bullet_list": "ul", "ordered_list": "ol", "list_item": "li"}


def _inline(children) -> str:
    out: list[str] = []
    href_stack: list[str | None] = []
    for token in children or ():
        kind = token.type
        if kind == "text" or kind == "code_inline":
            out.append(str(escape(token.content)))
        elif kind in ("softbreak",):
            out.append("\n")
        elif kind == "hardbreak":
            out.append("<br>")
        elif kind == "em_open":
            out.append("<em>")
        elif kind == "em_close":
            out.append("</em>")
        elif kind == "strong_open":
            out.append("<strong>")
        elif kind == "strong_close":
            out.append("</strong>")
        elif kind == "link_open":
            href = str(token.attrs.get("href", "")).strip()
            if href.lower().startswith(_SCHEMES):
                href_stack.append(href)
                out.append(f'<a href="{escape(href)}">')
            else:
                href_stack.append(None)
        elif kind == "link_close":
            href = href_stack.pop() if href_stack else None
            if href is not None:
                shown = href[len("mailto:"):] if href.lower().startswith("mailto:") else href
                out.append(f'</a> (<span class="address">{escape(shown)}</span>)')
        # any other token (an image, raw HTML if ever enabled): dropped, its text not rendered
    return "".join(out)


def render_markdown(text: str) -> Markup:
    """Staff's Markdown as sanitised HTML (safe to put in a page as is)."""
    out: list[str] = []
    for token in _parser().parse(text or ""):
        kind = token.type
        if kind == "inline":
            out.append(_inline(token.children))
        elif kind == "heading_open":
            level = min(6, int(token.tag[1]) + _HEADING_SHIFT)
            out.append(f"<h{level}>")
        elif kind == "heading_close":
            level = min(6, int(token.tag[1]) + _HEADING_SHIFT)
            out.append(f"</h{level}>\n")
        elif kind == "hr":
            out.append("<hr>\n")
        elif token.hidden:  # the paragraphs of a tight list: their text only
            continue
        elif kind.endswith("_open") and kind[:-5] in _BLOCK_TAGS:
            tag = _BLOCK_TAGS[kind[:-5]]
            start = token.attrs.get("start") if tag == "ol" else None
            out.append(f'<{tag} start="{int(start)}">' if start else f"<{tag}>")
        elif kind.endswith("_close") and kind[:-6] in _BLOCK_TAGS:
            out.append(f"</{_BLOCK_TAGS[kind[:-6]]}>\n")
    return Markup("".join(out))
