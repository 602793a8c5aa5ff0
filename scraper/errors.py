"""The exceptions newsrack raises; every one is a ``NewsrackError`` with a one-line message.

The tree (third-party errors are mapped at one boundary each, with ``raise ... from``)::

    NewsrackError                  base: str(error) is one line naming the thing and the fix
    ├── ConfigError                config.toml unreadable or invalid (file, key, expected)  exit 2
    ├── ArchiveError               the SQLite file cannot be opened, read or written        exit 1
    │   ├── ArchiveVersionError    the archive is newer than this code                      exit 2
    │   └── QueryError             a search query (FTS5 syntax) or filter cannot be read     exit 2
    ├── LockError                  another newsrack process holds the archive's lock         exit 3
    ├── WarcError                  a file given to ``import`` is not readable WARC           exit 2
    └── FetchError                 one URL could not be fetched; ``kind`` says why, one of
                                   ``scraper.kinds.ErrorKind``: timeout, connect, too_large,
                                   robots, blocked, http_status, not_html, empty, redirect,
                                   private_address, bad_url, protocol, internal

``parsers.ParseError`` (a page could not be read) lives with the parsers, which
never import ``scraper``; the crawl records it per page and carries on.
"""

from __future__ import annotations


class NewsrackError(Exception):
    """Base of every newsrack error; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(NewsrackError):
    """The configuration is invalid: the message names the file, the key and what is expected."""

    exit_code = 2


class ArchiveError(NewsrackError):
    """The archive file cannot be opened, read or written (full disk, read-only, corrupt)."""


class ArchiveVersionError(ArchiveError):
    """The archive was written by a newer newsrack; it is left untouched."""

    exit_code = 2


class QueryError(ArchiveError):
    """A search query or filter the archive cannot read; the message says how to write it."""

    exit_code = 2


class LockError(NewsrackError):
    """Another newsrack process is writing to the same archive."""

    exit_code = 3


class WarcError(NewsrackError):
    """A file given to ``newsrack import`` cannot be read as WARC: the message names it."""

    exit_code = 2


class FetchError(NewsrackError):
    """A URL could not be fetched. ``kind`` is a short machine-readable reason."""

    def __init__(self, url: str, kind: str, message: str, status: int | None = None) -> None:
        self.url = url
        self.kind = kind
        self.status = status
        super().__init__(f"{url}: {message}")
