"""Fetch pages politely and safely: robots.txt, per-host pacing, retries, caps, charset.

``Fetcher.fetch(url)`` never raises for a failed fetch: it returns a
``FetchResult`` whose ``status`` says what happened (``ok``, ``not_modified``,
``robots``, ``blocked``, ``not_html``, ``error``) with ``error_kind`` and a
one-line ``error`` message, so the crawl loop records every outcome and goes
on. httpx errors are mapped to those kinds here and nowhere else. Retries
follow ``RetryPolicy`` (tenacity): exponential backoff with jitter on transport
errors and on 408/429/5xx, ``Retry-After`` honoured up to ``max_retry_after``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from scraper.charset import decode_html
from scraper.config import FetchConfig
from scraper.errors import FetchError
from scraper.pacing import HostPacer
from scraper.robots import RobotsCache
from scraper.urls import is_public_address

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
MAX_REDIRECTS = 10
_CHALLENGE_MARKERS = (
    b"<title>Just a moment...</title>",
    b"<title>Attention Required! | Cloudflare</title>",
    b"cf-browser-verification",
    b"_cf_chl_opt",
    b"challenge-platform",
    b"<title>Access denied</title>",
    b"px-captcha",
    b"/_Incapsula_Resource",
    b"ddos-guard",
    b"<title>DDoS-Guard</title>",
    b"captcha-delivery.com",
)


@dataclass(frozen=True)
class RetryPolicy:
    """Which answers are retried and how long to wait: retry policy as data."""

    retry_statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    jitter: float = 1.0


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one URL, success or failure; one ``pages`` row."""

    url: str
    final_url: str
    status: str
    fetched_at: datetime
    http_status: int | None = None
    elapsed: float = 0.0
    body: bytes = b""
    text: str | None = None
    encoding: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_kind: str | None = None
    error: str | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def html_bytes(self) -> bytes:
        """The page as UTF-8 bytes, the form parsers read fastest."""
        return (self.text or "").encode("utf-8", "surrogatepass")

    def raise_for_error(self) -> None:
        """FetchError for anything but ``ok`` and ``not_modified``."""
        if self.status not in ("ok", "not_modified"):
            raise FetchError(
                self.url,
                self.error_kind or self.status,
                self.error or self.status,
                self.http_status,
            )


@dataclass
class _Failure(Exception):
    """One attempt failed; ``retryable`` decides whether tenacity tries again."""

    kind: str
    message: str
    http_status: int | None = None
    retryable: bool = False
    retry_after: float | None = None
    response: _Response | None = None
    attempts: int = 0


