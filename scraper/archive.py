"""The SQLite archive: schema, deduplication, revisions, raw pages, runs; one file to query.

Tables (UTC ISO-8601 text times, JSON text for lists) are created with
sqlite-utils; the hot path writes with plain SQL inside ``BEGIN IMMEDIATE``
transactions, one per page, so a crash loses at most the page in flight and a
busy timeout applies to concurrent writers. One ``articles`` row per canonical
URL; ``article_urls`` maps every URL seen for an article to it; a new
``article_revisions`` row whenever the normalized title, lead and body change;
raw bodies stored once per SHA-256, zstd-compressed, in ``bodies``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils
import zstandard

from parsers.base import Article, TickerItem
from parsers.extract import clean
from scraper.errors import ArchiveError, ArchiveVersionError

if TYPE_CHECKING:
    from scraper.fetch import FetchResult

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

_compressor = zstandard.ZstdCompressor(level=10)
_decompressor = zstandard.ZstdDecompressor()


def utc_text(moment: datetime | None) -> str | None:
    """A datetime as UTC ISO-8601 text (``2025-05-09T10:07:00Z``); naive means UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(title: str | None, lead: str | None, body: str | None) -> str:
    """SHA-256 of the whitespace-normalized title, lead and body: equal text, equal hash."""
    normalized = "\x1f".join(clean(part) for part in (title, lead, body))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SavedArticle:
    """What ``save_article`` did: the row id, and whether it was new or a new revision."""

    id: int
    canonical_url: str
    created: bool
    revised: bool


