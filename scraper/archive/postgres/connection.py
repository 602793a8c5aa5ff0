"""Opening a PostgreSQL archive: connect, migrate, transactions and error-mapped reads.

``PgConnection`` is the PostgreSQL engine under the shared archive code (see
``scraper.archive.backend``): one psycopg 3 connection in autocommit mode, each
write an explicit transaction (``transaction()``), each read its own statement.
``_stream`` reads through a server-side cursor ``WITH HOLD`` (fetched in batches,
so constant memory, and the connection stays free for other queries between
batches, as an export of pages that reads each body needs). A connection the
server dropped (a restart, a failover) is replaced on the next call: the write in
flight fails as one line (its page's failure), a read is retried once, and a
long-running daemon goes on without a restart. psycopg is an
optional dependency (``pip install 'newsrack[postgres]'``); without it, opening a
``postgresql://`` archive is one line saying so.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from scraper.archive.backend import ArchiveBackend
from scraper.archive.postgres import schema
from scraper.archive.postgres.errors import FIX_URL, connect_error, pg_error, safe_url
from scraper.archive.postgres.session import PgSession, pg_params, pg_sql
from scraper.errors import ArchiveError

CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise
STREAM_BATCH = 100  # rows a streamed read fetches at a time (constant memory: ~100 articles)
_cursor_names = itertools.count(1)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ArchiveError(
            "a postgresql:// archive needs psycopg 3: pip install 'newsrack[postgres]'"
        ) from None
    return psycopg


class PgConnection(ArchiveBackend):
    """One open PostgreSQL archive. Not thread-safe: use it from one thread."""

    GREATEST = "greatest"
    FOR_UPDATE = " FOR UPDATE"

    def __init__(self, url: str, *, create: bool = True) -> None:
        """Connect to ``url`` and bring its archive up to date; ``create=False`` for readers."""
        psycopg = _psycopg()
        self.url = url
        self.path = safe_url(url)
        self.readonly = False
        self.undecodable = 0
        self._error = psycopg.Error
        self._options: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in url:
            self._options["connect_timeout"] = CONNECT_TIMEOUT
        try:
            self.conn = psycopg.connect(url, **self._options)
        except psycopg.Error as exc:
            raise connect_error(self.path, exc) from exc
        except Exception as exc:  # a malformed URL: psycopg raises ProgrammingError or ValueError
            raise ArchiveError(
                f"{self.path}: not a PostgreSQL URL psycopg can read ({exc}); {FIX_URL}"
            ) from exc
        try:
            schema.migrate(self.conn, self.path, create=create)
        except psycopg.Error as exc:
            self.conn.close()
            raise pg_error(self.path, exc) from exc
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def _reconnect_if_dropped(self) -> bool:
        """Replace a connection the server dropped; whether a new one is in place."""
        if not self.conn.broken:
            return False
        import psycopg

        try:
            self.conn = psycopg.connect(self.url, **self._options)
        except psycopg.Error:
            return False  # still down: the next call tries again
        return True

    @contextmanager
    def transaction(self) -> Iterator[PgSession]:
        """``BEGIN`` ... ``COMMIT``, rolled back on error; psycopg errors: ArchiveError."""
        self._reconnect_if_dropped()
        try:
            with self.conn.transaction():
                yield PgSession(self.conn)
        except self._error as exc:
            self._reconnect_if_dropped()
            raise pg_error(self.path, exc) from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._reconnect_if_dropped()
        try:
            return self.conn.execute(pg_sql(sql), pg_params(params)).fetchall()
        except self._error as exc:
            if self._reconnect_if_dropped():
                try:
                    return self.conn.execute(pg_sql(sql), pg_params(params)).fetchall()
                except self._error as again:
                    raise pg_error(self.path, again) from again
            raise pg_error(self.path, exc) from exc

    def _columns(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        try:
            cursor = self.conn.execute(pg_sql(f"{sql} LIMIT 0"), pg_params(params))
        except self._error as exc:
            raise pg_error(self.path, exc) from exc
        return [d.name for d in cursor.description or ()]

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        from psycopg.rows import dict_row

        try:
            cursor = self.conn.cursor(
                f"newsrack_stream_{next(_cursor_names)}", row_factory=dict_row, withhold=True
            )
            cursor.itersize = STREAM_BATCH
            cursor.execute(pg_sql(sql), pg_params(params))
        except self._error as exc:
            raise pg_error(self.path, exc) from exc
        return self._guarded(cursor)

    def _guarded(self, cursor: Any) -> Iterator[dict[str, Any]]:
        try:
            yield from cursor
        except self._error as exc:
            raise pg_error(self.path, exc) from exc
        finally:
            if not self.conn.closed:
                with suppress(self._error):
                    cursor.close()

    def storage_bytes(self) -> int:
        """The archive's tables and indexes (in its schema), in bytes."""
        row = self._read_one(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
        )
        return int(row[0]) if row else 0

    def _after_copy(self, conn: Any, table: str) -> None:
        """Rows went in with their ids: move the table's id sequence past them."""
        if table in ("meta", "bodies", "article_urls", "listing_snapshots"):
            return
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"greatest((SELECT max(id) FROM {table}), 1))"
        )
