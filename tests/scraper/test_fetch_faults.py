"""One test per fault a server can commit: requests made, time waited, status recorded, message."""

from __future__ import annotations

import asyncio
import tracemalloc
from email.utils import formatdate
from itertools import pairwise

import pytest

from scraper.fetch import RetryPolicy, parse_retry_after
from tests.support import faults
from tests.support.faults import ARTICLE, Sent
from tests.support.fetchkit import FAST_RETRY, fetch, recorded, with_fetcher
from tests.support.httpserver import Page

HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_429_with_retry_after_waits_exactly_that_long(server, tmp_path) -> None:
    server.routes["/p"] = faults.sequence(
        Page("slow down", 429, {"Content-Type": "text/plain", "Retry-After": "1"}), Page(ARTICLE)
    )
    result = fetch(server.url("/p"))
    assert result.status == "ok" and result.attempts == 2
    assert result.waited == 1.0
    first, second = [r.at for r in server.requests if r.path == "/p"]
    assert second - first >= 1.0
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    assert recorded(tmp_path / "a.db", result)["status"] == "ok"


def test_429_for_ever_is_recorded_blocked_after_the_last_attempt(server, tmp_path) -> None:
    server.routes["/p"] = Page("no", 429, {"Content-Type": "text/plain", "Retry-After": "0"})
    result = fetch(server.url("/p"), max_attempts=2)
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["http_status"], row["error_kind"], row["attempts"]) == (
        "blocked",
        429,
        "blocked",
        2,
    )
    assert row["error"] == (
        f"{server.url('/p')}: blocked: HTTP 429 Too Many Requests after 2 attempts; "
        "the site refuses the crawler, do not retry soon"
    )


def test_retry_after_beyond_max_retry_after_gives_up_at_once(server) -> None:
    server.routes["/p"] = Page("later", 503, {"Content-Type": "text/plain", "Retry-After": "3600"})
    result = fetch(server.url("/p"), max_retry_after=120)
    assert server.paths() == ["/robots.txt", "/p"]
    assert result.waited == 0
    assert (result.status, result.error_kind, result.http_status) == ("error", "http_status", 503)
    assert result.error == (
        f"{server.url('/p')}: HTTP 503 Service Unavailable; Retry-After 3600s exceeds "
        "max_retry_after = 120s, so not retried"
    )


def test_retry_after_as_an_http_date() -> None:
    assert parse_retry_after(formatdate(1_000_030, usegmt=True), now=1_000_000.0) == 30.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(formatdate(999_000, usegmt=True), now=1_000_000.0) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None


def test_503_then_200_is_retried_with_backoff(server, tmp_path) -> None:
    server.routes["/p"] = faults.sequence(Page("busy", 503), Page("busy", 503), Page(ARTICLE))
    result = fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p", "/p", "/p"]
    assert result.status == "ok" and result.attempts == 3
    assert result.waited == pytest.approx(0.1)  # two backoffs of 0.05 s, no jitter
    times = [r.at for r in server.requests if r.path == "/p"]
    assert all(b - a >= 0.05 for a, b in pairwise(times))
    assert "Un article" in (result.text or "")
    assert recorded(tmp_path / "a.db", result)["attempts"] == 3


def test_backoff_grows_exponentially() -> None:
    """Unit test of the policy alone (MockTransport): waits 0.01, 0.02, 0.04 before retries."""
    import httpx

    from scraper.fetch import Fetcher
    from tests.support.fetchkit import fetch_config

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(502, text="bad gateway")

    async def run():
        policy = RetryPolicy(backoff_initial=0.01, backoff_max=1.0, jitter=0.0)
        fetcher = Fetcher(
            fetch_config(max_attempts=4, obey_robots=False),
            retry=policy,
            transport=httpx.MockTransport(handler),
        )
        async with fetcher:
            return await fetcher.fetch("http://example.test/p")

    result = asyncio.run(run())
    assert len(calls) == 4
    assert result.waited == pytest.approx(0.01 + 0.02 + 0.04)
    assert result.error == "http://example.test/p: HTTP 502 Bad Gateway after 4 attempts"


