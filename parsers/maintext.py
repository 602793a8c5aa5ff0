"""Find an article's main text by structure: the best-scored container of paragraphs.

The finder works on a tree already cleaned by ``strip_boilerplate`` (scripts,
navigation, share bars, related links, notices and comments gone). As
readability does, each paragraph of real prose (long, comma-rich, few links)
scores its parent fully and its ancestors less; a container's score earns a
bonus or malus from its class name and is cut by its link density. The best
container is widened to its parent when the parent holds clearly more prose
(bodies split in blocks), siblings that score well are taken along, and the
blocks are returned as ``Section``s: paragraphs, list items and quotes grouped
under their sub-headings, with furniture lines, bylines, captions and link
lists dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Section
from parsers.bodylines import (
    SENTENCE_END,
    SENTENCE_OR_INTRO_END,
    has_letters,
    is_byline_or_dateline,
    is_wordy,
    text_weight,
)
from parsers.boilerplate import (
    NEVER_TEXT,
    POSITIVE_WORDS,
    class_weight,
    is_boilerplate,
    is_furniture,
    marker_words,
    strip_boilerplate,
)

__all__ = [
    "BLOCK_TAGS",
    "NEVER_TEXT",
    "MainText",
    "collect_sections",
    "find_main_text",
    "is_boilerplate",
    "is_furniture",
    "link_density",
    "strip_boilerplate",
]

BLOCK_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "li", "dd", "dt", "td", "th"}
)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Elements that break text into blocks: a block holding none of them is a leaf.
_BLOCK_LEVEL = (
    "p, div, section, article, ul, ol, dl, table, h1, h2, h3, h4, h5, h6, blockquote, pre, "
    "header, footer, main, figure, form, li"
)
_LEAF = f":not(:has({_BLOCK_LEVEL}))"
#: Leaf blocks read as body lines, in document order (a ``div`` of inline content is one).
_BLOCK_SELECTOR = ", ".join(
    f"{tag}{_LEAF}"
    for tag in ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "li", "dd", "dt", "div")
)
#: Leaf blocks and the table cells that may hold a paragraph (pages laid out in tables).
_READ_SELECTOR = f"{_BLOCK_SELECTOR}, td{_LEAF}"
#: A table cell holds a paragraph, not a datum, from this length (CJK characters count twice).
_CELL_PARAGRAPH = 80
#: Elements scored as prose paragraphs.
_PROSE_SELECTOR = f"p, pre, td, blockquote, div{_LEAF}"
#: Prose inside a list item: it is not counted when the best container is widened.
_LISTED_PROSE = "li p, li pre, li td, li blockquote, li div"
#: A paragraph shorter than this (characters) is not counted when the body is widened.
_WIDENING_PARAGRAPH = 100
#: Divs holding blocks and text of their own ("Text <div class=ad></div> more text").
_MIXED_SELECTOR = f"div:has({_BLOCK_LEVEL})"
_BLOCK_TAG_NAMES = frozenset(t.strip() for t in _BLOCK_LEVEL.split(","))
_TAG_WEIGHT = {
    "div": 5.0,
    "article": 10.0,
    "main": 10.0,
    "section": 3.0,
    "td": 3.0,
    "blockquote": 3.0,
    "pre": 3.0,
    "form": -3.0,
    "ul": -3.0,
    "ol": -3.0,
    "li": -3.0,
    "dl": -3.0,
    "body": -5.0,
}


@dataclass(frozen=True)
class MainText:
    """The article text found on a page: its sections and the container it came from."""

    sections: tuple[Section, ...]
    container: LexborNode | None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _text(node: LexborNode) -> str:
    """The node's text, white space collapsed (as ``extract.clean``, but faster)."""
    text = node.text(deep=True, separator="")
    if not text.isascii():
        text = _ZERO_WIDTH_RE.sub("", text)
    return " ".join(text.split())


#: Links that lead nowhere on the web (an address to write to, a number to call): no navigation.
_CONTACT_LINKS = 'a[href^="mailto:" i], a[href^="tel:" i]'


def link_density(node: LexborNode, text_length: int, *, contact_links: bool = True) -> float:
    """Share of ``node``'s text that sits inside links (``mailto:`` and ``tel:`` links aside).

    ``contact_links=False`` says the page has none, which spares looking for them.
    """
    if text_length == 0:
        return 1.0
    if not contact_links:
        linked = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
        return min(1.0, linked / text_length)
    linked = 0
    for a in node.css("a"):
        if (a.attributes.get("href") or "")[:7].lower().startswith(("mailto:", "tel:")):
            continue
        linked += len(a.text(deep=True).strip())
    return min(1.0, linked / text_length)


