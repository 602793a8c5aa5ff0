"""Every write to the archive: runs, fetched pages and bodies, articles, ticker items, snapshots.

Each public method is one transaction (one per page), so a crash loses at most
the page in flight. The SQL is shared by both engines (see ``backend``): inserts
are ``INSERT ... ON CONFLICT``, new ids come back by ``RETURNING``, and the
article row a write updates is read ``FOR UPDATE`` on PostgreSQL, so concurrent
writers of one article queue up as SQLite's ``BEGIN IMMEDIATE`` makes them.
Every string bound to SQL goes through ``repair_params`` (no lone surrogate
reaches the engine) and every time through ``utc_text`` (no ``OverflowError``).
The freshness rule lives here, checked inside the write transaction: an
article's current content is replaced only by content from a fetch at least as
recent as the one it came from, whichever path writes (crawl, ``fetch --save``,
``reparse``), so history never reads v1 -> v2 -> v1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import zstandard

from parsers.base import Article, TickerItem
from scraper.archive.backend import ArchiveBackend, SqlSession
from scraper.archive.values import Found, content_hash, repair_params, ticker_item_key, utc_text

if TYPE_CHECKING:
    from scraper.fetch import FetchResult

# level 3 (zstd's default): on the test pages 57 us a page against 311 us at level 10, for 3.6 %
# more bytes (bench/crawl.py); every new body is compressed, few are ever read back
_compressor = zstandard.ZstdCompressor(level=3)


@dataclass(frozen=True)
class SavedArticle:
    """What ``save_article`` did: the row id, whether it was new or a new revision, and
    whether its content was refused as older than the content already stored (``stale``)."""

    id: int
    canonical_url: str
    created: bool
    revised: bool
    stale: bool = False


def _run(conn: SqlSession, sql: str, params: Sequence[Any] = ()) -> Any:
    return conn.execute(sql, repair_params(params))


def _new_id(conn: SqlSession, sql: str, params: Sequence[Any]) -> int:
    """Run an ``INSERT ... RETURNING id``; the new row's id."""
    row = _run(conn, sql, params).fetchone()
    return int(row[0])


