"""The archive, and the only place with SQL: schema, writes, named queries, errors.

``Archive(location)`` opens a SQLite file (the default, embedded) or, given a
``postgresql://`` URL, a PostgreSQL database (``postgres/``, psycopg 3); both
implement the one interface in ``interface.py`` and share the writes and reads.

Deduplication (one ``articles`` row per canonical URL, ``article_urls`` for
every URL seen), revisions (a new ``article_revisions`` row whenever the
normalized title, lead and body change), raw bodies stored once per SHA-256,
zstd-compressed, ticker history, revisits and the runs log. Writes are
``BEGIN IMMEDIATE`` transactions in WAL mode with ``synchronous=NORMAL``; every
engine error leaving the package is a one-line ``ArchiveError``. Modules:

    interface.py   ``Archive``: the public methods, and the choice of engine by location
    backend.py     what the shared code needs of an engine (transaction, reads, SQL spellings)
    connection.py  SQLite: open the file (path checks, WAL, migrations), transactions, reads
    schema.py      the schema as numbered migrations of plain SQL (PRAGMA user_version)
    sqlerrors.py   sqlite3 errors -> one-line ArchiveError naming the file and the fix
    values.py      UTC text times, content hashes, ticker keys, surrogate repair (no parser code)
    writes.py      runs, pages and bodies, articles (the freshness rule), ticker items, snapshots
    queries.py     named reads: pages, bodies, articles, revisions, reparse work, runs, stats
    reading.py     export (every table, streamed) and copy (batches, resumable)
    sqlite_search.py  SQLite search (quoted FTS5 queries, capped, bm25)
    store.py       ``SqliteArchive``, assembled from the above
    postgres/      ``PostgresArchive``: connection, schema, errors, search (tsvector, unaccent)
"""

from __future__ import annotations

from scraper.archive.interface import Archive, is_postgres_url
from scraper.archive.queries import DueRevisit, ReparseCandidate, StoredPage
from scraper.archive.reading import (
    COPY_TABLES,
    EXPORT_TABLES,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    TimeWindow,
)
from scraper.archive.schema import FTS_TOKENIZE, SCHEMA_VERSION
from scraper.archive.sqlerrors import archive_error
from scraper.archive.store import SqliteArchive
from scraper.archive.values import (
    Found,
    content_hash,
    in_utc_range,
    parse_utc_text,
    repair_text,
    ticker_item_key,
    utc_text,
)
from scraper.archive.writes import SavedArticle, article_hash

__all__ = [
    "COPY_TABLES",
    "EXPORT_TABLES",
    "FTS_TOKENIZE",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "SCHEMA_VERSION",
    "Archive",
    "DueRevisit",
    "Found",
    "ReparseCandidate",
    "SavedArticle",
    "SqliteArchive",
    "StoredPage",
    "TimeWindow",
    "archive_error",
    "article_hash",
    "content_hash",
    "in_utc_range",
    "is_postgres_url",
    "parse_utc_text",
    "repair_text",
    "ticker_item_key",
    "utc_text",
]