@pytest.mark.parametrize(
    ("status", "phrase"), [(404, "Not Found"), (410, "Gone"), (400, "Bad Request")]
)
def test_other_4xx_are_never_retried(server, tmp_path, status, phrase) -> None:
    server.routes["/p"] = Page("gone", status, {"Content-Type": "text/plain"})
    result = fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["http_status"], row["error_kind"], row["attempts"]) == (
        "error",
        status,
        "http_status",
        1,
    )
    assert row["error"] == f"{server.url('/p')}: HTTP {status} {phrase}"


def test_connection_reset_is_retried_then_recorded(server, tmp_path) -> None:
    server.routes["/p"] = faults.reset
    result = fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p", "/p", "/p"]
    assert result.waited == pytest.approx(0.1)
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"], row["attempts"]) == ("error", "protocol", 3)
    assert row["error"].startswith(f"{server.url('/p')}: connection broken: ")
    assert row["error"].endswith(" after 3 attempts")


def test_reset_then_success_recovers(server) -> None:
    calls = [0]

    def once_reset(request) -> None:
        calls[0] += 1
        if calls[0] == 1:
            faults.reset(request)
        else:
            faults.answer(request, Page(ARTICLE))

    server.routes["/p"] = once_reset
    result = fetch(server.url("/p"))
    assert result.status == "ok" and result.attempts == 2


def test_a_stall_past_the_read_timeout(server, tmp_path) -> None:
    server.routes["/p"] = faults.stall(1.0)
    result = fetch(server.url("/p"), timeout=0.2, max_attempts=2)
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    assert 0.4 <= result.elapsed < 1.5
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"], row["attempts"]) == ("error", "timeout", 2)
    assert row["error"] == (
        f"{server.url('/p')}: timed out waiting for data (read timeout) after 0.2s; "
        "raise [fetch] timeout if the site is this slow after 2 attempts"
    )


def test_a_trickle_is_stopped_by_the_total_deadline(server) -> None:
    server.routes["/p"] = faults.trickle(0.05, 3.0)
    result = fetch(server.url("/p"), timeout=0.5, deadline=0.5, max_attempts=1)
    assert server.paths() == ["/robots.txt", "/p"]
    assert 0.5 <= result.elapsed < 1.0
    assert result.error_kind == "timeout"
    assert result.error == (
        f"{server.url('/p')}: timed out: no complete answer within the 0.5s deadline; "
        "raise [fetch] deadline if the site is this slow"
    )


def test_a_truncated_body(server, tmp_path) -> None:
    server.routes["/p"] = faults.truncated
    result = fetch(server.url("/p"), max_attempts=2)
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"], row["bytes"]) == ("error", "protocol", 0)
    assert row["error"] == (
        f"{server.url('/p')}: connection broken: peer closed connection without sending "
        "complete message body (received 500 bytes, expected 1000) after 2 attempts"
    )


def test_a_redirect_loop(server, tmp_path) -> None:
    server.routes["/a"] = faults.redirect("/b")
    server.routes["/b"] = faults.redirect("/a", 301)
    result = fetch(server.url("/a"))
    assert server.paths() == ["/robots.txt", "/a", "/b"]  # detected, not retried
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"]) == ("error", "redirect")
    assert row["error"] == (
        f"{server.url('/a')}: redirect loop ({server.url('/a')} -> {server.url('/b')} -> "
        f"{server.url('/a')}); the site is misconfigured, nothing to fetch"
    )


def test_more_than_ten_redirects(server) -> None:
    for i in range(12):
        server.routes[f"/r{i}"] = faults.redirect(f"/r{i + 1}")
    result = fetch(server.url("/r0"))
    assert server.paths() == ["/robots.txt", *(f"/r{i}" for i in range(11))]
    assert result.error == f"{server.url('/r0')}: more than 10 redirects; nothing fetched"


