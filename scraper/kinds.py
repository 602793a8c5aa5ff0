"""The closed sets of words newsrack stores and compares: run states, fetch outcomes, kinds.

Each is a ``StrEnum``: a member is its string (``RunStatus.OK == "ok"``), so it
is stored in SQLite, written to JSON and compared with rows read back exactly as
the bare word was, while code names the value instead of retyping it.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """``runs.status``: a pass in progress, or how it ended."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class FetchStatus(StrEnum):
    """``FetchResult.status`` and ``pages.status``: what one fetch came to."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ROBOTS = "robots"
    BLOCKED = "blocked"
    NOT_HTML = "not_html"
    ERROR = "error"


class ErrorKind(StrEnum):
    """``pages.error_kind``: why a page was not read (fetch kinds, then ``parse``)."""

    TIMEOUT = "timeout"
    CONNECT = "connect"
    TOO_LARGE = "too_large"
    ROBOTS = "robots"
    BLOCKED = "blocked"
    HTTP_STATUS = "http_status"
    NOT_HTML = "not_html"
    EMPTY = "empty"
    REDIRECT = "redirect"
    PRIVATE_ADDRESS = "private_address"
    BAD_URL = "bad_url"
    PROTOCOL = "protocol"
    INTERNAL = "internal"
    PARSE = "parse"


class PageKind(StrEnum):
    """``pages.kind``: what a fetched page was read as."""

    LISTING = "listing"
    ARTICLE = "article"
    FEED = "feed"
    SITEMAP = "sitemap"


class Discovery(StrEnum):
    """``articles.discovered_via``: where the link to an article was first found."""

    START = "start"
    TICKER = "ticker"
    LISTING = "listing"
    FEED = "feed"
    SITEMAP = "sitemap"
