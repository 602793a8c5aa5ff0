"""The freshness rule: content from an older fetch never replaces content from a newer one.

The bug it closes: ``reparse`` read its work list once; an article crawled again
meanwhile ("Version TWO", fetched last) ended as what reparse read from the older
page, and its history read v1 -> v2 -> v1.
"""

from __future__ import annotations

from dataclasses import replace

import parsers
from scraper.archive import Archive
from scraper.revisions import history, reparse
from tests.support.archive_helpers import T0, article, later, page, query, save
from tests.support.walaw_site import STORIES, article_a

URL = "http://n.test/a/1"


def test_an_older_fetch_saved_late_does_not_overwrite_newer_content(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        save(archive, URL, body="Version ONE", at=T0)
        save(archive, URL, body="Version TWO", at=later(60))
        late = save(archive, URL, body="Version ONE", at=later(30))  # a slow path, older page
        same_time = save(archive, URL, body="Version THREE", at=later(60))
    assert late.stale and not late.revised and not late.created
    assert same_time.revised and not same_time.stale  # "at least as recent" includes equal
    assert query(db, "SELECT body, revisions, last_seen FROM articles") == [
        ("Version THREE", 3, "2025-05-09T11:00:00Z")
    ]
    assert query(db, "SELECT body, fetched_at FROM article_revisions ORDER BY id") == [
        ("Version ONE", "2025-05-09T10:00:00Z"),
        ("Version TWO", "2025-05-09T11:00:00Z"),
        ("Version THREE", "2025-05-09T11:00:00Z"),
    ]
    assert query(db, "SELECT count(*) FROM pages") == [(4,)]  # every fetch is still logged


def test_reparse_does_not_write_an_old_page_over_a_newer_crawl(archive_db) -> None:
    db = archive_db
    base = "http://walaw.test"
    with Archive(db) as archive:
        urls = []
        for story in STORIES[:2]:
            url = base + story.path
            html = article_a(story, STORIES)
            parsed = parsers.get("walaw").parse_article(html, url, T0)
            old = replace(parsed, body="Version ONE", sections=(), parser_version="0")
            archive.save_article(
                old, site="walaw", url=url, canonical_url=url, fetched_at=T0, page=page(url, html)
            )
            urls.append(url)
        outcomes = reparse(archive, now=later(90))
        first = next(outcomes)  # the work list is read; article 1 is reparsed
        assert first.status == "revised"
        # meanwhile a crawl fetches article 2 again: its page now says "Version TWO"
        newer = page(urls[1], "<p>two</p>", at=later(60))
        archive.save_article(
            article(urls[1], body="Version TWO"), site="walaw", url=urls[1],
            canonical_url=urls[1], fetched_at=later(60), page=newer,
        )  # fmt: skip
        second = next(outcomes)
        assert second.status == "unchanged" and "newer content" in second.message
        assert list(outcomes) == []
        revisions = history(archive, 2)
    assert [r.body for r in revisions] == ["Version ONE", "Version TWO"]
    assert query(db, "SELECT body FROM articles WHERE id = 2") == [("Version TWO",)]


def test_a_re_read_page_through_save_article_is_a_reparse_revision(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        save(archive, URL, body="Version ONE", at=T0)
        page_id = archive.record_page(page(URL, at=later(60)), site="s", run_id=None, kind="x")
        reread = archive.save_article(
            article(URL, body="Version ONE, read better"), site="s", url=URL, canonical_url=URL,
            fetched_at=later(60), page_id=page_id, reparsed_at=later(120),
        )  # fmt: skip
        older = archive.save_article(
            article(URL, body="Version ZERO"), site="s", url=URL, canonical_url=URL,
            fetched_at=later(-60), page_id=1, reparsed_at=later(120),
        )  # fmt: skip
    assert reread.revised and not reread.stale and older.stale
    assert query(db, "SELECT body, last_seen, last_fetched FROM articles") == [
        ("Version ONE, read better", "2025-05-09T10:00:00Z", "2025-05-09T10:00:00Z")
    ]
    assert query(db, "SELECT fetched_at, reparsed_at, page_id FROM article_revisions") == [
        ("2025-05-09T10:00:00Z", None, 1),
        ("2025-05-09T11:00:00Z", "2025-05-09T12:00:00Z", page_id),
    ]