def _create_schema(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["runs"].create(
        {
            "id": int,
            "site": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "pages": int,
            "new_articles": int,
            "new_ticker_items": int,
            "errors": int,
            "pid": int,
        },
        pk="id",
        not_null={"site", "started_at", "status"},
        defaults={"pages": 0, "new_articles": 0, "new_ticker_items": 0, "errors": 0},
        if_not_exists=True,
    )
    db["bodies"].create(
        {"hash": str, "compression": str, "size": int, "stored_size": int, "data": bytes},
        pk="hash",
        if_not_exists=True,
    )
    db["pages"].create(
        {
            "id": int,
            "run_id": int,
            "site": str,
            "kind": str,
            "url": str,
            "final_url": str,
            "status": str,
            "http_status": int,
            "fetched_at": str,
            "elapsed_ms": int,
            "bytes": int,
            "attempts": int,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "encoding": str,
            "body_hash": str,
            "error_kind": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("body_hash", "bodies", "hash")],
        if_not_exists=True,
    )
    db["articles"].create(
        {
            "id": int,
            "site": str,
            "url": str,
            "canonical_url": str,
            "title": str,
            "lead": str,
            "body": str,
            "authors": str,
            "published_at": str,
            "updated_at": str,
            "section": str,
            "tags": str,
            "language": str,
            "images": str,
            "paywalled": int,
            "comment_count": int,
            "missing_fields": str,
            "first_seen": str,
            "last_seen": str,
            "last_fetched": str,
            "content_hash": str,
            "parser": str,
            "parser_version": str,
            "revisions": int,
        },
        pk="id",
        not_null={"site", "url", "canonical_url"},
        if_not_exists=True,
    )
    db["article_urls"].create(
        {"url": str, "article_id": int},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["article_revisions"].create(
        {
            "id": int,
            "article_id": int,
            "fetched_at": str,
            "content_hash": str,
            "parser": str,
            "parser_version": str,
            "title": str,
            "lead": str,
            "body": str,
            "page_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("page_id", "pages", "id")],
        if_not_exists=True,
    )
    db["ticker_items"].create(
        {
            "id": int,
            "site": str,
            "item_key": str,
            "title": str,
            "url": str,
            "shown_time": str,
            "published_at": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"site", "item_key", "title", "first_seen", "last_seen"},
        if_not_exists=True,
    )
    db["articles"].create_index(["canonical_url"], unique=True, if_not_exists=True)
    db["articles"].create_index(["site", "published_at"], if_not_exists=True)
    db["article_revisions"].create_index(["article_id", "fetched_at"], if_not_exists=True)
    db["ticker_items"].create_index(["site", "item_key"], unique=True, if_not_exists=True)
    db["ticker_items"].create_index(["site", "last_seen"], if_not_exists=True)
    db["pages"].create_index(["url", "fetched_at"], if_not_exists=True)
    db["pages"].create_index(["site", "fetched_at"], if_not_exists=True)
    db["runs"].create_index(["site", "started_at"], if_not_exists=True)
    if "articles_fts" not in db.table_names():
        db["articles"].enable_fts(
            ["title", "lead", "body"],
            fts_version="FTS5",
            create_triggers=True,
            tokenize=FTS_TOKENIZE,
        )


class Archive:
    """One open archive file. Not thread-safe: use it from one thread (the event loop's)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.db = sqlite_utils.Database(self.conn)
            self._migrate()
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot open the archive: {exc.strerror}") from exc

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise ArchiveVersionError(
                f"{self.path}: archive schema {version} is newer than this newsrack's "
                f"({SCHEMA_VERSION}); upgrade newsrack to open it"
            )
        if version == SCHEMA_VERSION:
            return
        # sqlite-utils commits as it goes (executescript), so the schema is built with
        # idempotent statements and the version is set last: a crash here is repaired
        # by the next open.
        _create_schema(self.db)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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
            self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise archive_error(self.path, exc) from exc
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise archive_error(self.path, exc) from exc

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
            "WHERE url = ? AND status IN ('ok', 'not_modified') ORDER BY id DESC LIMIT 1",
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
    ) -> SavedArticle:
        """Insert or update the article (and its page) in one transaction."""
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
            values = _article_values(article, published_at)
            if row is None:
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
                    conn.execute(
                        "UPDATE articles SET title = ?, lead = ?, body = ?, authors = ?, "
                        "published_at = ?, updated_at = ?, section = ?, tags = ?, language = ?, "
                        "images = ?, paywalled = ?, comment_count = ?, missing_fields = ?, "
                        "parser = ?, parser_version = ?, last_seen = ?, last_fetched = ?, "
                        "content_hash = ?, revisions = revisions + 1 WHERE id = ?",
                        (*values, now, now, digest, article_id),
                    )
                else:
                    conn.execute(
                        "UPDATE articles SET last_seen = ?, last_fetched = ?, comment_count = ? "
                        "WHERE id = ?",
                        (now, now, article.comment_count, article_id),
                    )
            if revised:
                conn.execute(
                    "INSERT INTO article_revisions (article_id, fetched_at, content_hash, parser, "
                    "parser_version, title, lead, body, page_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article_id,
                        now,
                        digest,
                        article.parser,
                        article.parser_version,
                        article.title,
                        article.lead,
                        article.body,
                        page_id,
                    ),
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
        """Insert a ticker item or bump its ``last_seen``; True when it is new."""
        key = url if url else f"title:{clean(item.title)}"
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
            conn.execute(
                "UPDATE ticker_items SET last_seen = ? WHERE site = ? AND item_key = ? "
                "AND last_seen < ?",
                (seen, site, key, seen),
            )
            return False

    def ticker_time_for(self, site: str, url: str) -> datetime | None:
        """The publication time a ticker gave for the article at ``url``, if any."""
        row = self.conn.execute(
            "SELECT published_at FROM ticker_items WHERE site = ? AND item_key = ?", (site, url)
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

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


def archive_error(path: Path, exc: sqlite3.Error) -> ArchiveError:
    """One line naming the file and what to do, for any SQLite failure."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorname", "")
    if code == "SQLITE_FULL" or "database or disk is full" in text:
        hint = "the disk is full; free space, nothing stored so far is lost"
    elif code.startswith("SQLITE_READONLY") or "readonly" in text:
        hint = "the file or its folder is read-only; fix permissions or pass --db PATH"
    elif code.startswith("SQLITE_BUSY") or "locked" in text:
        hint = "another process holds the database; retry or stop it"
    elif code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "not a database" in text:
        hint = "not a newsrack archive or damaged; pass --db PATH to another file"
    elif code.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        hint = "cannot open it; check the folder exists and is writable"
    else:
        hint = text
    return ArchiveError(f"{path}: {hint} ({code or type(exc).__name__}: {text})")
