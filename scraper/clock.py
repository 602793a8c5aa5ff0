"""The time newsrack reads and waits on, injectable so tests can run on simulated time.

``Clock`` is what pacing and the daemon ask: ``now()`` (aware UTC wall time,
for what is stored and scheduled), ``monotonic()`` (for spacing requests) and
``sleep()``. ``SYSTEM`` is the real one. ``SimulatedClock`` keeps virtual time
that jumps to the earliest sleeper's wake-up once the tasks that are ready have
run, so a test of a 60-second schedule takes milliseconds and asserts exact
times instead of wall-clock bounds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Wall time, monotonic time and waiting."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clocks and ``asyncio.sleep``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM: Clock = SystemClock()


class SimulatedClock:
    """Virtual time: ``sleep`` returns when the clock reaches its wake-up, in wake-up order.

    Time advances only while every task is waiting on this clock: after
    ``settle`` rounds of the event loop with nothing else to do, the earliest
    sleeper is woken and the clock jumps to its time. ``advance`` moves it by hand.
    """

    def __init__(self, start: datetime | None = None, settle: int = 20) -> None:
        self.start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self.elapsed = 0.0
        self._settle = settle
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._ticking = False

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def advance(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)

    async def sleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        wake: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (self.elapsed + max(0.0, seconds), next(self._order), wake))
        if not self._ticking:
            self._ticking = True
            loop.call_soon(self._tick, 0)
        await wake

    def _tick(self, rounds: int) -> None:
        loop = asyncio.get_running_loop()
        if rounds < self._settle:  # let whatever is ready run first
            loop.call_soon(self._tick, rounds + 1)
            return
        while self._sleepers:
            at, _, wake = heapq.heappop(self._sleepers)
            if not wake.cancelled():
                self.elapsed = max(self.elapsed, at)
                wake.set_result(None)
                break
        if self._sleepers:
            loop.call_soon(self._tick, 0)
        else:
            self._ticking = False