def test_redirects_are_followed_and_the_final_url_recorded(server, tmp_path) -> None:
    server.routes["/old"] = faults.redirect("/new?x=1#frag", 301)
    server.routes["/new"] = Page(ARTICLE)
    result = fetch(server.url("/old"))
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["url"], row["final_url"]) == (
        "ok",
        server.url("/old"),
        server.url("/new?x=1"),
    )


def test_a_redirect_to_another_scheme_is_refused(server) -> None:
    server.routes["/p"] = faults.redirect("file:///etc/passwd")
    result = fetch(server.url("/p"))
    assert result.error_kind == "bad_url"
    assert result.error == (
        f"{server.url('/p')}: redirect to file:///etc/passwd: only http(s) URLs with a host "
        "can be fetched"
    )


def test_a_1_gib_gzip_bomb_stops_at_the_cap_with_bounded_memory(server, tmp_path) -> None:
    sent = Sent()
    server.routes["/bomb"] = faults.gzip_bomb(sent)
    cap = 2_000_000
    faults.gzip_blocks()  # built before measuring (and before the read timeout runs)
    tracemalloc.start()
    try:
        result = fetch(server.url("/bomb"), max_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert server.paths() == ["/robots.txt", "/bomb"]
    assert result.error_kind == "too_large" and result.status == "error"
    assert result.error == (
        f"{server.url('/bomb')}: too large: body exceeds max_bytes = {cap} (decompressed); "
        "raise [fetch] max_bytes to keep it"
    )
    assert peak < 3 * cap  # the cap plus a few 64 KiB steps, never a whole inflated chunk
    assert recorded(tmp_path / "a.db", result)["error_kind"] == "too_large"


def test_the_bomb_stream_is_valid_gzip_of_the_size_asked() -> None:
    """The 1 GiB bomb is built the same way; 64 MiB keeps this check quick."""
    import zlib

    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total = 0
    for piece in faults.gzip_bomb_stream(64 << 20):  # same construction, 64 MiB
        total += len(decoder.decompress(piece))
    assert total == 64 << 20 and decoder.eof


def test_a_brotli_bomb_stops_at_the_cap_with_bounded_memory(server) -> None:
    sent = Sent()
    server.routes["/bomb"] = faults.brotli_bomb(sent, 64 << 20)
    faults.brotli_zeros(64 << 20)  # compress before measuring
    tracemalloc.start()
    try:
        result = fetch(server.url("/bomb"), max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error_kind == "too_large"
    assert peak < 3_000_000


def test_an_endless_body_stops_at_the_cap(server, tmp_path) -> None:
    sent = Sent()
    server.routes["/p"] = faults.endless(sent)
    result = fetch(server.url("/p"), max_bytes=500_000)
    assert server.paths() == ["/robots.txt", "/p"]
    assert result.error_kind == "too_large" and result.attempts == 1
    assert recorded(tmp_path / "a.db", result)["status"] == "error"


def test_a_declared_length_over_the_cap_is_not_read(server) -> None:
    server.routes["/p"] = Page(b"x" * 300_000, 200, HTML)
    result = fetch(server.url("/p"), max_bytes=100_000)
    assert result.error == (
        f"{server.url('/p')}: too large: 300000 bytes declared, over max_bytes = 100000; "
        "raise [fetch] max_bytes to keep it"
    )


def test_a_wrong_charset_header_still_gives_french_accents(server) -> None:
    text = (
        "<html lang='fr'><head><title>L’été à Marrakech</title></head><body>"
        "<p>« Déjà vu », dit-elle — c’est l’œuvre d’un garçon très âgé.</p></body></html>"
    )
    server.routes["/p"] = Page(text.encode("cp1252"), 200, HTML)
    result = fetch(server.url("/p"))
    assert result.status == "ok"
    assert result.encoding == "cp1252"
    assert result.text == text
    assert result.html_bytes() == text.encode("utf-8")


def test_binary_bytes_served_as_html_are_skipped(server, tmp_path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    server.routes["/p"] = Page(png, 200, HTML)
    result = fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"]) == ("not_html", "not_html")
    assert row["error"] == (
        f"{server.url('/p')}: not HTML: binary content served as text/html; skipped"
    )


def test_a_non_html_content_type_is_skipped_unread(server, tmp_path) -> None:
    server.routes["/doc.pdf"] = Page(
        b"%PDF-1.7" + bytes(200_000), 200, {"Content-Type": "application/pdf"}
    )
    result = fetch(server.url("/doc.pdf"))
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["error_kind"], row["bytes"], row["http_status"]) == (
        "not_html",
        "not_html",
        0,
        200,
    )
    assert row["error"] == f"{server.url('/doc.pdf')}: not HTML (application/pdf); skipped"


def test_a_cloudflare_challenge_is_blocked_and_not_retried(server, tmp_path) -> None:
    server.routes["/p"] = faults.CLOUDFLARE_CHALLENGE
    result = fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p"]
    row = recorded(tmp_path / "a.db", result)
    assert (row["status"], row["http_status"], row["error_kind"]) == ("blocked", 503, "blocked")
    assert row["error"] == (
        f"{server.url('/p')}: blocked: Cloudflare challenge (cf-mitigated: challenge); "
        "the site refuses the crawler, do not retry soon"
    )


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (Page("<html><head><title>Just a moment...</title></head></html>"), "challenge page"),
        (
            Page("<html><script>window._cf_chl_opt={}</script></html>"),
            "challenge page (_cf_chl_opt)",
        ),
        (Page("", 202), "HTTP 202 with an empty body (a bot check)"),
        (Page("denied", 403), "HTTP 403 Forbidden"),
        (Page("who?", 401), "HTTP 401 Unauthorized"),
        (
            Page('<html><iframe src="/_Incapsula_Resource?SWUDNSAI=31"></iframe></html>'),
            "challenge page (/_incapsula_resource)",
        ),
    ],
)
def test_blocks_and_challenges_are_recorded_with_their_reason(server, page, reason) -> None:
    server.routes["/p"] = page
    result = fetch(server.url("/p"))
    assert result.status == "blocked" and result.attempts == 1
    assert result.error.startswith(f"{server.url('/p')}: blocked: {reason}")


