"""Write the archive's raw pages as a WARC/1.1 file (ISO 28500) that warcio, pywb and fastwarc read.

One ``warcinfo`` record naming newsrack and its version opens the file; then
every stored fetch with a raw body (a ``pages`` row with ``body_hash``), oldest
first, becomes one ``response`` record: ``WARC-Target-URI`` the URL the body
was served from, ``WARC-Date`` the fetch time, the body byte for byte as it was
served (decompressed: httpx undoes ``Content-Encoding``), and the payload and
block digests warcio computes (``sha1:`` base32, what WARC tools expect).
newsrack does not keep a response's full headers: the HTTP head written is the
status line (code and standard reason) and the headers that are stored
(``Content-Type``, ``ETag``, ``Last-Modified``) with ``Content-Length``. Rows
are read one at a time, each body decompressed, written and dropped: memory
stays that of one page whatever the archive's size. A raw body the archive
cannot read is reported through ``on_damaged`` and skipped.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.archive import Archive, TimeWindow
from scraper.errors import ArchiveError


@dataclass(frozen=True)
class WarcExport:
    """What ``write_warc`` wrote: response records and the rows it had to skip."""

    records: int
    damaged: int


def _status_line(code: int | None) -> str:
    code = code or 200
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Unknown"


def _http_head(row: dict[str, object], length: int) -> StatusAndHeaders:
    headers = [
        (name, str(row[column]))
        for name, column in (
            ("Content-Type", "content_type"),
            ("ETag", "etag"),
            ("Last-Modified", "last_modified"),
        )
        if row.get(column)
    ]
    headers.append(("Content-Length", str(length)))
    status = row.get("http_status")
    return StatusAndHeaders(
        _status_line(status if isinstance(status, int) else None), headers, protocol="HTTP/1.1"
    )


def write_warc(
    archive: Archive,
    out: BinaryIO,
    *,
    filename: str,
    site: str | None = None,
    window: TimeWindow | None = None,
    gzip: bool = True,
    on_damaged: Callable[[str], None] | None = None,
) -> WarcExport:
    """Write the raw pages (of ``site``, fetched within ``window``) to ``out`` as WARC/1.1.

    ``gzip`` compresses each record as its own gzip member (``.warc.gz``), so a
    reader can seek to any record.
    """
    writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
    info = {
        "software": f"newsrack {__version__}",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "raw pages of a newsrack archive; of the HTTP headers, those it keeps",
    }
    writer.write_record(writer.create_warcinfo_record(filename, info))
    records = damaged = 0
    for row in archive.export_stream("pages", site=site, window=window or TimeWindow()):
        body_hash, fetched_at = row.get("body_hash"), row.get("fetched_at")
        if not body_hash or not fetched_at:
            continue
        try:
            body = archive.body(str(body_hash))
        except ArchiveError as exc:
            body, message = None, str(exc)
        else:
            message = f"raw body {str(body_hash)[:12]} is missing"
        if body is None:
            damaged += 1
            if on_damaged is not None:
                on_damaged(f"page id {row.get('id')} ({row.get('url')}): {message}")
            continue
        uri = str(row.get("final_url") or row.get("url"))
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=_http_head(row, len(body)),
            warc_headers_dict={"WARC-Date": str(fetched_at)},
        )
        writer.write_record(record)
        records += 1
    return WarcExport(records, damaged)
