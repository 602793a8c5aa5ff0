"""`newsrack reparse`: today's parser over stored raw pages; a revision only on changed output."""

from __future__ import annotations

import json
from dataclasses import replace

from click.testing import CliRunner

import parsers
from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import T0, later, page, query
from tests.support.walaw_site import STORIES, article_a

#: The version today's walaw parser writes on what it re-reads.
TODAY = parsers.get("walaw").version

BASE = "http://walaw.test"


def store(archive: Archive, story, *, body: str | None = None, site: str = "walaw", html=None):
    """Archive ``story``'s page as the crawl would, optionally with a wrong (old parser) body."""
    url = BASE + story.path
    html = html or article_a(story, STORIES)
    parsed = parsers.get("walaw").parse_article(html, url, T0)
    if body is not None:
        parsed = replace(parsed, body=body, sections=(), parser_version="0")
    archive.save_article(
        parsed, site=site, url=url, canonical_url=url, fetched_at=T0, page=page(url, html)
    )
    return url


def reparse(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "reparse", *args])


def test_reparse_revises_only_what_todays_parser_reads_differently(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        fixed = store(archive, STORIES[0], body="Suivez-nous sur Facebook\n\n" + "old body")
        same = store(archive, STORIES[1])
        other_site = store(archive, STORIES[2], body="old", site="elsewhere")
    result = reparse(db, "--site", "walaw")
    assert result.exit_code == 0, result.output
    assert result.stdout == "reparsed 2 articles: 1 revised, 1 unchanged, 0 failed\n"
    rows = query(db, "SELECT url, body, revisions, parser_version FROM articles ORDER BY id")
    assert rows[0] == (fixed, "\n\n".join(STORIES[0].paragraphs), 2, TODAY)
    assert rows[1][0] == same and rows[1][2] == 1
    assert rows[2] == (other_site, "old", 1, "0")
    revision = query(
        db,
        "SELECT fetched_at, reparsed_at IS NOT NULL, parser_version, page_id "
        "FROM article_revisions WHERE article_id = 1 ORDER BY id DESC LIMIT 1",
    )
    assert revision == [("2025-05-09T10:00:00Z", 1, TODAY, 1)]  # the raw page it was read from
    with Archive(db, create=False) as archive:  # the index follows the re-parsed text
        assert archive.search_articles("facebook") == []

    again = reparse(db)
    assert again.stdout == "reparsed 3 articles: 1 revised, 2 unchanged, 0 failed\n"
    assert reparse(db).stdout == "reparsed 3 articles: 0 revised, 3 unchanged, 0 failed\n"
    assert query(db, "SELECT count(*) FROM article_revisions") == [(5,)]


def test_reparse_refreshes_parser_health_and_page_fields(archive_db) -> None:
    db = archive_db
    story = STORIES[0]
    url = BASE + story.path
    html = article_a(story, STORIES)
    parsed = parsers.get("walaw").parse_article(html, url, T0)
    broken = replace(parsed, lead=None, comment_count=None, parser_version="0", missing=("lead",))
    with Archive(db) as archive:
        archive.save_article(
            broken, site="walaw", url=url, canonical_url=url, fetched_at=T0, page=page(url, html)
        )
    assert query(db, "SELECT missing_fields, comment_count FROM articles") == [('["lead"]', None)]
    assert reparse(db).exit_code == 0
    assert query(db, "SELECT lead, missing_fields, comment_count FROM articles") == [
        (story.lead, '["published_at", "authors"]', story.comments)
    ]


def test_reparse_reads_the_latest_raw_page_and_since_filters(archive_db) -> None:
    db = archive_db
    story = STORIES[3]
    url = BASE + story.path
    with Archive(db) as archive:
        store(archive, story, body="wrong")
        # a later fetch of a changed page, stored as-is (say by an older parser)
        changed = replace(story, paragraphs=(*story.paragraphs, "Un paragraphe ajouté."))
        archive.record_page(
            page(url, article_a(changed, STORIES), at=later(60)),
            site="walaw",
            run_id=None,
            kind="article",
        )
    assert reparse(db, "--since", "2025-05-10").stdout.startswith("reparsed 0 articles")
    assert reparse(db, "--since", "2025-05-09").exit_code == 0
    assert query(db, "SELECT body FROM articles")[0][0].endswith("Un paragraphe ajouté.")


def test_unparseable_page_is_reported_and_exit_1(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        url = store(archive, STORIES[4])
        archive.record_page(
            page(url, "<html><body>maintenance</body></html>", at=later(5)),
            site="walaw",
            run_id=None,
            kind="article",
        )
    result = reparse(db)
    assert result.exit_code == 1
    assert result.stdout == "reparsed 1 articles: 0 revised, 0 unchanged, 1 failed\n"
    assert url in result.stderr and "cannot read" in result.stderr
    as_json = reparse(db, "--json")
    assert as_json.exit_code == 1 and as_json.stderr == ""
    data = json.loads(as_json.stdout)
    assert (data["reparsed"], data["revised"], data["unchanged"], data["failed"]) == (1, 0, 0, 1)
    assert data["failures"][0]["url"] == url and "cannot read" in data["failures"][0]["message"]
    assert query(db, "SELECT revisions FROM articles") == [(1,)]


def test_installed_reparse_shows_a_progress_bar_on_a_terminal_only(tmp_path, newsrack) -> None:
    import os
    import pty
    import subprocess

    from tests.support.commands import NEWSRACK

    db = tmp_path / "a.db"
    with Archive(db) as archive:
        for story in STORIES[:3]:
            store(archive, story, body="old")
    plain = newsrack("--db", str(db), "reparse")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == "reparsed 3 articles: 3 revised, 0 unchanged, 0 failed\n"
    assert plain.stderr == ""  # no bar when stderr is not a terminal

    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    env.update(COLUMNS="100", TERM="xterm")
    done = subprocess.run(
        [str(NEWSRACK), "--db", str(db), "reparse"],
        stdout=subprocess.PIPE, stderr=child, env=env, timeout=60, check=False,
    )  # fmt: skip
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert done.returncode == 0
    assert done.stdout == b"reparsed 3 articles: 0 revised, 3 unchanged, 0 failed\n"
    assert b"reparsing" in shown and b"3/3" in shown


def test_an_unknown_site_or_time_is_one_line_exit_2(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        store(archive, STORIES[0])
    for args, expected in (
        (("--site", "nosuch"), "no such site; known sites:"),
        (("--since", "99999999999d"), "--since '99999999999d'"),
        (("--since", "0001-01-01T00:00:00+01:00"), "outside years 1-9999"),
    ):
        result = reparse(db, *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "walaw" in reparse(db, "--site", "nosuch").stderr  # the archive's own sites count


def test_reparse_never_writes_over_content_fetched_after_its_page(tmp_path) -> None:
    from scraper.revisions import reparse as reparse_articles

    db = tmp_path / "a.db"
    first, second = STORIES[0], STORIES[1]
    with Archive(db) as archive:
        store(archive, first, body="old one")
        url = store(archive, second, body="old two")
        outcomes = reparse_articles(archive)
        assert next(outcomes).status == "revised"  # the work list is now chosen
        # meanwhile a crawl fetches the second article again: a newer version
        newer = replace(
            second, paragraphs=(*second.paragraphs, "Un paragraphe ajouté dans la seconde version.")
        )
        html = article_a(newer, STORIES)
        parsed = parsers.get("walaw").parse_article(html, url, later(60))
        archive.save_article(
            parsed,
            site="walaw",
            url=url,
            canonical_url=url,
            fetched_at=later(60),
            page=page(url, html, at=later(60)),
        )
        rest = [o.status for o in outcomes]
        # an older page re-read cannot replace content from a later fetch
        stale = parsers.get("walaw").parse_article(article_a(second, STORIES), url, T0)
        assert not archive.write_reparsed(
            2, stale, page_id=2, fetched_at="2025-05-09T10:00:00Z", reparsed_at=later(90)
        )
    assert rest == ["unchanged"]  # the latest page was read: what the crawl stored
    bodies = query(db, "SELECT body FROM article_revisions WHERE article_id = 2 ORDER BY id")
    assert [b.endswith("Un paragraphe ajouté dans la seconde version.") for (b,) in bodies] == [
        False,
        True,
    ]
    (current,) = query(db, "SELECT body FROM articles WHERE id = 2")[0]
    assert current.endswith("Un paragraphe ajouté dans la seconde version.")