def _paragraph_score(text: str) -> float:
    commas = text.count(",") + text.count("،") + text.count("、") + text.count("，")
    return 1.0 + commas + min(text_weight(text) / 100.0, 3.0)


def find_main_text(
    tree: LexborHTMLParser,
    *,
    min_paragraph: int = 25,
    root: LexborNode | None = None,
    lead: str | None = None,
) -> MainText:
    """The article text of an already boilerplate-stripped ``tree`` (see ``strip_boilerplate``).

    With ``lead`` (the page's description), a block the page marks as its
    standfirst and that repeats the lead is left out: it is the lead, not body.
    """
    scope = root if root is not None else tree.body
    if scope is None:
        return MainText((), None)
    prose: dict[int, int] = {}
    seen: _Seen = {}
    contacts = scope.css_first(_CONTACT_LINKS) is not None
    scores, nodes = _score_candidates(scope, min_paragraph, prose, seen, contacts=contacts)
    if not scores:
        return MainText((), None)
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)[:5]
    final: dict[int, float] = {}
    for key in ranked:
        node = nodes[key]
        length = len(node.text(deep=True).strip())
        final[key] = scores[key] * (1.0 - link_density(node, length, contact_links=contacts))
    top = max(final, key=lambda k: final[k])
    best = _widen(nodes[top], _widening_prose(scope, prose, nodes[top]))
    parts = _with_siblings(best, scores, final[top], min_paragraph)
    sections = _merge_sections(
        [
            s
            for part in parts
            for s in collect_sections(
                part, min_paragraph=1, lead=lead, seen=seen, contact_links=contacts
            )
        ]
    )
    return MainText(sections, best)


def _only_child(node: LexborNode) -> bool:
    """Whether ``node`` has no element siblings (its parent is a mere wrapper)."""
    for step in ("prev", "next"):
        sibling = getattr(node, step)
        while sibling is not None:
            if sibling.is_element_node:
                return False
            if sibling.is_text_node and (sibling.text_content or "").strip():
                return False
            sibling = getattr(sibling, step)
    return True


#: Text and link density of the blocks already read, by node: scoring and collecting share it.
_Seen = dict[int, tuple[str, float | None]]