class ArchiveWrites(ArchiveBackend):
    """The write half of ``Archive``."""

    # --- runs ------------------------------------------------------------------------------

    def start_run(self, site: str, started_at: datetime, pid: int | None = None) -> int:
        with self.transaction() as conn:
            return _new_id(
                conn,
                "INSERT INTO runs (site, started_at, status, pid) VALUES (?, ?, 'running', ?) "
                "RETURNING id",
                (site, utc_text(started_at), pid),
            )

    def finish_run(
        self,
        run_id: int,
        status: str,
        finished_at: datetime,
        *,
        pages: int,
        new_articles: int,
        new_ticker_items: int,
        errors: int,
    ) -> None:
        with self.transaction() as conn:
            _run(
                conn,
                "UPDATE runs SET status = ?, finished_at = ?, pages = ?, new_articles = ?, "
                "new_ticker_items = ?, errors = ? WHERE id = ?",
                (status, utc_text(finished_at), pages, new_articles, new_ticker_items, errors,
                 run_id),
            )  # fmt: skip

    def close_running_runs(self, finished_at: datetime, status: str, pid: int | None = None) -> int:
        """Give runs still marked ``running`` (of ``pid``, or of anyone) ``status``; how many."""
        where, params = "status = 'running'", ()
        if pid is not None:
            where, params = "status = 'running' AND pid = ?", (pid,)
        with self.transaction() as conn:
            cursor = _run(
                conn,
                f"UPDATE runs SET status = ?, finished_at = ? WHERE {where}",
                (status, utc_text(finished_at), *params),
            )
            return cursor.rowcount

    # --- pages -----------------------------------------------------------------------------

    def record_page(
        self, result: FetchResult, *, site: str | None, run_id: int | None, kind: str
    ) -> int:
        """Store one fetch outcome (and its body, once per hash); returns the ``pages`` id."""
        with self.transaction() as conn:
            return self._insert_page(conn, result, site=site, run_id=run_id, kind=kind)

    def _insert_page(
        self,
        conn: SqlSession,
        result: FetchResult,
        *,
        site: str | None,
        run_id: int | None,
        kind: str,
    ) -> int:
        body_hash = self._store_body(conn, result.body) if result.body else None
        return _new_id(
            conn,
            "INSERT INTO pages (run_id, site, kind, url, final_url, status, http_status, "
            "fetched_at, elapsed_ms, bytes, attempts, etag, last_modified, content_type, "
            "encoding, body_hash, error_kind, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                run_id, site, kind, result.url, result.final_url, result.status,
                result.http_status, utc_text(result.fetched_at), round(result.elapsed * 1000),
                len(result.body), result.attempts, result.etag, result.last_modified,
                result.content_type, result.encoding, body_hash, result.error_kind, result.error,
            ),
        )  # fmt: skip

    @staticmethod
    def _store_body(conn: SqlSession, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        exists = conn.execute("SELECT 1 FROM bodies WHERE hash = ?", (digest,)).fetchone()
        if not exists:
            data = _compressor.compress(body)
            conn.execute(
                "INSERT INTO bodies (hash, compression, size, stored_size, data) "
                "VALUES (?, 'zstd', ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                (digest, len(body), len(data), data),
            )
        return digest

    def mark_page_error(self, page_id: int, kind: str, message: str) -> None:
        """Note on a fetched page that it could not be used (a parse error, say)."""
        with self.transaction() as conn:
            _run(
                conn,
                "UPDATE pages SET error_kind = ?, error = ? WHERE id = ?",
                (kind, message, page_id),
            )

    # --- articles --------------------------------------------------------------------------
    # Raw sqlite3 stays on this hot path on purpose: one save_article is 6-8 statements in
    # ONE transaction. The same rows through sqlite-utils' Table.insert (each call its own
    # commit, so no one-transaction-per-page promise) measured slower:
    # `python -m bench.archive_writes --articles 1500 --rounds 3` gave 474 articles/s for
    # save_article against 387/s for sqlite-utils (medians, x1.22; shared 2-core machine,
    # runs 369-504 and 323-447), though the sqlite-utils path does less work.

    def save_article(
        self,
        article: Article,
        *,
        site: str,
        url: str,
        canonical_url: str,
        fetched_at: datetime,
        page: FetchResult | None = None,
        run_id: int | None = None,
        published_at: datetime | None = None,
        revisits_done: int | None = None,
        page_id: int | None = None,
        reparsed_at: datetime | None = None,
        found: Found | None = None,
    ) -> SavedArticle:
        """Insert or update the article (and its page) in one transaction.

        ``revisits_done``, on a revisit, records how many revisit delays are now served.
        Content from a fetch older than the one the stored content came from is not
        written (``stale``); the sighting (last_seen, URLs) still is. Re-reading a stored
        page (``reparse``, an import): pass ``page_id`` (the stored fetch, instead of
        ``page``) and ``reparsed_at``; then ``fetched_at`` is that page's fetch time and
        last_seen/last_fetched are left alone (nothing was fetched). ``found`` says how
        the link was found (and the date and title its feed, sitemap or listing gave):
        kept on a new article, and filled in on a known one that has none.
        """
        now = utc_text(fetched_at)
        digest = article_hash(article)
        with self.transaction() as conn:
            if page is not None:
                page_id = self._insert_page(conn, page, site=site, run_id=run_id, kind="article")
            select = "SELECT id, content_hash FROM articles WHERE canonical_url = ?"
            select += self.FOR_UPDATE
            row = _run(conn, select, (canonical_url,)).fetchone()
            stale = False
            inserted = None
            if row is None:
                # ON CONFLICT: a concurrent writer (PostgreSQL) may have inserted it meanwhile
                inserted = _run(
                    conn,
                    "INSERT INTO articles (site, url, canonical_url, title, lead, body, authors, "
                    "published_at, updated_at, section, tags, language, images, paywalled, "
                    "comment_count, missing_fields, parser, parser_version, description, "
                    "first_seen, last_seen, last_fetched, content_hash, revisions) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
                    "ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
                    (site, url, canonical_url, *_article_values(article, published_at),
                     now, now, now, digest),
                ).fetchone()  # fmt: skip
                if inserted is None:
                    row = _run(conn, select, (canonical_url,)).fetchone()
            if inserted is not None:
                article_id = int(inserted[0])
                created, revised = True, True
            else:
                article_id = int(row[0])
                created, revised = False, row[1] != digest
                fresh = _fresh_enough(conn, article_id, now)
                if revised and not fresh:
                    revised, stale = False, True
                if revised:
                    _update_content(conn, article_id, article, digest, published_at)
                if reparsed_at is None:
                    _run(
                        conn,
                        f"UPDATE articles SET last_seen = {self.GREATEST}(last_seen, ?), "
                        f"last_fetched = {self.GREATEST}(coalesce(last_fetched, ''), ?) "
                        "WHERE id = ?",
                        (now, now, article_id),
                    )
                if fresh:
                    _run(
                        conn,
                        "UPDATE articles SET comment_count = ? WHERE id = ?",
                        (article.comment_count, article_id),
                    )
            if revised:
                _insert_revision(
                    conn, article_id, article, digest, fetched_at=now, page_id=page_id,
                    reparsed_at=utc_text(reparsed_at),
                )  # fmt: skip
            if revisits_done is not None:
                _run(
                    conn,
                    "UPDATE articles SET revisits_done = ? WHERE id = ?",
                    (revisits_done, article_id),
                )
            if found is not None:
                _run(
                    conn,
                    "UPDATE articles SET discovered_via = coalesce(discovered_via, ?), "
                    "listed_at = coalesce(listed_at, ?), listed_title = coalesce(listed_title, ?) "
                    "WHERE id = ?",
                    (found.via, utc_text(found.listed_at), found.title, article_id),
                )
            for known in {url, canonical_url}:
                _run(
                    conn,
                    "INSERT INTO article_urls (url, article_id) VALUES (?, ?) "
                    "ON CONFLICT (url) DO NOTHING",
                    (known, article_id),
                )
        return SavedArticle(article_id, canonical_url, created, revised and not created, stale)

    def write_reparsed(
        self,
        article_id: int,
        article: Article,
        *,
        page_id: int,
        fetched_at: str,
        reparsed_at: datetime,
    ) -> bool:
        """Store ``article``, re-read from the raw page ``page_id`` fetched at ``fetched_at``,
        as the article's new revision; False (nothing written) when the stored content came
        from a more recent fetch or already reads the same."""
        digest = article_hash(article)
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT content_hash FROM articles WHERE id = ?{self.FOR_UPDATE}", (article_id,)
            ).fetchone()
            if row is None or row[0] == digest or not _fresh_enough(conn, article_id, fetched_at):
                return False
            _update_content(conn, article_id, article, digest)
            _insert_revision(
                conn, article_id, article, digest, fetched_at=fetched_at, page_id=page_id,
                reparsed_at=utc_text(reparsed_at),
            )  # fmt: skip
            return True

    # --- ticker ----------------------------------------------------------------------------

    def save_ticker_item(
        self,
        site: str,
        item: TickerItem,
        *,
        url: str | None,
        published_at: datetime | None,
        seen_at: datetime,
    ) -> bool:
        """Insert a ticker item or bump its ``last_seen``; True when it is new.

        An item is one link (or one title, when it has none); a new title for the
        same link becomes the item's title and is added to ``ticker_titles``, which
        keeps every title with its own first and last sighting.
        """
        key = ticker_item_key(url, item.title)
        seen = utc_text(seen_at)
        with self.transaction() as conn:
            cursor = _run(
                conn,
                "INSERT INTO ticker_items (site, item_key, title, url, shown_time, published_at, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (site, item_key) DO NOTHING",
                (site, key, item.title, url, item.shown_time, utc_text(published_at), seen, seen),
            )
            if cursor.rowcount:
                return True
            # ticker_titles follows by trigger (schema v2)
            _run(
                conn,
                f"UPDATE ticker_items SET last_seen = {self.GREATEST}(last_seen, ?), "
                "title = CASE WHEN last_seen <= ? THEN ? ELSE title END "
                "WHERE site = ? AND item_key = ? AND (last_seen < ? OR title != ?)",
                (seen, seen, item.title, site, key, seen, item.title),
            )
            return False

    # --- revisits --------------------------------------------------------------------------

    def record_revisit(
        self, article_id: int, page: FetchResult, *, site: str, run_id: int | None, served: int
    ) -> int:
        """A revisit that brought no new content (304, or an error): log it, count it served."""
        with self.transaction() as conn:
            page_id = self._insert_page(conn, page, site=site, run_id=run_id, kind="article")
            if page.status == "not_modified":
                now = utc_text(page.fetched_at)
                _run(
                    conn,
                    f"UPDATE articles SET last_seen = {self.GREATEST}(last_seen, ?), "
                    f"last_fetched = {self.GREATEST}(coalesce(last_fetched, ''), ?) WHERE id = ?",
                    (now, now, article_id),
                )
            _run(conn, "UPDATE articles SET revisits_done = ? WHERE id = ?", (served, article_id))
            return page_id

    # --- progress of long jobs (backfill, import) -----------------------------------------

    def set_progress(self, key: str, value: str, at: datetime) -> None:
        """Keep ``value`` as the position of the job ``key`` (replacing the last one)."""
        with self.transaction() as conn:
            _run(
                conn,
                "INSERT INTO progress (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, value, utc_text(at)),
            )

    # --- listing snapshots: what a listing showed last, for conditional GET -----------------

    def remember_listing(
        self, site: str, url: str, ticker_keys: list[str], links: list[str], seen_at: datetime
    ) -> None:
        """Note what the listing at ``url`` showed, so a later 304 can stand for it."""
        with self.transaction() as conn:
            _run(
                conn,
                "INSERT INTO listing_snapshots (url, site, seen_at, ticker_keys, links) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET site = excluded.site, "
                "seen_at = excluded.seen_at, ticker_keys = excluded.ticker_keys, "
                "links = excluded.links",
                (url, site, utc_text(seen_at), json.dumps(ticker_keys), json.dumps(links)),
            )

    def forget_listing(self, url: str) -> None:
        """Drop a listing's snapshot (it failed to parse): its next fetch is unconditional."""
        with self.transaction() as conn:
            _run(conn, "DELETE FROM listing_snapshots WHERE url = ?", (url,))

    def listing_unchanged(self, site: str, url: str, seen_at: datetime) -> list[str]:
        """A listing answered 304: bump ``last_seen`` of the ticker items it showed last time.

        Returns the article links it showed, so those not archived yet (a failed
        fetch last time) are tried again; nothing is parsed and nothing else is written.
        A damaged snapshot counts as none (the links are not retried).
        """
        row = self._read_one(
            "SELECT ticker_keys, links FROM listing_snapshots WHERE url = ?", repair_params((url,))
        )
        if row is None:
            return []
        try:
            keys, links = json.loads(row[0]), json.loads(row[1])
        except (TypeError, ValueError):
            return []
        seen = utc_text(seen_at)
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE ticker_items SET last_seen = ? WHERE site = ? AND item_key = ? "
                "AND last_seen < ?",
                [repair_params((seen, site, str(key), seen)) for key in keys],
            )
        return [str(link) for link in links]


