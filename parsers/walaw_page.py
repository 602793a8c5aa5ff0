"""Structural reading of a walaw article page: the headline, its text column, the paragraphs.

The real markup of walaw.press is unknown, so nothing here names a class. The
headline is the ``h1``/``h2`` that matches the title the page declares
(``og:title``, JSON-LD, ``<title>``), never a logo (a heading whose links all go
to the home page); the column is the headline's nearest ancestor holding prose.
The column is then read in document order from the headline on: a text block is
a ``<p>``, an element holding only inline content, or a run of text loose
between blocks, cut into paragraphs at two ``<br>`` (one only after a sentence,
else it is a line break); embeds,
figures, forms, navigation, asides, footers and hidden nodes are not read; a
block is dropped when it is mostly links, when it is not a sentence (bylines,
credits, labels), when it shares its box (its ancestors up to the next prose) with
a link to another article (teaser cards, "read also") or with a form control
(newsletter boxes); the comment counter ends the body. This module does no I/O
and knows no site besides the walaw article path passed in by ``parsers.walaw``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Section
from parsers.extract import clean, text_of
from parsers.fields import HEADING_TAGS
from parsers.jsonld import ld_text
from parsers.page import Page

#: ``Commentaires (N)`` on fr, ``Comments (N)`` on en, ``Commenti (N)`` on it (singulars too);
#: N of at most 9 digits (a longer one is no count, and would not fit the archive).
COMMENTS_RE = re.compile(r"\b(?:Commentaires?|Comments?|Comment[io])\s*\(\s*(\d{1,9})\s*\)", re.I)
#: Paragraphs read (lead included) before a comment counter ends the body: a counter in a
#: share bar between the lead and the body does not.
MIN_READ_BEFORE_COUNTER = 2
#: Shortest text that counts as a body paragraph, in characters and in words.
MIN_PARAGRAPH = 15
MIN_WORDS = 3
#: A sub-heading this long that ends as a sentence is a subtitle (the standfirst), not a title.
MIN_SUBTITLE = 50
#: A line this long is prose even without a closing full stop.
LONG_LINE = 120
#: Characters that close a sentence (a paragraph ends with one).
SENTENCE_END = '.!?…»"”):'
#: Elements never read as article text (embeds, media, forms, page furniture, code).
SKIPPED_TAGS = frozenset(
    {
        "nav",
        "aside",
        "footer",
        "form",
        "figure",
        "figcaption",
        "iframe",
        "script",
        "style",
        "noscript",
        "template",
        "button",
        "label",
        "select",
        "textarea",
        "svg",
        "ins",
        "object",
        "embed",
        "video",
        "audio",
        "picture",
        "img",
        "marquee",
        "dialog",
    }
)
#: Elements that hold inline content only; a block made of them is one text block.
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "br",
        "cite",
        "code",
        "em",
        "font",
        "i",
        "img",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "wbr",
    }
)
#: Form controls: a text block boxed with one is a newsletter or comment box.
CONTROLS = "input, textarea, select, button"
#: A quote holding a link to a social network post is an embedded post, not the article.
EMBED_LINK_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x|instagram|facebook|tiktok|youtube|threads)\.(?:com|net)/",
    re.I,
)
#: A short line that only says when the article was published or updated.
DATELINE_RE = re.compile(
    r"^\W*(?:publié|mis à jour|modifié|updated|published|posted|pubblicato|aggiornato)\b", re.I
)
#: A short line that only names the author: ``Par Salma Benali, à Tanger.`` (at most
#: ``BYLINE_WORDS`` words, so that "By Monday, the port will reopen." stays prose).
BYLINE_RE = re.compile(r"^(?i:par|by|di)\s+[A-ZÀ-Ý]")
BYLINE_WORDS = 5
#: Lines shorter than this are checked for a dateline or a byline.
SHORT_LINE = 80
#: A line that is only a photo or copyright credit: ``Photo : MAP``, ``(Crédit photo :
#: DR)``, ``Source: X.``, ``© Walaw``; the colon is required, so that "Source de
#: tensions, la réforme..." stays prose.
CREDIT_RE = re.compile(
    r"^\W*(?:©|\(c\)|(?:photos?|crédits?(?: photos?)?|credits?|foto|source)\s*[:/])", re.I
)
#: Calls to action and notices that read like sentences (fr, en, it); phrases, not single
#: words, so that an article about sharing or advertising keeps its paragraphs.
NOTICE_RE = re.compile(
    r"\b(?:newsletter|cookies|abonnez-vous|inscrivez-vous|subscribe to|sign up|iscriviti|"
    r"suivez-nous|follow us|seguici|partager sur|share on|condividi su|lire aussi|read also|"
    r"leggi anche|tous droits réservés|all rights reserved|tutti i diritti)\b",
    re.I,
)
#: Ancestors where a headline is not looked for: page furniture.
NOT_HEADLINE_PARENTS = frozenset({"nav", "aside", "footer", "marquee", "li"})
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def declared_titles(page: Page) -> list[str]:
    """The titles the page declares for itself: ``og:title``, JSON-LD headline, ``<title>``."""
    titles = [page.meta("og:title"), page.meta("twitter:title")]
    titles.append(ld_text(page.ld_value("headline")))
    titles.append(text_of(page.css_first("head title")))
    return [clean(t) for t in titles if t and clean(t)]


def find_headline(
    page: Page, is_other_article: Callable[[str], bool] = lambda _href: False
) -> LexborNode | None:
    """The headline: the ``h1``/``h2`` the declared title names, else the longest real ``h1``
    (one in ``article``/``main`` first), else the first ``h2`` of the article.

    ``is_other_article(href)`` tells teaser links, whose headings are not the headline.
    """
    h1s = [h for h in page.css("h1") if _may_be_headline(h, is_other_article)]
    h2s = [h for h in page.css("h2") if _may_be_headline(h, is_other_article)]
    for title in declared_titles(page):
        for heading in (*h1s, *h2s):
            if _names_same(text_of(heading), title):
                return heading
    pool = [h for h in h1s if _has_ancestor(h, ("article", "main"))] or h1s
    if pool:
        return max(pool, key=lambda h: len(text_of(h)))  # a logo's text is short
    return next((h for h in h2s if _has_ancestor(h, ("article", "main"))), None)


def _may_be_headline(heading: LexborNode, is_other_article: Callable[[str], bool]) -> bool:
    """A non-empty heading that is not a logo (all its links, or the link around it, go home),
    not a teaser's (inside a link to another article) and not in furniture."""
    if not text_of(heading) or _has_ancestor(heading, tuple(NOT_HEADLINE_PARENTS)):
        return False
    around = heading.parent
    while around is not None and around.tag != "a":
        around = around.parent
    if around is not None:
        href = around.attributes.get("href") or ""
        if _is_home_link(around) or is_other_article(href):
            return False
    links = heading.css("a[href]")
    return not links or not all(_is_home_link(a) for a in links)


