"""Shared selectolax helpers for parsers: tree building, text cleaning, meta, JSON-LD, dates.

Everything here is pure and cheap: site parsers call these helpers, one per field,
so that each site module holds only its selectors and its quirks. The main-text
finder (paragraph runs scored by text and link density) lives in ``maintext``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: JSON-LD types that describe an article.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "WebPage",
    }
)

_SPACE_RE = re.compile(r"\s+")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def tree_of(html: str | bytes) -> LexborHTMLParser:
    """Parse ``html``; bytes are read as UTF-8 (the fetcher hands parsers UTF-8)."""
    if isinstance(html, str):
        html = html.encode("utf-8", "surrogatepass")
    return LexborHTMLParser(html)


def clean(text: str | None) -> str:
    """Collapse every run of white space (nbsp included) to one space; drop zero-width marks."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text)).strip()


def text_of(node: LexborNode | None) -> str:
    """The cleaned text of ``node`` and its descendants ('' for None)."""
    if node is None:
        return ""
    return clean(node.text(deep=True, separator=""))


def block_text(node: LexborNode) -> str:
    """Text of a block, with ``<br>`` kept as a space so lines do not glue together."""
    for br in node.css("br"):
        br.replace_with(" ")
    return text_of(node)


def meta(tree: LexborHTMLParser, *keys: str) -> str | None:
    """First non-empty ``<meta>`` content whose property, name or itemprop is one of ``keys``."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{key}"]')
            if node is not None:
                value = clean(node.attributes.get("content"))
                if value:
                    return value
    return None


def meta_all(tree: LexborHTMLParser, key: str) -> list[str]:
    """All non-empty contents of ``<meta property|name=key>``, in page order."""
    values = []
    for node in tree.css(f'meta[property="{key}"], meta[name="{key}"]'):
        value = clean(node.attributes.get("content"))
        if value and value not in values:
            values.append(value)
    return values


def link_href(tree: LexborHTMLParser, rel: str) -> str | None:
    """The href of the first ``<link rel=...>`` naming ``rel``."""
    for node in tree.css("link[rel][href]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        if rel in rels:
            href = clean(node.attributes.get("href"))
            if href:
                return href
    return None


def json_ld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, ``@graph`` and lists flattened; broken blocks skipped."""
    found: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        if not raw or not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # some sites leave control characters or trailing commas
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")))
            except ValueError:
                continue
        found.extend(_flatten_ld(data))
    return found


def _flatten_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten_ld(data["@graph"])


def ld_types(obj: dict[str, Any]) -> set[str]:
    """The ``@type`` of a JSON-LD object as a set (it may be a string or a list)."""
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def ld_article(objects: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The JSON-LD object that describes the article (news types before plain WebPage)."""
    best: dict[str, Any] | None = None
    for obj in objects:
        types = ld_types(obj)
        if types & (ARTICLE_TYPES - {"WebPage"}):
            return obj
        if "WebPage" in types and best is None and obj.get("headline"):
            best = obj
    return best


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings cleaned, lists joined, ``{"name": ...}`` unwrapped."""
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@value"))
    if isinstance(value, list):
        parts = [t for t in (ld_text(v) for v in value) if t]
        return ", ".join(parts) or None
    return None


def ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value (string, object or list of them)."""
    if isinstance(value, list):
        names: list[str] = []
        for item in value:
            names.extend(n for n in ld_names(item) if n not in names)
        return names
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return ld_names(name)
        text = ld_text(name)
        return [text] if text else []
    if isinstance(value, str):
        text = clean(value)
        return [text] if text else []
    return []


_TZ_NO_COLON_RE = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO-8601 or RFC 2822 timestamp; naive when the text has no offset, None if unreadable."""
    if not value:
        return None
    text = clean(value)
    if not text:
        return None
    iso = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text
    iso = _TZ_NO_COLON_RE.sub(r"\1:\2", iso)
    if iso.endswith("Z"):
        iso = iso[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    if re.fullmatch(r"\d{10}(\.\d+)?", text):  # epoch seconds
        return datetime.fromtimestamp(float(text), tz=UTC)
    return None


def first_datetime(*candidates: str | None) -> datetime | None:
    """The first candidate that parses as a timestamp."""
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    return None


def html_language(tree: LexborHTMLParser) -> str | None:
    """The page's language: ``<html lang>``, else ``og:locale``/``content-language``, as ``fr``."""
    root = tree.css_first("html")
    lang = root.attributes.get("lang") if root is not None else None
    lang = lang or meta(tree, "og:locale", "content-language", "language", "inLanguage")
    if not lang:
        return None
    lang = clean(lang).replace("_", "-").split("-")[0].lower()
    return lang if re.fullmatch(r"[a-z]{2,3}", lang) else None


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order, each once, empties dropped."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return tuple(seen)


def join_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None when either is not a URL ``urllib`` can read.

    ``urllib.parse.urljoin`` raises ``ValueError`` on hrefs such as ``//[x`` or
    ``//host:99999`` that broken pages do contain; parsers must not.
    """
    if href is None:
        return None
    try:
        joined = urljoin(base, href.strip())
        urlsplit(joined).port  # noqa: B018  (raises ValueError on a port out of range)
    except ValueError:
        return None
    return joined


def url_host(url: str) -> str:
    """The lower-cased host of ``url``, no trailing dot; '' when it has none or is unreadable."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
