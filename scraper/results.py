"""What a fetch gives back, and the pure rules it is judged by: results, retry policy, sniffing.

``FetchResult`` is one fetch outcome, success or failure, as the crawl records
it (one ``pages`` row). ``RetryPolicy`` is the retry policy as data. The
helpers read a ``Retry-After`` header, a charset from ``Content-Type`` and tell
binary bodies from markup; none of them does I/O.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scraper.kinds import FetchStatus


@dataclass(frozen=True)
class RetryPolicy:
    """Which answers are retried and how long to wait between attempts: policy as data."""

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
    #: Seconds spent waiting between attempts (backoff or Retry-After).
    waited: float = 0.0
    #: Every URL requested on the way, the final one last.
    hops: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == FetchStatus.OK

    def html_bytes(self) -> bytes:
        """The page as UTF-8 bytes, the form parsers read fastest (no copy if it already was)."""
        if self.encoding in ("utf-8", "ascii") and not self.body.startswith(b"\xef\xbb\xbf"):
            return self.body
        return (self.text or "").encode("utf-8", "surrogatepass")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None."""
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


def charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


#: C0 control bytes other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
#: The share of control bytes in a body's head above which it is binary, whatever it claims.
BINARY_SHARE = 0.1
#: How much of a body is sniffed.
SNIFF_BYTES = 2048
#: Opening bytes of the binary formats a server most often passes off as a page.
_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml")


def looks_binary(body: bytes, content_type: str | None = None) -> bool:
    """Whether a body is binary data rather than markup, by its content type and its bytes.

    A body that opens with a binary format's signature (PDF, PNG, GIF, JPEG, zip,
    gzip) is binary whatever it is served as; otherwise it is binary when more
    than ``BINARY_SHARE`` of its first ``SNIFF_BYTES`` are control bytes (NUL
    included): one stray NUL in a page does not make it binary. A body declared
    UTF-16 or UTF-32 (half NULs when it is mostly ASCII) is judged by its
    content type alone.
    """
    head = body[:SNIFF_BYTES]
    if not head:
        return False
    mime = (content_type or "").split(";")[0].strip().lower()
    declared_text = mime.startswith(_TEXT_TYPES)
    if head.startswith(_MAGIC):
        return True
    charset = (charset_of(content_type or "") or "").lower().replace("_", "-")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or charset.startswith(("utf-16", "utf-32")):
        return not declared_text and bool(mime)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > BINARY_SHARE
