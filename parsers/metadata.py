"""Article metadata a page declares about itself: JSON-LD first, then OpenGraph and ``<meta>``.

Site parsers and the generic parser start from ``page_metadata(tree)`` and then
override the fields their own selectors read better. Every field is optional;
dates keep the offset the page gave (naive when it gave none).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.base import Image
from parsers.extract import (
    clean,
    dedupe,
    first_datetime,
    html_language,
    json_ld,
    ld_article,
    ld_names,
    ld_text,
    link_href,
    text_of,
)

_BYLINE_PREFIX_RE = re.compile(
    r"^(?:written by|posted by|reported by|words by|by|par|von|di|de|por|door|av|af|przez|"
    r"автор|από|tarafından|napisał|escrito por|texto)\s*:?\s+",
    re.I,
)
#: ``<meta>`` names that carry an author's name (not a profile URL).
AUTHOR_META = (
    "author",
    "article:author",
    "citation_author",
    "dc.creator",
    "DC.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
#: ``<meta>`` names of the publication time, most specific first.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dcterms.created",
    "DC.date.issued",
    "dc.date",
    "DC.date",
    "date",
)
#: ``<meta>`` names of the last modification time.
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified")
#: Visible bylines, most specific first (read only when JSON-LD and ``<meta>`` give none).
BYLINE_SELECTORS = (
    "[itemprop=author] [itemprop=name]",
    "[rel=author]",
    "[itemprop=author]",
    "a[href*='/author/'], a[href*='/authors/'], a[href*='/auteur/'], a[href*='/autor/']",
    "[class*=byline] a, [class*=author-name], [class*=author__name], [class*=authorName]",
    "[class*=byline], [class*=Byline]",
)
#: Separators between a headline and the site's name in ``og:title`` and ``<title>``.
_TITLE_SPLIT_RE = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")
_AUTHOR_NOISE_RE = re.compile(
    r"\b(?:updated|published|mis à jour|publié le|le \d)|\d{1,2}[:h]\d{2}|\d{4}", re.I
)


class MetaTags:
    """The page's ``<meta>`` tags, read once: content by property, name or itemprop.

    Same answers as ``extract.meta``/``extract.meta_all``, without a CSS query per key.
    """

    def __init__(self, tree: LexborHTMLParser) -> None:
        self._values: dict[str, list[str]] = {}  # property and name
        self._itemprops: dict[str, str] = {}
        for node in tree.css("meta[content]"):
            attrs = node.attributes  # one dict: faster than lookups through ``node.attrs``
            content = attrs.get("content") or ""
            content = " ".join(content.split()) if content.isascii() else clean(content)
            if not content:
                continue
            for attr in ("property", "name"):
                key = attrs.get(attr)
                if key:
                    values = self._values.setdefault(key, [])
                    if content not in values:
                        values.append(content)
            itemprop = attrs.get("itemprop")
            if itemprop:
                self._itemprops.setdefault(itemprop, content)

    def first(self, *keys: str) -> str | None:
        """The first content of the first key present."""
        for key in keys:
            values = self._values.get(key)
            if values:
                return values[0]
            if key in self._itemprops:
                return self._itemprops[key]
        return None

    def all(self, key: str) -> list[str]:
        """Every distinct content of ``key``, in page order."""
        return list(self._values.get(key, ()))


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about its article in JSON-LD, OpenGraph and ``<meta>`` tags."""

    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    canonical_url: str | None = None
    images: tuple[Image, ...] = ()
    site_name: str | None = None
    paywalled: bool | None = None
    ld: dict[str, Any] | None = None


def clean_author(name: str, site_name: str | None = None) -> str | None:
    """An author name without "By"/"Par", dates or e-mail; None when nothing is left."""
    name = clean(name)
    name = _BYLINE_PREFIX_RE.sub("", name)
    name = re.sub(r"\S+@\S+", "", name).strip(" ,;|-–—")
    if not name or _AUTHOR_NOISE_RE.search(name) or len(name) > 80:
        return None
    if name.startswith(("http://", "https://")):
        return None
    return name


