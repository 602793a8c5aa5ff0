"""The archive's own values: hashes that no parser edit moves, times that never overflow, text
that SQLite can store (lone surrogates repaired), the description column and the main text."""

from __future__ import annotations

import ast
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from parsers.base import Article, Section, TickerItem
from scraper.archive import Archive, content_hash, ticker_item_key, utc_text, values
from tests.support.archive_helpers import T0, page, query

EAST = timezone(timedelta(hours=5))
WEST = timezone(timedelta(hours=-5))


def test_hashes_and_keys_do_not_depend_on_parser_code() -> None:
    """A parser edit must not move a hash: the module that makes them imports no parser."""
    source = Path(values.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name.split(".")[0] in ("parsers", "scraper")}


def test_content_hash_normalizes_white_space_and_zero_width_marks_itself() -> None:
    plain = content_hash("Le titre", "Un chapeau.", "Un corps.\n\nDeux.")
    assert content_hash(" Le\u00a0titre ", "Un\u200b chapeau.", "Un  corps.\tDeux.") == plain
    assert content_hash("Le titre", None, "Un corps. Deux.") != plain
    # the stored rule: SHA-256 of the normalized parts joined by U+001F; changing it would
    # give every archived article a false revision on its next fetch
    expected = hashlib.sha256(b"a b\x1fb\x1fc").hexdigest()
    assert content_hash(" a\n b ", "b\u00ad", "\u200bc") == expected
    assert ticker_item_key(None, " Un\u00a0titre ") == "title:Un titre"


def test_utc_text_saturates_at_year_1_and_9999_instead_of_overflowing() -> None:
    assert utc_text(datetime(1, 1, 1, tzinfo=EAST)) == "0001-01-01T00:00:00Z"
    assert utc_text(datetime(1, 1, 1, 5, tzinfo=UTC)) == "0001-01-01T05:00:00Z"  # not "1-01-01"
    assert utc_text(datetime(9999, 12, 31, 23, 59, 59, tzinfo=WEST)) == "9999-12-31T23:59:59Z"
    assert utc_text(datetime(9999, 12, 31, 23, 59, 59, tzinfo=EAST)) == "9999-12-31T18:59:59Z"
    assert utc_text(datetime(2025, 5, 9, 11, 0, tzinfo=timezone(timedelta(hours=1)))) == (
        "2025-05-09T10:00:00Z"
    )


def test_an_article_with_extreme_dates_and_lone_surrogates_is_stored_repaired(tmp_path) -> None:
    db = tmp_path / "a.db"
    url = "http://n.test/\ud800"
    item = Article(
        url=url,
        title="Titre \udce9",
        body="Corps \ud83d.",
        lead="Chapeau",
        authors=("A\udfff",),
        published_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=WEST),
        updated_at=datetime(1, 1, 1, tzinfo=EAST),
        comment_count=10**30,
    )
    with Archive(db) as archive:
        saved = archive.save_article(
            item, site="s", url=url, canonical_url=url, fetched_at=T0, page=page(url)
        )
        again = archive.save_article(
            item, site="s", url=url, canonical_url=url, fetched_at=T0 + timedelta(minutes=5)
        )
        assert archive.save_ticker_item(
            "s", TickerItem("Flash \ud800", url), url=url, published_at=None, seen_at=T0
        )
    assert saved.created and not again.revised  # the repaired text hashes the same each time
    assert query(db, "SELECT title, body, authors, published_at, updated_at FROM articles") == [
        ("Titre \ufffd", "Corps \ufffd.", '["A\ufffd"]', "9999-12-31T23:59:59Z",
         "0001-01-01T00:00:00Z")
    ]  # fmt: skip
    assert query(db, "SELECT comment_count FROM articles") == [(None,)]
    assert query(db, "SELECT title, url FROM ticker_items") == [
        ("Flash \ufffd", "http://n.test/\ufffd")
    ]


def test_body_is_the_main_text_lead_the_standfirst_description_apart(tmp_path) -> None:
    db = tmp_path / "a.db"
    url = "http://n.test/1"
    item = Article(
        url=url,
        title="Inondations",
        body="Premier paragraphe.\n\nSecond paragraphe.",
        lead="Le chapeau imprimé.",
        description="Résumé pour les moteurs de recherche sur la crue.",
        sections=(
            Section(None, ("Premier paragraphe.",)),
            Section("Un intertitre", ("Second paragraphe.",)),
        ),
    )
    with Archive(db) as archive:
        archive.save_article(item, site="s", url=url, canonical_url=url, fetched_at=T0)
    assert query(db, "SELECT lead, body, description FROM articles") == [
        (
            "Le chapeau imprimé.",
            "Premier paragraphe.\n\nUn intertitre\n\nSecond paragraphe.",
            "Résumé pour les moteurs de recherche sur la crue.",
        )
    ]
    assert query(db, "SELECT body FROM article_revisions") == [(item.main_text,)]
    fts = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    assert query(db, fts, ("intertitre",)) == [(1,)]  # sub-headings are text
    assert query(db, fts, ("chapeau",)) == [(1,)]
    assert query(db, fts, ("moteurs",)) == [(0,)]  # the meta description is not text


def test_schema_4_adds_the_description_column_to_an_archive_of_schema_3(tmp_path) -> None:
    from scraper.archive import schema

    db = tmp_path / "v3.db"
    conn = sqlite_utils.Database(db)
    for steps in schema.MIGRATIONS[:3]:
        for statement in steps:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.conn.commit()
    assert "description" not in conn["articles"].columns_dict
    conn.close()
    Archive(db).close()
    upgraded = sqlite_utils.Database(db)
    assert upgraded["articles"].columns_dict["description"] is str
    assert upgraded.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
    assert set(upgraded["articles_fts"].columns_dict) == {"title", "lead", "body"}
    upgraded.close()


def test_aware_and_naive_times_keep_their_meaning() -> None:
    assert utc_text(datetime(2025, 5, 9, 10, 0)) == "2025-05-09T10:00:00Z"
    assert utc_text(datetime(2025, 5, 9, 10, 0, tzinfo=UTC)) == "2025-05-09T10:00:00Z"
