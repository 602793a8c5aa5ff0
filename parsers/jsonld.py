"""JSON-LD as pages carry it, made safe: every object of a page, bounded, typed, readable.

A page's ``<script type="application/ld+json">`` blocks are loaded once and
sanitized before any parser sees them: nesting deeper than ``MAX_DEPTH`` is cut
(a block nested 100,000 deep is dropped whole, as ``json`` cannot load it),
strings and keys holding lone surrogates get U+FFFD in their place, and every
reader here accepts any JSON type where it expects another (a number for a
name, an object for a list) by dropping the value, never by raising. ``@graph``
and lists are flattened; ``@id`` references are resolved only when the id is a
string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from selectolax.lexbor import LexborNode

from parsers.extract import clean

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
#: Containers nested deeper than this are cut (real pages nest 5 or 6 levels).
MAX_DEPTH = 24
#: Objects read from one page at most (a page listing thousands is not an article page).
MAX_OBJECTS = 500

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")


def load_blocks(scripts: list[LexborNode]) -> list[dict[str, Any]]:
    """Every JSON-LD object of these ``<script>`` nodes, ``@graph`` and lists flattened;
    broken blocks skipped."""
    found: list[dict[str, Any]] = []
    for script in scripts:
        data = _load(script.text(deep=True) or "")
        if data is not None:
            found.extend(_flatten(sanitize(data)))
        if len(found) >= MAX_OBJECTS:
            break
    return found[:MAX_OBJECTS]


def _load(raw: str) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except RecursionError:
        return None  # nested beyond what ``json`` reads: nothing in it can be trusted
    except ValueError:
        pass
    try:  # some sites leave control characters or trailing commas
        return json.loads(_TRAILING_COMMA_RE.sub(r"\1", raw.replace("\n", " ")))
    except (ValueError, RecursionError):
        return None


def sanitize(data: Any, depth: int = 0) -> Any:
    """``data`` with lone surrogates replaced and containers below ``MAX_DEPTH`` dropped.

    Recursion is bounded by ``MAX_DEPTH`` (``json`` already refused deeper blocks).
    """
    if isinstance(data, str):
        return _SURROGATE_RE.sub("\ufffd", data)
    if isinstance(data, dict):
        if depth >= MAX_DEPTH:
            return None
        return {sanitize(k): sanitize(v, depth + 1) for k, v in data.items()}
    if isinstance(data, list):
        if depth >= MAX_DEPTH:
            return None
        return [sanitize(v, depth + 1) for v in data]
    return data


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Objects of a block: the block itself, the items of a list, the ``@graph`` members."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list | dict):
                stack.append(graph)


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


def ld_bool(value: Any) -> bool | None:
    """A JSON-LD boolean, which sites write as ``true``, ``"True"``, ``"false"`` or ``"no"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
    return None


def ld_index(objects: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Objects by their ``@id`` (string ids only; a list or object ``@id`` names nothing)."""
    return {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}


def ld_resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """JSON-LD references (``{"@id": ...}`` without a name) replaced by the objects they name."""
    if isinstance(value, list):
        return [ld_resolve(v, index) for v in value]
    if isinstance(value, dict) and "name" not in value:
        ref = value.get("@id")
        if isinstance(ref, str) and ref in index:
            return index[ref]
    return value


def ld_keywords(value: Any) -> list[str]:
    """Keywords from a comma-separated string or a list of them."""
    if isinstance(value, str):
        return [clean(v) for v in value.split(",") if clean(v)]
    if isinstance(value, list):
        return [k for v in value if isinstance(v, str) for k in ld_keywords(v)]
    return []
