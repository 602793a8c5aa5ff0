"""Canonical URL choice, tracking-parameter removal, and ticker times to UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from scraper.ingest import to_utc
from scraper.timeutil import resolve_shown_time
from scraper.urls import canonical_url, is_public_address, normalize_url

CASABLANCA = ZoneInfo("Africa/Casablanca")
PARIS = ZoneInfo("Europe/Paris")


def test_tracking_parameters_and_fragment_are_dropped() -> None:
    url = "HTTPS://Fr.Walaw.Press:443/articles/a/B?utm_source=x&id=3&fbclid=9&gclid=1#top"
    assert normalize_url(url) == "https://fr.walaw.press/articles/a/B?id=3"


def test_declared_canonical_is_trusted_on_the_same_host_only() -> None:
    fetched = "https://www.example.org/a?utm_medium=rss"
    assert canonical_url(fetched, "https://example.org/story-1") == "https://example.org/story-1"
    assert canonical_url(fetched, "/story-1#x") == "https://www.example.org/story-1"
    assert canonical_url(fetched, "https://evil.example.com/x") == "https://www.example.org/a"
    assert canonical_url(fetched, None) == "https://www.example.org/a"


@pytest.mark.parametrize(
    ("shown", "fetched", "tz", "expected"),
    [
        # 23:50 seen at 00:05 local is yesterday's
        ("23:50", datetime(2025, 5, 9, 23, 5, tzinfo=UTC), CASABLANCA, "2025-05-09T22:50:00+00:00"),
        # an earlier time the same day (Casablanca is UTC+1 on 2025-05-09)
        ("11:07", datetime(2025, 5, 9, 11, 0, tzinfo=UTC), CASABLANCA, "2025-05-09T10:07:00+00:00"),
        # the same minute as the fetch is today
        (
            "12:00",
            datetime(2025, 5, 9, 11, 0, 30, tzinfo=UTC),
            CASABLANCA,
            "2025-05-09T11:00:00+00:00",
        ),
        # one minute later than the fetch is the day before
        (
            "12:01",
            datetime(2025, 5, 9, 11, 0, 30, tzinfo=UTC),
            CASABLANCA,
            "2025-05-08T11:01:00+00:00",
        ),
        # across a DST change: the day before was still winter time in Paris
        ("23:30", datetime(2025, 3, 30, 0, 10, tzinfo=UTC), PARIS, "2025-03-29T22:30:00+00:00"),
        ("9h05", datetime(2025, 1, 2, 12, 0, tzinfo=UTC), PARIS, "2025-01-02T08:05:00+00:00"),
    ],
)
def test_shown_time_resolves_to_utc(shown, fetched, tz, expected) -> None:
    assert resolve_shown_time(shown, fetched, tz).isoformat() == expected


def test_unreadable_shown_time_is_none_and_naive_times_are_local() -> None:
    assert resolve_shown_time("hier", datetime.now(UTC), UTC) is None
    assert to_utc(datetime(2025, 5, 9, 11, 7), CASABLANCA) == datetime(
        2025, 5, 9, 10, 7, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("2606:4700::1111", True),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        # IPv6 forms carrying 127.0.0.1: compatible, SIIT, NAT64, 6to4
        ("::127.0.0.1", False),
        ("::ffff:0:127.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),
        ("64:ff9b::a01:203", False),  # NAT64 to 10.1.2.3
        ("2002:c0a8:1::1", False),  # 6to4 of 192.168.0.1
        ("::", False),
        ("64:ff9b::5db8:d822", True),  # NAT64 to 93.184.216.34: a public host
        ("2002:5db8:d822::1", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.org:0/a", "http://example.org:0/a"),  # port 0 is a different URL
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
    ],
)
def test_normalize_url_drops_only_the_default_port(url: str, expected: str) -> None:
    assert normalize_url(url) == expected
