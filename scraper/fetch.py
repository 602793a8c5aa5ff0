"""Fetch pages politely and safely: robots.txt, per-host pacing, retries, caps, charset.

``Fetcher.fetch(url)`` never raises for a failed fetch: it returns a
``FetchResult`` whose ``status`` says what happened (``ok``, ``not_modified``,
``robots``, ``blocked``, ``not_html``, ``error``) with ``error_kind`` and a
one-line ``error`` message naming the URL and what to do, so the crawl loop
records every outcome and goes on. httpx errors are mapped to those kinds in
``_request`` and nowhere else. Retries follow ``RetryPolicy`` (tenacity):
exponential backoff with jitter on transport errors and on 408/429/5xx,
``Retry-After`` honoured up to ``max_retry_after``, never on other 4xx.
Redirects are followed by hand (at most 10, loops detected, http(s) only, each
hop paced and checked against robots.txt); the transport refuses private peers
(``scraper.transport``), bodies are decoded under ``max_bytes`` in bounded
steps (``scraper.bodies``), challenges are told from pages by ``scraper.blocks``
and results and the retry policy are plain values in ``scraper.results``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from scraper.blocks import challenge_reason
from scraper.bodies import ACCEPT_ENCODING, BoundedDecoder, DecodeError
from scraper.charset import decode_html
from scraper.clock import SYSTEM, Clock
from scraper.config import FetchConfig
from scraper.kinds import ErrorKind, FetchStatus
from scraper.pacing import HostPacer, Slot
from scraper.results import (
    FetchResult,
    RetryPolicy,
    charset_of,
    looks_binary,
    parse_retry_after,
)
from scraper.robots import RobotsCache, origin_of
from scraper.transport import GuardedTransport, PrivateAddressError

__all__ = ["FetchResult", "Fetcher", "RetryPolicy", "challenge_reason", "parse_retry_after"]

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml", "text/xml"})
#: What a feed or sitemap request accepts.
XML_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: robots.txt redirects followed (RFC 9309 asks for at least five).
ROBOTS_MAX_REDIRECTS = 5

#: FetchResult.status for each failure kind that is not a plain ``error``.
_STATUS_OF_KIND = {
    ErrorKind.ROBOTS: FetchStatus.ROBOTS,
    ErrorKind.BLOCKED: FetchStatus.BLOCKED,
    ErrorKind.NOT_HTML: FetchStatus.NOT_HTML,
}


@dataclass
class _Failure(Exception):
    """One attempt failed; ``retryable`` decides whether tenacity tries again."""

    kind: ErrorKind
    message: str
    http_status: int | None = None
    retryable: bool = False
    retry_after: float | None = None
    response: _Response | None = None


@dataclass
class _Response:
    final_url: str
    http_status: int
    headers: httpx.Headers
    body: bytes
    #: Said after the status in messages: why retrying stopped.
    note: str = ""


@dataclass
class _Job:
    """One ``fetch`` call in progress: what it asked for and what it went through."""

    url: str
    headers: dict[str, str]
    delay: float
    obey_robots: bool
    #: False for feeds and sitemaps: any content type, gzip files kept as served.
    html: bool = True
    attempts: int = 0
    waited: float = 0.0
    hops: list[str] = field(default_factory=list)


def _reason(status: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}" if phrase else f"HTTP {status}"


class Fetcher:
    """An httpx.AsyncClient with newsrack's politeness, retry, size and safety rules.

    ``transport`` replaces the guarded one (and with it the private-network
    check): for unit tests with ``httpx.MockTransport`` only. ``clock`` is what
    pacing and the robots.txt cache read and wait on.
    """

    def __init__(
        self,
        config: FetchConfig,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM,
    ) -> None:
        self.config = config
        self.clock = clock  # what fetch times are read from, and what a crawl pass reads too
        self.retry = retry or RetryPolicy()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self.pacer = HostPacer(config.max_connections_per_host, config.max_connections, clock)
        self.robots = RobotsCache(self._load_robots, ttl=config.robots_ttl, clock=clock)
        self._robots_off_warned: set[str] = set()
        self._crawl_delay_capped: set[str] = set()

    async def __aenter__(self) -> Self:
        limits = httpx.Limits(
            max_connections=self.config.max_connections,
            max_keepalive_connections=self.config.max_connections,
        )
        transport = self._transport or GuardedTransport(
            limits, allow_private=self.config.allow_private_networks
        )
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.config.timeout, pool=None),
            follow_redirects=False,
            transport=transport,
            headers={
                "User-Agent": self.config.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": ACCEPT_ENCODING,
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
        xml: bool = False,
    ) -> FetchResult:
        """Fetch ``url`` (conditionally when ``etag``/``last_modified`` are given).

        ``xml`` is for feeds and sitemaps: any content type is taken and the body is
        kept as bytes, undecoded (``text`` None), a ``.gz`` file as it was served.
        """
        started = time.monotonic()
        base = FetchResult(
            url=url, final_url=url, status=FetchStatus.ERROR, fetched_at=self.clock.now()
        )
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        if xml:
            conditional["Accept"] = XML_ACCEPT
        job = _Job(
            url,
            conditional,
            self.config.delay if delay is None else delay,
            self.config.obey_robots if obey_robots is None else obey_robots,
            html=not xml,
        )
        if not job.obey_robots:
            self._warn_robots_off(url)
        try:
            _check_url(url)
            response = await self._with_retries(job)
        except _Failure as failure:
            result = self._failed(base, failure)
        except Exception as exc:  # a bug must not stop a crawl: record it and go on
            if self._client is None:
                raise  # closed under this fetch (its crawl is ending): not a fetch failure
            message = f"{url}: unexpected {type(exc).__name__}: {exc}; please report it"
            # the traceback only at debug level: stderr keeps one line per problem
            log.error(message, extra={"url": url}, exc_info=log.isEnabledFor(logging.DEBUG))
            result = self._failed(base, _Failure(ErrorKind.INTERNAL, message))
        else:
            result = self._finished(base, response, etag, last_modified, xml=xml)
        return replace(
            result,
            elapsed=time.monotonic() - started,
            attempts=job.attempts,
            waited=job.waited,
            hops=tuple(job.hops),
        )

    # --- outcome ---------------------------------------------------------------------------

    def _failed(self, base: FetchResult, failure: _Failure) -> FetchResult:
        response = failure.response
        # info: the callers (crawl, CLI) report failures, with the site
        log.info("fetch failed: %s (%s)", failure.message, failure.kind, extra={"url": base.url})
        return replace(
            base,
            status=_STATUS_OF_KIND.get(failure.kind, FetchStatus.ERROR),
            http_status=failure.http_status or (response.http_status if response else None),
            final_url=response.final_url if response else base.url,
            content_type=response.headers.get("content-type") if response else None,
            error_kind=failure.kind,
            error=failure.message,
        )

    def _finished(
        self,
        base: FetchResult,
        response: _Response,
        etag: str | None,
        last_modified: str | None,
        *,
        xml: bool = False,
    ) -> FetchResult:
        headers = response.headers
        status = response.http_status
        content_type = headers.get("content-type", "")
        result = replace(
            base,
            final_url=response.final_url,
            http_status=status,
            content_type=content_type or None,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            body=response.body,
        )
        if status == 304:
            # a 304 need not repeat the validators: keep the ones that were sent
            return replace(
                result,
                status=FetchStatus.NOT_MODIFIED,
                body=b"",
                etag=result.etag or etag,
                last_modified=result.last_modified or last_modified,
            )
        url = base.url
        reason = challenge_reason(status, headers, response.body)
        if reason:
            return replace(
                result,
                status=FetchStatus.BLOCKED,
                error_kind=ErrorKind.BLOCKED,
                error=f"{url}: blocked: {reason}{response.note}; the site refuses the crawler, "
                "do not retry soon",
            )
        if status >= 300:
            return replace(
                result,
                error_kind=ErrorKind.HTTP_STATUS,
                error=f"{url}: {_reason(status)}{response.note}",
            )
        if not response.body.strip():
            return replace(
                result,
                error_kind=ErrorKind.EMPTY,
                error=f"{url}: {_reason(status)} with an empty body",
            )
        if xml:
            return replace(result, status=FetchStatus.OK)
        if looks_binary(response.body, content_type):
            mime = content_type.split(";")[0].strip() or "no content type"
            return replace(
                result,
                status=FetchStatus.NOT_HTML,
                error_kind=ErrorKind.NOT_HTML,
                error=f"{url}: not HTML: binary content served as {mime}; skipped",
            )
        text, encoding = decode_html(response.body, charset_of(content_type))
        return replace(result, status=FetchStatus.OK, text=text, encoding=encoding)

    # --- retries ---------------------------------------------------------------------------

    async def _with_retries(self, job: _Job) -> _Response:
        policy = self.retry

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            if isinstance(failure, _Failure) and failure.retry_after is not None:
                seconds = failure.retry_after
            else:  # exponential backoff with jitter
                exponential = policy.backoff_initial * 2 ** (state.attempt_number - 1)
                jitter = random.uniform(0, policy.jitter) if policy.jitter else 0.0
                seconds = min(exponential + jitter, policy.backoff_max)
            return seconds

        def count_wait(state: RetryCallState) -> None:
            # tenacity may compute a wait it does not sleep (after the last attempt)
            job.waited += state.next_action.sleep if state.next_action else 0.0

        def retryable(exc: BaseException) -> bool:
            if not isinstance(exc, _Failure) or not exc.retryable:
                return False
            return exc.retry_after is None or exc.retry_after <= self.config.max_retry_after

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.config.max_attempts),
                wait=wait,
                retry=retry_if_exception(retryable),
                before_sleep=count_wait,
                reraise=True,
            ):
                with attempt:
                    job.attempts += 1
                    response = await self._follow(job)
                    self._raise_if_retryable(response)
                    return response
        except _Failure as failure:
            if failure.retry_after and failure.retry_after > self.config.max_retry_after:
                note = (
                    f"; Retry-After {failure.retry_after:.0f}s exceeds max_retry_after = "
                    f"{self.config.max_retry_after:g}s, so not retried"
                )
            elif failure.retryable and job.attempts > 1:
                note = f" after {job.attempts} attempts"
            else:
                note = ""
            if failure.kind is ErrorKind.HTTP_STATUS and failure.response is not None:
                failure.response.note = note
                return failure.response  # the last answer, recorded as it is
            failure.message += note
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_if_retryable(self, response: _Response) -> None:
        status = response.http_status
        if status not in self.retry.retry_statuses:
            return
        if status != 429 and challenge_reason(status, response.headers, response.body):
            return  # a challenge served as 503: asking again only gets the same challenge
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is not None and retry_after <= self.config.max_retry_after:
            self.pacer.push_back(urlsplit(response.final_url).hostname or "", retry_after)
        raise _Failure(
            ErrorKind.HTTP_STATUS,
            f"{response.final_url}: {_reason(status)}",
            status,
            retryable=True,
            retry_after=retry_after,
            response=response,
        )

    # --- one attempt -----------------------------------------------------------------------

    async def _follow(self, job: _Job) -> _Response:
        """One attempt: request the URL and follow its redirects, checking every hop."""
        url = job.url
        seen: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            delay = await self._robots_delay(current, job)
            seen.append(current)
            job.hops.append(current)
            response = await self._request(current, job.headers, delay, html=job.html)
            if response.http_status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location", "").strip()
            if not location:
                raise _Failure(
                    ErrorKind.REDIRECT,
                    f"{url}: {_reason(response.http_status)} without a Location header",
                    response.http_status,
                )
            target = urljoin(current, location).split("#")[0]
            _check_url(target, original=url)
            # a hop that sets a cookie may come back once (cookie checks); twice is a loop
            revisits = seen.count(target)
            if revisits and ("set-cookie" not in response.headers or revisits > 1):
                raise _Failure(
                    ErrorKind.REDIRECT,
                    f"{url}: redirect loop ({' -> '.join([*seen, target])}); "
                    "the site is misconfigured, nothing to fetch",
                    response.http_status,
                )
            current = target
        raise _Failure(
            ErrorKind.REDIRECT, f"{url}: more than {MAX_REDIRECTS} redirects; nothing fetched"
        )

    async def _robots_delay(self, url: str, job: _Job) -> float:
        """The delay to keep before ``url``; raises _Failure when robots.txt forbids it."""
        if not job.obey_robots:
            return job.delay
        rules = await self.robots.rules_for(url, job.delay)
        if not rules.allowed(url, self.config.user_agent):
            where = "" if url == job.url else f"redirect to {url}: "
            why = rules.reason or "disallowed by robots.txt"
            raise _Failure(
                ErrorKind.ROBOTS,
                f"{job.url}: {where}{why}; not fetched (obey_robots = false for the site "
                "overrides it)",
            )
        crawl_delay = rules.crawl_delay(self.config.user_agent)
        if not crawl_delay:
            return job.delay
        cap = self.config.max_crawl_delay
        if crawl_delay > cap:
            self._warn_crawl_delay_capped(url, crawl_delay, cap)
            crawl_delay = cap
        return max(job.delay, crawl_delay)

    async def _request(
        self, url: str, headers: dict[str, str], delay: float, *, html: bool = True
    ) -> _Response:
        """GET ``url`` in the host's paced slot, reading the body under ``max_bytes``."""
        async with self.pacer.slot(urlsplit(url).hostname or "", delay) as slot:
            return await self._get(url, headers, slot, html)

    async def _get(self, url: str, headers: dict[str, str], slot: Slot, html: bool) -> _Response:
        cap = self.config.max_bytes
        deadline = self.config.deadline
        extensions: dict[str, Any] = {}
        if slot.delay > 0:

            async def trace(event: str, info: dict[str, Any]) -> None:
                if event == "http11.receive_response_headers.complete":
                    slot.sent()  # the server has seen the request: space the next from now

            extensions["trace"] = trace
        try:
            async with asyncio.timeout(deadline):
                async with self.client.stream(
                    "GET", url, headers=headers, extensions=extensions
                ) as response:
                    status = response.status_code
                    self._refuse_early(url, response, cap, html)
                    decoder = BoundedDecoder(response.headers.get("content-encoding"))
                    chunks: list[bytes] = []
                    size = 0
                    async for raw in _raw_chunks(response):
                        for piece in decoder.feed(raw):
                            size += len(piece)
                            if size > cap:
                                raise _too_large(url, cap)
                            chunks.append(piece)
                    for piece in decoder.finish():
                        size += len(piece)
                        if size > cap:
                            raise _too_large(url, cap)
                        chunks.append(piece)
                    return _Response(url, status, response.headers, b"".join(chunks))
        except TimeoutError:
            raise _Failure(
                ErrorKind.TIMEOUT,
                f"{url}: timed out: no complete answer within the {deadline:g}s deadline; "
                "raise [fetch] deadline if the site is this slow",
                retryable=True,
            ) from None
        except httpx.TimeoutException as exc:
            what = {
                httpx.ConnectTimeout: "connecting",
                httpx.ReadTimeout: "waiting for data (read timeout)",
                httpx.WriteTimeout: "sending the request",
            }.get(type(exc), type(exc).__name__)
            raise _Failure(
                ErrorKind.TIMEOUT,
                f"{url}: timed out {what} after {self.config.timeout:g}s; "
                "raise [fetch] timeout if the site is this slow",
                retryable=True,
            ) from exc
        except PrivateAddressError as exc:
            raise _Failure(
                ErrorKind.PRIVATE_ADDRESS,
                f"{url}: {exc.host} resolves to non-public address {exc.address}; "
                "set [fetch] allow_private_networks = true to allow it",
            ) from exc
        except httpx.ConnectError as exc:
            raise _Failure(
                ErrorKind.CONNECT,
                f"{url}: cannot connect: {_describe(exc)}; check the host is up",
                retryable=True,
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Failure(
                ErrorKind.PROTOCOL,
                f"{url}: connection broken: {_describe(exc)}",
                retryable=True,
            ) from exc
        except DecodeError as exc:
            raise _Failure(ErrorKind.PROTOCOL, f"{url}: body cannot be decoded: {exc}") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise _Failure(ErrorKind.BAD_URL, f"{url}: cannot be requested: {exc}") from exc
        except httpx.HTTPError as exc:
            raise _Failure(ErrorKind.PROTOCOL, f"{url}: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _refuse_early(url: str, response: httpx.Response, cap: int, html: bool) -> None:
        """Stop before reading a body that will not be kept: declared too large, or not HTML."""
        status = response.status_code
        if not 200 <= status < 300:
            return
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _Failure(
                ErrorKind.TOO_LARGE,
                f"{url}: too large: {declared} bytes declared, over max_bytes = {cap}; "
                "raise [fetch] max_bytes to keep it",
                status,
            )
        content_type = response.headers.get("content-type", "")
        mime = content_type.split(";")[0].strip().lower()
        if html and mime and mime not in HTML_TYPES:
            raise _Failure(
                ErrorKind.NOT_HTML,
                f"{url}: not HTML ({mime}); skipped",
                status,
                response=_Response(url, status, response.headers, b""),
            )

    # --- robots.txt ------------------------------------------------------------------------

    async def _load_robots(self, robots_url: str, delay: float) -> tuple[int | None, bytes]:
        """(status, body) of a robots.txt, following redirects; None status if unreachable."""
        try:
            for _ in range(ROBOTS_MAX_REDIRECTS + 1):
                response = await self._request(robots_url, {}, delay, html=False)
                location = response.headers.get("location")
                if response.http_status not in REDIRECT_STATUSES or not location:
                    return response.http_status, response.body
                robots_url = urljoin(robots_url, location)
                _check_url(robots_url)
            return 404, b""  # too many redirects: RFC 9309 treats it as unavailable
        except _Failure as failure:
            if failure.kind is ErrorKind.PRIVATE_ADDRESS:
                raise
            if failure.kind is ErrorKind.TOO_LARGE:
                return 200, b""  # unreadable: nothing is disallowed
            return None, b""

    def _warn_crawl_delay_capped(self, url: str, asked: float, cap: float) -> None:
        origin = origin_of(url)
        if origin not in self._crawl_delay_capped:
            self._crawl_delay_capped.add(origin)
            log.warning(
                "%s/robots.txt asks for Crawl-delay: %gs; capped at [fetch] max_crawl_delay = "
                "%gs (raise it to be slower)",
                origin,
                asked,
                cap,
                extra={"url": f"{origin}/robots.txt"},
            )

    def _warn_robots_off(self, url: str) -> None:
        host = urlsplit(url).hostname or url
        if host not in self._robots_off_warned:
            self._robots_off_warned.add(host)
            log.warning(
                "%s: robots.txt is not obeyed for this site (obey_robots = false)",
                host,
                extra={"url": url},
            )


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent (still coded); a MockTransport's ready-made content as it is."""
    if response.is_stream_consumed:  # httpx.Response(content=...) in unit tests
        yield response.content
        return
    async for raw in response.aiter_raw():
        yield raw


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _too_large(url: str, cap: int) -> _Failure:
    return _Failure(
        ErrorKind.TOO_LARGE,
        f"{url}: too large: body exceeds max_bytes = {cap} (decompressed); "
        "raise [fetch] max_bytes to keep it",
    )


def _check_url(url: str, original: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        where = f"{original}: redirect to " if original else ""
        raise _Failure(
            ErrorKind.BAD_URL, f"{where}{url}: only http(s) URLs with a host can be fetched"
        )
