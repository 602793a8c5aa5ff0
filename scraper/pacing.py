"""Per-host politeness: at least ``delay`` seconds between requests to a host, bounded in flight.

httpx limits connections per client, not per host, so pacing is ours. Each host
name (any port) has a lock, a semaphore bounding its requests in flight, and
the time its next request may start; a global semaphore bounds requests in
flight across hosts. With a delay, a host's turn passes to its next request only
once the current one has been answered (``Slot.sent``, called when the
response headers arrive, or when the request ends), and the next waits
``delay`` from then: the server sees the requests at least ``delay`` apart
whatever the connect time or network jitter, and a host slow to answer is
not piled on. Different hosts never wait for each other. ``push_back`` holds a host
off (a 429/503 ``Retry-After``). Time is read from an injectable ``Clock``, so
tests assert the exact simulated moments each request was let through.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from scraper.clock import SYSTEM, Clock


@dataclass
class _HostState:
    in_flight: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


@dataclass
class Slot:
    """A granted request slot; call ``sent()`` once the server has answered (headers in)."""

    _state: _HostState
    delay: float
    _clock: Clock
    _holding: bool = True

    def sent(self) -> None:
        """The server has the request: the next one to this host may go ``delay`` from now."""
        if self._holding:
            self._holding = False
            ready = self._clock.monotonic() + self.delay
            self._state.next_start = max(self._state.next_start, ready)
            self._state.lock.release()


class HostPacer:
    """Hands out request slots per host, spaced by at least each request's ``delay``."""

    def __init__(self, max_per_host: int = 2, max_total: int = 20, clock: Clock = SYSTEM) -> None:
        self.clock = clock
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
        state.next_start = max(state.next_start, self.clock.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str, delay: float) -> AsyncIterator[Slot]:
        """Wait for the host's turn, then hold one of its in-flight places for the request.

        With a delay, the host's turn passes on only once this request is
        answered (``Slot.sent``) or over, and the next one waits ``delay`` from then.
        """
        state = self._state(host.lower())
        async with state.in_flight:
            await state.lock.acquire()
            slot = Slot(state, delay, self.clock)
            try:
                while (wait := state.next_start - self.clock.monotonic()) > 0:
                    await self.clock.sleep(wait)
                if delay <= 0:
                    slot.sent()  # nothing to space: let the next request go at once
                async with self._total:
                    yield slot
            finally:
                slot.sent()
