"""One interface for both engines: every archive method the rest of newsrack calls is named
on ``Archive``, and both implementations fill in every one."""

from __future__ import annotations

import re
from pathlib import Path

from scraper.archive import Archive, SqliteArchive, is_postgres_url
from scraper.archive.postgres import PostgresArchive

ROOT = Path(__file__).resolve().parents[3]
CALL_RE = re.compile(r"\barchive\.([a-z_]+)\(")


def test_every_method_called_outside_the_package_is_on_the_interface() -> None:
    called = set()
    for module in (ROOT / "scraper").rglob("*.py"):
        if "archive" in module.relative_to(ROOT / "scraper").parts[:1]:
            continue
        called |= set(CALL_RE.findall(module.read_text(encoding="utf-8")))
    assert called, "no archive call found: the pattern is wrong"
    assert called <= set(Archive.__abstractmethods__), called - set(Archive.__abstractmethods__)


def test_both_engines_implement_all_of_it() -> None:
    assert SqliteArchive.__abstractmethods__ == frozenset()
    assert PostgresArchive.__abstractmethods__ == frozenset()
    assert issubclass(SqliteArchive, Archive) and issubclass(PostgresArchive, Archive)


def test_the_location_picks_the_engine(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        assert type(archive) is SqliteArchive
    assert is_postgres_url("postgresql://u@h:5432/db") and is_postgres_url("POSTGRES://h/db")
    assert not is_postgres_url("postgresql.db") and not is_postgres_url(Path("postgresql://x"))
