"""The PostgreSQL archive: the same tables, rules and methods as SQLite's, on a server.

``Archive("postgresql://USER@HOST:PORT/DB")`` opens one (psycopg 3, the
``postgres`` extra). The writes, named queries, export and copy are the shared
modules of ``scraper.archive``; this package adds what differs. Modules:

    connection.py  connect (one-line errors), migrate, transactions, streamed reads
    schema.py      the schema (BIGINT, identity ids, COLLATE "C", tsvector + GIN, unaccent)
    session.py     shared SQL (``?``) as psycopg reads it; NUL in text made storable
    errors.py      psycopg errors -> one-line ArchiveError naming the server and the fix
    search.py      quoted tsquery search, ts_rank_cd ranking, ts_headline snippets
"""

from __future__ import annotations

from scraper.archive.interface import Archive
from scraper.archive.postgres.search import PgSearch
from scraper.archive.writes import ArchiveWrites


class PostgresArchive(ArchiveWrites, PgSearch, Archive):
    """One open PostgreSQL archive. Not thread-safe: use it from one thread.

    ``PostgresArchive(url)`` connects and creates or upgrades the archive's tables in the
    URL's schema; ``create=False`` (reading commands) refuses a database without one.
    """


__all__ = ["PostgresArchive"]