def split_authors(names: list[str], site_name: str | None = None) -> tuple[str, ...]:
    """Authors cleaned and split on "and"/"et"/commas; the site's name only if nothing else."""
    found: list[str] = []
    for raw in names:
        for part in re.split(r"\s*(?:,|;|\band\b|\bet\b|&|\bund\b|\by\b|\be\b)\s*", raw):
            author = clean_author(part)
            if author:
                found.append(author)
    authors = dedupe(found)
    if site_name and len(authors) > 1:
        authors = tuple(a for a in authors if a.lower() != site_name.lower()) or authors
    return authors


def unescape(text: str | None) -> str | None:
    """Entities a site escaped twice (``&#039;`` in ``og:title``) decoded, spaces cleaned."""
    if not text:
        return None
    if "&" in text:
        text = html.unescape(text)
    return clean(text) or None


def strip_site_name(title: str, site_name: str | None, host: str | None = None) -> str:
    """``title`` without a trailing (or leading) " | Site name" part.

    A part after " | " is dropped when what remains still reads as a headline;
    after " - " or " — " only when it names the site, so "Riots - live updates" stays.
    """
    names = {n.casefold().replace(" ", "") for n in (site_name, host) if n}
    parts = _TITLE_SPLIT_RE.split(title)
    if len(parts) == 1:
        return title

    def is_site(part: str) -> bool:
        key = part.casefold().replace(" ", "")
        return bool(key) and any(key in n or n in key for n in names)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    text = " - ".join(parts) if len(parts) > 1 else parts[0]
    if text != title and title.startswith(text.split(" - ")[0]):
        text = title[: title.find(parts[-1]) + len(parts[-1])]
    pipes = [p.strip() for p in title.split(" | ")]
    if len(pipes) > 1 and len(pipes[0].split()) >= 4 and text == title:
        text = pipes[0]
    return text


