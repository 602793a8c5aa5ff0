"""Helpers for fetch tests: a fast test configuration, one-call fetches, the recorded row."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from scraper.archive import Archive
from scraper.config import FetchConfig
from scraper.fetch import Fetcher, FetchResult, RetryPolicy

T = TypeVar("T")

#: Backoff without jitter, so the time waited is exact: 0.05 s before each retry.
FAST_RETRY = RetryPolicy(backoff_initial=0.05, backoff_max=0.05, jitter=0.0)


def fetch_config(**overrides: Any) -> FetchConfig:
    values: dict[str, Any] = {
        "allow_private_networks": True,
        "delay": 0.0,
        "timeout": 0.3,
        "deadline": 3.0,
        "max_attempts": 3,
        "max_bytes": 1_000_000,
        "max_retry_after": 5.0,
    }
    values.update(overrides)
    return FetchConfig(**values)


def with_fetcher(
    use: Callable[[Fetcher], Awaitable[T]], *, retry: RetryPolicy = FAST_RETRY, **overrides: Any
) -> T:
    async def run() -> T:
        async with Fetcher(fetch_config(**overrides), retry=retry) as fetcher:
            return await use(fetcher)

    return asyncio.run(run())


def fetch(url: str, *, retry: RetryPolicy = FAST_RETRY, **overrides: Any) -> FetchResult:
    """Fetch one URL with the test configuration (``overrides`` are FetchConfig fields)."""
    return with_fetcher(lambda fetcher: fetcher.fetch(url), retry=retry, **overrides)


def recorded(db: Path, result: FetchResult) -> dict[str, Any]:
    """Record ``result`` in a real archive and read its ``pages`` row back."""
    with Archive(db) as archive:
        page_id = archive.record_page(result, site="faults", run_id=None, kind="article")
        row = archive.page(page_id)
    assert row is not None
    keys = ("url", "final_url", "status", "http_status", "error_kind", "error", "attempts")
    return {key: row[key] for key in (*keys, "bytes", "elapsed_ms")}
