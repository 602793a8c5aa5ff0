"""The archive's schema as numbered migrations of plain SQL, applied in one ``BEGIN IMMEDIATE``.

``PRAGMA user_version`` holds the schema version. Opening an older archive runs
every missing step, and sets the new version, inside one transaction: a crash
or an error leaves the file as it was. An archive newer than this code is
refused before anything is written (not even the WAL switch, which rewrites
the header). Steps are plain SQL on purpose: sqlite-utils' helpers commit as
they go, which would break the one-transaction promise. Version 1 is the
schema sqlite-utils built in the first release, written out so a fresh file
and an upgraded one end up identical.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.errors import ArchiveVersionError

__all__ = ["FTS_TOKENIZE", "MIGRATIONS", "REVISITS_ALL_SERVED", "SCHEMA_VERSION", "migrate"]

FTS_TOKENIZE = "unicode61 remove_diacritics 2"
#: ``articles.revisits_done`` of an article that is never to be revisited.
REVISITS_ALL_SERVED = 1000

_V1 = [
    """CREATE TABLE IF NOT EXISTS "meta" ("key" TEXT PRIMARY KEY, "value" TEXT)""",
    """CREATE TABLE IF NOT EXISTS "runs" (
   "id" INTEGER PRIMARY KEY,
   "site" TEXT NOT NULL,
   "started_at" TEXT NOT NULL,
   "finished_at" TEXT,
   "status" TEXT NOT NULL,
   "pages" INTEGER DEFAULT 0,
   "new_articles" INTEGER DEFAULT 0,
   "new_ticker_items" INTEGER DEFAULT 0,
   "errors" INTEGER DEFAULT 0,
   "pid" INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS "bodies" (
   "hash" TEXT PRIMARY KEY,
   "compression" TEXT,
   "size" INTEGER,
   "stored_size" INTEGER,
   "data" BLOB
)""",
    """CREATE TABLE IF NOT EXISTS "pages" (
   "id" INTEGER PRIMARY KEY,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "site" TEXT,
   "kind" TEXT,
   "url" TEXT,
   "final_url" TEXT,
   "status" TEXT,
   "http_status" INTEGER,
   "fetched_at" TEXT,
   "elapsed_ms" INTEGER,
   "bytes" INTEGER,
   "attempts" INTEGER,
   "etag" TEXT,
   "last_modified" TEXT,
   "content_type" TEXT,
   "encoding" TEXT,
   "body_hash" TEXT REFERENCES "bodies"("hash"),
   "error_kind" TEXT,
   "error" TEXT
)""",
    """CREATE TABLE IF NOT EXISTS "articles" (
   "id" INTEGER PRIMARY KEY,
   "site" TEXT NOT NULL,
   "url" TEXT NOT NULL,
   "canonical_url" TEXT NOT NULL,
   "title" TEXT,
   "lead" TEXT,
   "body" TEXT,
   "authors" TEXT,
   "published_at" TEXT,
   "updated_at" TEXT,
   "section" TEXT,
   "tags" TEXT,
   "language" TEXT,
   "images" TEXT,
   "paywalled" INTEGER,
   "comment_count" INTEGER,
   "missing_fields" TEXT,
   "first_seen" TEXT,
   "last_seen" TEXT,
   "last_fetched" TEXT,
   "content_hash" TEXT,
   "parser" TEXT,
   "parser_version" TEXT,
   "revisions" INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS "article_urls" (
   "url" TEXT PRIMARY KEY,
   "article_id" INTEGER REFERENCES "articles"("id")
)""",
    """CREATE TABLE IF NOT EXISTS "article_revisions" (
   "id" INTEGER PRIMARY KEY,
   "article_id" INTEGER REFERENCES "articles"("id"),
   "fetched_at" TEXT,
   "content_hash" TEXT,
   "parser" TEXT,
   "parser_version" TEXT,
   "title" TEXT,
   "lead" TEXT,
   "body" TEXT,
   "page_id" INTEGER REFERENCES "pages"("id")
)""",
    """CREATE TABLE IF NOT EXISTS "ticker_items" (
   "id" INTEGER PRIMARY KEY,
   "site" TEXT NOT NULL,
   "item_key" TEXT NOT NULL,
   "title" TEXT NOT NULL,
   "url" TEXT,
   "shown_time" TEXT,
   "published_at" TEXT,
   "first_seen" TEXT NOT NULL,
   "last_seen" TEXT NOT NULL
)""",
    'CREATE UNIQUE INDEX IF NOT EXISTS "idx_articles_canonical_url" '
    'ON "articles" ("canonical_url")',
    'CREATE INDEX IF NOT EXISTS "idx_articles_site_published_at" '
    'ON "articles" ("site", "published_at")',
    'CREATE INDEX IF NOT EXISTS "idx_article_revisions_article_id_fetched_at" '
    'ON "article_revisions" ("article_id", "fetched_at")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "idx_ticker_items_site_item_key" '
    'ON "ticker_items" ("site", "item_key")',
    'CREATE INDEX IF NOT EXISTS "idx_ticker_items_site_last_seen" '
    'ON "ticker_items" ("site", "last_seen")',
    'CREATE INDEX IF NOT EXISTS "idx_pages_url_fetched_at" ON "pages" ("url", "fetched_at")',
    'CREATE INDEX IF NOT EXISTS "idx_pages_site_fetched_at" ON "pages" ("site", "fetched_at")',
    'CREATE INDEX IF NOT EXISTS "idx_runs_site_started_at" ON "runs" ("site", "started_at")',
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS "articles_fts" USING FTS5 (
    "title", "lead", "body",
    tokenize='{FTS_TOKENIZE}',
    content="articles"
)""",
    """CREATE TRIGGER IF NOT EXISTS "articles_ai" AFTER INSERT ON "articles" BEGIN
  INSERT INTO "articles_fts" (rowid, "title", "lead", "body")
  VALUES (new.rowid, new."title", new."lead", new."body");
END""",
    """CREATE TRIGGER IF NOT EXISTS "articles_ad" AFTER DELETE ON "articles" BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "lead", "body")
  VALUES('delete', old.rowid, old."title", old."lead", old."body");
END""",
    """CREATE TRIGGER IF NOT EXISTS "articles_au" AFTER UPDATE ON "articles" BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "lead", "body")
  VALUES('delete', old.rowid, old."title", old."lead", old."body");
  INSERT INTO "articles_fts" (rowid, "title", "lead", "body")
  VALUES (new.rowid, new."title", new."lead", new."body");
END""",
]

_V2 = [
    # The v1 update trigger re-indexed an article on every last_seen bump, so an unchanged
    # re-crawl grew the FTS index; re-index only when the indexed text changes.
    'DROP TRIGGER IF EXISTS "articles_au"',
    """CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "lead", "body" ON "articles" BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "lead", "body")
  VALUES('delete', old.rowid, old."title", old."lead", old."body");
  INSERT INTO "articles_fts" (rowid, "title", "lead", "body")
  VALUES (new.rowid, new."title", new."lead", new."body");
END""",
    # Rank a title hit above a lead hit above a body hit.
    """INSERT INTO "articles_fts" ("articles_fts", rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')""",
    # Revisits: how many of the site's revisit delays have been served for this article.
    'ALTER TABLE "articles" ADD COLUMN "revisits_done" INTEGER NOT NULL DEFAULT 0',
    # Articles archived by v1 more than a week ago (the default ladder's last delay) count
    # as revisited, or the first v2 crawl would refetch the whole archive.
    f'UPDATE "articles" SET "revisits_done" = {REVISITS_ALL_SERVED} '
    "WHERE \"first_seen\" < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 days')",
    'CREATE INDEX IF NOT EXISTS "idx_articles_site_first_seen" '
    'ON "articles" ("site", "first_seen")',
    # A revision written by `newsrack reparse` (not a fetch) says when.
    'ALTER TABLE "article_revisions" ADD COLUMN "reparsed_at" TEXT',
    # Every title a ticker item was shown with, and when.
    """CREATE TABLE "ticker_titles" (
   "id" INTEGER PRIMARY KEY,
   "ticker_item_id" INTEGER NOT NULL REFERENCES "ticker_items"("id"),
   "title" TEXT NOT NULL,
   "first_seen" TEXT NOT NULL,
   "last_seen" TEXT NOT NULL
)""",
    'CREATE UNIQUE INDEX "idx_ticker_titles_item_title" '
    'ON "ticker_titles" ("ticker_item_id", "title")',
    'INSERT INTO "ticker_titles" ("ticker_item_id", "title", "first_seen", "last_seen") '
    'SELECT "id", "title", "first_seen", "last_seen" FROM "ticker_items"',
    # Kept in step by triggers, so any writer of ticker_items (a 304 that only bumps
    # last_seen, say) keeps the history right.
    """CREATE TRIGGER "ticker_items_ai" AFTER INSERT ON "ticker_items" BEGIN
  INSERT OR IGNORE INTO "ticker_titles" ("ticker_item_id", "title", "first_seen", "last_seen")
  VALUES (new."id", new."title", new."first_seen", new."last_seen");
END""",
    """CREATE TRIGGER "ticker_items_au_title" AFTER UPDATE OF "title" ON "ticker_items"
WHEN new."title" IS NOT old."title" BEGIN
  INSERT OR IGNORE INTO "ticker_titles" ("ticker_item_id", "title", "first_seen", "last_seen")
  VALUES (new."id", new."title", new."last_seen", new."last_seen");
END""",
    """CREATE TRIGGER "ticker_items_au_seen" AFTER UPDATE OF "last_seen" ON "ticker_items" BEGIN
  UPDATE "ticker_titles" SET "last_seen" = new."last_seen"
  WHERE "ticker_item_id" = new."id" AND "title" = new."title" AND "last_seen" < new."last_seen";
END""",
    'CREATE INDEX IF NOT EXISTS "idx_pages_body_hash" ON "pages" ("body_hash")',
]

_V3 = [
    # What each listing page showed when it was last parsed, so that a 304 Not Modified
    # for it can bump last_seen of those ticker items and retry its unarchived links.
    """CREATE TABLE "listing_snapshots" (
   "url" TEXT PRIMARY KEY,
   "site" TEXT NOT NULL,
   "seen_at" TEXT NOT NULL,
   "ticker_keys" TEXT NOT NULL,
   "links" TEXT NOT NULL
)""",
]

_V4 = [
    # The page's meta description, kept apart from the text: `lead` is the standfirst as
    # printed (or NULL) and `body` the sub-headings and paragraphs (Article.main_text).
    'ALTER TABLE "articles" ADD COLUMN "description" TEXT',
]

_V5 = [
    # Resumable positions of long jobs (backfill, WARC import): one row per job key.
    "CREATE TABLE progress (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
    # How an article's link was found ('start', 'listing', 'ticker', 'feed', 'sitemap'), and
    # the date and title the feed, sitemap or listing gave with it (NULL: none given).
    'ALTER TABLE "articles" ADD COLUMN "discovered_via" TEXT',
    'ALTER TABLE "articles" ADD COLUMN "listed_at" TEXT',
    'ALTER TABLE "articles" ADD COLUMN "listed_title" TEXT',
]

#: MIGRATIONS[n - 1] brings an archive from version n - 1 to version n.
MIGRATIONS: tuple[list[str], ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_newer(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; ArchiveVersionError (nothing written) when newer than ours."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise ArchiveVersionError(
            f"{path}: archive schema {version} is newer than this newsrack's "
            f"({SCHEMA_VERSION}); upgrade newsrack to open it (the file was not changed)"
        )
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the archive to SCHEMA_VERSION in one transaction; returns the version found.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that no
    statement commits behind our back.
    """
    found = refuse_newer(conn, path)
    if found == SCHEMA_VERSION:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = refuse_newer(conn, path)  # another process may have migrated meanwhile
        for steps in MIGRATIONS[version:]:
            for statement in steps:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return found
