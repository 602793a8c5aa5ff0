"""An article's revisions and word-level diffs between them, and re-parsing stored raw pages.

``history`` finds an article by any URL known to lead to it (or its canonical
URL) and returns its revisions oldest first; ``word_diff`` marks what changed
between two texts, git-style: ``[-removed-]{+added+}``, with a few words of
context around each change. ``reparse`` runs today's parser over each
article's latest stored raw page and writes a new revision only where the
normalized content changed: how a parser fix reaches the past.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import parsers
from parsers.base import Article
from scraper import ingest
from scraper.archive import Archive, archive_error
from scraper.errors import ArchiveError
from scraper.kinds import PageKind
from scraper.search import time_filters
from scraper.urls import normalize_url

CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Revision:
    """One stored content of an article."""

    number: int
    fetched_at: str
    reparsed_at: str | None
    content_hash: str
    parser: str | None
    parser_version: str | None
    title: str
    lead: str
    body: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def find_article(archive: Archive, url: str) -> tuple[int, str, str | None]:
    """(id, canonical_url, title) of the article at ``url``; ArchiveError naming it if none."""
    candidates = dict.fromkeys([url, normalize_url(url)])
    for candidate in candidates:
        row = archive.conn.execute(
            "SELECT a.id, a.canonical_url, a.title FROM articles a WHERE a.canonical_url = ? "
            "UNION ALL SELECT a.id, a.canonical_url, a.title FROM article_urls u "
            "JOIN articles a ON a.id = u.article_id WHERE u.url = ? LIMIT 1",
            (candidate, candidate),
        ).fetchone()
        if row:
            return int(row[0]), row[1], row[2]
    raise ArchiveError(f"{url}: no such article in {archive.path}; try `newsrack search`")


def history(archive: Archive, article_id: int) -> list[Revision]:
    rows = archive.conn.execute(
        "SELECT fetched_at, reparsed_at, content_hash, parser, parser_version, title, lead, body "
        "FROM article_revisions WHERE article_id = ? ORDER BY id",
        (article_id,),
    ).fetchall()
    return [
        Revision(i, r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6] or "", r[7] or "")
        for i, r in enumerate(rows, 1)
    ]


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """``old`` -> ``new`` word by word: ``[-gone-]{+added+}``; '' when the words are equal."""
    a, b = old.split(), new.split()
    if a == b:
        return ""
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context + (0 if first or last else 1):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            parts.append(" ".join(words))
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(a[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(b[j1:j2])}+}}")
    return " ".join(p for p in parts if p)


def revision_diffs(previous: Revision, current: Revision) -> dict[str, str]:
    """Field -> word diff, for the fields (title, lead, body) whose words changed."""
    diffs = {}
    for name in ("title", "lead", "body"):
        diff = word_diff(getattr(previous, name), getattr(current, name))
        if diff:
            diffs[name] = diff
    return diffs


# --- re-parsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReparseOutcome:
    """What re-parsing one article did: ``revised``, ``unchanged`` or ``failed`` (+ why)."""

    article_id: int
    url: str
    status: str
    message: str = ""


_LATEST_PAGES = (
    "SELECT a.id, a.canonical_url, a.parser, a.content_hash, p.id, p.body_hash, p.final_url, "
    "p.fetched_at, p.encoding, a.published_at, a.site "
    "FROM articles a JOIN pages p ON p.id = ("
    "  SELECT p2.id FROM article_urls u JOIN pages p2 ON p2.url = u.url "
    "  WHERE u.article_id = a.id AND p2.status = 'ok' AND p2.body_hash IS NOT NULL "
    "  ORDER BY p2.fetched_at DESC, p2.id DESC LIMIT 1"
    ") WHERE 1"
)


def _selection(site: str | None, since: str | None) -> tuple[str, list[str]]:
    sql, params = "", []
    if site:
        sql += " AND a.site = ?"
        params.append(site)
    extra, extra_params = time_filters("a.last_fetched", since, None)
    return sql + extra, params + extra_params


def count_reparse(archive: Archive, *, site: str | None = None, since: str | None = None) -> int:
    where, params = _selection(site, since)
    return int(
        archive.conn.execute(f"SELECT count(*) FROM articles a WHERE 1{where}", params).fetchone()[
            0
        ]
    )


def reparse(
    archive: Archive,
    *,
    site: str | None = None,
    since: str | None = None,
    now: datetime | None = None,
    timezones: Mapping[str, tzinfo] | None = None,
) -> Iterator[ReparseOutcome]:
    """Re-read each selected article's latest raw page with today's parser; one outcome each.

    Each page goes through ``scraper.ingest`` as a fetched one would (version by
    fetch date, decode, parse, times localized in the site's timezone from
    ``timezones``; a site missing there keeps its stored times). The latest page
    is looked up when its article's turn comes, and the archive writes only if
    no later fetch has replaced the article's content meanwhile. A damaged row
    (missing or undecodable body, garbage time) fails that article only.
    """
    where, params = _selection(site, since)
    reparsed_at = now or datetime.now(UTC)
    zones = timezones or {}
    try:
        # only the ids are materialized: each page is read when its turn comes
        ids = [
            int(r[0])
            for r in archive.conn.execute(
                f"SELECT a.id FROM articles a WHERE 1{where} ORDER BY a.id", params
            ).fetchall()
        ]
    except sqlite3.Error as exc:
        raise archive_error(archive.path, exc) from exc
    for article_id in ids:
        try:
            row = archive.conn.execute(f"{_LATEST_PAGES} AND a.id = ?", (article_id,)).fetchone()
        except sqlite3.Error as exc:
            raise archive_error(archive.path, exc) from exc
        if row is None:
            continue
        yield _reparse_one(archive, row, zones, reparsed_at)


def _reparse_one(
    archive: Archive, row: tuple[Any, ...], zones: Mapping[str, tzinfo], reparsed_at: datetime
) -> ReparseOutcome:
    article_id, url, parser_name, site_name = row[0], row[1], row[2], row[10]
    page_id, body_hash, final_url, fetched_text, encoding = row[4:9]
    if parser_name not in parsers.names():
        return ReparseOutcome(article_id, url, "failed", f"no parser named {parser_name!r}")
    try:
        body = archive.body(body_hash)
        fetched_at = datetime.fromisoformat(fetched_text)
    except Exception as exc:  # (a damaged row fails its article only)
        return ReparseOutcome(
            article_id, url, "failed", f"damaged row: {type(exc).__name__}: {exc}"
        )
    if body is None:
        return ReparseOutcome(article_id, url, "failed", "raw page missing")
    job = ingest.PageJob(
        parser_name, PageKind.ARTICLE, ingest.page_html(body, encoding), final_url, fetched_at
    )
    parsed = ingest.run_parser(job)
    if isinstance(parsed, ingest.ParseFailure):
        return ReparseOutcome(article_id, url, "failed", parsed.message)
    if not isinstance(parsed, Article):
        return ReparseOutcome(article_id, url, "failed", "the parser gave no article")
    article = ingest.ready_article(parsed, zones.get(site_name))
    written = archive.save_reparsed(
        article_id, article, page_id=page_id, fetched_at=fetched_text, reparsed_at=reparsed_at
    )
    return ReparseOutcome(article_id, url, "revised" if written else "unchanged")
