"""Datasette over an archive: tables, full-text search out of the box, every column described.

The Datasette part uses Datasette's own test client and is skipped where the
``datasette`` extra is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parsers.base import TickerItem
from scraper.archive import Archive
from tests.support.archive_helpers import save

METADATA = Path(__file__).parents[2] / "docs" / "datasette-metadata.json"


def make_archive(folder: Path) -> Path:
    db = folder / "archive.db"  # Datasette names the database after the file: "archive"
    with Archive(db) as archive:
        save(
            archive,
            "http://n.test/1",
            title="Un tramway pour Aïn Sebaâ",
            body="Le quartier aura sa ligne.",
            published_at=datetime(2025, 5, 1, tzinfo=UTC),
        )
        save(archive, "http://n.test/2", title="Le port de Safi", body="Un quai neuf.")
        archive.save_ticker_item(
            "s",
            TickerItem("Le port de Safi", "http://n.test/2", "12:00"),
            url="http://n.test/2",
            published_at=None,
            seen_at=datetime(2025, 5, 9, 10, tzinfo=UTC),
        )
    return db


def test_metadata_describes_every_table_and_column(tmp_path) -> None:
    db = make_archive(tmp_path)
    tables = json.loads(METADATA.read_text())["databases"]["archive"]["tables"]
    conn = sqlite3.connect(db)
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'articles_fts_%' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    assert set(names) == set(tables)  # listing_snapshots too, since schema v3
    for name in names:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
        described = tables[name]["columns"]
        assert sorted(described) == sorted(columns), name
        assert all(text.strip() for text in described.values()), name
        assert tables[name]["description"].strip()
    conn.close()


def test_datasette_lists_tables_and_searches_without_accents(tmp_path) -> None:
    datasette_app = pytest.importorskip("datasette.app", reason="pip install 'newsrack[datasette]'")
    db = make_archive(tmp_path)

    async def check() -> None:
        # no metadata: full-text search works out of the box
        plain = datasette_app.Datasette([str(db)])
        await plain.invoke_startup()
        tables = (await plain.client.get("/archive.json")).json()["tables"]
        visible = {t["name"] for t in tables if not t["hidden"]}
        assert {
            "articles",
            "article_revisions",
            "ticker_items",
            "ticker_titles",
            "pages",
        } <= visible
        [articles] = [t for t in tables if t["name"] == "articles"]
        assert articles["fts_table"] == "articles_fts"
        found = await plain.client.get("/archive/articles.json?_search=ain+sebaa&_shape=array")
        assert [row["url"] for row in found.json()] == ["http://n.test/1"]

        # with the metadata file: descriptions shown to researchers
        described = datasette_app.Datasette([str(db)], metadata=json.loads(METADATA.read_text()))
        await described.invoke_startup()
        page = await described.client.get("/archive/ticker_items")
        assert page.status_code == 200
        assert "how many hours it stayed on the page" in page.text
        assert "The time as the site printed it" in page.text

    asyncio.run(check())
