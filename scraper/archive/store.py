"""``Archive``: one open archive file, its writes, its named queries, its search and export.

The class is assembled from the package's modules, one job each:
``connection`` (open, migrate, transactions, error mapping), ``writes``,
``queries`` and ``reading`` (search and export). Nothing outside the package
runs SQL: every read the CLI, status, daemon and exports need is a method here.
"""

from __future__ import annotations

from scraper.archive.reading import ArchiveReading
from scraper.archive.writes import ArchiveWrites


class Archive(ArchiveWrites, ArchiveReading):
    """One open archive file. Not thread-safe: use it from one thread (the event loop's).

    ``Archive(path)`` opens (creating and upgrading) the file; ``Archive(path,
    create=False)`` is for reading commands: it never creates a file, nor writes a
    schema into an empty one, and serves read-only storage through an immutable
    connection. Use it as a context manager, or call ``close()``.
    """

    def __enter__(self) -> Archive:
        return self
