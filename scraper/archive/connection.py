"""Opening the archive file: checks on the path, WAL settings, migrations, transactions, reads.

``ArchiveConnection`` is the base of ``Archive``: it opens (and upgrades) the
file, in WAL mode with ``synchronous=NORMAL`` and a busy timeout, and gives the
write and query modules three tools that map every SQLite error to a one-line
``ArchiveError``: ``transaction()`` (``BEGIN IMMEDIATE`` ... ``COMMIT``),
``_read`` (all rows of a query) and ``_stream`` (rows as dicts, lazily, through
sqlite-utils' ``Database.query``). A reader (``create=False``) never creates a
file and never writes a schema into an empty one; on read-only storage it falls
back to an immutable connection when no write-ahead log is pending. Stored text
that is not valid UTF-8 (a damaged row) reads back with U+FFFD in place of the bad
bytes and is counted in ``undecodable``: sqlite3 would otherwise raise on that row
again and again, and no read could get past it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from scraper.archive import schema
from scraper.archive.backend import ArchiveBackend
from scraper.archive.schema import SCHEMA_VERSION
from scraper.archive.sqlerrors import archive_error
from scraper.errors import ArchiveError

BUSY_TIMEOUT_MS = 30_000


class ArchiveConnection(ArchiveBackend):
    """One open SQLite archive file. Not thread-safe: use it from one thread (the event loop's)."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        """Open (and upgrade) the archive at ``path``; ``create=False`` for reading commands."""
        self.path = Path(path)
        self.readonly = False
        #: Text values read so far that were not valid UTF-8 (returned with U+FFFD).
        self.undecodable = 0
        self._check_path(create)
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
        except (FileExistsError, NotADirectoryError) as exc:
            raise ArchiveError(
                f"{self.path}: a file stands where a folder of this path should be "
                f"({exc.filename}); pass --db PATH in a folder"
            ) from exc
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot open the archive: {exc.strerror}") from exc

    def _check_path(self, create: bool) -> None:
        """One-line errors for paths SQLite would misread (a folder, an empty file, no file)."""
        if "\x00" in str(self.path):
            raise ArchiveError(f"{str(self.path)!r}: an archive path cannot hold a NUL character")
        if self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a folder, not an archive file; pass --db FILE")
        for parent in self.path.parents:
            if parent.exists() and not parent.is_dir():
                raise ArchiveError(
                    f"{self.path}: {parent} is a file, not a folder; pass --db PATH in a folder"
                )
        if create:
            return
        if not self.path.exists():
            raise ArchiveError(
                f"{self.path}: no archive there; run `newsrack crawl` first or pass --db PATH"
            )
        if self.path.stat().st_size == 0:
            raise ArchiveError(
                f"{self.path}: empty file, not an archive yet (left unchanged); run "
                "`newsrack crawl` to fill it or pass --db PATH"
            )

    def _connect(self, *, immutable: bool = False) -> sqlite3.Connection:
        if immutable:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.text_factory = self._text
        return conn

    def _text(self, data: bytes) -> str:
        """Stored text to str; invalid UTF-8 is replaced and counted, never raised."""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.undecodable += 1
            return data.decode("utf-8", "replace")

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

    def __enter__(self) -> Any:
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

    # --- reads: every one maps SQLite errors ------------------------------------------------

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query, as tuples."""
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc

    def _columns(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        try:
            cursor = self.conn.execute(f"{sql} LIMIT 0", tuple(params))
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        return [d[0] for d in cursor.description]

    def _after_copy(self, conn: Any, table: str) -> None:
        """Nothing: an INTEGER PRIMARY KEY always continues after the largest id."""
        return None

    def storage_bytes(self) -> int:
        """The file and its write-ahead log, in bytes."""
        wal = self.path.with_name(self.path.name + "-wal")
        return sum(p.stat().st_size for p in (self.path, wal) if p.exists())

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, fetched lazily (constant memory), via sqlite-utils."""
        try:
            rows = self.db.query(sql, list(params))
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc
        return self._guarded(rows)

    def _guarded(self, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        try:
            yield from rows
        except sqlite3.Error as exc:
            raise archive_error(self.path, exc) from exc

