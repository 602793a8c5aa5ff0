"""Find an article's main text by structure: the densest run of paragraphs, boilerplate dropped.

The finder removes what is never body text (scripts, navigation, share bars,
related links, newsletter and cookie notices, comments, figures), scores each
container by the text of the paragraphs it directly holds (long, comma-rich,
few links), takes the best one, widens it to its parent when that parent holds
much more paragraph text, and returns the container's blocks as ``Section``s
(paragraphs grouped under their sub-headings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Section
from parsers.extract import clean

#: Tags whose content is never article text.
NEVER_TEXT = (
    "script, style, noscript, template, svg, iframe, form, button, select, textarea, "
    "nav, footer, aside, figure, figcaption, [role=navigation], [role=complementary], "
    "[aria-hidden=true], [hidden]"
)

#: class/id words that mark boilerplate blocks.
_BOILERPLATE_WORDS = (
    "share|sharing|social|related|recommend|recommended|newsletter|subscribe|subscription|"
    "cookie|cookies|consent|gdpr|comment|comments|commentaires|disqus|ticker|breaking|"
    "breadcrumb|breadcrumbs|promo|advert|advertisement|ads|ad|sponsor|sponsored|outbrain|taboola|"
    "sidebar|menu|navbar|nav|footer|header-nav|masthead|popup|modal|banner|toolbar|"
    "tags|tag-list|keywords|author-bio|read-more|readmore|more-stories|most-read|trending|"
    "pagination|pager|print|signup|paywall-prompt|follow|widget|latest|lire-aussi|voir-aussi"
)
_BOILERPLATE_RE = re.compile(rf"(?:^|[\s_-])(?:{_BOILERPLATE_WORDS})(?:$|[\s_-])", re.I)

#: Whole-paragraph texts that are page furniture, not body.
_FURNITURE_RE = re.compile(
    r"^(?:commentaires?|comments?|commenti|réagir|partager|share|suivez[- ]nous\b.*|"
    r"follow us\b.*|seguici\b.*|lire aussi\b.*|lire la suite\b.*|voir aussi\b.*|read more\b.*|"
    r"read also\b.*|publicité|advertisement|abonnez[- ]vous\b.*|subscribe\b.*)"
    r"(?:\s*\(\d+\))?\s*:?$",
    re.I,
)

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "blockquote", "pre", "li"})
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5"})
_BLOCK_SELECTOR = "p, h2, h3, h4, h5, blockquote, pre, ul > li, ol > li"


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


def is_boilerplate(node: LexborNode) -> bool:
    """Whether ``node``'s class or id names a boilerplate block (share, related, cookie...)."""
    attrs = node.attributes
    marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(marker.strip()) and bool(_BOILERPLATE_RE.search(marker))


def is_furniture(text: str) -> bool:
    """Whether a paragraph's whole text is page furniture ("Commentaires (3)", "Lire aussi")."""
    return bool(_FURNITURE_RE.match(text))


def strip_boilerplate(tree: LexborHTMLParser, extra_selector: str | None = None) -> None:
    """Remove, in place, every node that is never body text."""
    for node in tree.css(NEVER_TEXT):
        node.decompose()
    if extra_selector:
        for node in tree.css(extra_selector):
            node.decompose()
    body = tree.body
    if body is None:
        return
    doomed: dict[int, LexborNode] = {}
    for node in _walk(body):
        if node.tag not in _NEVER_STRIPPED and is_boilerplate(node):
            doomed[node.mem_id] = node
    for node in doomed.values():
        if not _has_ancestor_in(node, doomed):
            node.decompose()


_NEVER_STRIPPED = frozenset({"body", "html", "main", "article", "p", "h1"})


def _has_ancestor_in(node: LexborNode, marked: dict[int, LexborNode]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in marked:
            return True
        parent = parent.parent
    return False


def _walk(node: LexborNode):
    for child in node.traverse(include_text=False):
        if child.is_element_node:
            yield child


def link_density(node: LexborNode, text_length: int) -> float:
    """Share of ``node``'s text that sits inside links."""
    if text_length == 0:
        return 1.0
    linked = sum(len(clean(a.text(deep=True))) for a in node.css("a"))
    return min(1.0, linked / text_length)


def _paragraph_score(text: str) -> float:
    return 1.0 + text.count(",") + min(len(text) / 100.0, 3.0)


def find_main_text(
    tree: LexborHTMLParser, *, min_paragraph: int = 25, root: LexborNode | None = None
) -> MainText:
    """The article text of an already boilerplate-stripped ``tree`` (see ``strip_boilerplate``)."""
    scope = root if root is not None else tree.body
    if scope is None:
        return MainText((), None)
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for para in scope.css("p, pre, blockquote"):
        text = clean(para.text(deep=True))
        if len(text) < min_paragraph or is_furniture(text):
            continue
        if link_density(para, len(text)) > 0.5:
            continue
        score = _paragraph_score(text)
        parent = para.parent
        weight = 1.0
        for _ in range(2):
            if parent is None or parent.tag in ("html",):
                break
            scores[parent.mem_id] = scores.get(parent.mem_id, 0.0) + score * weight
            nodes[parent.mem_id] = parent
            parent = parent.parent
            weight = 0.5
    if not scores:
        return MainText((), None)
    best = nodes[max(scores, key=lambda k: scores[k])]
    best = _widen(best, min_paragraph)
    return MainText(collect_sections(best, min_paragraph=min_paragraph), best)


def _good_text_length(node: LexborNode, min_paragraph: int) -> int:
    total = 0
    for para in node.css("p"):
        text = clean(para.text(deep=True))
        if len(text) >= min_paragraph and link_density(para, len(text)) <= 0.5:
            total += len(text)
    return total


def _widen(best: LexborNode, min_paragraph: int) -> LexborNode:
    """Climb to a parent that holds clearly more paragraph text (split article bodies)."""
    current = best
    current_len = _good_text_length(current, min_paragraph)
    for _ in range(3):
        parent = current.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        parent_len = _good_text_length(parent, min_paragraph)
        if parent_len < current_len * 1.3:
            break
        current, current_len = parent, parent_len
    return current


def collect_sections(container: LexborNode, *, min_paragraph: int = 1) -> tuple[Section, ...]:
    """The paragraphs of ``container`` in order, grouped under their sub-headings."""
    sections: list[Section] = []
    headline: str | None = None
    paragraphs: list[str] = []
    for block in container.css(_BLOCK_SELECTOR):
        if _inside_block(block, container):
            continue
        text = clean(block.text(deep=True))
        if not text or is_furniture(text):
            continue
        if block.tag in _HEADING_TAGS:
            if paragraphs or headline is not None:
                sections.append(Section(headline, tuple(paragraphs)))
            headline, paragraphs = text, []
            continue
        if block.tag == "li" and link_density(block, len(text)) > 0.5:
            continue
        if block.tag == "p" and len(text) < min_paragraph and link_density(block, len(text)) > 0.5:
            continue
        paragraphs.append(text)
    if paragraphs or headline is not None:
        sections.append(Section(headline, tuple(paragraphs)))
    return tuple(s for s in sections if s.paragraphs)


def _inside_block(node: LexborNode, container: LexborNode) -> bool:
    """Whether ``node`` sits inside another block (a ``p`` in a ``blockquote``) under container."""
    parent = node.parent
    while parent is not None and parent.mem_id != container.mem_id:
        if parent.tag in BLOCK_TAGS:
            return True
        parent = parent.parent
    return False
