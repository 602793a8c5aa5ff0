"""robots.txt, fetched once per origin and cached for a while, read with protego.

A robots.txt that is missing (4xx) allows everything; one that answers 5xx or
429 disallows the whole origin (RFC 9309, as Google does) and is asked for again
after ``SERVER_ERROR_RETRY``, so a struggling site is not hammered; an
unreachable one is asked for again within a minute, and the page fetch itself
reports the network failure. Concurrent fetches to one origin wait for a single
robots.txt request. ``Crawl-delay`` is reported so the pacer can honour it (the
fetcher caps it at ``[fetch] max_crawl_delay``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scraper.clock import SYSTEM, Clock

log = logging.getLogger(__name__)

#: How long a robots.txt answer is trusted.
ROBOTS_TTL = 3600.0
#: How soon an unreachable robots.txt is asked for again.
UNREACHABLE_RETRY = 60.0
#: How soon a robots.txt that answered 5xx or 429 is asked for again.
SERVER_ERROR_RETRY = 600.0
#: robots.txt bodies beyond this size are cut (Google reads 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024

#: Fetches a robots.txt URL keeping a delay: (HTTP status or None on network failure, body).
RobotsLoader = Callable[[str, float], Awaitable[tuple[int | None, bytes]]]


@dataclass(frozen=True)
class RobotsRules:
    """The parsed robots.txt of one origin (``None`` parser: allow all or deny all)."""

    parser: Protego | None
    allow_all: bool
    fetched: float
    #: Why everything is disallowed, when it is (robots.txt answered 503, say).
    reason: str | None = None

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """robots.txt rules per origin, loaded on first use and kept ``ttl`` seconds."""

    def __init__(
        self, loader: RobotsLoader, ttl: float = ROBOTS_TTL, clock: Clock = SYSTEM
    ) -> None:
        self._loader = loader
        self._clock = clock
        self._ttl = ttl
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str, delay: float = 0.0) -> RobotsRules:
        """The rules for ``url``'s origin, loaded (keeping ``delay`` to the host) if stale."""
        origin = origin_of(url)
        cached = self._rules.get(origin)
        if cached is not None and self._clock.monotonic() - cached.fetched < self._ttl:
            return cached
        async with self._locks.setdefault(origin, asyncio.Lock()):
            cached = self._rules.get(origin)  # loaded while this one waited?
            if cached is not None and self._clock.monotonic() - cached.fetched < self._ttl:
                return cached
            return await self._load(origin, delay)

    async def _load(self, origin: str, delay: float) -> RobotsRules:
        status, body = await self._loader(origin + "/robots.txt", delay)
        now = self._clock.monotonic()
        if status is not None and 200 <= status < 300:
            text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            rules = RobotsRules(Protego.parse(text), True, now)
        elif status is not None and 300 <= status < 500 and status != 429:
            # missing, forbidden or redirected too often: "unavailable", everything allowed
            rules = RobotsRules(None, True, now)
        elif status is None:
            # unreachable: the page fetch will meet (and report) the same failure; ask again soon
            rules = RobotsRules(None, True, now - max(0.0, self._ttl - UNREACHABLE_RETRY))
        else:
            log.warning(
                "robots.txt of %s answered %s: not crawling it for now",
                origin,
                status,
                extra={"url": f"{origin}/robots.txt"},
            )
            reason = f"robots.txt answered HTTP {status}; the site is not crawled until it answers"
            stamp = now - max(0.0, self._ttl - SERVER_ERROR_RETRY)
            rules = RobotsRules(None, False, stamp, reason)
        self._rules[origin] = rules
        return rules
