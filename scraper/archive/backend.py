"""What the shared archive code needs of a database engine: a session, reads, a transaction.

``ArchiveBackend`` is the base the engine-neutral modules (``writes``,
``queries``, ``reading``) are written against, and which each engine fills in:
``connection.ArchiveConnection`` for SQLite, ``postgres.connection.PgConnection``
for PostgreSQL. The shared SQL uses ``?`` placeholders and only what both engines
read the same way (``ON CONFLICT``, ``RETURNING``, ``FILTER``, ``NULLS FIRST``);
the few spellings that differ are class attributes here (``GREATEST``,
``FOR_UPDATE``). Every engine error leaving a method is a one-line ``ArchiveError``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class SqlCursor(Protocol):
    """The part of a DB-API cursor the archive uses."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SqlSession(Protocol):
    """What ``transaction()`` yields: statements with ``?`` placeholders, inside one transaction."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, seq: Any, /) -> Any: ...


class ArchiveBackend(ABC):
    """One open archive on one engine. Not thread-safe: use it from one thread."""

    #: The two-argument maximum of the engine's SQL (SQLite ``max``, PostgreSQL ``greatest``).
    GREATEST = "max"
    #: Appended to a SELECT of the row a write then updates: a row lock where the engine has
    #: them (PostgreSQL); SQLite's ``BEGIN IMMEDIATE`` already serializes writers.
    FOR_UPDATE = ""

    #: What messages name: the file (SQLite) or the URL without its password (PostgreSQL).
    path: Any
    #: Text values read so far that were not valid UTF-8 (returned with U+FFFD).
    undecodable: int = 0

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """One write transaction, committed on success, rolled back on error."""

    @abstractmethod
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query, as tuples."""

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, fetched lazily (constant memory)."""

    @abstractmethod
    def _columns(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        """The column names a query yields, without reading its rows."""

    @abstractmethod
    def storage_bytes(self) -> int:
        """How many bytes the archive takes where it is stored."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @abstractmethod
    def _after_copy(self, conn: Any, table: str) -> None:
        """What the engine must do after rows went in with their ids."""

    def _read_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._read(sql, params)
        return rows[0] if rows else None
