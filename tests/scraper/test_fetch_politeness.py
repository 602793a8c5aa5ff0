"""Politeness and safety on real loopback servers: robots.txt, pacing, connection bounds, peers."""

from __future__ import annotations

import asyncio
import logging
import sys
from itertools import pairwise

import httpcore
import httpx
import pytest

from scraper.fetch import Fetcher
from scraper.transport import GuardedTransport
from tests.support.faults import ARTICLE, slow
from tests.support.fetchkit import fetch, fetch_config, recorded, with_fetcher
from tests.support.httpserver import Page, TestServer

ROBOTS = "User-agent: *\nDisallow: /private\n"


def gaps(server: TestServer, prefix: str = "/") -> list[float]:
    times = [r.at for r in server.requests if r.path.startswith(prefix)]
    return [b - a for a, b in pairwise(times)]


def test_a_disallowed_url_is_never_requested_and_recorded_as_robots(server, tmp_path) -> None:
    server.routes["/robots.txt"] = Page(ROBOTS, 200, {"Content-Type": "text/plain"})
    server.routes["/private/x"] = Page(ARTICLE)
    result = fetch(server.url("/private/x"))
    assert server.paths() == ["/robots.txt"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"], row["http_status"]) == ("robots", "robots", None)
    assert row["error"] == (
        f"{server.url('/private/x')}: disallowed by robots.txt; not fetched "
        "(obey_robots = false for the site overrides it)"
    )


def test_robots_txt_is_fetched_once_per_host_even_under_concurrency(server) -> None:
    server.routes["/robots.txt"] = slow(0.1, Page(ROBOTS, 200, {"Content-Type": "text/plain"}))
    for i in range(6):
        server.routes[f"/a{i}"] = Page(ARTICLE)

    async def many(fetcher: Fetcher):
        return await asyncio.gather(*(fetcher.fetch(server.url(f"/a{i}")) for i in range(6)))

    results = with_fetcher(many, max_connections_per_host=4)
    assert all(r.ok for r in results)
    assert server.paths().count("/robots.txt") == 1
    assert server.paths()[0] == "/robots.txt"


def test_robots_txt_is_asked_again_after_its_ttl(server) -> None:
    server.routes["/robots.txt"] = Page(ROBOTS, 200, {"Content-Type": "text/plain"})
    server.routes["/a"] = Page(ARTICLE)

    async def twice(fetcher: Fetcher):
        await fetcher.fetch(server.url("/a"))
        await fetcher.fetch(server.url("/a"))
        await asyncio.sleep(0.25)
        await fetcher.fetch(server.url("/a"))

    with_fetcher(twice, robots_ttl=0.2)
    assert server.paths() == ["/robots.txt", "/a", "/a", "/robots.txt", "/a"]


def test_a_robots_txt_answering_503_holds_the_whole_site_off(server) -> None:
    server.routes["/robots.txt"] = Page("down", 503, {"Content-Type": "text/plain"})
    result = fetch(server.url("/a"))
    assert server.paths() == ["/robots.txt"]
    assert result.status == "robots"
    assert "robots.txt answered HTTP 503" in (result.error or "")


def test_a_redirect_into_a_disallowed_path_is_not_followed(server) -> None:
    server.routes["/robots.txt"] = Page(ROBOTS, 200, {"Content-Type": "text/plain"})
    server.routes["/open"] = Page(b"", 302, {"Location": "/private/y"})
    result = fetch(server.url("/open"))
    assert server.paths() == ["/robots.txt", "/open"]
    assert result.status == "robots"
    assert result.error.startswith(
        f"{server.url('/open')}: redirect to {server.url('/private/y')}: disallowed by robots.txt"
    )


def test_obey_robots_false_fetches_anyway_with_a_warning(server, caplog) -> None:
    server.routes["/robots.txt"] = Page(ROBOTS, 200, {"Content-Type": "text/plain"})
    server.routes["/private/x"] = Page(ARTICLE)
    with caplog.at_level(logging.WARNING, logger="scraper.fetch"):
        result = fetch(server.url("/private/x"), obey_robots=False)
    assert result.ok
    assert server.paths() == ["/private/x"]
    assert "127.0.0.1: robots.txt is not obeyed for this site (obey_robots = false)" in caplog.text


def test_crawl_delay_is_honoured(server, precise_threads) -> None:
    robots = "User-agent: *\nCrawl-delay: 0.3\n"
    server.routes["/robots.txt"] = Page(robots, 200, {"Content-Type": "text/plain"})
    for i in range(3):
        server.routes[f"/a{i}"] = Page(ARTICLE)

    async def three(fetcher: Fetcher):
        return await asyncio.gather(*(fetcher.fetch(server.url(f"/a{i}")) for i in range(3)))

    with_fetcher(three)
    assert len(gaps(server, "/a")) == 2
    assert min(gaps(server, "/a")) >= 0.3


@pytest.fixture
def precise_threads():
    """Switch threads often, so the in-process servers stamp arrivals within ~0.1 ms."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    yield
    sys.setswitchinterval(before)


def test_pacing_per_host_while_hosts_proceed_in_parallel(precise_threads) -> None:
    """delay = 0.2: never two requests to one host closer than that; three hosts at once."""
    hosts = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
    servers = [TestServer(host) for host in hosts]
    for server in servers:
        server.__enter__()
    try:
        for server in servers:
            for i in range(4):
                server.routes[f"/a{i}"] = Page(ARTICLE)

        async def crawl(fetcher: Fetcher):
            urls = [s.url(f"/a{i}") for i in range(4) for s in servers]
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

        results = with_fetcher(crawl, delay=0.2, max_connections_per_host=4)
    finally:
        for server in servers:
            server.__exit__()
    assert all(r.ok for r in results)
    for server in servers:
        assert server.paths() == ["/robots.txt", "/a0", "/a1", "/a2", "/a3"]
        assert min(gaps(server)) >= 0.2, (server.host, gaps(server))
    # in parallel, not one host after another: every host's first page comes before any
    # host's third (exact times on simulated time: test_pacing_clock.py)
    firsts = [server.requests[1].at for server in servers]
    thirds = [server.requests[3].at for server in servers]
    assert max(firsts) < min(thirds)


def test_connections_are_bounded_per_host_and_in_total() -> None:
    with TestServer("127.0.0.1") as one, TestServer("127.0.0.2") as two:
        for server in (one, two):
            for i in range(6):
                server.routes[f"/a{i}"] = slow(0.15, Page(ARTICLE))

        async def crawl(fetcher: Fetcher):
            urls = [s.url(f"/a{i}") for i in range(6) for s in (one, two)]
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

        with_fetcher(crawl, obey_robots=False, max_connections_per_host=2, max_connections=3)
        assert one.max_in_flight <= 2 and two.max_in_flight <= 2
        assert one.max_in_flight + two.max_in_flight >= 3  # both hosts busy at once
        # in total: at no moment more than 3 requests between the two servers
        events = sorted(
            [(r.at, 1) for s in (one, two) for r in s.requests]
            + [(r.at + 0.15, -1) for s in (one, two) for r in s.requests]
        )
        level = peak = 0
        for _, step in events:
            level += step
            peak = max(peak, level)
        assert peak <= 3


# --- private networks: the check is on the address actually connected to -------------------


class _FakeStream(httpcore.AsyncNetworkStream):
    def __init__(self, address: str, answer: bytes, log: list[str]) -> None:
        self._address = address
        self._answer = answer
        self._log = log

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        answer, self._answer = self._answer, b""
        return answer

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._log.append(f"wrote to {self._address}")

    async def aclose(self) -> None:
        self._log.append(f"closed {self._address}")

    def get_extra_info(self, info: str):
        return (self._address, 80) if info == "server_addr" else None


class _FakeNetwork(httpcore.AsyncNetworkBackend):
    """Pretend DNS + network: each host name "resolves" to a fixed address; no socket opens."""

    def __init__(self, addresses: dict[str, str], answers: dict[str, bytes]) -> None:
        self.addresses = addresses
        self.answers = answers
        self.log: list[str] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.log.append(f"connect {host} -> {self.addresses[host]}")
        return _FakeStream(self.addresses[host], self.answers.get(host, b""), self.log)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _fetch_through(network: _FakeNetwork, url: str):
    async def run():
        config = fetch_config(allow_private_networks=False, obey_robots=False, max_attempts=1)
        transport = GuardedTransport(httpx.Limits(max_connections=4), backend=network)
        async with Fetcher(config, transport=transport) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_a_name_resolving_to_a_private_address_is_refused_before_a_byte_is_sent() -> None:
    network = _FakeNetwork({"rebind.example": "10.1.2.3"}, {})
    result = _fetch_through(network, "http://rebind.example/a")
    assert network.log == ["connect rebind.example -> 10.1.2.3", "closed 10.1.2.3"]
    assert (result.status, result.error_kind) == ("error", "private_address")
    assert result.error == (
        "http://rebind.example/a: rebind.example resolves to non-public address 10.1.2.3; "
        "set [fetch] allow_private_networks = true to allow it"
    )


def test_every_redirect_hop_is_checked_against_the_private_network_rule() -> None:
    answer = (
        b"HTTP/1.1 302 Found\r\nLocation: http://intranet.example/\r\nContent-Length: 0\r\n\r\n"
    )
    network = _FakeNetwork(
        {"news.example": "93.184.216.34", "intranet.example": "169.254.169.254"},
        {"news.example": answer},
    )
    result = _fetch_through(network, "http://news.example/")
    connects = [entry for entry in network.log if entry.startswith(("connect", "closed 169"))]
    assert connects == [
        "connect news.example -> 93.184.216.34",
        "connect intranet.example -> 169.254.169.254",
        "closed 169.254.169.254",
    ]
    assert "wrote to 93.184.216.34" in network.log
    assert "wrote to 169.254.169.254" not in network.log
    assert result.error_kind == "private_address"
    assert "intranet.example resolves to non-public address 169.254.169.254" in result.error


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_loopback_is_refused_for_real_unless_allowed(server, host) -> None:
    server.routes["/a"] = Page(ARTICLE)
    url = f"http://{host}:{server.port}/a"
    refused = fetch(url, allow_private_networks=False)
    assert refused.error_kind == "private_address"
    assert "non-public address 127.0.0.1" in refused.error or "::1" in refused.error
    assert "/a" not in server.paths() and "/robots.txt" not in server.paths()
    if host == "127.0.0.1":
        assert fetch(url, allow_private_networks=True).ok


def test_a_private_ip_literal_is_refused_without_connecting() -> None:
    network = _FakeNetwork({"10.0.0.8": "10.0.0.8"}, {})
    result = _fetch_through(network, "http://10.0.0.8/admin")
    assert network.log == []
    assert result.error == (
        "http://10.0.0.8/admin: 10.0.0.8 resolves to non-public address 10.0.0.8; "
        "set [fetch] allow_private_networks = true to allow it"
    )


def test_an_unexpected_error_is_recorded_not_raised(server, monkeypatch) -> None:
    async def broken(self, url, job):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Fetcher, "_robots_delay", broken)
    result = fetch(server.url("/a"))
    assert (result.status, result.error_kind) == ("error", "internal")
    assert result.error == (
        f"{server.url('/a')}: unexpected ZeroDivisionError: division by zero; please report it"
    )


@pytest.mark.parametrize(
    "address", ["::127.0.0.1", "::ffff:0:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"]
)
def test_ipv6_forms_of_loopback_are_refused_before_a_byte_is_sent(address) -> None:
    network = _FakeNetwork({"sneaky.example": address}, {})
    result = _fetch_through(network, "http://sneaky.example/a")
    assert network.log == [f"connect sneaky.example -> {address}", f"closed {address}"]
    assert result.error_kind == "private_address"
    literal = _FakeNetwork({}, {})
    result = _fetch_through(literal, f"http://[{address}]/a")
    assert literal.log == [] and result.error_kind == "private_address"
