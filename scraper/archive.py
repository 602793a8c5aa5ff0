"""The SQLite archive: deduplication, revisions, raw pages, ticker history, revisits, runs.

The schema and its migrations live in ``scraper.schema`` (UTC ISO-8601 text
times, JSON text for lists); every write is plain SQL inside a ``BEGIN
IMMEDIATE`` transaction, one per page, in WAL mode with ``synchronous=NORMAL``,
so a crash (even SIGKILL) loses at most the page in flight and a busy timeout
applies to concurrent writers while readers never wait. One ``articles`` row per canonical
URL; ``article_urls`` maps every URL seen for an article to it; a new
``article_revisions`` row whenever the normalized title, lead and body change;
raw bodies stored once per SHA-256, zstd-compressed, in ``bodies``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils
import zstandard

from parsers.base import Article, TickerItem
from parsers.extract import clean
from scraper import schema
from scraper.dbutil import archive_error, content_hash, utc_text
from scraper.errors import ArchiveError
from scraper.schema import FTS_TOKENIZE, SCHEMA_VERSION  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from scraper.fetch import FetchResult

BUSY_TIMEOUT_MS = 30_000

# level 3 (zstd's default): on the test pages 57 us a page against 311 us at level 10, for 3.6 %
# more bytes (bench/crawl.py); every new body is compressed, few are ever read back
_compressor = zstandard.ZstdCompressor(level=3)
_decompressor = zstandard.ZstdDecompressor()


@dataclass(frozen=True)
class DueRevisit:
    """An article due for a revisit; ``served`` is its revisits_done once fetched."""

    article_id: int
    url: str
    canonical_url: str
    served: int


@dataclass(frozen=True)
class SavedArticle:
    """What ``save_article`` did: the row id, and whether it was new or a new revision."""

    id: int
    canonical_url: str
    created: bool
    revised: bool


class Archive:
    """One open archive file. Not thread-safe: use it from one thread (the event loop's)."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        """Open (and upgrade) the archive at ``path``; ``create=False`` for reading commands.

        A reader (``create=False``) of an archive on read-only storage, where
        WAL's shared-memory file cannot be made, falls back to an immutable
        read-only connection when no write-ahead log is pending.
        """
        self.path = Path(path)
        self.readonly = False
        if not create and not self.path.exists():
            raise ArchiveError(
                f"{self.path}: no archive there; run `newsrack crawl` first or pass --db PATH"
            )
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = self._connect()
            try:
                self._prepare()
            except sqlite3.Error as exc:
                self.conn.close()
                if create or not self._immutable_fallback_ok(exc):
                    raise
                self.conn = self._connect(immutable=True)
                self.readonly = True
                self._prepare()
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot open the archive: {exc.strerror}") from exc

    def _connect(self, *, immutable: bool = False) -> sqlite3.Connection:
        if immutable:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, isolation_level=None)
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)

    def _prepare(self) -> None:
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Refuse a newer archive before the WAL switch, which would rewrite its header.
            version = schema.refuse_newer(self.conn, self.path)
            if self.readonly:
                if version != SCHEMA_VERSION:
                    raise ArchiveError(
                        f"{self.path}: read-only archive of schema {version}; open it once "
                        f"where it is writable to upgrade it to {SCHEMA_VERSION}"
                    )
                self.db = sqlite_utils.Database(self.conn)
                return
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.db = sqlite_utils.Database(self.conn)
            schema.migrate(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise

    def _immutable_fallback_ok(self, exc: sqlite3.Error) -> bool:
        """Whether a failed open is read-only storage that an immutable reader can serve."""
        code = getattr(exc, "sqlite_errorname", "")
        if not (code.startswith("SQLITE_CANTOPEN") or code.startswith("SQLITE_READONLY")):
            return False
        wal = self.path.with_name(self.path.name + "-wal")
        return not wal.exists() or wal.stat().st_size == 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on error; SQLite errors: ArchiveError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        try:
            yield self.conn
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise archive_error(self.path, exc) from exc
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise archive_error(self.path, exc) from exc

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite ends it itself on SQLITE_FULL)."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # --- runs ------------------------------------------------------------------------------

    def start_run(self, site: str, started_at: datetime, pid: int | None = None) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (site, started_at, status, pid) VALUES (?, ?, 'running', ?)",
                (site, utc_text(started_at), pid),
            )
            return int(cursor.lastrowid or 0)

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
            conn.execute(
                "UPDATE runs SET status = ?, finished_at = ?, pages = ?, new_articles = ?, "
                "new_ticker_items = ?, errors = ? WHERE id = ?",
                (
                    status,
                    utc_text(finished_at),
                    pages,
                    new_articles,
                    new_ticker_items,
                    errors,
                    run_id,
                ),
            )

    def close_running_runs(self, finished_at: datetime, status: str, pid: int | None = None) -> int:
        """Give runs still marked ``running`` (of ``pid``, or of anyone) ``status``; how many."""
        where, params = "status = 'running'", ()
        if pid is not None:
            where, params = "status = 'running' AND pid = ?", (pid,)
        with self.transaction() as conn:
            cursor = conn.execute(
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
        conn: sqlite3.Connection,
        result: FetchResult,
        *,
        site: str | None,
        run_id: int | None,
        kind: str,
    ) -> int:
        body_hash = self._store_body(conn, result.body) if result.body else None
        cursor = conn.execute(
            "INSERT INTO pages (run_id, site, kind, url, final_url, status, http_status, "
            "fetched_at, elapsed_ms, bytes, attempts, etag, last_modified, content_type, "
            "encoding, body_hash, error_kind, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                site,
                kind,
                result.url,
                result.final_url,
                result.status,
                result.http_status,
                utc_text(result.fetched_at),
                round(result.elapsed * 1000),
                len(result.body),
                result.attempts,
                result.etag,
                result.last_modified,
                result.content_type,
                result.encoding,
                body_hash,
                result.error_kind,
                result.error,
            ),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _store_body(conn: sqlite3.Connection, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        exists = conn.execute("SELECT 1 FROM bodies WHERE hash = ?", (digest,)).fetchone()
        if not exists:
            data = _compressor.compress(body)
            conn.execute(
                "INSERT INTO bodies (hash, compression, size, stored_size, data) "
                "VALUES (?, 'zstd', ?, ?, ?)",
                (digest, len(body), len(data), data),
            )
        return digest

    def body(self, body_hash: str) -> bytes | None:
        """A stored raw body, decompressed."""
        row = self.conn.execute(
            "SELECT compression, data FROM bodies WHERE hash = ?", (body_hash,)
        ).fetchone()
        if row is None:
            return None
        return _decompressor.decompress(row[1]) if row[0] == "zstd" else bytes(row[1])

    def mark_page_error(self, page_id: int, kind: str, message: str) -> None:
        """Note on a fetched page that it could not be used (a parse error, say)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE pages SET error_kind = ?, error = ? WHERE id = ?", (kind, message, page_id)
            )

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, fetched_at) of the last good fetch of ``url``."""
        row = self.conn.execute(
            "SELECT etag, last_modified, fetched_at FROM pages "
            "WHERE url = ? AND status IN ('ok', 'not_modified') "
            "AND (etag IS NOT NULL OR last_modified IS NOT NULL) ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    # --- articles --------------------------------------------------------------------------

    def article_id_for(self, url: str) -> int | None:
        """The article a (normalized) URL is known to lead to, if any."""
        row = self.conn.execute(
            "SELECT article_id FROM article_urls WHERE url = ?", (url,)
        ).fetchone()
        return int(row[0]) if row else None

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
    ) -> SavedArticle:
        """Insert or update the article (and its page) in one transaction.

        ``revisits_done``, on a revisit, records how many revisit delays are now served.
        """
        now = utc_text(fetched_at)
        digest = content_hash(article.title, article.lead, article.body)
        with self.transaction() as conn:
            page_id = (
                self._insert_page(conn, page, site=site, run_id=run_id, kind="article")
                if page is not None
                else None
            )
            row = conn.execute(
                "SELECT id, content_hash FROM articles WHERE canonical_url = ?", (canonical_url,)
            ).fetchone()
            if row is None:
                values = _article_values(article, published_at)
                cursor = conn.execute(
                    "INSERT INTO articles (site, url, canonical_url, title, lead, body, authors, "
                    "published_at, updated_at, section, tags, language, images, paywalled, "
                    "comment_count, missing_fields, parser, parser_version, first_seen, "
                    "last_seen, last_fetched, content_hash, revisions) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (site, url, canonical_url, *values, now, now, now, digest),
                )
                article_id = int(cursor.lastrowid or 0)
                created, revised = True, True
            else:
                article_id = int(row[0])
                created, revised = False, row[1] != digest
                if revised:
                    update_content(conn, article_id, article, digest, published_at)
                conn.execute(
                    "UPDATE articles SET last_seen = ?, last_fetched = ?, comment_count = ? "
                    "WHERE id = ?",
                    (now, now, article.comment_count, article_id),
                )
            if revised:
                insert_revision(conn, article_id, article, digest, fetched_at=now, page_id=page_id)
            if revisits_done is not None:
                conn.execute(
                    "UPDATE articles SET revisits_done = ? WHERE id = ?",
                    (revisits_done, article_id),
                )
            for known in {url, canonical_url}:
                conn.execute(
                    "INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)",
                    (known, article_id),
                )
        return SavedArticle(article_id, canonical_url, created, revised and not created)

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
            cursor = conn.execute(
                "INSERT INTO ticker_items (site, item_key, title, url, shown_time, published_at, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (site, item_key) DO NOTHING",
                (site, key, item.title, url, item.shown_time, utc_text(published_at), seen, seen),
            )
            if cursor.rowcount:
                return True
            # ticker_titles follows by trigger (schema v2)
            conn.execute(
                "UPDATE ticker_items SET last_seen = max(last_seen, ?), "
                "title = CASE WHEN last_seen <= ? THEN ? ELSE title END "
                "WHERE site = ? AND item_key = ? AND (last_seen < ? OR title != ?)",
                (seen, seen, item.title, site, key, seen, item.title),
            )
            return False

    # --- revisits --------------------------------------------------------------------------

    def due_revisits(
        self,
        site: str,
        delays: tuple[float, ...],
        now: datetime,
        *,
        run_id: int | None = None,
        limit: int,
    ) -> list[DueRevisit]:
        """The site's articles whose next revisit delay (after first_seen) has passed.

        A zero delay means "on every crawl": then every article of the site is due
        (least recently fetched first). Articles already fetched in run ``run_id``
        (new in this pass) are never due.
        """
        ordered = sorted(delays)
        if not ordered or limit <= 0:
            return []
        not_in_run = (
            "NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = articles.url AND p.run_id = ?)"
        )
        if ordered[0] == 0:
            rows = self.conn.execute(
                "SELECT id, url, canonical_url, first_seen, revisits_done FROM articles "
                f"WHERE site = ? AND {not_in_run} ORDER BY last_fetched, id LIMIT ?",
                (site, run_id, limit),
            ).fetchall()
            return [DueRevisit(r[0], r[1], r[2], r[4] + 1) for r in rows]
        due: list[DueRevisit] = []
        oldest_due = utc_text(now - timedelta(seconds=ordered[0]))
        cursor = self.conn.execute(
            "SELECT id, url, canonical_url, first_seen, revisits_done FROM articles "
            f"WHERE site = ? AND revisits_done < ? AND first_seen <= ? AND {not_in_run} "
            "ORDER BY first_seen, id",
            (site, len(ordered), oldest_due, run_id),
        )
        for article_id, url, canonical, first_seen, done in cursor.fetchall():
            age = (now - datetime.fromisoformat(first_seen)).total_seconds()
            served = sum(1 for delay in ordered if delay <= age)
            if served > done:
                due.append(DueRevisit(article_id, url, canonical, served))
                if len(due) >= limit:
                    break
        return due

    def record_revisit(
        self, article_id: int, page: FetchResult, *, site: str, run_id: int | None, served: int
    ) -> int:
        """A revisit that brought no new content (304, or an error): log it, count it served."""
        with self.transaction() as conn:
            page_id = self._insert_page(conn, page, site=site, run_id=run_id, kind="article")
            if page.status == "not_modified":
                now = utc_text(page.fetched_at)
                conn.execute(
                    "UPDATE articles SET last_seen = ?, last_fetched = ? WHERE id = ?",
                    (now, now, article_id),
                )
            conn.execute("UPDATE articles SET revisits_done = ? WHERE id = ?", (served, article_id))
            return page_id

    # --- queries ---------------------------------------------------------------------------

    def count(self, table: str) -> int:
        return int(self.db[table].count)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- listing snapshots: what a listing showed last, for conditional GET -----------------

    def remember_listing(
        self, site: str, url: str, ticker_keys: list[str], links: list[str], seen_at: datetime
    ) -> None:
        """Note what the listing at ``url`` showed, so a later 304 can stand for it."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO listing_snapshots (url, site, seen_at, ticker_keys, links) "
                "VALUES (?, ?, ?, ?, ?)",
                (url, site, utc_text(seen_at), json.dumps(ticker_keys), json.dumps(links)),
            )

    def forget_listing(self, url: str) -> None:
        """Drop a listing's snapshot (it failed to parse): its next fetch is unconditional."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM listing_snapshots WHERE url = ?", (url,))

    def has_listing_snapshot(self, url: str) -> bool:
        """Whether the listing at ``url`` was parsed and remembered (so a 304 can stand for it)."""
        query = "SELECT 1 FROM listing_snapshots WHERE url = ?"
        return self.conn.execute(query, (url,)).fetchone() is not None

    def listing_unchanged(self, site: str, url: str, seen_at: datetime) -> list[str]:
        """A listing answered 304: bump ``last_seen`` of the ticker items it showed last time.

        Returns the article links it showed, so those not archived yet (a failed
        fetch last time) are tried again; nothing is parsed and nothing else is written.
        """
        row = self.conn.execute(
            "SELECT ticker_keys, links FROM listing_snapshots WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return []
        keys, links = json.loads(row[0]), json.loads(row[1])
        seen = utc_text(seen_at)
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE ticker_items SET last_seen = ? WHERE site = ? AND item_key = ? "
                "AND last_seen < ?",
                [(seen, site, key, seen) for key in keys],
            )
        return list(links)

    # --- added by runtime (H5) ---

    def last_run_started(self, site: str, *, not_after: datetime | None = None) -> str | None:
        """The ``started_at`` text of the site's latest run (not after ``not_after``), or None."""
        sql, params = "SELECT max(started_at) FROM runs WHERE site = ?", (site,)
        if not_after is not None:
            sql, params = sql + " AND started_at <= ?", (site, utc_text(not_after))
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise ArchiveError(f"{self.path}: cannot read runs: {exc}") from exc
        return row[0] if row and isinstance(row[0], str) else None

    # --- added by ingest (H2) ---

    def save_reparsed(
        self,
        article_id: int,
        article: Article,
        *,
        page_id: int,
        fetched_at: str,
        reparsed_at: datetime,
    ) -> bool:
        """Replace an article's content with ``article``, re-read from the page ``page_id``
        fetched at ``fetched_at``, as a new revision; False (nothing written) when its current
        content came from a later fetch (crawled again meanwhile) or is the same."""
        digest = content_hash(article.title, article.lead, article.body)
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT a.content_hash, (SELECT max(r.fetched_at) FROM article_revisions r "
                "WHERE r.article_id = a.id) FROM articles a WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None or row[0] == digest or (row[1] is not None and row[1] > fetched_at):
                return False
            update_content(conn, article_id, article, digest)
            insert_revision(
                conn,
                article_id,
                article,
                digest,
                fetched_at=fetched_at,
                page_id=page_id,
                reparsed_at=utc_text(reparsed_at),
            )
        return True


def ticker_item_key(url: str | None, title: str) -> str:
    """The ``item_key`` of a ticker item: its URL, else its cleaned title."""
    return url if url else f"title:{clean(title)}"


def update_content(
    conn: sqlite3.Connection,
    article_id: int,
    article: Article,
    digest: str,
    published_at: datetime | None = None,
) -> None:
    """Overwrite an article row's content with ``article`` (a new revision of it); a
    publication time the new version lacks is kept."""
    conn.execute(
        "UPDATE articles SET title = ?, lead = ?, body = ?, authors = ?, "
        "published_at = coalesce(?, published_at), updated_at = ?, section = ?, tags = ?, "
        "language = ?, images = ?, paywalled = ?, comment_count = ?, missing_fields = ?, "
        "parser = ?, parser_version = ?, content_hash = ?, revisions = revisions + 1 "
        "WHERE id = ?",
        (*_article_values(article, published_at), digest, article_id),
    )


def insert_revision(
    conn: sqlite3.Connection,
    article_id: int,
    article: Article,
    digest: str,
    *,
    fetched_at: str | None,
    page_id: int | None,
    reparsed_at: str | None = None,
) -> None:
    """Add one ``article_revisions`` row: the content as ``article`` reads it."""
    conn.execute(
        "INSERT INTO article_revisions (article_id, fetched_at, reparsed_at, content_hash, "
        "parser, parser_version, title, lead, body, page_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            fetched_at,
            reparsed_at,
            digest,
            article.parser,
            article.parser_version,
            article.title,
            article.lead,
            article.body,
            page_id,
        ),
    )


def _article_values(article: Article, published_at: datetime | None) -> tuple[Any, ...]:
    """The article's columns from title through parser_version, in schema order."""
    return (
        article.title,
        article.lead,
        article.body,
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
    )
