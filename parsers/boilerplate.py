"""Recognize page furniture blocks by their class/id words and remove them before reading.

Blocks whose class or id names a widget (share bars, related links, newsletter
and cookie notices, comments, captions, screen-reader text...), in English or in
the languages sites name classes in, are removed before the main text is
searched, unless they hold the article itself (a page wrapper named
``page-banner`` must survive); so are furniture tags (nav, aside, footer...),
text clipped out of sight for screen readers and teaser cards.
``class_weight`` gives the readability-style bonus or malus a container earns
from its class and id. Furniture *lines* ("Read more: ...") are recognized by
their text in ``parsers.furniture``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.furniture import is_furniture

__all__ = [
    "FURNITURE_TAGS",
    "NEVER_TEXT",
    "POSITIVE_WORDS",
    "STRONG_WORDS",
    "WEAK_WORDS",
    "boilerplate_strength",
    "class_weight",
    "drop_teasers",
    "is_boilerplate",
    "is_furniture",
    "marker_words",
    "strip_boilerplate",
    "words_of",
]

#: Tags whose content is never article text, whatever their size.
NEVER_TEXT = (
    "script, style, noscript, template, svg, iframe, button, select, textarea, input, "
    "label, figcaption, picture, video, audio, canvas, object, embed, dialog, map"
)
#: Tags that hold page furniture, removed unless they wrap most of the page.
FURNITURE_TAGS = (
    "nav, aside, footer, header, form, figure, menu, [role=navigation], [role=complementary], "
    "[role=banner], [role=contentinfo], [role=dialog], [role=alert], [aria-hidden=true]:not(p), "
    "[hidden]:not(p), [itemprop=comment], [itemprop=author], [rel=author]"
)

#: class/id words of blocks that are never body text, even large ones (comments, related).
STRONG_WORDS = frozenset(
    [
        "share",
        "shares",
        "sharing",
        "sharebar",
        "social",
        "socials",
        "sociallinks",
        "related",
        "relatedlinks",
        "recommend",
        "recommended",
        "recommendations",
        "recirculation",
        "recirc",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscription",
        "subscriptions",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "comment",
        "comments",
        "commentlist",
        "trackback",
        "trackbacks",
        "pingback",
        "pingbacks",
        "respond",
        "commentaires",
        "kommentare",
        "comentarios",
        "commenti",
        "disqus",
        "breadcrumb",
        "breadcrumbs",
        "outbrain",
        "taboola",
        "sponsor",
        "sponsored",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "ad",
        "ads",
        "adslot",
        "adunit",
        "dfp",
        "promo",
        "promos",
        "promotion",
        "popup",
        "modal",
        "overlay",
        "notification",
        "notifications",
        "prompt",
        "toast",
        "snackbar",
        "suggested",
        "suggestions",
        "next",
        "ranking",
        "crosslinking",
        "toc",
        "tablecontents",
        "signup",
        "register",
        "login",
        "trending",
        "popular",
        "mostread",
        "readmore",
        "readnext",
        "readalso",
        "alsoread",
        "moreon",
        "morestories",
        "morefrom",
        "upnext",
        "lireaussi",
        "voiraussi",
        "tags",
        "tagcloud",
        "taglist",
        "keywords",
        "toolbar",
        "tools",
        "print",
        "follow",
        "byline",
        "bylines",
        "dateline",
        "meta",
        "metadata",
        "caption",
        "captions",
        "credit",
        "credits",
        "copyright",
        "disclaimer",
        "sronly",
        "visuallyhidden",
        "screenreader",
        "skip",
        "skiplink",
        "offscreen",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "footer",
        "masthead",
        "teaser",
        "teasers",
        "carousel",
        "slider",
        "gallery",
        "player",
        "embed",
        "tweet",
        "twitter",
        "instagram",
        "facebook",
        "tiktok",
        "youtube",
        "newsletterform",
        "pagination",
        "pager",
        "author",
        "authors",
        "bio",
        "timestamp",
        # the same in the languages class names are written in beside English
        "compartir",
        "compartilhar",
        "partage",
        "partager",
        "condividi",
        "relacionadas",
        "relacionados",
        "relacionada",
        "relacionado",
        "correlati",
        "correlate",
        "werbung",
        "anzeige",
        "publicidad",
        "publicite",
        "publicidade",
        "pubblicita",
        "anuncio",
        "anuncios",
        "reklama",
        "reklam",
        "xiangguan",
        "tuijian",
    ]
)
_COMMENT_WORDS = frozenset(["comment", "comments", "commentary"])
#: class/id words of readers' comments and trackbacks: removed whatever their size (a long
#: discussion under a short post holds most of the page's prose, and it is not the article).
DISCUSSION_WORDS = frozenset(
    [
        "comment",
        "comments",
        "commentlist",
        "commentaires",
        "kommentare",
        "comentarios",
        "commenti",
        "disqus",
        "trackback",
        "trackbacks",
        "pingback",
        "pingbacks",
        "respond",
    ]
)
#: class/id words of wrappers that may, on some sites, hold the whole page.
WEAK_WORDS = frozenset(
    [
        "banner",
        "header",
        "topbar",
        "extra",
        "aux",
        "secondary",
        "widget",
        "widgets",
        "hidden",
        "hide",
    ]
)
#: class/id words of the article's own container.
POSITIVE_WORDS = frozenset(
    [
        "article",
        "articlebody",
        "body",
        "content",
        "entry",
        "hentry",
        "main",
        "post",
        "text",
        "blog",
        "story",
        "storybody",
        "prose",
        "richtext",
        "paragraph",
        "paragraphs",
        "chapter",
        # the same in the languages class names are written in beside English
        "contenido",
        "cuerpo",
        "texto",
        "noticia",
        "conteudo",
        "corpo",
        "materia",
        "testo",
        "articolo",
        "artikel",
        "artikeltext",
        "inhalt",
        "beitrag",
        "haupttext",
        "tekst",
        "tresc",
        "zhengwen",
        "neirong",
        "wenzhang",
        "honbun",
        "kiji",
    ]
)

_CAMEL_RE = re.compile(r"([a-z])([A-Z])")
_VARIANT_RE = re.compile(r"(?:^|\s)[\w-]+:[\w-]*(?=\s|$)")
#: A generated id or hash piece ("c7bade55", "4fe0", "852d64d121ac"): hex with a digit in it.
#: Its letters are no words, and joined they spell anything ("b18a-852d" gives "ad").
_HEX_RE = re.compile(r"(?<![0-9a-zA-Z])(?=[a-f]*\d)[0-9a-f]{4,}(?![0-9a-zA-Z])")
_LETTERS_RE = re.compile(r"[a-z]+")


def _marker(node: LexborNode) -> str:
    """The class, id and test/component names of ``node`` (hashed classes hide the meaning
    that ``data-testid="byline"`` or ``data-component="related-links"`` still give)."""
    attrs = node.attributes  # one dict: faster than two lookups through ``node.attrs``
    return (
        f"{attrs.get('class') or ''} {attrs.get('id') or ''} "
        f"{attrs.get('data-testid') or ''} {attrs.get('data-component') or ''}"
    )


@lru_cache(maxsize=65536)
def words_of(marker: str) -> frozenset[str]:
    """The words of a class/id string, split on separators and camelCase, lowercased.

    Adjacent words are also joined (``read-more`` gives ``read``, ``more`` and
    ``readmore``) so compound names match one vocabulary entry; single letters
    are not joined (the tail of a hash, ``slide__1R_wR``, would spell "slider"),
    and hex pieces of generated ids are no words at all.
    """
    marker = _VARIANT_RE.sub(" ", marker)  # Tailwind's "md:hidden", "print:hidden"
    marker = _HEX_RE.sub(" ", marker)
    words = _LETTERS_RE.findall(_CAMEL_RE.sub(r"\1 \2", marker).lower())
    return frozenset(words).union(a + b for a, b in pairwise(words) if len(a) > 1 < len(b))


def marker_words(node: LexborNode) -> frozenset[str]:
    """The words of ``node``'s class and id (see ``words_of``)."""
    return words_of(_marker(node))