def _is_home_link(anchor: LexborNode) -> bool:
    href = (anchor.attributes.get("href") or "").strip()
    return re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", href) is not None


def _names_same(heading: str, title: str) -> bool:
    """Whether a heading's text is the declared title, maybe with the site's name before or
    after it; case, punctuation and apostrophe styles (’ or ') do not count."""
    a, b = (
        _WORDS_RE.sub(" ", heading.casefold()).strip(),
        _WORDS_RE.sub(" ", title.casefold()).strip(),
    )
    if not a:
        return False
    if a == b:
        return True
    return len(a.split()) >= 2 and (
        b.startswith(a) or b.endswith(a) or (a in b and len(a) >= len(b) / 2)
    )


_WORDS_RE = re.compile(r"[\W_]+")


def text_column(headline: LexborNode) -> LexborNode:
    """The headline's nearest ancestor that holds prose besides the headline (``body`` at most)."""
    node = headline.parent
    while node is not None and node.parent is not None and node.tag not in ("body", "html"):
        if any(_is_prose(t) for block in _text_blocks(node) for t in _pieces(block)):
            return node
        node = node.parent
    return node if node is not None else headline


def _text_blocks(root: LexborNode) -> list[LexborNode]:
    """Leaf text blocks under ``root`` (``p`` or inline-only elements), skipped parts excluded."""
    found: list[LexborNode] = []
    for child in _readable(root):
        if _is_text_block(child):
            found.append(child)
    return found


