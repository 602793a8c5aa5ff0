"""Per-host politeness: at least ``delay`` seconds between request starts to one host.

httpx limits connections per client, not per host, so pacing is ours: each host
has a lock and the time its next request may start. Different hosts never wait
for each other. A per-host semaphore bounds the requests in flight to one host.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _HostState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    in_flight: asyncio.Semaphore | None = None


class HostPacer:
    """Hands out request slots per host, spaced by at least each request's ``delay``."""

    def __init__(self, max_per_host: int = 2) -> None:
        self._hosts: dict[str, _HostState] = {}
        self._max_per_host = max_per_host

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(in_flight=asyncio.Semaphore(self._max_per_host))
        return state

    def push_back(self, host: str, seconds: float) -> None:
        """Make the host's next request wait at least ``seconds`` from now (Crawl-delay, 429)."""
        state = self._state(host)
        state.next_start = max(state.next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str, delay: float) -> AsyncIterator[None]:
        """Wait for the host's turn, then hold one of its in-flight places for the request."""
        state = self._state(host)
        assert state.in_flight is not None
        async with state.in_flight:
            async with state.lock:
                wait = state.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = time.monotonic() + delay
            yield
