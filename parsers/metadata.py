"""Article metadata a page declares about itself: JSON-LD first, then OpenGraph and ``<meta>``.

Site parsers and the generic parser start from ``page_metadata(tree)`` and then
override the fields their own selectors read better. Every field is optional;
dates keep the offset the page gave (naive when it gave none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from selectolax.lexbor import LexborHTMLParser

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
    meta,
    meta_all,
    text_of,
)

_BYLINE_PREFIX_RE = re.compile(r"^(?:by|par|von|di|de|por|door|av|af|przez|автор)\s+", re.I)
_AUTHOR_NOISE_RE = re.compile(
    r"\b(?:updated|published|mis à jour|publié le|le \d)|\d{1,2}[:h]\d{2}|\d{4}", re.I
)


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
    if isinstance(value, str):
        return [clean(v) for v in value.split(",")]
    if isinstance(value, list):
        return [clean(v) for v in value if isinstance(v, str)]
    return []


def page_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Read the page's JSON-LD article, OpenGraph and ``<meta>`` tags into one record."""
    ld = ld_article(json_ld(tree))
    get = ld.get if ld else (lambda _key, _default=None: None)
    site_name = meta(tree, "og:site_name") or ld_text(get("publisher") or {})
    title = (
        ld_text(get("headline"))
        or meta(tree, "og:title", "twitter:title")
        or text_of(tree.css_first("title"))
        or None
    )
    author_names = (
        ld_names(get("author")) or meta_all(tree, "author") or meta_all(tree, "article:author")
    )
    author_names = [a for a in author_names if not a.startswith(("http://", "https://"))]
    images = _ld_images(ld)
    og_image = meta(tree, "og:image", "twitter:image")
    if og_image and all(i.url != og_image for i in images):
        images.insert(0, Image(url=og_image, caption=meta(tree, "og:image:alt")))
    return PageMetadata(
        title=title,
        description=ld_text(get("description"))
        or meta(tree, "og:description", "description", "twitter:description"),
        authors=split_authors(author_names, site_name),
        published_at=first_datetime(
            ld_text(get("datePublished")),
            meta(tree, "article:published_time", "datePublished", "pubdate", "date"),
            (tree.css_first("time[datetime]") or _NoNode).attributes.get("datetime"),
        ),
        updated_at=first_datetime(
            ld_text(get("dateModified")),
            meta(tree, "article:modified_time", "dateModified", "og:updated_time"),
        ),
        section=ld_text(get("articleSection")) or meta(tree, "article:section"),
        tags=dedupe(
            _keywords(get("keywords"))
            or meta_all(tree, "article:tag")
            or _keywords(meta(tree, "keywords") or "")
        ),
        language=html_language(tree) or (ld_text(get("inLanguage")) or "")[:2].lower() or None,
        canonical_url=link_href(tree, "canonical") or meta(tree, "og:url"),
        images=tuple(images),
        site_name=site_name,
        paywalled=_paywalled(ld),
        ld=ld,
    )


class _NoNode:
    attributes: ClassVar[dict[str, str]] = {}
