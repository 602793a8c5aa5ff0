"""Archives on both engines for tests: a SQLite file, or a fresh schema in a test PostgreSQL.

``NEWSRACK_TEST_PG`` names the test server (``postgresql://USER@HOST:PORT/DB``;
``.ci/postgres start`` starts one and prints it). Without it the PostgreSQL cases
skip with one line, except under ``CI=true``, where a missing or unreachable
server fails them: CI must test both engines. One database serves the whole
session; each test gets its own schema (dropped afterwards), reached through the
URL's ``options=-csearch_path=...``, so the same URL works for ``Archive(url)``
and for ``newsrack --db URL``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest

ENV = "NEWSRACK_TEST_PG"
ENGINES = ("sqlite", "postgres")


def server_url() -> str:
    """The test server's URL; skips (or fails under CI=true) when there is none."""
    url = os.environ.get(ENV, "")
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not url:
        if in_ci:
            pytest.fail(f"CI=true but {ENV} is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip(f"PostgreSQL case: set {ENV}=postgresql://... (.ci/postgres start prints one)")
    try:
        import psycopg
    except ImportError:
        pytest.fail(f"{ENV} is set but psycopg is missing: pip install -e '.[test]'")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        message = f"{ENV}={url}: cannot connect ({' '.join(str(exc).split())[:200]})"
        if in_ci:
            pytest.fail(message)
        pytest.skip(message)
    return url


def with_schema(url: str, schema: str) -> str:
    """``url`` whose sessions use ``schema`` (search_path), through libpq's ``options``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A fresh schema in the test database for one test: its URL; dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_schema(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def is_pg(db: Any) -> bool:
    return isinstance(db, str) and db.startswith("postgresql://")


def pg_query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query with ``?`` placeholders (as the SQLite tests write them) on PostgreSQL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(sql.replace("%", "%%").replace("?", "%s"), params).fetchall()
    # sum() of a BIGINT is NUMERIC on PostgreSQL: whole Decimals read as the ints SQLite gives
    return [tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in rows]
