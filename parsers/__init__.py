"""The parser registry: ``get(name)``, ``for_url(url)`` (falling back to ``generic``), ``names()``.

Each site module registers its parser class with ``@register``; this module
imports them all once so the registry is complete after ``import parsers``.
"""

from __future__ import annotations

from typing import TypeVar

from parsers.base import Article, Image, Listing, ParseError, Section, SiteParser, TickerItem
from parsers.extract import url_host

__all__ = [
    "Article",
    "Image",
    "Listing",
    "ParseError",
    "Section",
    "SiteParser",
    "TickerItem",
    "for_url",
    "get",
    "names",
    "register",
]

_REGISTRY: dict[str, SiteParser] = {}

P = TypeVar("P", bound=type[SiteParser])


def register(cls: P) -> P:
    """Class decorator: add one instance of ``cls`` to the registry under ``cls.name``."""
    if not cls.name:
        raise TypeError(f"{cls.__qualname__} has no name")
    if cls.name in _REGISTRY:
        raise TypeError(f"parser name {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> SiteParser:
    """The parser registered as ``name``; KeyError naming the known ones otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown parser {name!r}; known: {', '.join(names())}") from None


def names() -> list[str]:
    """Names of all registered parsers, sorted."""
    return sorted(_REGISTRY)


def for_url(url: str) -> SiteParser:
    """The parser whose domains match ``url``'s host (longest match wins), else ``generic``."""
    host = url_host(url)
    best: tuple[int, SiteParser] | None = None
    for parser in _REGISTRY.values():
        for domain in parser.domains:
            matches = host == domain or host.endswith("." + domain)
            if matches and (best is None or len(domain) > best[0]):
                best = (len(domain), parser)
    return best[1] if best else _REGISTRY["generic"]


# Site modules register themselves on import; keep this list sorted.
from parsers import euronews, generic, lefigaro, lemonde, lesechos, walaw  # noqa: E402, F401
