"""Shared fixtures: a real loopback HTTP server, the installed ``newsrack`` command, and an
archive location on each engine (``archive_db``: a SQLite path, then a PostgreSQL URL)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.archives import ENGINES, pg_schema, server_url
from tests.support.commands import NEWSRACK, run_newsrack
from tests.support.httpserver import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as running:
        yield running


@pytest.fixture
def newsrack() -> Callable[..., subprocess.CompletedProcess[str]]:
    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {sys.executable}: pip install -e .")
    return run_newsrack


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL server (one database for the session)."""
    return server_url()


@pytest.fixture(params=ENGINES)
def archive_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where a test's archive lives: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield tmp_path / "archive.db"
        return
    with pg_schema(request.getfixturevalue("pg_url")) as url:
        yield url