@lru_cache(maxsize=65536)
def _strength(marker: str) -> int:
    words = words_of(marker)
    if not words:
        return 0
    if "live" in words:  # "live-comment": the entries of a live blog or match report
        words = words - _COMMENT_WORDS
    has_positive = not words.isdisjoint(POSITIVE_WORDS)
    if not words.isdisjoint(STRONG_WORDS):
        return 1 if has_positive else 2
    if not words.isdisjoint(WEAK_WORDS):
        return 0 if has_positive else 1
    return 0


def boilerplate_strength(node: LexborNode) -> int:
    """2 for a class/id naming a widget, 1 for a weak wrapper word, 0 otherwise.

    A node that names its own content (``article-body``, ``story-text``) is never
    strongly boilerplate, even if it also says ``share`` somewhere in its class list.
    """
    return _strength(_marker(node))


def is_boilerplate(node: LexborNode) -> bool:
    """Whether ``node``'s class or id names a boilerplate block (share, related, cookie...)."""
    return boilerplate_strength(node) == 2


@lru_cache(maxsize=65536)
def _weight(marker: str) -> float:
    words = words_of(marker)
    weight = 0.0
    if not words.isdisjoint(POSITIVE_WORDS):
        weight += 25.0
    if not words.isdisjoint(STRONG_WORDS):
        weight -= 25.0
    return weight


