"""Pacing and Crawl-delay on simulated time: exact moments, not wall-clock bounds."""

from __future__ import annotations

import asyncio
import logging

from scraper.clock import SimulatedClock
from scraper.fetch import Fetcher
from scraper.pacing import HostPacer
from tests.support.faults import ARTICLE
from tests.support.fetchkit import FAST_RETRY, fetch_config
from tests.support.httpserver import Page


def run_slots(pacer: HostPacer, requests: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Let each (host, delay) request through the pacer; when each started, in clock time."""
    started: list[tuple[str, float]] = []

    async def one(host: str, delay: float) -> None:
        async with pacer.slot(host, delay) as slot:
            started.append((host, pacer.clock.monotonic()))
            await pacer.clock.sleep(0.25)  # the server takes a quarter second to answer
            slot.sent()

    async def main() -> None:
        await asyncio.gather(*(one(host, delay) for host, delay in requests))

    asyncio.run(main())
    return started


def test_one_host_is_spaced_by_the_delay_from_each_answer_and_hosts_run_in_parallel() -> None:
    clock = SimulatedClock()
    pacer = HostPacer(max_per_host=4, max_total=10, clock=clock)
    started = run_slots(pacer, [("a", 1.0), ("b", 1.0)] * 3)
    assert sorted(t for h, t in started if h == "a") == [0.0, 1.25, 2.5]
    assert sorted(t for h, t in started if h == "b") == [0.0, 1.25, 2.5]


def test_push_back_holds_a_host_off_and_no_delay_means_no_wait() -> None:
    clock = SimulatedClock()
    pacer = HostPacer(clock=clock)
    pacer.push_back("a", 30.0)
    started = run_slots(pacer, [("a", 0.0), ("b", 0.0), ("b", 0.0)])
    assert sorted(started) == [("a", 30.0), ("b", 0.0), ("b", 0.0)]


def test_a_huge_crawl_delay_is_capped_and_logged(server, caplog) -> None:
    server.routes["/robots.txt"] = Page(
        "User-agent: *\nCrawl-delay: 86400\n", 200, {"Content-Type": "text/plain"}
    )
    for i in range(3):
        server.routes[f"/a{i}"] = Page(ARTICLE)
    clock = SimulatedClock()

    async def main():
        config = fetch_config(delay=0.0)  # the default max_crawl_delay: 60 s
        async with Fetcher(config, retry=FAST_RETRY, clock=clock) as fetcher:
            return [await fetcher.fetch(server.url(f"/a{i}")) for i in range(3)]

    with caplog.at_level(logging.WARNING, logger="scraper.fetch"):
        results = asyncio.run(main())
    assert all(r.ok for r in results)
    # robots.txt (read with delay 0), then the pages 60 simulated seconds apart, not a day
    assert server.paths() == ["/robots.txt", "/a0", "/a1", "/a2"]
    assert clock.monotonic() == 60.0 * 2
    capped = [r.getMessage() for r in caplog.records if "max_crawl_delay" in r.getMessage()]
    assert capped == [
        f"{server.base}/robots.txt asks for Crawl-delay: 86400s; capped at "
        "[fetch] max_crawl_delay = 60s (raise it to be slower)"
    ]


def test_a_crawl_delay_under_the_cap_is_kept(server) -> None:
    server.routes["/robots.txt"] = Page(
        "User-agent: *\nCrawl-delay: 5\n", 200, {"Content-Type": "text/plain"}
    )
    server.routes["/a"] = Page(ARTICLE)
    clock = SimulatedClock()

    async def main():
        async with Fetcher(fetch_config(delay=1.0), retry=FAST_RETRY, clock=clock) as fetcher:
            await fetcher.fetch(server.url("/a"))
            await fetcher.fetch(server.url("/a"))

    asyncio.run(main())
    assert clock.monotonic() == 1.0 + 5.0  # robots.txt -(delay)- /a -(Crawl-delay)- /a
