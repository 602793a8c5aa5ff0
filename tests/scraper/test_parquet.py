"""``export --format parquet``: typed columns (UTC timestamps, lists of strings), read back by
pyarrow (and DuckDB when installed); damaged rows skipped and named; no pyarrow, one line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from parsers.base import Article
from scraper.archive import Archive
from tests.support.archive_helpers import page

pa = pytest.importorskip("pyarrow", reason="pyarrow not installed: pip install -e '.[parquet]'")
pq = pytest.importorskip("pyarrow.parquet")

T0 = datetime(2025, 5, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def archive_db(tmp_path):
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        for n in range(5):
            url = f"https://news.example/a/{n}"
            archive.save_article(
                Article(
                    url=url, title=f"Title {n}", lead="Lead", body="Text.",
                    authors=("Jane Doe", "Ali B."), tags=("économie",),
                    published_at=datetime(1 if n == 0 else 2025, 1, 1, tzinfo=UTC),
                    parser="generic", parser_version="1",
                ),
                site="news", url=url, canonical_url=url, fetched_at=T0,
                page=page(url, at=T0),
            )  # fmt: skip
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET published_at = '9999-12-31T23:59:59Z' WHERE id = 2")
        conn.execute('UPDATE articles SET tags = \'{"not": "a list"}\' WHERE id = 4')
        conn.execute(
            "INSERT INTO ticker_items (site, item_key, title, url, shown_time, published_at, "
            "first_seen, last_seen) VALUES ('news', 'k', 'Flash', NULL, '10:07', NULL, "
            "'2025-05-09T10:00:00Z', '2025-05-09T11:00:00Z')"
        )
    return db


def test_articles_export_typed_and_read_back(archive_db, tmp_path, newsrack) -> None:
    out = tmp_path / "articles.parquet"
    result = newsrack("--db", str(archive_db), "export", "--format", "parquet", "-o", str(out))
    assert result.returncode == 1  # one damaged row
    assert "row id 4: tags:" in result.stderr and "exported 4 articles rows" in result.stderr
    table = pq.read_table(out)
    schema = table.schema
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("first_seen").type == pa.timestamp("us", tz="UTC")
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("id").type == pa.int64()
    assert schema.field("paywalled").type == pa.bool_()
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [1, 2, 3, 5]
    assert rows[0]["authors"] == ["Jane Doe", "Ali B."] and rows[0]["tags"] == ["économie"]
    assert rows[0]["published_at"] == datetime(1, 1, 1, tzinfo=UTC)
    assert rows[1]["published_at"] == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert rows[2]["first_seen"] == T0


def test_ticker_items_and_revisions_export(archive_db, tmp_path, newsrack) -> None:
    for table, expected in (("ticker_items", 1), ("revisions", 5)):
        out = tmp_path / f"{table}.parquet"
        args = ("--db", str(archive_db), "export", "--format", "parquet", "--table", table)
        result = newsrack(*args, "-o", str(out))
        assert result.returncode == 0, result.stderr
        read = pq.read_table(out)
        assert read.num_rows == expected
    ticker = pq.read_table(tmp_path / "ticker_items.parquet").to_pylist()[0]
    assert ticker["shown_time"] == "10:07" and ticker["published_at"] is None
    assert ticker["last_seen"] == datetime(2025, 5, 9, 11, tzinfo=UTC)
    revision = pq.read_table(tmp_path / "revisions.parquet").to_pylist()[0]
    assert revision["fetched_at"] == T0 and revision["url"] == "https://news.example/a/0"


def test_duckdb_reads_the_file_when_installed(archive_db, tmp_path, newsrack) -> None:
    duckdb = pytest.importorskip("duckdb", reason="duckdb not installed")
    out = tmp_path / "a.parquet"
    newsrack("--db", str(archive_db), "export", "--format", "parquet", "-o", str(out))
    rows = duckdb.sql(f"SELECT count(*), max(len(authors)) FROM '{out}'").fetchall()
    assert rows == [(4, 2)]


def test_parquet_needs_a_file_and_one_of_three_tables(archive_db, newsrack) -> None:
    no_file = newsrack("--db", str(archive_db), "export", "--format", "parquet")
    assert no_file.returncode == 2 and "pass --output FILE.parquet" in no_file.stderr
    pages = newsrack("--db", str(archive_db), "export", "--format", "parquet", "--table", "pages",
                     "-o", "x.parquet")  # fmt: skip
    assert pages.returncode == 2
    assert "parquet exports articles, ticker_items, revisions" in pages.stderr


def test_without_pyarrow_one_line_names_the_extra(archive_db, tmp_path) -> None:
    script = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "from scraper.cli import main; sys.argv = ['newsrack', '--db', sys.argv[1], 'export', "
        "'--format', 'parquet', '-o', sys.argv[2]]; main()"
    )
    out = tmp_path / "x.parquet"
    result = subprocess.run(
        [sys.executable, "-c", script, str(archive_db), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "newsrack: error: Parquet export needs pyarrow: pip install 'newsrack[parquet]'"
    )
    assert not out.exists()
