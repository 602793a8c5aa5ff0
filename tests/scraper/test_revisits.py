"""Revisits: articles are fetched again at the site's delays after first seen, conditionally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import later, page, query, save
from tests.support.commands import site_config
from tests.support.httpserver import Page
from tests.support.walaw_site import STORIES, article_a, home_a

DELAYS = (900.0, 3600.0, 86400.0)


def test_due_revisits_follow_the_delays_then_stop(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        saved = save(archive, "http://n.test/a")

        def due(minutes: float) -> list[int]:
            found = archive.due_revisits("s", DELAYS, later(minutes), limit=10)
            return [d.served for d in found]

        assert due(10) == []
        assert due(16) == [1]
        archive.record_revisit(
            saved.id,
            page("http://n.test/a", status="not_modified", at=later(16)),
            site="s",
            run_id=None,
            served=1,
        )
        assert due(30) == []
        assert due(61) == [2]
        assert due(3 * 24 * 60) == [3]  # missed revisits are caught up by one fetch
        archive.record_revisit(
            saved.id,
            page("http://n.test/a", status="not_modified", at=later(4000)),
            site="s",
            run_id=None,
            served=3,
        )
        assert due(30 * 24 * 60) == []  # then no more
        assert archive.due_revisits("other", DELAYS, later(99), limit=9) == []


def test_zero_delay_means_every_crawl_except_articles_fetched_in_this_pass(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        save(archive, "http://n.test/a")
        run = archive.start_run("s", later(5))
        save(archive, "http://n.test/b", at=later(5), run_id=run)
        due = archive.due_revisits("s", (0.0,), later(5), run_id=run, limit=10)
        assert [d.url for d in due] == ["http://n.test/a"]
        due = archive.due_revisits("s", (0.0,), later(9), run_id=run + 1, limit=1)
        assert [d.url for d in due] == ["http://n.test/a"]  # least recently fetched first


def etag_route(html: Callable[[], str], etag: Callable[[], str]):
    """A handler answering 304 when If-None-Match names the current ETag."""

    def handle(request) -> None:
        if request.headers.get("If-None-Match") == etag():
            request.send_response(304)
            request.send_header("ETag", etag())
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        body = html().encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("ETag", etag())
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


@pytest.fixture
def site(server, tmp_path):
    stories = STORIES[:2]
    state = {"story": stories[0], "version": "v1"}
    server.routes["/"] = Page(home_a(stories))
    server.routes[stories[1].path] = Page(article_a(stories[1], stories))
    server.routes[stories[0].path] = etag_route(
        lambda: article_a(state["story"], stories), lambda: f'"{state["version"]}"'
    )
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base, extra='revisit = ["15m", "1h"]'))
    return server, stories, state, config, tmp_path / "a.db"


def crawl(config, db) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), "crawl"])
    assert result.exit_code == 0, result.output
    return result.output


def age_articles(db, minutes: float) -> None:
    """Pretend every article was first seen ``minutes`` ago (and fetched then)."""
    moment = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Archive(db) as archive, archive.transaction() as conn:
        conn.execute("UPDATE articles SET first_seen = ?, last_fetched = ?", (moment, moment))


def test_crawl_revisits_due_articles_with_conditional_get(site) -> None:
    server, stories, state, config, db = site
    path = stories[0].path
    crawl(config, db)
    crawl(config, db)
    assert server.paths().count(path) == 1  # not due yet

    age_articles(db, 20)
    crawl(config, db)  # due (15m): 304, nothing new
    seen = [r for r in server.requests if r.path == path]
    assert len(seen) == 2
    assert seen[1].headers.get("If-None-Match") == '"v1"'
    assert query(db, "SELECT status FROM pages WHERE url LIKE ? ORDER BY id", (f"%{path}",)) == [
        ("ok",),
        ("not_modified",),
    ]
    assert query(db, "SELECT count(*) FROM article_revisions") == [(2,)]
    assert query(db, "SELECT max(revisits_done), min(revisits_done) FROM articles") == [(1, 1)]

    crawl(config, db)
    assert server.paths().count(path) == 2  # the 1h revisit is not due yet

    state["story"] = stories[0].__class__(
        **{**stories[0].__dict__, "title": stories[0].title + " (mis à jour)"}
    )
    state["version"] = "v2"
    age_articles(db, 61)
    crawl(config, db)  # due (1h): changed, a new revision
    assert server.paths().count(path) == 3
    titles = query(
        db,
        "SELECT r.title FROM article_revisions r JOIN articles a ON a.id = r.article_id "
        "WHERE a.url LIKE ? ORDER BY r.id",
        (f"%{path}",),
    )
    assert titles == [(stories[0].title,), (stories[0].title + " (mis à jour)",)]
    assert query(db, "SELECT min(revisits_done) FROM articles") == [(2,)]

    age_articles(db, 60 * 24 * 30)
    crawl(config, db)  # every delay served: no more fetches
    assert server.paths().count(path) == 3


def test_zero_delay_revisits_on_every_crawl(site) -> None:
    server, stories, _state, config, db = site
    config.write_text(config.read_text().replace('["15m", "1h"]', '["0s"]'))
    crawl(config, db)
    crawl(config, db)
    crawl(config, db)
    assert server.paths().count(stories[0].path) == 3
    assert server.paths().count(stories[1].path) == 3
    assert query(db, "SELECT count(*) FROM article_revisions") == [(2,)]
    assert query(
        db,
        "SELECT count(*) FROM bodies WHERE hash IN (SELECT body_hash FROM pages "
        "WHERE kind = 'article')",
    ) == [(2,)]


def snapshot(db) -> dict[str, list[tuple]]:
    """Everything but the fetch log (pages, runs) and the sighting timestamps."""
    return {
        "articles": query(
            db,
            "SELECT id, site, url, canonical_url, title, lead, body, authors, published_at, "
            "content_hash, parser, parser_version, revisions, first_seen FROM articles",
        ),
        "revisions": query(db, "SELECT * FROM article_revisions"),
        "bodies": query(db, "SELECT hash, size, stored_size FROM bodies"),
        "ticker": query(db, "SELECT id, site, item_key, title, url, first_seen FROM ticker_items"),
        "titles": query(db, "SELECT id, ticker_item_id, title, first_seen FROM ticker_titles"),
        "fts": query(db, "SELECT * FROM articles_fts_data"),
        "urls": query(db, "SELECT * FROM article_urls"),
    }


def test_unchanged_recrawl_adds_only_the_fetch_log_and_timestamps(site) -> None:
    server, stories, _state, config, db = site
    config.write_text(config.read_text().replace('["15m", "1h"]', '["0s"]'))
    crawl(config, db)
    before = snapshot(db)
    pages = query(db, "SELECT count(*) FROM pages")[0][0]
    crawl(config, db)  # every article fetched again (one 304, one 200 with the same body)
    assert server.paths().count(stories[1].path) == 2
    assert snapshot(db) == before
    assert query(db, "SELECT count(*) FROM pages")[0][0] == 2 * pages
