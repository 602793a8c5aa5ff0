"""What the archive stores, made storable: UTC text times, content hashes, ticker keys, safe text.

Everything here is the archive's own rule, independent of the parsers: a parser
edit must never move a content hash (spurious revisions) or a ticker key
(duplicate items), so text is normalized here, not with a parser helper.
Times become ``YYYY-MM-DDTHH:MM:SSZ`` text, saturating at year 1 and 9999
instead of raising ``OverflowError``; strings holding lone surrogates (JSON-LD
can carry them) are repaired with U+FFFD before they reach SQLite or a hash, and
integers beyond 64 bits are bound as NULL instead of raising ``OverflowError``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_SPACE_RE = re.compile(r"\s+")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

#: The earliest and latest times storable as UTC text (saturation bounds).
EARLIEST = "0001-01-01T00:00:00Z"
LATEST = "9999-12-31T23:59:59Z"
_TEXT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def repair_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (it cannot be UTF-8 encoded)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", text)
    return text


_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Found:
    """How an article's link was found (``scraper.kinds.Discovery``), with the date (UTC)
    and title the feed, sitemap or listing gave beside it, when it gave them."""

    via: str
    listed_at: datetime | None = None
    title: str | None = None


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
        return None  # SQLite raises OverflowError beyond 64 bits: a count that big is noise
    return value


def repair_params(params: Iterable[Any]) -> tuple[Any, ...]:
    """SQL parameters SQLite can bind: strings repaired (see ``repair_text``), integers
    beyond 64 bits (a page's comment count of 10**30) stored as NULL."""
    return tuple(_storable(p) for p in params)


def normalize_text(text: str | None) -> str:
    """Every run of white space (nbsp included) as one space, zero-width marks dropped."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", repair_text(text))).strip()


def content_hash(title: str | None, lead: str | None, body: str | None) -> str:
    """SHA-256 of the normalized title, lead and body: equal text, equal hash."""
    normalized = "\x1f".join(normalize_text(part) for part in (title, lead, body))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def ticker_item_key(url: str | None, title: str) -> str:
    """The ``item_key`` of a ticker item: its URL, else its normalized title."""
    return repair_text(url) if url else f"title:{normalize_text(title)}"


def utc_text(moment: datetime | None) -> str | None:
    """A datetime as UTC ISO-8601 text (``2025-05-09T10:07:00Z``); naive means UTC.

    A time whose UTC reading falls before year 1 or after 9999 (``0001-01-01T00:00+05:00``)
    saturates to the first or last storable second instead of raising.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        offset = moment.utcoffset() or timedelta(0)
        return EARLIEST if offset > timedelta(0) else LATEST
    # not strftime: glibc writes year 1 as "1", not "0001", which sorts wrongly as text
    return f"{utc.year:04d}{utc.strftime(_TEXT_FORMAT[2:])}"


def in_utc_range(moment: datetime) -> bool:
    """Whether ``moment`` has a UTC reading between year 1 and 9999 (no saturation needed)."""
    if moment.tzinfo is None:
        return True
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


def parse_utc_text(text: str | None) -> datetime | None:
    """Stored UTC text back to an aware datetime; ValueError naming the text when it is not one."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"{text!r} is not a stored time (YYYY-MM-DDTHH:MM:SSZ)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
