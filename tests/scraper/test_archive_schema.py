"""Migrations: an older archive upgrades in one transaction; a newer one is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from scraper.archive import Archive, schema
from scraper.cli import cli
from scraper.errors import ArchiveError, ArchiveVersionError
from tests.support.archive_helpers import query


def make_v1(path) -> None:
    """An archive as release 1 left it, with an article and a ticker item."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in schema.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO articles (site, url, canonical_url, title, lead, body, first_seen, "
        "last_seen, content_hash, revisions) VALUES ('s', 'http://x/a', 'http://x/a', "
        "'Aïn Sebaâ inaugure', 'Chapeau', 'Corps', '2025-05-01T10:00:00Z', "
        "'2025-05-01T10:00:00Z', 'h', 1)"
    )
    recent = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn.execute(
        "INSERT INTO articles (site, url, canonical_url, title, first_seen, last_seen, "
        "content_hash, revisions) VALUES ('s', 'http://x/b', 'http://x/b', 'Récent', ?, ?, 'h', 1)",
        (recent, recent),
    )
    conn.execute(
        "INSERT INTO ticker_items (site, item_key, title, url, first_seen, last_seen) "
        "VALUES ('s', 'http://x/a', 'Titre', 'http://x/a', '2025-05-01T10:00:00Z', "
        "'2025-05-01T11:00:00Z')"
    )
    conn.close()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fresh_archive_is_at_the_current_version_in_wal(tmp_path) -> None:
    db = tmp_path / "a.db"
    Archive(db).close()
    assert query(db, "PRAGMA user_version") == [(schema.SCHEMA_VERSION,)]
    assert query(db, "PRAGMA journal_mode") == [("wal",)]
    tables = {r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "article_revisions", "pages", "bodies", "ticker_titles"} <= tables


def test_v1_archive_is_upgraded_keeping_its_rows(tmp_path) -> None:
    db = tmp_path / "v1.db"
    make_v1(db)
    with Archive(db) as archive:
        assert archive.conn.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        # an old article is not revisited after the upgrade; a recent one still is
        assert archive.conn.execute("SELECT title, revisits_done FROM articles").fetchall() == [
            ("Aïn Sebaâ inaugure", schema.REVISITS_ALL_SERVED),
            ("Récent", 0),
        ]
        assert archive.conn.execute(
            "SELECT title, first_seen, last_seen FROM ticker_titles"
        ).fetchall() == [("Titre", "2025-05-01T10:00:00Z", "2025-05-01T11:00:00Z")]
        # the FTS index built by v1 still answers, and without accents
        assert archive.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ain sebaa'"
        ).fetchall() == [(1,)]
    # a fresh archive and an upgraded one have the same schema
    fresh = tmp_path / "fresh.db"
    Archive(fresh).close()
    shape = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert query(db, shape) == query(fresh, shape)


def test_failed_migration_leaves_the_old_archive_as_it_was(tmp_path, monkeypatch) -> None:
    db = tmp_path / "v1.db"
    make_v1(db)
    broken = (schema.MIGRATIONS[0], [*schema.MIGRATIONS[1][:5], "CREATE TABLE articles (x)"])
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(ArchiveError, match=r"v1\.db"):
        Archive(db)
    assert query(db, "PRAGMA user_version") == [(1,)]
    columns = [r[1] for r in query(db, "PRAGMA table_info(articles)")]
    assert "revisits_done" not in columns  # the ALTER of step 4 was rolled back
    triggers = query(db, "SELECT sql FROM sqlite_master WHERE name = 'articles_au'")
    assert "UPDATE OF" not in triggers[0][0]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_newer_archive_is_refused_and_not_touched(tmp_path) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = sha(db)
    with pytest.raises(ArchiveVersionError, match="schema 99 is newer"):
        Archive(db)
    assert sha(db) == before
    assert not (tmp_path / "future.db-wal").exists()

    result = CliRunner().invoke(cli, ["--db", str(db), "search", "x"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert (
        f"future.db: archive schema 99 is newer than this newsrack's ({schema.SCHEMA_VERSION})"
        in result.stderr
    )
    assert sha(db) == before


def test_reading_commands_do_not_create_a_missing_archive(tmp_path) -> None:
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "stats"])
    assert result.exit_code == 1
    assert "none.db: no archive there" in result.stderr
    assert not db.exists()
