"""Import pages from WARC files (CC-NEWS, wget, Heritrix, our export) through the ingest path.

Records are read with FastWARC (``bench/warc_import.py``: several times
warcio's speed), HTTP content and transfer encodings undone. Only ``response``
records of an HTTP 200 with an HTML body are archived; every other record is
counted under its reason (``revisit record``, ``HTTP 404``, ``not HTML``,
``truncated``...). A page belongs to ``--site``, else to the configured site a
crawl would file it under (``ingest.site_for_url``), else to its host, read by
``parsers.for_url``; ``--parser`` overrides the parser. The body is decoded as
a fetch decodes it (``scraper.charset``), and the page goes through
``scraper.ingest`` as a crawled one does, with ``fetched_at`` = the record's
``WARC-Date``: raw page, article and revision, deduplicated by canonical URL;
a parser's failure is that page's, recorded. A configured site's start page is
read as a listing (its ticker items stored, seen at its fetch time), and an
article that gives no publication time takes its ticker item's, as in a crawl.
A page already in the archive (same URL, fetch time and body) is skipped, so
importing a file twice adds nothing. Where each file got to is kept in the
archive's ``progress`` table under a key made of the file's size and the
SHA-256 of its first MiB, so a killed import resumes at the record it was at
(renamed or not); a file gzipped whole rather than record by record cannot be
entered midway and is read again from its start, its stored pages skipped.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from parsers.base import Listing
from scraper.archive import Archive, Found
from scraper.charset import decode_html
from scraper.errors import WarcError
from scraper.ingest import (
    PageJob,
    ParseFailure,
    SiteTarget,
    one_line,
    page_html,
    ready_listing,
    record_failure,
    run_parser,
    store_article,
    store_ticker_item,
    target_for,
)
from scraper.kinds import ErrorKind, FetchStatus, PageKind
from scraper.results import FetchResult, charset_of, looks_binary
from scraper.urls import normalize_url

if TYPE_CHECKING:
    from scraper.config import SiteConfig

#: The first bytes of a file that, with its size, identify it for resuming.
FINGERPRINT_BYTES = 1 << 20
#: The longest WARC or HTTP head read (FastWARC's default is 32 KiB; some servers send more).
MAX_HEADER = 1 << 20
#: The position in a file is saved every SAVE_EVERY seconds or SAVE_EVERY_RECORDS records.
SAVE_EVERY = 1.0
SAVE_EVERY_RECORDS = 50
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ENCODED = ("content-encoding", "transfer-encoding")
_GZIP_MEMBER = b"\x1f\x8b\x08"


@dataclass(frozen=True)
class WarcPage:
    """An HTML 200 response read from a WARC record."""

    offset: int
    url: str
    fetched_at: datetime
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None


@dataclass
class ImportCounts:
    """What an import did: records read, pages archived, articles new or revised, failures
    (parser or storage, recorded with the page), and records skipped by reason."""

    records: int = 0
    archived: int = 0
    new_articles: int = 0
    revised: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {why}" for why, n in self.skipped.most_common())
        return (
            f"{self.records} records: {self.archived} pages archived, {self.new_articles} new "
            f"articles, {self.revised} revised, {self.failed} failed, {skipped} skipped"
            + (f" ({reasons})" if reasons else "")
        )


# --- reading ---------------------------------------------------------------------------------


def fingerprint(path: Path) -> str:
    """The progress key of a WARC file: its size and the SHA-256 of its first MiB."""
    with path.open("rb") as stream:
        head = stream.read(FINGERPRINT_BYTES)
    return f"warc-import:{path.stat().st_size}:{hashlib.sha256(head).hexdigest()}"


def read_records(
    path: Path, start: int = 0, max_bytes: int = 10_000_000
) -> Iterator[tuple[int, WarcPage | str]]:
    """(offset, page or the reason it is skipped) for each record from byte ``start`` on.

    WarcError naming the file (and the byte where reading stopped) when it is
    not WARC, its gzip is damaged or a record cannot be parsed.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    offset: int | None = None
    try:
        with path.open("rb") as stream:
            stream.seek(start)
            records = ArchiveIterator(stream, auto_decode="all", max_header_len=MAX_HEADER)
            for record in records:
                offset = record.stream_pos  # absolute: counted from the file's start
                if record.record_type != WarcRecordType.response:
                    yield offset, f"{record.record_type} record"
                    continue
                yield offset, _page(record, offset, max_bytes)
    except (OSError, ValueError) as exc:
        if offset is None and start == 0:
            where = "not a readable WARC file"
        else:
            where = f"unreadable after the record at byte {offset if offset is not None else start}"
        raise WarcError(
            f"{path}: {where} ({one_line(str(exc))}); pass .warc or .warc.gz files"
        ) from exc