@dataclass
class _Response:
    final_url: str
    http_status: int
    headers: httpx.Headers
    body: bytes
    attempts: int = 0
    hops: list[str] = field(default_factory=list)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def challenge_reason(status: int, headers: httpx.Headers, body: bytes) -> str | None:
    """Why an answer is a block or bot challenge rather than a page, or None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge (cf-mitigated)"
    if status in (401, 403):
        return f"HTTP {status}"
    if status == 429:
        return "HTTP 429 Too Many Requests"
    if status == 202 and not body.strip():
        return "HTTP 202 with an empty body (bot check)"
    head = body[:16384]
    for marker in _CHALLENGE_MARKERS:
        if marker in head:
            return f"challenge page ({marker.decode()})"
    return None


class Fetcher:
    """An httpx.AsyncClient with newsrack's politeness, retry, size and safety rules."""

    def __init__(
        self,
        config: FetchConfig,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self.retry = retry or RetryPolicy()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self.pacer = HostPacer(config.max_connections_per_host)
        self.robots = RobotsCache(self._load_robots)

    async def __aenter__(self) -> Self:
        timeout = httpx.Timeout(self.config.timeout, pool=None)
        limits = httpx.Limits(
            max_connections=self.config.max_connections,
            max_keepalive_connections=self.config.max_connections,
        )
        self._client = httpx.AsyncClient(
            timeout=timeout,
            limits=limits,
            follow_redirects=False,
            transport=self._transport,
            headers={
                "User-Agent": self.config.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate, br",
                "Accept-Language": "*",
            },
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("use 'async with Fetcher(...)' before fetching")
        return self._client

    # --- public ----------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float | None = None,
        obey_robots: bool | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (conditionally when ``etag``/``last_modified`` are given)."""
        fetched_at = datetime.now(UTC)
        started = time.monotonic()
        base = FetchResult(url=url, final_url=url, status="error", fetched_at=fetched_at)
        obey = self.config.obey_robots if obey_robots is None else obey_robots
        pace = self.config.delay if delay is None else delay
        try:
            _check_url(url)
            if obey:
                rules = await self.robots.rules_for(url)
                if not rules.allowed(url, self.config.user_agent):
                    return replace(
                        base,
                        status="robots",
                        error_kind="robots",
                        error=f"{url}: disallowed by robots.txt; not fetched",
                    )
                crawl_delay = rules.crawl_delay(self.config.user_agent)
                if crawl_delay:
                    pace = max(pace, crawl_delay)
            conditional = {}
            if etag:
                conditional["If-None-Match"] = etag
            if last_modified:
                conditional["If-Modified-Since"] = last_modified
            response = await self._with_retries(url, conditional, pace)
        except _Failure as failure:
            return self._failed(base, failure, started)
        return self._finished(base, response, started)

    # --- internals -------------------------------------------------------------------------

    def _failed(self, base: FetchResult, failure: _Failure, started: float) -> FetchResult:
        status = "blocked" if failure.kind == "blocked" else "error"
        response = failure.response
        log.warning("fetch failed: %s (%s)", failure.message, failure.kind, extra={"url": base.url})
        return replace(
            base,
            status=status,
            http_status=failure.http_status,
            final_url=response.final_url if response else base.url,
            body=response.body if response else b"",
            elapsed=time.monotonic() - started,
            error_kind=failure.kind,
            error=failure.message,
            attempts=response.attempts if response else failure.attempts,
        )

    def _finished(self, base: FetchResult, response: _Response, started: float) -> FetchResult:
        headers = response.headers
        content_type = headers.get("content-type", "")
        mime = content_type.split(";")[0].strip().lower()
        result = replace(
            base,
            final_url=response.final_url,
            http_status=response.http_status,
            elapsed=time.monotonic() - started,
            content_type=content_type or None,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            attempts=response.attempts,
            body=response.body,
        )
        if response.http_status == 304:
            return replace(result, status="not_modified", body=b"")
        reason = challenge_reason(response.http_status, headers, response.body)
        if reason:
            return replace(
                result,
                status="blocked",
                error_kind="blocked",
                error=f"{base.url}: blocked: {reason}",
            )
        if response.http_status >= 400:
            return replace(
                result, error_kind="http_status", error=f"{base.url}: HTTP {response.http_status}"
            )
        if mime and mime not in HTML_TYPES:
            return replace(
                result,
                status="not_html",
                error_kind="not_html",
                error=f"{base.url}: not HTML ({mime}); skipped",
            )
        if _looks_binary(response.body):
            return replace(
                result,
                status="not_html",
                error_kind="not_html",
                error=f"{base.url}: binary content served as {mime or 'no type'}",
            )
        text, encoding = decode_html(response.body, _charset_of(content_type))
        return replace(result, status="ok", text=text, encoding=encoding)

    async def _with_retries(self, url: str, headers: dict[str, str], delay: float) -> _Response:
        policy = self.retry
        fallback_wait = wait_exponential_jitter(
            initial=policy.backoff_initial, max=policy.backoff_max, jitter=policy.jitter
        )

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            if isinstance(failure, _Failure) and failure.retry_after is not None:
                return failure.retry_after
            return float(fallback_wait(state))

        def retryable(exc: BaseException) -> bool:
            if not isinstance(exc, _Failure) or not exc.retryable:
                return False
            return exc.retry_after is None or exc.retry_after <= self.config.max_retry_after

        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.config.max_attempts),
                wait=wait,
                retry=retry_if_exception(retryable),
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    response = await self._follow(url, headers, delay)
                    response.attempts = attempts
                    self._raise_if_retryable(url, response)
                    return response
        except _Failure as failure:
            if failure.response is not None:
                failure.response.attempts = attempts
            failure.attempts = attempts
            if failure.kind == "retryable_status" and failure.response is not None:
                return failure.response  # the last answer, recorded as it is
            if failure.retry_after and failure.retry_after > self.config.max_retry_after:
                failure.message += (
                    f" (Retry-After {failure.retry_after:.0f}s exceeds max_retry_after)"
                )
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_if_retryable(self, url: str, response: _Response) -> None:
        if response.http_status in self.retry.retry_statuses:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if response.http_status == 429 and retry_after:
                self.pacer.push_back(urlsplit(response.final_url).netloc, retry_after)
            raise _Failure(
                "retryable_status",
                f"{url}: HTTP {response.http_status}",
                response.http_status,
                retryable=True,
                retry_after=retry_after,
                response=response,
            )

    async def _follow(self, url: str, headers: dict[str, str], delay: float) -> _Response:
        """One attempt: request ``url`` and follow its redirects, checking every hop."""
        hops = [url]
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            await self._check_destination(current)
            host = urlsplit(current).netloc
            async with self.pacer.slot(host, delay):
                status, response_headers, body = await self._request(current, headers)
            if status in (301, 302, 303, 307, 308) and "location" in response_headers:
                target = urljoin(current, response_headers["location"].strip()).split("#")[0]
                if target in hops:
                    raise _Failure("redirect", f"{url}: redirect loop via {target}", status)
                _check_url(target, original=url)
                hops.append(target)
                current = target
                continue
            return _Response(current, status, response_headers, body, hops=hops)
        raise _Failure("redirect", f"{url}: more than {MAX_REDIRECTS} redirects")

    async def _request(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """GET ``url``, streaming the body under ``max_bytes`` and a total deadline."""
        cap = self.config.max_bytes
        deadline = self.config.timeout * 3
        try:
            async with asyncio.timeout(deadline):
                async with self.client.stream("GET", url, headers=headers) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > cap and response.status_code < 300:
                        raise _Failure(
                            "too_large",
                            f"{url}: body of {declared} bytes exceeds "
                            f"max_bytes = {cap}; raise [fetch] max_bytes to keep it",
                        )
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > cap:
                            raise _Failure(
                                "too_large",
                                f"{url}: body exceeds max_bytes = {cap} "
                                "(decompressed); raise [fetch] max_bytes to keep it",
                            )
                        chunks.append(chunk)
                    return response.status_code, response.headers, b"".join(chunks)
        except TimeoutError:
            raise _Failure(
                "timeout", f"{url}: no complete answer within {deadline:g}s", retryable=True
            ) from None
        except httpx.TimeoutException as exc:
            raise _Failure(
                "timeout",
                f"{url}: timed out ({type(exc).__name__}) after {self.config.timeout:g}s",
                retryable=True,
            ) from exc
        except httpx.ConnectError as exc:
            raise _Failure(
                "connect", f"{url}: cannot connect: {exc or type(exc).__name__}", retryable=True
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Failure(
                "protocol", f"{url}: connection broken: {exc or type(exc).__name__}", retryable=True
            ) from exc
        except httpx.DecodingError as exc:
            raise _Failure("protocol", f"{url}: body cannot be decoded: {exc}") from exc
        except httpx.HTTPError as exc:
            raise _Failure("protocol", f"{url}: {type(exc).__name__}: {exc}") from exc

    async def _check_destination(self, url: str) -> None:
        """Refuse hosts that resolve to private, loopback or link-local addresses."""
        if self.config.allow_private_networks:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise _Failure(
                "connect", f"{url}: cannot resolve {host}: {exc.strerror}", retryable=True
            ) from exc
        for info in infos:
            address = str(info[4][0])
            if not is_public_address(address):
                raise _Failure(
                    "private_address",
                    f"{url}: {host} resolves to non-public address {address}; "
                    "set [fetch] allow_private_networks = true to allow it",
                )

    async def _load_robots(self, robots_url: str) -> tuple[int | None, bytes]:
        try:
            await self._check_destination(robots_url)
            status, _headers, body = await self._request(robots_url, {})
            hops = 0
            while status in (301, 302, 303, 307, 308) and hops < 5 and "location" in _headers:
                robots_url = urljoin(robots_url, _headers["location"])
                await self._check_destination(robots_url)
                status, _headers, body = await self._request(robots_url, {})
                hops += 1
            return status, body
        except _Failure as failure:
            if failure.kind == "private_address":
                raise
            return None, b""


def _check_url(url: str, original: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        where = f"{original}: redirect to " if original else ""
        raise _Failure("bad_url", f"{where}{url}: only http(s) URLs with a host can be fetched")


def _charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _looks_binary(body: bytes) -> bool:
    """Whether a body is binary data (NULs or many control bytes) rather than markup."""
    head = body[:2048]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.1
