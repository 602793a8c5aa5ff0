"""``SqliteArchive``: the SQLite implementation of ``Archive``, assembled from the modules.

One job each: ``connection`` (open, migrate, transactions, error mapping),
``writes``, ``queries``, ``reading`` (export, copy) and ``sqlite_search``. The
PostgreSQL implementation (``scraper.archive.postgres``) shares the writes,
queries and reading; ``Archive(location)`` picks one by its location.
"""

from __future__ import annotations

from scraper.archive.interface import Archive
from scraper.archive.sqlite_search import SqliteSearch
from scraper.archive.writes import ArchiveWrites


class SqliteArchive(ArchiveWrites, SqliteSearch, Archive):
    """One open archive file. Not thread-safe: use it from one thread (the event loop's).

    ``SqliteArchive(path)`` opens (creating and upgrading) the file; ``create=False`` is
    for reading commands: it never creates a file, nor writes a schema into an empty one,
    and serves read-only storage through an immutable connection. Use it as a context
    manager, or call ``close()``.
    """
