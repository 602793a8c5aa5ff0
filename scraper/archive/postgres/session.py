"""A psycopg connection made to read the archive's shared SQL: ``?`` placeholders, safe text.

The shared modules write SQL once, with SQLite's ``?`` placeholders; ``pg_sql``
turns them into psycopg's ``%s`` (a literal ``%`` doubled), as Django's SQLite
backend does the other way round. The shared SQL puts no ``?`` or ``%`` inside a
string literal. ``pg_params`` replaces NUL characters in text by U+FFFD:
PostgreSQL text cannot hold them (SQLite can), and a page's hostile NUL must
not cost its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """Shared SQL (``?`` placeholders) as psycopg reads it (``%s``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _value(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def pg_params(params: Iterable[Any]) -> tuple[Any, ...]:
    """Parameters PostgreSQL can store: NUL in text becomes U+FFFD."""
    return tuple(_value(p) for p in params)


class PgSession:
    """What ``PgConnection.transaction()`` yields: ``execute``/``executemany`` of shared SQL."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Any:
        return self._conn.execute(pg_sql(sql), pg_params(params))

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]], /) -> Any:
        cursor = self._conn.cursor()
        cursor.executemany(pg_sql(sql), [pg_params(p) for p in seq])
        return cursor