def _readable(root: LexborNode) -> Iterator[LexborNode]:
    """The elements under ``root`` in document order, not entering skipped ones nor text
    blocks and headings (which are yielded whole). Iterative: deep pages do not recurse."""
    stack = [root.iter(include_text=False)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if _skipped(child):
            continue
        yield child
        if child.tag not in HEADING_TAGS and child.tag != "h1" and not _is_text_block(child):
            stack.append(child.iter(include_text=False))


def _is_text_block(node: LexborNode) -> bool:
    if node.tag == "p":
        return True
    if node.tag in HEADING_TAGS or node.tag == "h1":
        return False
    children = list(node.iter(include_text=True))
    has_text = any(c.tag == "-text" and (c.text_content or "").strip() for c in children)
    inline = all(c.tag in INLINE_TAGS or not c.is_element_node for c in children)
    return inline and (has_text or any(c.is_element_node for c in children))


def _skipped(node: LexborNode) -> bool:
    """Whether ``node`` and all it holds are not article text."""
    if node.tag in SKIPPED_TAGS or not node.is_element_node or node.tag.startswith("amp-"):
        return True
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") == "dialog":
        return True
    if _HIDDEN_STYLE_RE.search(attrs.get("style") or ""):
        return True
    return node.tag == "blockquote" and any(
        EMBED_LINK_RE.match(a.attributes.get("href") or "") for a in node.css("a[href]")
    )


def _pieces(block: LexborNode) -> list[str]:
    """A block's text cut at ``<br>`` (scripts and styles left out), each piece cleaned."""
    return _pieces_of([block])


def _pieces_of(nodes: list[LexborNode]) -> list[str]:
    """The text of ``nodes`` (elements or text nodes, in order) cut into paragraphs at
    ``<br>``: two breaks always cut, one only after a sentence (else it is a line break)."""
    parts: list[str] = []
    for node in nodes:
        if node.tag == "-text":
            parts.append(node.text_content or "")
            continue
        for piece in node.traverse(include_text=True):
            if piece.tag == "br":
                parts.append(_BREAK)
            elif piece.tag == "-text":
                parent = piece.parent
                if parent is None or parent.tag not in SKIPPED_TAGS:
                    parts.append(piece.text_content or "")
    pieces: list[str] = []
    pending = ""
    for line in (clean(p) for p in "".join(parts).split(_BREAK)):
        if not line or (pending and pending.endswith(tuple(SENTENCE_END))):
            if pending:
                pieces.append(pending)
            pending = line
        else:
            pending = f"{pending} {line}" if pending else line
    if pending:
        pieces.append(pending)
    return pieces


_BREAK = "\x00"


def _is_prose(text: str) -> bool:
    """Whether a line reads as a paragraph: long enough, a sentence, not a credit or notice."""
    if len(text) < MIN_PARAGRAPH or len(text.split()) < MIN_WORDS or CREDIT_RE.match(text):
        return False
    if len(text) < SHORT_LINE and DATELINE_RE.match(text):
        return False
    if len(text.split()) <= BYLINE_WORDS and BYLINE_RE.match(text):
        return False
    if not (text.endswith(tuple(SENTENCE_END)) or len(text) >= LONG_LINE):
        return False
    return not (len(text) < LONG_LINE and NOTICE_RE.search(text))


@dataclass
class BodyReader:
    """Reads the text blocks of a column, in document order, from the headline on.

    ``is_other_article(href)`` tells links to other articles (teasers) from the rest.
    """

    headline: LexborNode | None
    is_other_article: Callable[[str], bool]
    sections: list[Section] = field(default_factory=list)
    _column: LexborNode | None = None
    _started: bool = False
    _stopped: bool = False
    _heading: tuple[str, LexborNode | None] | None = None
    _paragraphs: list[str] = field(default_factory=list)
    _section_title: str | None = None
    _prose_in: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._started = self.headline is None  # no headline: read the column from its top

    def read(self, column: LexborNode) -> tuple[Section, ...]:
        """The column's body as sections (the lead is still the first paragraph)."""
        self._column = column
        for block in _text_blocks(column):
            count = sum(1 for t in _pieces(block) if _is_prose(t))
            node = block.parent
            while count and node is not None:
                self._prose_in[node.mem_id] = self._prose_in.get(node.mem_id, 0) + count
                node = node.parent
        self._walk(column)
        self._close_section()
        return tuple(self.sections)

    def _walk(self, column: LexborNode) -> None:
        """Visit the column in document order; text loose in a mixed container (``Lead.<p>``)
        is read as a run of inline nodes, ended by the next block element."""
        stack: list[tuple[Iterator[LexborNode], list[LexborNode], LexborNode]] = [
            (column.iter(include_text=True), [], column)
        ]
        while stack and not self._stopped:
            children, run, parent = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self._on_run(run, parent)
            elif not child.is_element_node:
                if child.tag == "-text":
                    run.append(child)
            elif _skipped(child):
                self._stop_at_counter(text_of(child))
            elif child.tag in INLINE_TAGS and _is_text_block(child):
                run.append(child)
            else:
                self._on_run(run, parent)
                run.clear()
                if self._stopped:
                    break
                if self.headline is not None and child.mem_id == self.headline.mem_id:
                    self._started = True
                elif child.tag in HEADING_TAGS or child.tag == "h1":
                    if not self._stop_at_counter(text_of(child)):
                        self._on_heading(child)
                elif _is_text_block(child):
                    if not self._stop_at_counter(text_of(child)):
                        self._on_block(child)
                else:
                    stack.append((child.iter(include_text=True), [], child))

    def _stop_at_counter(self, text: str) -> bool:
        """Whether ``text`` is the comment counter; once the body has begun it ends it."""
        if len(text) > 40 or COMMENTS_RE.search(text) is None:
            return False
        read = len(self._paragraphs) + sum(len(s.paragraphs) for s in self.sections)
        self._stopped = self._started and read >= MIN_READ_BEFORE_COUNTER
        return True

    def _on_heading(self, heading: LexborNode) -> None:
        if not self._started:
            return
        text = text_of(heading)
        if len(text) >= MIN_SUBTITLE and text.endswith(tuple(SENTENCE_END)):
            self._on_block(heading)  # a subtitle written as a sentence is the standfirst
        elif self._paragraphs and not heading.css_first("a[href]"):
            self._heading = (text, heading.parent)

    def _on_block(self, block: LexborNode) -> None:
        """A text block: a ``p``, or an element of inline content only."""
        anchors = block.css("a[href]")
        linked = 1.0 if _has_ancestor(block, ("a",)) else None
        self._on_text(_pieces_of([block]), block, block.parent, anchors, linked)

    def _on_run(self, run: list[LexborNode], parent: LexborNode) -> None:
        """Loose inline nodes of a container that also holds blocks."""
        pieces = _pieces_of(run)
        if not pieces or self._stop_at_counter(" ".join(pieces)):
            return
        anchors = [a for n in run if n.is_element_node for a in _anchors(n)]
        start = parent if self._prose_in.get(parent.mem_id, 0) == 0 else None
        self._on_text(pieces, start, parent, anchors, None)

    def _on_text(
        self,
        pieces: list[str],
        box_start: LexborNode | None,
        parent: LexborNode | None,
        anchors: list[LexborNode],
        linked: float | None,
    ) -> None:
        if not self._started:
            return
        prose = [t for t in pieces if _is_prose(t)]
        if not prose:
            return
        if linked is None:
            length = sum(len(t) for t in pieces)
            linked = sum(len(text_of(a)) for a in anchors) / length if length else 1.0
        if linked > 0.5:
            return
        if box_start is not None and self._boxed_with_furniture(box_start, len(prose), anchors):
            return
        if self._heading is not None:
            title, heading_parent = self._heading
            self._heading = None
            if heading_parent is not None and parent is not None and heading_parent == parent:
                self._close_section()
                self._section_title = title
        self._paragraphs.extend(prose)

    def _close_section(self) -> None:
        if self._paragraphs:
            self.sections.append(Section(self._section_title, tuple(self._paragraphs)))
        self._paragraphs = []
        self._section_title = None

    def _boxed_with_furniture(self, start: LexborNode, own: int, anchors: list[LexborNode]) -> bool:
        """Whether the text's box (``start`` and its ancestors holding no other prose) holds
        a link to another article (a teaser or "read also" card) or a form control (a
        newsletter box)."""
        column = self._column.mem_id if self._column is not None else None
        box = start
        node = start.parent
        while (
            node is not None and node.mem_id != column and self._prose_in.get(node.mem_id, 0) <= own
        ):
            box = node
            node = node.parent
        if box.css_first(CONTROLS) is not None:
            return True
        inside = {a.mem_id for a in anchors}
        return any(
            a.mem_id not in inside and self.is_other_article(a.attributes.get("href") or "")
            for a in box.css("a[href]")
        )


def _anchors(node: LexborNode) -> list[LexborNode]:
    found = list(node.css("a[href]"))
    return [node, *found] if node.tag == "a" and "href" in node.attributes else found


def _has_ancestor(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def comment_count(tree: LexborHTMLParser) -> int | None:
    """N of ``Commentaires (N)`` (or its en/it forms) in the page's visible text.

    The body's text is read by Lexbor in one call; the text of scripts and styles is
    then cut from it (their words are not the page's), which costs nothing on the many
    pages without a counter.
    """
    body = tree.body
    if body is None:
        return None
    text = body.text(deep=True, separator=" ")
    if _find_counter(text) is None:
        return None
    for code in body.css(_CODE_SELECTOR):
        hidden = code.text(deep=True, separator=" ")
        if hidden:
            text = text.replace(hidden, " ", 1)
    match = _find_counter(text)
    return int(match.group(1)) if match else None


def _find_counter(text: str) -> re.Match[str] | None:
    """``COMMENTS_RE.search(text)``, tried only where "omment" (or "OMMENT") occurs: a
    substring scan instead of a case-insensitive pattern tried at every character."""
    starts = sorted(
        i for needle in ("omment", "OMMENT") for i in _occurrences(text, needle) if i > 0
    )
    for start in starts:
        match = COMMENTS_RE.match(text, start - 1)
        if match is not None:
            return match
    return None


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


_CODE_SELECTOR = "script, style, template, noscript"