def test_an_article_with_an_injected_cloudflare_script_is_not_a_challenge(server) -> None:
    page = ARTICLE.replace(
        "</body>",
        "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></body>",
    )
    server.routes["/p"] = Page(page)
    assert fetch(server.url("/p")).status == "ok"


def test_an_empty_200_is_an_error_not_an_article(server) -> None:
    server.routes["/p"] = Page("")
    result = fetch(server.url("/p"))
    assert (result.status, result.error_kind) == ("error", "empty")
    assert result.error == f"{server.url('/p')}: HTTP 200 OK with an empty body"


def test_304_keeps_the_validators_it_was_sent(server, tmp_path) -> None:
    server.routes["/p"] = faults.conditional(ARTICLE, '"v1"', "Wed, 21 Oct 2015 07:28:00 GMT")
    first = fetch(server.url("/p"))
    assert first.status == "ok" and first.etag == '"v1"'

    async def again(fetcher):
        return await fetcher.fetch(server.url("/p"), etag=first.etag)

    second = with_fetcher(again)
    assert second.status == "not_modified" and second.body == b"" and second.http_status == 304
    assert second.etag == '"v1"'
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    row = recorded(tmp_path / "a.db", second)
    assert (row["status"], row["bytes"], row["error"]) == ("not_modified", 0, None)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_gzip_and_brotli_are_accepted_and_decoded(server, coding) -> None:
    server.routes["/p"] = faults.encoded(ARTICLE, coding)
    result = fetch(server.url("/p"))
    assert result.status == "ok" and result.text == ARTICLE
    assert "br" in server.requests[-1].headers["Accept-Encoding"]


def test_a_dead_port_is_a_connect_error_after_retries(tmp_path) -> None:
    result = fetch("http://127.0.0.1:9/p", obey_robots=False, max_attempts=2, retry=FAST_RETRY)
    assert (result.status, result.error_kind, result.attempts) == ("error", "connect", 2)
    assert result.error.startswith("http://127.0.0.1:9/p: cannot connect: ")
