"""WARC files for tests and benchmarks, written with warcio, and the archive rows to compare.

``news_page`` builds an article page shaped like a news site's (menus, teasers,
a footer: a few hundred links, a script, a style, JSON-LD); ``write_warc``
writes records of any type, status and content type; ``raw_pages`` and
``article_rows`` read an archive's rows the way round-trip tests compare them.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass(frozen=True)
class Rec:
    """One record to write: type, URI, date, HTTP status, headers and payload."""

    uri: str
    body: bytes = b""
    kind: str = "response"
    date: str = "2025-05-09T10:00:00Z"
    status: str = "200 OK"
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")]
    )


def news_page(n: int, *, host: str = "https://news.example", links: int = 300) -> bytes:
    """An article page of a news site: headline, date, paragraphs, ``links`` links around them."""
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    teasers = "".join(
        f'<li><a href="/2025/05/09/story-{(n + i) % 5000}.html">Teaser {i} of page {n}</a></li>'
        for i in range(max(0, links - 60))
    )
    footer = "".join(f'<a href="/about/{i}">About {i}</a>' for i in range(20))
    paragraphs = "".join(
        f"<p>Paragraph {p} of story {n}: the council met on Thursday and voted on the "
        f"budget, which the opposition called a mistake for the {p}th time.</p>"
        for p in range(12)
    )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": f"Story number {n}",
            "datePublished": f"2025-05-0{1 + n % 9}T08:{n % 60:02d}:00+02:00",
            "author": {"@type": "Person", "name": "Jane Doe"},
        }
    )
    html = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>Story number {n} - News Example</title>"
        f'<link rel="canonical" href="{host}/2025/05/09/story-{n}.html">'
        f'<script type="application/ld+json">{ld}</script>'
        "<style>body{font:16px serif}.menu li{display:inline}</style>"
        "<script>window.dataLayer=[];function t(){return 1}</script></head><body>"
        f'<nav class="menu"><ul>{menu}</ul></nav><main><article>'
        f'<h1>Story number {n}</h1><time datetime="2025-05-09T08:00:00+02:00">9 May</time>'
        f"{paragraphs}</article><aside><ul>{teasers}</ul></aside></main>"
        f"<footer>{footer}</footer></body></html>"
    )
    return html.encode("utf-8")


def write_warc(path: Path, records: Iterable[Rec], *, gzip: bool = True) -> None:
    """Write ``records`` (after a warcinfo record) to ``path`` with warcio."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for rec in records:
            if rec.kind == "revisit":
                record = writer.create_revisit_record(
                    rec.uri, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", rec.uri, rec.date,
                    warc_headers_dict={"WARC-Date": rec.date},
                )  # fmt: skip
            elif rec.kind in ("response", "request"):
                head = StatusAndHeaders(
                    rec.status if rec.kind == "response" else f"GET {rec.uri} HTTP/1.1",
                    rec.headers,
                    protocol="HTTP/1.1",
                    is_http_request=rec.kind == "request",
                )
                record = writer.create_warc_record(
                    rec.uri, rec.kind, payload=io.BytesIO(rec.body), length=len(rec.body),
                    http_headers=head, warc_headers_dict={"WARC-Date": rec.date},
                )  # fmt: skip
            else:
                record = writer.create_warc_record(
                    rec.uri, rec.kind, payload=io.BytesIO(rec.body), length=len(rec.body),
                    warc_content_type="text/plain", warc_headers_dict={"WARC-Date": rec.date},
                )  # fmt: skip
            writer.write_record(record)


_PAGE_COLUMNS = "url, final_url, http_status, fetched_at, content_type, etag, last_modified, "
_PAGE_COLUMNS += "encoding, kind, site, error_kind"


def raw_pages(db: Path | str) -> list[dict[str, Any]]:
    """Every good fetch with a body, as compared across archives (body decompressed), by
    fetch time and URL."""
    zstd = zstandard.ZstdDecompressor()
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            f"SELECT {_PAGE_COLUMNS}, b.data FROM pages p JOIN bodies b ON b.hash = p.body_hash "
            "WHERE p.status = 'ok' ORDER BY p.fetched_at, p.final_url, p.id"
        ).fetchall()
    pages = []
    for row in rows:
        page = dict(row)
        page["body"] = zstd.decompress(page.pop("data"))
        pages.append(page)
    return pages


def article_rows(db: Path | str) -> list[dict[str, Any]]:
    """Every article (all columns but the row id) and its revisions, by canonical URL."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        articles = [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY canonical_url")]
        for article in articles:
            revisions = conn.execute(
                "SELECT fetched_at, content_hash, parser, parser_version, title, lead, body "
                "FROM article_revisions WHERE article_id = ? ORDER BY id",
                (article.pop("id"),),
            )
            article["revision_rows"] = [tuple(r) for r in revisions]
    return articles


def raw_record(headers: list[tuple[str, str]], block: bytes, version: str = "1.1") -> bytes:
    """One WARC record written by hand, as a broken or odd crawler might (no checks)."""
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    start = f"WARC/{version}\r\n{head}Content-Length: {len(block)}\r\n\r\n"
    return start.encode() + block + b"\r\n\r\n"


def raw_response(uri: str, date: str | None, block: bytes, version: str = "1.1") -> bytes:
    """A ``response`` record of ``uri`` dated ``date`` (None: no WARC-Date) around ``block``."""
    headers = [("WARC-Type", "response"), ("WARC-Target-URI", uri)]
    headers += [("WARC-Date", date)] if date is not None else []
    headers.append(("Content-Type", "application/http; msgtype=response"))
    return raw_record(headers, block, version)