def article_hash(article: Article) -> str:
    """The content hash of what the archive stores of ``article``: title, lead, main text."""
    return content_hash(article.title, article.lead, article.main_text)


def _fresh_enough(conn: SqlSession, article_id: int, fetched_at: str | None) -> bool:
    """Whether content fetched at ``fetched_at`` may replace the article's current content:
    the fetch is at least as recent as the one the current content came from."""
    row = conn.execute(
        "SELECT max(fetched_at) FROM article_revisions WHERE article_id = ?", (article_id,)
    ).fetchone()
    current = row[0] if row else None
    return current is None or fetched_at is None or fetched_at >= current


def _update_content(
    conn: SqlSession,
    article_id: int,
    article: Article,
    digest: str,
    published_at: datetime | None = None,
) -> None:
    """Overwrite an article row's content with ``article`` (a new revision of it); a
    publication time the new version lacks is kept."""
    _run(
        conn,
        "UPDATE articles SET title = ?, lead = ?, body = ?, authors = ?, "
        "published_at = coalesce(?, published_at), updated_at = ?, section = ?, tags = ?, "
        "language = ?, images = ?, paywalled = ?, comment_count = ?, missing_fields = ?, "
        "parser = ?, parser_version = ?, description = ?, content_hash = ?, "
        "revisions = revisions + 1 WHERE id = ?",
        (*_article_values(article, published_at), digest, article_id),
    )


