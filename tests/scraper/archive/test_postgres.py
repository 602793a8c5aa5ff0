"""What only the PostgreSQL archive has to prove: the same schema as SQLite, one-line errors
naming the server, values PostgreSQL would refuse, concurrent writers, versioning."""

from __future__ import annotations

import json
import multiprocessing
import socket
from datetime import UTC, datetime

import pytest
import sqlite_utils
from click.testing import CliRunner

from parsers.base import Article
from scraper.archive import SCHEMA_VERSION, Archive
from scraper.cli import cli
from scraper.errors import ArchiveError, ArchiveVersionError
from tests.support.archive_helpers import T0, later, page, query, save
from tests.support.archives import pg_schema

URL = "http://n.test/a/1"


@pytest.fixture
def pg(pg_url: str):
    with pg_schema(pg_url) as url:
        yield url


def test_same_tables_and_columns_as_sqlite(pg: str, tmp_path) -> None:
    Archive(pg).close()
    lite = sqlite_utils.Database(tmp_path / "a.db")
    Archive(tmp_path / "a.db").close()
    expected = {
        name: [c.name for c in lite[name].columns]
        for name in lite.table_names()
        if not name.startswith("articles_fts")
    }
    rows = query(
        pg,
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
    )
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    assert found.pop("schema_version") == ["version"]
    assert found.pop("articles_fts") == ["article_id", "document"]
    assert {t: sorted(c) for t, c in found.items()} == {t: sorted(c) for t, c in expected.items()}
    assert query(pg, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_is_down_is_one_line_naming_it_and_the_fix() -> None:
    url = f"postgresql://newsrack:secret@127.0.0.1:{_free_port()}/newsrack"
    result = CliRunner().invoke(cli, ["--db", url, "search", "x"])
    assert result.exit_code == ArchiveError.exit_code, result.output
    line = result.stderr
    assert line.count("\n") == 1 and "Traceback" not in line
    assert line.startswith(f"newsrack: error: cannot connect to {url.replace(':secret', '')}")
    assert "is the server running? start it or fix [archive] url" in line
    assert "secret" not in line


def test_a_missing_database_and_an_empty_schema_are_one_line(pg: str, pg_url: str) -> None:
    base, _, _ = pg_url.rpartition("/")
    with pytest.raises(ArchiveError, match="no such database; create it"):
        Archive(f"{base}/no_such_db_here")
    result = CliRunner().invoke(cli, ["--db", pg, "history", URL])
    assert result.exit_code == ArchiveError.exit_code and result.stderr.count("\n") == 1
    assert "no newsrack archive in this database" in result.stderr
    assert query(pg, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") == [
        (0,)
    ]  # a reader wrote nothing


def test_a_newer_archive_is_refused_untouched(pg: str) -> None:
    Archive(pg).close()
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(ArchiveVersionError, match=f"archive schema {SCHEMA_VERSION + 1} is newer"):
        Archive(pg)


def test_values_postgresql_would_refuse_are_stored(pg: str) -> None:
    hostile = Article(
        url=URL, title="NUL\x00 dans le titre \ud800", body="corps\x00" * 3, lead=None,
        comment_count=2**40, parser="walaw", parser_version="1",
        published_at=datetime(1, 1, 1, tzinfo=UTC), updated_at=datetime(9999, 12, 31, 23, 59),
    )  # fmt: skip
    with Archive(pg) as archive:
        saved = archive.save_article(
            hostile, site="s", url=URL, canonical_url=URL, fetched_at=T0, page=page(URL)
        )
        assert saved.created
        huge = "mot " * 400_000  # 1.6 MB of text: beyond a tsvector's 1 MB, still stored
        save(archive, "http://n.test/huge", body=huge + " rarissime")
    [(title, comments, published, updated)] = query(
        pg, "SELECT title, comment_count, published_at, updated_at FROM articles WHERE url = ?",
        (URL,),
    )  # fmt: skip
    assert title == "NUL\ufffd dans le titre \ufffd"
    assert (comments, published, updated) == (2**40, "0001-01-01T00:00:00Z", "9999-12-31T23:59:00Z")
    assert query(pg, "SELECT length(body) FROM articles WHERE url = 'http://n.test/huge'") == [
        (len(huge + " rarissime"),)
    ]


def _save_many(url: str, worker: int) -> None:
    with Archive(url) as archive:
        for i in range(30):
            save(archive, f"http://n.test/shared/{i}", body=f"version {worker}", at=later(i))


def test_concurrent_writers_store_each_article_once(pg: str) -> None:
    Archive(pg).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(pg, n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert query(pg, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(30, 30)]
    assert query(pg, "SELECT count(*) FROM article_urls") == [(30,)]
    # every article's revisions: one per distinct content that won the freshness rule
    per_article = query(
        pg, "SELECT a.revisions, count(r.id) FROM articles a "
        "JOIN article_revisions r ON r.article_id = a.id GROUP BY a.id, a.revisions",
    )  # fmt: skip
    assert all(revisions == count for revisions, count in per_article)


def test_status_and_stats_name_the_server_without_its_password(pg: str) -> None:
    with Archive(pg) as archive:
        archive.start_run("s", T0)
        save(archive, URL)
    status = CliRunner().invoke(cli, ["--db", pg, "status", "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["archive"].startswith("postgresql://newsrack@")
    stats = CliRunner().invoke(cli, ["--db", pg, "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.stdout)
    assert data["file_bytes"] > 0 and data["sites"][0]["articles"] == 1


def test_the_daemon_crawls_into_postgresql_and_stops_on_sigterm(pg: str, server, tmp_path) -> None:
    import os
    import signal
    import subprocess
    import time

    from tests.support.commands import NEWSRACK, site_config
    from tests.support.walaw_site import STORIES, serve

    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {NEWSRACK.parent}")
    serve(server, STORIES)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, extra='every = "1s"'))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    proc = subprocess.Popen(
        [str(NEWSRACK), "--config", str(config), "--db", pg, "daemon"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done = query(pg, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                         "AND tablename = 'runs'") == [(1,)] and query(
                pg, "SELECT count(*) FROM runs WHERE status = 'ok'")[0][0] >= 2  # fmt: skip
            if done:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert query(pg, "SELECT count(*) FROM runs WHERE status = 'ok'")[0][0] >= 2
    [(articles, distinct)] = query(
        pg, "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
    )
    assert articles == distinct == len(STORIES)
    assert query(pg, "SELECT count(*) FROM runs WHERE status = 'running'") == [(0,)]


def test_a_dropped_connection_costs_one_write_then_the_archive_goes_on(pg: str) -> None:
    import psycopg

    def drop(archive) -> None:  # as a server restart does
        with psycopg.connect(pg, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (archive.conn.info.backend_pid,))

    with Archive(pg) as archive:
        save(archive, URL)
        drop(archive)
        with pytest.raises(ArchiveError, match="lost the connection") as failed:
            save(archive, "http://n.test/a/2", at=later(1))
        assert "\n" not in str(failed.value)
        assert save(archive, "http://n.test/a/3", at=later(2)).created
        drop(archive)
        assert archive.known_sites() == ["s"]  # a read reconnects and retries by itself
        assert save(archive, "http://n.test/a/4", at=later(3)).created
    urls = [row[0] for row in query(pg, "SELECT url FROM articles ORDER BY id")]
    assert urls == [URL, "http://n.test/a/3", "http://n.test/a/4"]


def test_crawl_and_fetch_save_store_the_same_rows_on_both_engines(
    pg: str, pg_url: str, server, tmp_path, newsrack
) -> None:
    from tests.support.commands import site_config
    from tests.support.httpserver import Page
    from tests.support.walaw_site import STORIES, article_a, home_a

    story = STORIES[0]
    server.routes["/"] = Page(home_a((story,)))
    # with its own time (else a crawl takes the ticker's, which fetch --save has not)
    meta = '<meta property="article:published_time" content="2025-05-09T10:07:00">'
    page_html = article_a(story, (story,)).replace("</head>", meta + "</head>", 1)
    server.routes[story.path] = Page(page_html)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    columns = (
        "site, url, canonical_url, title, lead, body, description, authors, published_at, "
        "updated_at, section, tags, language, images, paywalled, comment_count, missing_fields, "
        "parser, parser_version, content_hash, revisions"
    )
    lite = tmp_path / "a.db"
    with pg_schema(pg_url) as fetched:
        for db in (lite, pg):
            crawl = newsrack("--config", str(config), "--db", str(db), "crawl")
            assert crawl.returncode == 0, crawl.stderr
        saved = newsrack("--config", str(config), "--db", fetched, "fetch",
                         server.url(story.path), "--save")  # fmt: skip
        assert saved.returncode == 0, saved.stderr
        rows = query(lite, f"SELECT {columns} FROM articles ORDER BY url")
        assert rows and query(pg, f"SELECT {columns} FROM articles ORDER BY url") == rows
        [article] = [r for r in rows if r[1] == server.url(story.path)]
        [alone] = query(fetched, f"SELECT {columns} FROM articles")
        names = columns.split(", ")
        assert [(n, a, b) for n, a, b in zip(names, alone, article, strict=True) if a != b] == []
    ticker = "SELECT site, item_key, title, url, shown_time, published_at FROM ticker_items"
    assert query(pg, ticker + " ORDER BY item_key") == query(lite, ticker + " ORDER BY item_key")
