"""A damaged row fails that row only: reparse, export and status count and name it and go on;
an archive missing part of its schema is one line, never a sqlite3 traceback."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

import parsers
from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import T0, page, query, save
from tests.support.walaw_site import STORIES, article_a

BASE = "http://walaw.test"


def damage(db, sql: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def invoke(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_reparse_fails_each_damaged_row_and_reparses_the_rest(tmp_path) -> None:
    db = tmp_path / "a.db"
    urls = []
    with Archive(db) as archive:
        for index, story in enumerate(STORIES[:4]):
            url = BASE + story.path
            html = article_a(story, STORIES) + f"<!-- {index} -->"  # one body each
            parsed = parsers.get("walaw").parse_article(html, url, T0)
            old = replace(parsed, body="old", sections=(), parser_version="0")
            archive.save_article(
                old, site="walaw", url=url, canonical_url=url, fetched_at=T0, page=page(url, html)
            )
            urls.append(url)
    damage(db, "UPDATE bodies SET data = x'00112233' WHERE hash = "
               "(SELECT body_hash FROM pages WHERE id = 1)")  # fmt: skip
    damage(db, "UPDATE pages SET encoding = 'no-such-codec' WHERE id = 2")
    damage(db, "UPDATE pages SET fetched_at = 'last tuesday' WHERE id = 3")
    result = invoke(db, "reparse")
    assert result.exit_code == 1, result.output
    assert result.stdout == "reparsed 4 articles: 1 revised, 0 unchanged, 3 failed\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"  {urls[0]}: damaged row:") and "zstd" in lines[0]
    assert lines[1].startswith(f"  {urls[1]}: damaged row:") and "no-such-codec" in lines[1]
    assert lines[2].startswith(f"  {urls[2]}: damaged row:") and "last tuesday" in lines[2]
    assert query(db, "SELECT id FROM articles WHERE revisions = 2") == [(4,)]


def test_export_skips_a_row_whose_authors_is_not_json_and_names_it(tmp_path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", title="Un")
        save(archive, "http://n.test/2", title="Deux")
        save(archive, "http://n.test/3", title="Trois")
    damage(db, "UPDATE articles SET authors = '[\"Ali\", ' WHERE id = 2")
    result = invoke(db, "export")
    assert result.exit_code == 1
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Un", "Trois"]
    assert result.stderr.splitlines() == [
        "newsrack: warning: articles row id 2: authors is not JSON ('[\"Ali\", '): skipped",
        "exported 2 articles rows, 1 damaged rows skipped",
    ]
    csv_out = invoke(db, "export", "--format", "csv")  # CSV keeps the text as stored
    assert csv_out.exit_code == 0 and len(csv_out.stdout.splitlines()) == 4


def test_status_passes_over_a_garbage_start_time_and_counts_it(tmp_path) -> None:
    db = tmp_path / "a.db"
    now = datetime.now(UTC)
    with Archive(db) as archive:
        run = archive.start_run("s", now - timedelta(hours=1))
        archive.finish_run(run, "ok", now, pages=1, new_articles=0, new_ticker_items=0, errors=0)
    damage(db, "UPDATE runs SET started_at = 'garbage' WHERE id = ?", (run,))
    result = invoke(db, "status", "--json")
    assert result.exit_code == 0, result.output
    site = {s["site"]: s for s in json.loads(result.stdout)["sites"]}["s"]
    assert site["damaged_rows"] == 1
    assert site["last_started"] is None and site["last_status"] == "ok"
    table = invoke(db, "status")
    assert table.exit_code == 0 and "Traceback" not in table.output


def test_an_archive_missing_a_table_is_one_line_for_every_reader(tmp_path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", title="Le tramway")
    damage(db, "DROP TABLE article_revisions")
    for args in (("history", "http://n.test/1"), ("stats",), ("export", "--table", "revisions")):
        result = invoke(db, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.count("\n") == 1, (args, result.stderr)
        assert "lacks part of its schema" in result.stderr
        assert "no such table: article_revisions" in result.stderr


def test_text_that_is_not_utf8_reads_back_replaced_and_counted(tmp_path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        for n in (1, 2, 3):
            save(archive, f"http://n.test/{n}", title=f"Titre {n}")
    damage(db, "UPDATE articles SET title = CAST(x'4dc3ff21' AS TEXT) WHERE id = 2")
    result = invoke(db, "export")
    assert result.exit_code == 1
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["Titre 1", "M\ufffd\ufffd!", "Titre 3"]
    assert "1 stored text values were not valid UTF-8" in result.stderr
    assert invoke(db, "search", "titre").exit_code == 0  # readers get past the row too