def _insert_revision(
    conn: SqlSession,
    article_id: int,
    article: Article,
    digest: str,
    *,
    fetched_at: str | None,
    page_id: int | None,
    reparsed_at: str | None = None,
) -> None:
    """Add one ``article_revisions`` row: the content as ``article`` reads it."""
    _run(
        conn,
        "INSERT INTO article_revisions (article_id, fetched_at, reparsed_at, content_hash, "
        "parser, parser_version, title, lead, body, page_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article_id, fetched_at, reparsed_at, digest, article.parser, article.parser_version,
         article.title, article.lead, article.main_text, page_id),
    )  # fmt: skip


def _article_values(article: Article, published_at: datetime | None) -> tuple[Any, ...]:
    """The article's columns from title through description, in the order the SQL above uses."""
    return (
        article.title,
        article.lead,
        article.main_text,
        json.dumps(list(article.authors), ensure_ascii=False),
        utc_text(article.published_at or published_at),
        utc_text(article.updated_at),
        article.section,
        json.dumps(list(article.tags), ensure_ascii=False),
        article.language,
        json.dumps([i.url for i in article.images], ensure_ascii=False),
        None if article.paywalled is None else int(article.paywalled),
        article.comment_count,
        json.dumps(list(article.missing)),
        article.parser,
        article.parser_version,
        article.description,
    )