def page_title(
    tree: LexborHTMLParser,
    ld: dict[str, Any] | None,
    site_name: str | None,
    tags: MetaTags | None = None,
) -> str | None:
    """The headline: ``og:title`` without the site's name, else JSON-LD, ``<title>``, ``h1``.

    ``og:title`` is what the newsroom wrote for sharing and is what archives
    (and fundus) keep; the ``h1`` is used when there is no metadata at all.
    """
    tags = tags or MetaTags(tree)
    host = None
    canonical = tags.first("og:url") or link_href(tree, "canonical")
    if canonical:
        host = re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", canonical).split(".")[0]
    og = unescape(tags.first("og:title", "twitter:title"))
    if og and (not site_name or og.casefold() != site_name.casefold()):  # not the site's name
        return strip_site_name(og, site_name, host)
    headline = unescape(ld_text(ld.get("headline"))) if ld else None
    if headline:
        return headline
    h1 = next((t for t in (text_of(h) for h in tree.css("h1")) if t), None)
    if h1:
        return h1
    title = unescape(text_of(tree.css_first("title")))
    return strip_site_name(title, site_name, host) if title else None


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    for _ in range(4):
        if parent is None:
            return False
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def reversed_name(name: str) -> str:
    """ "Last, First" (the ``citation_author`` convention) as "First Last"; others unchanged."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(0 < len(p.split()) <= 3 for p in parts):
        return f"{parts[1]} {parts[0]}"
    return name


def _resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """JSON-LD references (``{"@id": ...}`` alone) replaced by the objects they name."""
    if isinstance(value, list):
        return [_resolve(v, index) for v in value]
    if isinstance(value, dict) and "name" not in value and value.get("@id") in index:
        return index[value["@id"]]
    return value


def byline_authors(tree: LexborHTMLParser, site_name: str | None = None) -> tuple[str, ...]:
    """Authors from the visible byline, for pages whose metadata names none."""
    for selector in BYLINE_SELECTORS:
        nodes = [n for n in tree.css(selector) if n.tag != "meta" and 0 < len(text_of(n)) <= 80]
        if not nodes:
            continue
        # the first byline and its neighbours only: author links elsewhere are other stories'
        scope = nodes[0].parent.parent if nodes[0].parent is not None else None
        names = [text_of(n) for n in nodes if scope is None or _inside(n, scope)]
        authors = split_authors(names, site_name)
        if authors:
            return authors[:8]
    return ()


def _paywalled(ld: dict[str, Any] | None) -> bool | None:
    if not ld:
        return None
    free = ld.get("isAccessibleForFree")
    if isinstance(free, str):
        free = free.strip().lower() not in ("false", "no", "0")
    return None if free is None else not bool(free)


def _ld_images(ld: dict[str, Any] | None) -> list[Image]:
    if not ld:
        return []
    value = ld.get("image")
    items = value if isinstance(value, list) else [value]
    images = []
    for item in items:
        if isinstance(item, str):
            images.append(Image(url=item))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            images.append(Image(url=item["url"], caption=ld_text(item.get("caption"))))
    return images


def _keywords(value: Any) -> list[str]:
    """Keywords from a comma-separated string or a list of them."""
    if isinstance(value, str):
        return [clean(v) for v in value.split(",") if clean(v)]
    if isinstance(value, list):
        return [k for v in value if isinstance(v, str) for k in _keywords(v)]
    return []


def page_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Read the page's JSON-LD article, OpenGraph and ``<meta>`` tags into one record."""
    objects = json_ld(tree)
    ld = ld_article(objects)
    get = ld.get if ld else (lambda _key, _default=None: None)
    tags = MetaTags(tree)
    site_name = tags.first("og:site_name") or ld_text(get("publisher") or {})
    title = page_title(tree, ld, site_name, tags)
    index = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    author_names = ld_names(_resolve(get("author"), index))
    for key in AUTHOR_META:
        if author_names:
            break
        author_names = tags.all(key)
        if len(author_names) > 1 or key in ("citation_author", "dc.creator", "DC.creator"):
            author_names = [reversed_name(n) for n in author_names]
    author_names = [a for a in author_names if not a.startswith(("http://", "https://"))]
    authors = split_authors(author_names, site_name) or byline_authors(tree, site_name)
    images = _ld_images(ld)
    og_image = tags.first("og:image", "twitter:image")
    if og_image and all(i.url != og_image for i in images):
        images.insert(0, Image(url=og_image, caption=tags.first("og:image:alt")))
    return PageMetadata(
        title=title,
        description=unescape(
            ld_text(get("description"))
            or tags.first("og:description", "description", "twitter:description")
        ),
        authors=authors,
        published_at=first_datetime(
            ld_text(get("datePublished")),
            *(tags.first(key) for key in PUBLISHED_META),
            (tree.css_first("[itemprop=datePublished][datetime]") or _NoNode).attributes.get(
                "datetime"
            ),
            (tree.css_first("time[datetime]") or _NoNode).attributes.get("datetime"),
            ld_text(get("dateCreated")),
        ),
        updated_at=first_datetime(
            ld_text(get("dateModified")),
            *(tags.first(key) for key in MODIFIED_META),
        ),
        section=ld_text(get("articleSection")) or tags.first("article:section"),
        tags=dedupe(
            _keywords(tags.first("keywords"))
            or _keywords(get("keywords"))
            or _keywords(tags.all("article:tag"))
            or _keywords(tags.first("news_keywords"))
        ),
        language=html_language(tree) or (ld_text(get("inLanguage")) or "")[:2].lower() or None,
        canonical_url=link_href(tree, "canonical") or tags.first("og:url"),
        images=tuple(images),
        site_name=site_name,
        paywalled=_paywalled(ld),
        ld=ld,
    )


class _NoNode:
    attributes: ClassVar[dict[str, str]] = {}
