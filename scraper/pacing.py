"""Per-host politeness: at least ``delay`` seconds between requests to a host, bounded in flight.

httpx limits connections per client, not per host, so pacing is ours. Each host
name (any port) has a lock, a semaphore bounding its requests in flight, and
the time its next request may start; a global semaphore bounds requests in
flight across hosts. A request's turn is taken when it starts and stamped again
when its headers have actually been sent (``Slot.sent``), so a slow connect or
a wait for a free connection never eats into the gap the next request keeps.
Different hosts never wait for each other's delay. ``push_back`` holds a host
off (a 429/503 ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _HostState:
    in_flight: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


@dataclass
class Slot:
    """A granted request slot; call ``sent()`` when the request has gone out."""

    _state: _HostState
    delay: float

    def sent(self) -> None:
        self._state.next_start = max(self._state.next_start, time.monotonic() + self.delay)


class HostPacer:
    """Hands out request slots per host, spaced by at least each request's ``delay``."""

    def __init__(self, max_per_host: int = 2, max_total: int = 20) -> None:
        self._hosts: dict[str, _HostState] = {}
        self._max_per_host = max_per_host
        self._total = asyncio.Semaphore(max_total)

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(asyncio.Semaphore(self._max_per_host))
        return state

    def push_back(self, host: str, seconds: float) -> None:
        """Make the host's next request wait at least ``seconds`` from now (429, Retry-After)."""
        state = self._state(host.lower())
        state.next_start = max(state.next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str, delay: float) -> AsyncIterator[Slot]:
        """Wait for the host's turn, then hold one of its in-flight places for the request."""
        state = self._state(host.lower())
        async with state.in_flight:
            async with state.lock:
                wait = state.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = time.monotonic() + delay
            async with self._total:
                yield Slot(state, delay)