def class_weight(node: LexborNode) -> float:
    """Readability's class weight: +25 for article-like names, -25 for widget names."""
    return _weight(_marker(node))


_PROTECTED = "h1, main, article, [itemprop=articleBody], [itemprop=text]"
#: The inline style of text only screen readers get: clipped to nothing, one pixel wide.
_CLIPPED = '[style*="clip" i]'
_SCREEN_READER_STYLE_RE = re.compile(
    r"clip\s*:\s*rect\(\s*0[^)]*\)|clip-path\s*:\s*inset\(\s*50%", re.I
)
_DOOMED = "data-newsrack-drop"


def _protected_ids(body: LexborNode) -> set[int]:
    """Nodes that wrap the headline or the article body (they and their ancestors)."""
    ids: set[int] = set()
    for node in body.css(_PROTECTED):
        while node is not None and node.mem_id not in ids:
            ids.add(node.mem_id)
            node = node.parent
    return ids


def _with_marks(*tags: str) -> str:
    return ", ".join(f"{tag}[class], {tag}[id]" for tag in tags)


#: Elements whose class or id is read, in two passes: containers first, then what is left
#: of the smaller blocks (menu items and icons inside a removed container are never read).
_MARKED_PASSES = (
    _with_marks("div", "section", "ul", "ol", "aside", "header", "footer", "article", "table"),
    _with_marks("span", "p", "li", "dl", "blockquote", "h2", "h3", "h4", "h5", "h6"),
)


def _holds_paragraphs(node: LexborNode, length: int) -> bool:
    """Whether a weakly named node is mostly paragraphs ("overflow-hidden" around text)."""
    if length < 200:
        return False
    in_paragraphs = sum(len(p.text(deep=True)) for p in node.css("p"))
    return in_paragraphs >= 200 and in_paragraphs >= 0.5 * length


def _mostly_prose(node: LexborNode, length: int) -> bool:
    """Whether a large node is text rather than links (a "share-zone" wrapping the article)."""
    linked = sum(len(a.text(deep=True)) for a in node.css("a"))
    return linked < 0.35 * length


def _is_quote_figure(node: LexborNode) -> bool:
    """Whether a ``figure`` frames a quotation (a pull quote): that is text, not an illustration."""
    return node.tag == "figure" and node.css_first("blockquote") is not None


def _remove_topmost(root: LexborNode, doomed: list[LexborNode]) -> None:
    """Decompose the doomed nodes that have no doomed ancestor (that removes the rest)."""
    if not doomed:
        return
    for node in doomed:
        node.attrs[_DOOMED] = ""
    nested = {n.mem_id for n in root.css(f"[{_DOOMED}] [{_DOOMED}]")}
    for node in doomed:
        if node.mem_id not in nested:
            nested.add(node.mem_id)  # a node may be listed twice (tag and class)
            node.decompose()


#: Prose (characters in ``<p>``) from which a ``<noscript>`` holds the article, not a notice.
_NOSCRIPT_ARTICLE = 400


def _holds_article(node: LexborNode) -> bool:
    """Whether a ``<noscript>`` holds paragraphs of prose (the article of a page drawn by
    script), not a "please enable JavaScript" notice or a tracking pixel."""
    paragraphs = node.css("p")
    return len(paragraphs) >= 2 and sum(len(p.text(deep=True)) for p in paragraphs) >= (
        _NOSCRIPT_ARTICLE
    )