def _score_candidates(
    scope: LexborNode,
    min_paragraph: int,
    prose: dict[int, int],
    seen: _Seen | None = None,
    *,
    contacts: bool = True,
) -> tuple[dict[int, float], dict[int, LexborNode]]:
    """Readability's scores: each prose paragraph credits its ancestors, less as they are further.

    Wrappers that hold nothing but the paragraph (or the previous wrapper) do not
    count as a level, so a paragraph nested in four ``div``s still credits the
    container of its siblings. ``prose`` receives each good paragraph's length.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    alone: dict[int, bool] = {}  # child -> has no siblings; shared ancestors are asked once
    mixed = [n for n in scope.css(_MIXED_SELECTOR) if _has_own_text(n, min_paragraph)]
    mixed_ids = {n.mem_id for n in mixed}
    seen = {} if seen is None else seen
    for para in [*scope.css(_PROSE_SELECTOR), *mixed]:
        text = _own_text(para) if para.mem_id in mixed_ids else _text(para)
        short = len(text) < min_paragraph and text_weight(text) < min_paragraph
        if short or is_furniture(text) or not is_wordy(text):
            seen[para.mem_id] = (text, None)
            continue
        density = link_density(para, len(text), contact_links=contacts)
        seen[para.mem_id] = (text, density)
        if density > 0.5:
            continue
        prose[para.mem_id] = len(text)
        score = _paragraph_score(text)
        child, parent = para, para.parent
        level, steps = 0, 0
        while parent is not None and parent.tag != "html" and level < 4 and steps < 10:
            key = parent.mem_id
            if key not in scores:
                scores[key] = class_weight(parent) + _TAG_WEIGHT.get(parent.tag or "", 0.0)
                nodes[key] = parent
            scores[key] += score / (1.0 if level == 0 else 2.0 if level == 1 else level * 3.0)
            only = alone.get(child.mem_id)
            if only is None:
                only = alone[child.mem_id] = _only_child(child)
            if not only:
                level += 1
            child, parent = parent, parent.parent
            steps += 1
    return scores, nodes


def _widening_prose(
    scope: LexborNode, prose: dict[int, int], best: LexborNode
) -> dict[int, int]:
    """The prose that may widen the body ``best``: paragraphs outside list items, of 100
    characters or more unless ``best`` holds none that long. A sidebar's modules (lists of
    books, teasers with a line of summary) and a column of short notes hold prose too, and
    pulled a short post wide."""
    listed = {para.mem_id for para in scope.css(_LISTED_PROSE)}
    widening = {key: length for key, length in prose.items() if key not in listed}
    long = {key: length for key, length in widening.items() if length >= _WIDENING_PARAGRAPH}
    return long if _good_text_length(best, long) else widening


def _good_text_length(node: LexborNode, prose: dict[int, int]) -> int:
    return sum(prose.get(p.mem_id, 0) for p in node.css(_PROSE_SELECTOR))


#: How much more prose an ancestor must hold to be taken once the climb leaves a block
#: whose class names the body (1.5; 2 and 3 trade dragnet precision for trafilatura-eval
#: recall with no gain over both).
_NAMED_FACTOR = 1.5


def _widen(best: LexborNode, prose: dict[int, int]) -> LexborNode:
    """The highest near ancestor holding clearly more prose than ``best`` (split bodies).

    Wrappers that add nothing are climbed through, so a body cut into many
    blocks is found whole; an ancestor is taken only when it holds at least a
    quarter more prose than the node taken before it, half more once the climb
    leaves a block whose class names the body (``entry-content``), twice as much
    once it leaves an ``<article>``: what lies beside an article is rarely it.
    Only ``_widening_prose`` counts: not list items' prose nor short paragraphs.
    """
    current = best
    current_len = _good_text_length(best, prose)
    node = best
    factor = 1.25
    for _ in range(6):
        if node.tag == "article":
            factor = 2.0
        elif class_weight(node) > 0:
            factor = max(factor, _NAMED_FACTOR)
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            break
        length = _good_text_length(node, prose)
        if length >= current_len * factor:
            current, current_len = node, length
    return current


def _with_siblings(
    best: LexborNode, scores: dict[int, float], best_score: float, min_paragraph: int
) -> list[LexborNode]:
    """``best`` and the siblings around it that hold article text too (readability's rule)."""
    parent = best.parent
    if parent is None or parent.tag in ("html",):
        return [best]
    threshold = max(10.0, best_score * 0.2)
    parts: list[LexborNode] = []
    for child in parent.iter(include_text=False):
        if child.mem_id == best.mem_id:
            parts.append(child)
            continue
        if scores.get(child.mem_id, 0.0) >= threshold:
            parts.append(child)
            continue
        if child.tag in ("p", "div", "blockquote") and len(child.css(_BLOCK_SELECTOR)) <= 1:
            text = _text(child)  # a lone paragraph or text box beside the body (a facts box)
            density = link_density(child, len(text))
            weight = text_weight(text)
            if (weight > 80 and density < 0.25) or (
                min_paragraph <= weight <= 80 and density == 0 and text[-1:] in SENTENCE_END
            ):
                parts.append(child)
    return parts


#: Inline wrappers read through at most this deep (a hostile page nests thousands).
_INLINE_DEPTH = 8


def _own_paragraphs(node: LexborNode, *, own_only: bool) -> list[str]:
    """The text of ``node``'s children, split where two ``<br>`` in a row end a paragraph
    (``text<br><br>text``, as many CMSs write paragraphs, also inside ``<font>`` or
    ``<span>`` wrappers); with ``own_only``, block children are skipped (a mixed
    ``div``: they are read on their own)."""
    pieces: list[str] = []
    parts: list[str] = []
    breaks = 0

    def walk(parent: LexborNode, depth: int) -> None:
        nonlocal breaks, parts
        for child in parent.iter(include_text=True):
            if child.is_text_node:
                text = child.text_content or ""
                if text.strip():
                    breaks = 0
                parts.append(text)
                continue
            if child.tag == "br":
                breaks += 1
                if breaks == 2:
                    pieces.append("".join(parts))
                    parts = []
                else:
                    parts.append(" ")
                continue
            if child.tag in _BLOCK_TAG_NAMES:
                if own_only:
                    continue
            elif depth < _INLINE_DEPTH and (
                child.css_first("br") is not None
                or (own_only and child.css_first(_BLOCK_LEVEL) is not None)
            ):
                walk(child, depth + 1)  # an inline wrapper around lines or blocks
                continue
            breaks = 0
            parts.append(child.text(deep=True, separator=""))

    walk(node, 0)
    pieces.append("".join(parts))
    cleaned = []
    for piece in pieces:
        if not piece.isascii():
            piece = _ZERO_WIDTH_RE.sub("", piece)
        piece = " ".join(piece.split())
        if piece:
            cleaned.append(piece)
    return cleaned


def _own_text(node: LexborNode) -> str:
    """The text of a mixed ``div`` without its block children (they are read on their own)."""
    return " ".join(_own_paragraphs(node, own_only=True))


def _has_own_text(node: LexborNode, min_length: int) -> bool:
    """Whether ``node`` holds ``min_length`` characters outside its block children
    (its own text nodes and inline wrappers: ``<span>`` lines between ``<br>``)."""
    return _own_length(node, min_length) >= min_length


def _own_length(node: LexborNode, enough: int, depth: int = 0) -> int:
    """The length of ``node``'s text outside its blocks, counted up to ``enough``: an inline
    wrapper holding blocks (a ``<span>`` around the paragraphs) is read through."""
    total = 0
    for child in node.iter(include_text=True):
        if child.is_text_node:
            total += len((child.text_content or "").strip())
        elif child.tag not in _BLOCK_TAG_NAMES:
            if depth < _INLINE_DEPTH and child.css_first(_BLOCK_LEVEL) is not None:
                total += _own_length(child, enough - total, depth + 1)
            else:
                total += len(child.text(deep=True).strip())
        if total >= enough:
            break
    return total


def _data_row(cell: LexborNode, rows: set[int]) -> tuple[LexborNode, str] | None:
    """The row of a short cell as one line, once per row, when it holds data: two cells or
    more, all short, no table inside (a layout table's cells are read one by one)."""
    row = cell.parent
    if row is None or row.tag != "tr" or row.mem_id in rows:
        return None
    rows.add(row.mem_id)
    if row.css_first("table") is not None:
        return None
    cells = [_text(c) for c in row.iter(include_text=False) if c.tag in ("td", "th")]
    if any(text_weight(c) >= _CELL_PARAGRAPH for c in cells):
        return None  # a paragraph sits in this row: its cells are read one by one
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return None  # a one-cell row: a layout table's line (a teaser, a menu item)
    return row, " ".join(filled)


def _leaf_blocks(container: LexborNode, seen: _Seen) -> Iterator[tuple[LexborNode, str]]:
    """The blocks of ``container`` and their text, in document order.

    Containers are read through their children; a ``div`` that mixes text of its
    own with blocks gives its own text as one more block, in its place.
    """
    mixed = {n.mem_id for n in container.css(_MIXED_SELECTOR) if _has_own_text(n, 25)}
    selector = _READ_SELECTOR + (", div" if mixed else "")
    read: set[int] = set()
    rows: set[int] = set()
    for block in container.css(selector):  # (css() includes the node itself)
        if mixed:  # Lexbor lists a node once per selector of the list that matches it
            if block.mem_id in read:
                continue
            read.add(block.mem_id)
        known = seen.get(block.mem_id)
        is_mixed = block.mem_id in mixed
        if block.tag == "td":
            text = known[0] if known else _text(block)
            if text_weight(text) < _CELL_PARAGRAPH:
                row = _data_row(block, rows)
                if row is not None:
                    yield row  # a row of a table of data (ingredients, figures): one line
                continue
            if block.css_first("br") is None:
                yield block, text
                continue
        if not is_mixed and block.tag == "div" and mixed and len(block.css(_BLOCK_LEVEL)) > 1:
            continue
        if block.tag in ("div", "td", "dd") and block.css_first("br") is not None:
            for piece in _own_paragraphs(block, own_only=is_mixed):
                yield block, piece
        elif is_mixed:
            yield block, known[0] if known else _own_text(block)
        else:
            yield block, known[0] if known else _text(block)


def collect_sections(
    container: LexborNode,
    *,
    min_paragraph: int = 1,
    lead: str | None = None,
    seen: _Seen | None = None,
    contact_links: bool = True,
) -> tuple[Section, ...]:
    """The paragraphs of ``container`` in order, grouped under their sub-headings."""
    seen = seen or {}
    lead_checks = 3 if lead else 0
    sections: list[Section] = []
    headline: str | None = None
    paragraphs: list[str] = []
    for block, text in _leaf_blocks(container, seen):
        if not text:
            continue
        known = seen.get(block.mem_id)
        density = known[1] if known is not None and known[1] is not None else None
        if density is None:
            density = link_density(block, len(text), contact_links=contact_links)
            if is_furniture(text, density):
                continue
        elif (density > 0.1 or known[0] is not text) and is_furniture(text, density):
            continue  # (scoring found this text no furniture; few links cannot change that)
        if block.tag in _HEADING_TAGS:
            if (density > 0.5 and not _links_within_page(block)) or len(text) > 300:
                continue
            if paragraphs or headline is not None:
                sections.append(Section(headline, tuple(paragraphs)))
            headline, paragraphs = text, []
            continue
        if density > 0.3 and len(text) < 200 and _ADDRESS_RE.match(text):
            density = 0.0  # a web address written out: a source cited, not navigation
        if not _is_body_line(block, text, density, min_paragraph):
            continue
        if lead_checks:
            lead_checks -= 1
            if repeats_lead(text, lead) and _marked_standfirst(block):
                continue
        paragraphs.append(text)
    if paragraphs or headline is not None:
        sections.append(Section(headline, tuple(paragraphs)))
    return tuple(s for s in sections if s.paragraphs)


#: A line that is a web address written out ("drhyman.com", "https://example.org/report.pdf").
_ADDRESS_RE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:[/?#]\S*)?$", re.I)


def _links_within_page(block: LexborNode) -> bool:
    """Whether every link of ``block`` points into a page (``#entry-4``): a permalink."""
    return all("#" in (a.attributes.get("href") or "") for a in block.css("a"))


_WORDS_RE = re.compile(r"\w+")
#: class/id words of a standfirst (the lead printed above the body).
STANDFIRST_WORDS = frozenset(
    [
        "standfirst",
        "chapo",
        "chapeau",
        "dek",
        "intro",
        "summary",
        "excerpt",
        "subtitle",
        "subheadline",
        "lead",
        "description",
        "teaser",
        "abstract",
        "kicker",
        "deck",
    ]
)


def repeats_lead(paragraph: str, lead: str | None) -> bool:
    """Whether a paragraph is the lead again (equal, or one a prefix of the other)."""
    if not lead:
        return False
    a = _WORDS_RE.findall(paragraph.casefold())
    b = _WORDS_RE.findall(lead.rstrip(".… ").casefold())
    if len(a) < 4 or len(b) < 4:
        return a == b and bool(a)
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[: len(shorter)] == shorter and len(shorter) >= 0.6 * len(longer)


def _marked_standfirst(block: LexborNode) -> bool:
    """Whether the block or its parent is named as a standfirst (and not as a body container)."""
    if not marker_words(block).isdisjoint(STANDFIRST_WORDS):
        return True
    parent = block.parent
    if parent is None:
        return False
    words = marker_words(parent)
    return not words.isdisjoint(STANDFIRST_WORDS) and words.isdisjoint(POSITIVE_WORDS)


def _is_body_line(block: LexborNode, text: str, density: float, min_paragraph: int) -> bool:
    """Whether a leaf block is article text, not a link list, byline, dateline or caption.

    A paragraph that is mostly a link still counts when it reads as a sentence
    ("It also <a>co-ordinates military plans</a>.") or introduces a quotation
    ("<a>The Herald</a> reported:"): teaser links do not end so.
    """
    if block.tag in ("li", "dd", "dt") and density > 0.3:
        return False
    if density > 0.5 and not (
        block.tag == "p"
        and density <= 0.9
        and text_weight(text) >= 20
        and text[-1:] in SENTENCE_OR_INTRO_END
    ):
        return False
    if len(text) < min_paragraph:
        return False
    if len(text) > 8 and not has_letters(text):
        return False  # a row of numbers and signs ("90' 88' 81' 74'"), not a sentence
    if is_byline_or_dateline(text):
        return False
    return not (block.tag == "p" and len(text) < 3)


def _merge_sections(sections: list[Section]) -> tuple[Section, ...]:
    """Join consecutive untitled sections (from sibling parts) into one."""
    merged: list[Section] = []
    for section in sections:
        if merged and section.headline is None:
            last = merged[-1]
            merged[-1] = Section(last.headline, last.paragraphs + section.paragraphs)
        else:
            merged.append(section)
    return tuple(merged)