def _page(record: Any, offset: int, max_bytes: int) -> WarcPage | str:
    """The record as a page, or why it is skipped."""
    headers = record.http_headers
    if not record.is_http or headers is None:
        return "not HTTP"
    if headers.status_code is None:
        return "no HTTP status line"
    if headers.status_code != 200:
        return f"HTTP {headers.status_code}"
    content_type = headers.get("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime not in _HTML_TYPES:
        return "not HTML"
    if record.headers.get("WARC-Truncated"):
        return "truncated"
    body = record.reader.read(max_bytes + 1)
    if len(body) > max_bytes:
        return "too large"
    encoded = any(headers.get(name) for name in _ENCODED)
    if not encoded and len(body) < record.content_length:
        return "truncated"
    if not body.strip():
        return "empty body"
    if looks_binary(body, content_type):
        return "not HTML"
    url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")
    try:
        if urlsplit(url).scheme not in ("http", "https"):
            return "no http(s) target URI"
        normalize_url(url)
    except ValueError:
        return "bad target URI"
    moment = record.record_date
    if moment is None:
        return "no WARC-Date"
    fetched_at = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return WarcPage(
        offset, url, fetched_at, body, content_type, headers.get("ETag"),
        headers.get("Last-Modified"),
    )  # fmt: skip


# --- importing -------------------------------------------------------------------------------


class WarcImporter:
    """Imports WARC files into one archive; ``import_file`` per file.

    ``site`` files every page under that configured site; ``parser`` overrides
    the parser; otherwise each page's site is found by URL among ``sites``.
    """

    def __init__(
        self,
        archive: Archive,
        sites: Iterable[SiteConfig],
        *,
        site: SiteConfig | None = None,
        parser: str | None = None,
        max_bytes: int = 10_000_000,
    ) -> None:
        self.archive = archive
        self.sites = list(sites)
        self.site = site
        self.parser = parser
        self.max_bytes = max_bytes
        self.counts = ImportCounts()

    def target(self, url: str) -> tuple[SiteTarget, SiteConfig | None]:
        """Where a page goes, as ``fetch`` files a one-off page (``ingest.target_for``)."""
        return target_for(self.sites, url, site=self.site, parser=self.parser)

    def import_file(self, path: Path, on_record: Callable[[int], None] | None = None) -> bool:
        """Import one file, from where a previous run stopped; False when it was already done.

        ``on_record(offset)`` is called after each record (for a progress bar).
        """
        key = fingerprint(path)
        saved = _position(self.archive.get_progress(key))
        if saved.get("done"):
            return False
        start = _resumable(path, saved.get("offset"))
        last_save, unsaved = time.monotonic(), 0
        for offset, item in read_records(path, start, self.max_bytes):
            if unsaved >= SAVE_EVERY_RECORDS or time.monotonic() - last_save >= SAVE_EVERY:
                self._save(key, path, offset, done=False)
                last_save, unsaved = time.monotonic(), 0
            unsaved += 1
            self.counts.records += 1
            if isinstance(item, str):
                self.counts.skipped[item] += 1
            else:
                self.ingest(item)
            if on_record is not None:
                on_record(offset)
        self._save(key, path, 0, done=True)
        return True

    def _save(self, key: str, path: Path, offset: int, *, done: bool) -> None:
        value = json.dumps({"file": str(path), "offset": offset, "done": done})
        self.archive.set_progress(key, value, datetime.now(UTC))

    def ingest(self, page: WarcPage) -> None:
        """Archive one page read from a WARC record, unless it is already stored."""
        digest = hashlib.sha256(page.body).hexdigest()
        if self.archive.has_page(page.url, page.fetched_at, digest):
            self.counts.skipped["already archived"] += 1
            return
        target, site = self.target(page.url)
        text_encoding = decode_html(page.body, charset_of(page.content_type or ""))[1]
        result = FetchResult(
            url=page.url,
            final_url=page.url,
            status=FetchStatus.OK,
            fetched_at=page.fetched_at,
            http_status=200,
            body=page.body,
            encoding=text_encoding,
            content_type=page.content_type,
            etag=page.etag,
            last_modified=page.last_modified,
        )
        kind = PageKind.LISTING if _is_start_page(site, page.url) else PageKind.ARTICLE
        job = PageJob(
            target.parser, kind, page_html(page.body, text_encoding), page.url, page.fetched_at
        )
        parsed = run_parser(job)
        self.counts.archived += 1
        if kind == PageKind.LISTING:
            self._listing(target, result, parsed)
            return
        found = self._ticker_found(target.name, page.url)
        stored = store_article(
            self.archive, target, result, parsed, url=page.url,
            published_at=found.listed_at if found else None, found=found,
        )  # fmt: skip
        if stored.failure is not None:
            self._failed(stored.failure)
        elif stored.saved is not None and stored.saved.created:
            self.counts.new_articles += 1
        elif stored.saved is not None and stored.saved.revised:
            self.counts.revised += 1

    def _ticker_found(self, site: str, url: str) -> Found | None:
        """How a ticker imported before listed the article (its time stands in for a page
        that gives none, and it is how the link was found, as in a crawl)."""
        try:
            return self.archive.ticker_found(site, normalize_url(url))
        except ValueError:
            return None

    def _listing(self, target: SiteTarget, result: FetchResult, parsed: Any) -> None:
        """A start page: record it and keep its ticker items, seen at the fetch time."""
        if not isinstance(parsed, Listing):
            failure = (
                parsed
                if isinstance(parsed, ParseFailure)
                else ParseFailure(
                    ErrorKind.PARSE,
                    result.final_url,
                    f"{result.final_url}: the parser gave no listing",
                )
            )
            record_failure(self.archive, target, result, failure, None, kind=PageKind.LISTING)
            self._failed(failure)
            return
        self.archive.record_page(result, site=target.name, run_id=None, kind=PageKind.LISTING)
        listing = ready_listing(parsed, target.tz)
        for item in listing.ticker:
            try:
                url = normalize_url(item.url) if item.url else None
            except ValueError:
                url = None
            store_ticker_item(self.archive, target, item, url=url, seen_at=result.fetched_at)

    def _failed(self, failure: ParseFailure) -> None:
        self.counts.failed += 1
        if len(self.counts.failures) < 20:
            self.counts.failures.append(failure.message)


def _resumable(path: Path, offset: Any) -> int:
    """Where to resume reading: the saved offset when a record (a gzip member, or ``WARC/``)
    starts there, else 0. A file gzipped whole (not record by record) cannot be entered
    midway: it is read again from the start, its pages already stored being skipped."""
    if not isinstance(offset, int) or offset <= 0:
        return 0
    with path.open("rb") as stream:
        stream.seek(offset)
        head = stream.read(5)
    return offset if head.startswith((_GZIP_MEMBER, b"WARC/")) else 0


def _is_start_page(site: SiteConfig | None, url: str) -> bool:
    if site is None:
        return False
    try:
        page = normalize_url(url)
        return any(normalize_url(start) == page for start in site.start_urls)
    except ValueError:
        return False


def _position(value: str | None) -> dict[str, Any]:
    """A saved position; a damaged one counts as none (the file is read again, adding nothing)."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