def strip_boilerplate(
    tree: LexborHTMLParser, extra_selector: str | None = None, *, light: bool = False
) -> None:
    """Remove, in place, every node that is never body text (see the module docstring).

    A marked node stays when it wraps the headline or the article body; a widget
    name (share, related...) stays when it holds 40% or more of the page's text
    and that text is not links; a weak name (header, hidden...) when it is that
    large or made of paragraphs; furniture tags when they are that large, and a
    ``figure`` that frames a quotation (a pull quote) whatever its size.
    Text clipped out of sight for screen readers goes in every case.
    ``light`` removes only what is never text and the page's furniture tags (nav,
    footer...), for a second try on pages where class names hid everything.
    """
    for node in tree.css(NEVER_TEXT):
        if node.tag == "noscript" and _holds_article(node):
            continue  # a page rendered by script prints its article here for readers without
        node.decompose()
    for node in tree.css(_CLIPPED):
        style = node.attributes.get("style") or ""
        if _SCREEN_READER_STYLE_RE.search(style) and len(node.text()) < 100:
            node.decompose()  # text for screen readers (", opens new tab"), clipped out of sight
    if extra_selector:
        for node in tree.css(extra_selector):
            node.decompose()
    body = tree.body
    if body is None:
        return
    body_length = max(1, len(body.text(deep=True)))
    protected = _protected_ids(body)
    doomed = [
        node
        for node in body.css(FURNITURE_TAGS)
        if node.mem_id not in protected
        and len(node.text(deep=True)) < 0.4 * body_length
        and not _is_quote_figure(node)
    ]
    _remove_topmost(body, doomed)  # nav, footer, aside... go first: their insides are not read
    doomed = []
    if light:
        return
    for selector in _MARKED_PASSES:
        for node in body.css(selector):
            strength = boilerplate_strength(node)
            if not strength or node.mem_id in protected:
                continue
            length = len(node.text(deep=True))
            if length >= 0.9 * body_length:
                continue  # the page's own wrapper (a Next.js "__next" root), whatever its name
            if strength == 2:
                if (
                    length < 0.4 * body_length
                    or not _mostly_prose(node, length)
                    or not marker_words(node).isdisjoint(DISCUSSION_WORDS)
                ):
                    doomed.append(node)
            elif length < 0.4 * body_length and not _holds_paragraphs(node, length):
                doomed.append(node)
        _remove_topmost(body, doomed)
        doomed = []
    drop_teasers(body)


#: Headings that are links, the mark of a teaser card (a headline and a blurb linking away).
_LINKED_HEADINGS = "h2 a, h3 a, h4 a, a h2, a h3, a h4"


def drop_teasers(root: LexborNode) -> None:
    """Remove teaser cards: a linked heading with at most a short blurb, and the card around it.

    A heading that links to a fragment (``#post-4``) is a permalink, not a teaser.

    A card is the largest ancestor (three levels at most) that holds little more
    than the heading's text; in an article a heading's parent holds the
    article's paragraphs too, so it is never taken for a card.
    """
    cards: dict[int, LexborNode] = {}
    for link in root.css(_LINKED_HEADINGS):
        anchor = link if link.tag == "a" else link.parent
        while anchor is not None and anchor.tag != "a":
            anchor = anchor.parent
        if anchor is not None and "#" in (anchor.attributes.get("href") or ""):
            continue  # a permalink to a place in a page (a live-blog entry), not a teaser
        heading = link if link.tag in ("h2", "h3", "h4") else link.parent
        while heading is not None and heading.tag not in ("h2", "h3", "h4"):
            heading = heading.parent
        if heading is None:
            continue
        heading_length = len(heading.text(deep=True).strip())
        linked = len(link.text(deep=True).strip()) if link.tag == "a" else heading_length
        if heading_length == 0 or linked < 0.8 * heading_length:
            continue
        card, node = heading, heading.parent
        for _ in range(3):
            if node is None or node.tag in ("body", "main", "html") or node.css_first("h1"):
                break
            if len(node.text(deep=True).strip()) > heading_length + 300:
                break
            card, node = node, node.parent
        cards[card.mem_id] = card
    _remove_topmost(root, list(cards.values()))
