"""`newsrack export`: JSONL and CSV of articles, ticker items and revisions; streamed."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime

import pytest
import sqlite_utils
from click.testing import CliRunner

from parsers.base import TickerItem
from scraper.archive import COPY_TABLES, Archive
from scraper.cli import cli
from scraper.export import export_rows, write_export
from tests.support.archive_helpers import later, query, save
from tests.support.archives import is_pg


@pytest.fixture
def db(archive_db):
    path = archive_db
    with Archive(path) as archive:
        save(
            archive,
            "http://n.test/1",
            title="Premier",
            published_at=datetime(2025, 5, 1, tzinfo=UTC),
        )
        save(archive, "http://n.test/1", title="Premier, revu", at=later(30))
        save(
            archive,
            "http://o.test/2",
            title="Second",
            site="other",
            published_at=datetime(2025, 5, 8, tzinfo=UTC),
        )
        archive.save_ticker_item(
            "s",
            TickerItem("Premier", "http://n.test/1", "12:00"),
            url="http://n.test/1",
            published_at=datetime(2025, 5, 1, 11, tzinfo=UTC),
            seen_at=later(0),
        )
    return path


def export(db, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), "export", *args])
    assert result.exit_code == 0, result.output
    return result


def test_jsonl_articles_with_lists_as_arrays(db) -> None:
    result = export(db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["url"], r["title"], r["revisions"]) for r in rows] == [
        ("http://n.test/1", "Premier, revu", 2),
        ("http://o.test/2", "Second", 1),
    ]
    assert rows[0]["authors"] == [] and rows[0]["missing_fields"] == ["published_at", "authors"]
    assert result.stderr == "exported 2 articles rows\n"


def test_csv_revisions_and_ticker_items(db) -> None:
    revisions = list(
        csv.DictReader(io.StringIO(export(db, "--format", "csv", "--table", "revisions").stdout))
    )
    assert [(r["url"], r["title"], r["fetched_at"]) for r in revisions] == [
        ("http://n.test/1", "Premier", "2025-05-09T10:00:00Z"),
        ("http://n.test/1", "Premier, revu", "2025-05-09T10:30:00Z"),
        ("http://o.test/2", "Second", "2025-05-09T10:00:00Z"),
    ]
    ticker = list(
        csv.DictReader(io.StringIO(export(db, "--format", "csv", "--table", "ticker_items").stdout))
    )
    assert [(t["title"], t["shown_time"], t["published_at"]) for t in ticker] == [
        ("Premier", "12:00", "2025-05-01T11:00:00Z")
    ]


def test_filters_and_output_file(db, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    export(db, "--site", "other", "--output", str(out))
    assert [json.loads(line)["url"] for line in out.read_text().splitlines()] == ["http://o.test/2"]
    since = export(db, "--since", "2025-05-02").stdout.splitlines()
    assert [json.loads(line)["url"] for line in since] == ["http://o.test/2"]
    until = export(db, "--table", "revisions", "--until", "2025-05-09T10:15:00Z").stdout
    assert len(until.splitlines()) == 2


def test_export_streams_in_constant_memory(archive_db) -> None:
    path = archive_db
    body = "Un paragraphe de texte assez long pour peser. " * 60  # ~2.8 kB
    with Archive(path) as archive, archive.transaction() as conn:
        conn.executemany(
            "INSERT INTO articles (site, url, canonical_url, title, body, first_seen) "
            "VALUES ('s', ?, ?, ?, ?, '2025-05-09T10:00:00Z')",
            ((f"http://n.test/{i}", f"http://n.test/{i}", f"Titre {i}", body) for i in range(4000)),
        )
    with Archive(path) as archive:

        class Counting(io.TextIOBase):
            size = 0

            def write(self, text: str) -> int:
                self.size += len(text)
                return len(text)

        out = Counting()
        tracemalloc.start()
        columns, rows = export_rows(archive, "articles")
        assert write_export(out, "jsonl", columns, rows) == 4000
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert out.size > 11_000_000
    assert peak < out.size / 10  # a batch of rows, not the 11 MB export


def test_unwritable_output_is_one_line(db, tmp_path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(db), "export", "--output", str(tmp_path / "no" / "dir" / "x.csv")]
    )
    assert result.exit_code == 1
    assert "cannot write the export" in result.stderr
    assert result.stderr.count("\n") == 1


def test_installed_export_stops_quietly_when_the_reader_closes_the_pipe(tmp_path, newsrack) -> None:
    import subprocess

    from tests.support.commands import NEWSRACK

    path = tmp_path / "a.db"
    with Archive(path) as archive, archive.transaction() as conn:
        conn.executemany(
            "INSERT INTO articles (site, url, canonical_url, title, body, first_seen) "
            "VALUES ('s', ?, ?, 'T', ?, '2025-05-09T10:00:00Z')",
            ((f"http://n.test/{i}", f"http://n.test/{i}", "mot " * 500) for i in range(3000)),
        )
    full = newsrack("--db", str(path), "export", "--format", "csv")
    assert full.returncode == 0 and len(full.stdout.splitlines()) == 3001
    proc = subprocess.Popen(
        [str(NEWSRACK), "--db", str(path), "export"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout.read(100).startswith(b'{"id": 1,')
    proc.stdout.close()  # like `| head -c 100`
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()


def table_columns(db, name: str) -> set[str]:
    """The columns the engine says ``name`` has (not what export says)."""
    if is_pg(db):
        sql = (
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?"
        )
        return {row[0] for row in query(db, sql, (name,))}
    return set(sqlite_utils.Database(db)[name].columns_dict)


def test_every_table_of_the_archive_exports(db) -> None:
    names = list(COPY_TABLES)
    assert {"pages", "bodies", "runs", "article_urls", "ticker_titles"} <= set(names)
    for name in names:
        lines = export(db, "--table", name).stdout.splitlines()
        columns = table_columns(db, name)
        assert columns
        for line in lines:  # articles and ticker_items leave out bookkeeping columns
            keys = set(json.loads(line))
            assert keys == columns if name not in ("articles", "ticker_items") else keys < columns
    bodies = [json.loads(line) for line in export(db, "--table", "bodies").stdout.splitlines()]
    import base64

    import zstandard

    # bodies come in key (hash) order, the same on every engine
    assert [b["hash"] for b in bodies] == sorted(b["hash"] for b in bodies)
    raws = [zstandard.ZstdDecompressor().decompress(base64.b64decode(b["data"])) for b in bodies]
    assert any(raw.startswith(b"<html><h1>Premier</h1>") for raw in raws)
    pages = export(db, "--table", "pages", "--format", "csv", "--site", "other").stdout
    assert len(pages.splitlines()) == 2


def test_seen_since_exports_what_is_new_in_the_archive(db) -> None:
    # published long ago, first seen on 2025-05-09: --since misses it, --seen-since finds it
    assert export(db, "--since", "2025-05-09").stdout.splitlines() == []
    seen = export(db, "--seen-since", "2025-05-09").stdout.splitlines()
    assert [json.loads(line)["url"] for line in seen] == ["http://n.test/1", "http://o.test/2"]
    assert export(db, "--seen-until", "2025-05-09").stdout == ""
    ticker = export(db, "--table", "ticker_items", "--seen-since", "2025-05-09T10:00:00Z")
    assert len(ticker.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--site", "nosuch"), "--site 'nosuch': no such site; known sites:"),
        (("--table", "bodies", "--site", "s"), "table bodies has no site column"),
        (("--table", "article_urls", "--since", "1d"), "table article_urls has no time column"),
        (("--since", "0001-01-01T00:00:00+05:00"), "outside years 1-9999"),
        (("--until", "99999999999d"), "--until '99999999999d'"),
    ],
)
def test_bad_export_arguments_are_one_line_exit_2(db, args, expected: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "export", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
