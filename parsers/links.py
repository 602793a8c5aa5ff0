"""Links resolved cheaply: absolute and root-relative hrefs without ``urljoin``, the rest with it.

A news page carries 200-500 links (menus, footers, teasers) and
``urllib.parse.urljoin`` costs about 40 us each, which made link handling most
of a crawl's CPU. ``join_url`` takes a fast path for the common shapes (an
absolute ``http(s)://`` href with a plain host, a root-relative ``/path``
without dot segments, a protocol-relative ``//host/path``) and gives the same
answer ``urljoin`` would; anything else goes through ``urljoin``. Callers
should also test an href for what they want (an article path) before
resolving it at all. A link ``urllib`` cannot read (``//[x``, a port out of
range) is None, never an error.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

#: ``scheme://authority`` of an http(s) URL whose authority is a plain host name (no port,
#: user or IPv6 brackets), so that nothing in it needs checking.
_PLAIN_ORIGIN_RE = re.compile(r"(https?)://([A-Za-z0-9.-]+)(?=[/?#]|$)")
#: An href that names its whole path in its own text: absolute (``http(s)://host/...``,
#: ``//host/...``) or root-relative (``/path``); ``//`` without a host is not one.
_ROOTED_RE = re.compile(r"(?:[hH][tT][tT][pP][sS]?:)?//[^/?#\\]|/(?![/\\])")
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "data:", "tel:", "#")


def is_rooted(href: str) -> bool:
    """Whether ``href`` holds its whole path: then a path pattern that does not match its
    text (query and fragment cut) cannot match where it leads, and it need not be resolved."""
    return _ROOTED_RE.match(href.strip()) is not None and not _needs_urllib(href.strip())


def href_path_text(href: str) -> str:
    """``href`` without query and fragment (for a rooted href, its path is a suffix of this)."""
    href = href.strip()
    cut = len(href)
    for mark in "?#":
        at = href.find(mark)
        if 0 <= at < cut:
            cut = at
    return href[:cut]


def origin(url: str) -> str | None:
    """``"https://host"`` of ``url`` when it is http(s) with a plain host; None otherwise."""
    match = _PLAIN_ORIGIN_RE.match(url)
    return match.group(0) if match else None


def split_plain(url: str) -> tuple[str, str] | None:
    """(lower-cased host, path) of an http(s) URL with a plain host; None for any other URL
    (callers then use ``urllib.parse.urlsplit``)."""
    match = _PLAIN_ORIGIN_RE.match(url)
    if match is None or "\t" in url or "\n" in url or "\r" in url:
        return None
    rest = url[match.end() :]
    cut = len(rest)
    for mark in "?#":
        at = rest.find(mark)
        if 0 <= at < cut:
            cut = at
    return match.group(2).lower().rstrip("."), rest[:cut]


def join_url(base: str, href: str | None, base_origin: str | None = None) -> str | None:
    """``href`` resolved against ``base`` as ``urljoin`` would; None when it cannot be read.

    ``base_origin`` (``origin(base)``) may be passed by callers resolving many hrefs
    of one page. ``urljoin`` raises ``ValueError`` on hrefs such as ``//[x`` or
    ``//host:99999`` that broken pages do contain; this returns None for them.
    """
    if href is None:
        return None
    href = href.strip()
    if _needs_urllib(href):
        return _slow_join(base, href)
    if href.startswith(("http://", "https://")):
        if _PLAIN_ORIGIN_RE.match(href):
            return href
    elif href.startswith("//"):
        if _PLAIN_ORIGIN_RE.match("http:" + href):
            scheme = base.split(":", 1)[0].lower() if ":" in base else ""
            if scheme in ("http", "https"):
                return f"{scheme}:{href}"
    elif href.startswith("/") and "/." not in href:
        base_origin = base_origin if base_origin is not None else origin(base)
        if base_origin is not None:
            return base_origin + href
    return _slow_join(base, href)


def _needs_urllib(href: str) -> bool:
    """Whether ``urljoin`` would rewrite ``href`` itself: it drops tabs and line breaks, and
    an empty query or fragment (``/a?``, ``/a#``, ``/a?#b``)."""
    return "\t" in href or "\n" in href or "\r" in href or href.endswith(("?", "#")) or "?#" in href


def _slow_join(base: str, href: str) -> str | None:
    try:
        joined = urljoin(base, href)
        urlsplit(joined).port  # noqa: B018  (raises ValueError on a port out of range)
    except ValueError:
        return None
    return joined


def absolute_url(base: str, href: str | None, base_origin: str | None = None) -> str | None:
    """``href`` made absolute against ``base``; None for empty, script, mail or non-http links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(_SKIPPED_SCHEMES):
        return None
    url = join_url(base, href, base_origin)
    if url is None:
        return None
    scheme = url[:8].lower()
    return url if scheme.startswith(("http://", "https://")) else None


def without_fragment(url: str) -> str:
    """``url`` without its ``#fragment``."""
    cut = url.find("#")
    return url if cut < 0 else url[:cut]
