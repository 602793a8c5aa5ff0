"""Raw pages once per hash, compressed; revisions only on real content change; `history` diffs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from scraper.revisions import word_diff
from tests.support.archive_helpers import later, page, query, save

URL = "http://news.test/articles/a/AAAA"
HTML = "<html><body>" + "<p>Le port de Safi inaugure un quai.</p>" * 200 + "</body></html>"


def test_a_body_is_stored_once_per_hash_compressed(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        for minute in range(3):
            archive.record_page(page(URL, HTML, at=later(minute)), site="s", run_id=None, kind="x")
        archive.record_page(page(URL, HTML + " ", at=later(9)), site="s", run_id=None, kind="x")
        assert (
            archive.body(query(db, "SELECT body_hash FROM pages ORDER BY id")[0][0])
            == HTML.encode()
        )
    assert query(db, "SELECT count(*), count(DISTINCT body_hash) FROM pages") == [(4, 2)]
    [(count, size, stored, compression)] = query(
        db, "SELECT count(*), sum(size), sum(stored_size), min(compression) FROM bodies"
    )
    assert (count, compression) == (2, "zstd")
    assert size == 2 * len(HTML) + 1
    assert stored < size / 20  # repetitive HTML compresses well


def test_unchanged_refetch_adds_no_body_and_no_revision(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        first = save(archive, URL, html=HTML)
        again = save(archive, URL, html=HTML, at=later(60))
    assert (first.created, again.created, again.revised) == (True, False, False)
    assert query(db, "SELECT count(*) FROM bodies") == [(1,)]
    assert query(db, "SELECT count(*) FROM pages") == [(2,)]
    assert query(db, "SELECT count(*) FROM article_revisions") == [(1,)]
    assert query(db, "SELECT first_seen, last_seen, revisions FROM articles") == [
        ("2025-05-09T10:00:00Z", "2025-05-09T11:00:00Z", 1)
    ]


def test_whitespace_only_change_is_not_a_revision(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        save(archive, URL, title="Le port", body="Un quai  neuf.\n\nDeux.")
        saved = save(
            archive, URL, title=" Le\u00a0port ", body="Un quai neuf.\n\n  Deux. ", at=later(5)
        )
    assert not saved.revised
    assert query(db, "SELECT count(*) FROM article_revisions") == [(1,)]


def test_content_change_is_a_revision_and_articles_holds_the_latest(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        save(archive, URL, title="Le port ouvre", body="Un quai neuf à Safi.")
        saved = save(
            archive, URL, title="Le port ouvre", body="Deux quais neufs à Safi.", at=later(30)
        )
    assert saved.revised
    assert query(db, "SELECT body, revisions FROM articles") == [("Deux quais neufs à Safi.", 2)]
    revisions = query(
        db, "SELECT fetched_at, parser_version, body, page_id IS NOT NULL FROM article_revisions"
    )
    assert revisions == [
        ("2025-05-09T10:00:00Z", "1", "Un quai neuf à Safi.", 1),
        ("2025-05-09T10:30:00Z", "1", "Deux quais neufs à Safi.", 1),
    ]
    # the index follows the latest text only
    with Archive(db, create=False) as archive:
        assert [hit["url"] for hit in archive.search_articles("quais")] == [URL]
        assert archive.search_articles("neuf") == []


def test_word_diff_marks_removed_and_added_words_with_context() -> None:
    old = "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze"
    new = "un deux trois quatre cinq six SEPT huit neuf dix onze douze treize quatorze"
    assert word_diff(old, new, context=2) == "… cinq six [-sept-] {+SEPT+} huit neuf …"
    assert word_diff("a  b\nc", "a b c") == ""
    assert word_diff("a b", "a b c") == "a b {+c+}"


def test_history_lists_revisions_with_word_diffs(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        save(archive, URL, title="Le port ouvre", body="Un quai neuf à Safi.")
        save(archive, URL, title="Le port ouvre", body="Un quai neuf à Safi.", at=later(10))
        save(archive, URL, title="Le port a ouvert", body="Un quai neuf à Safi.", at=later(20))
    result = CliRunner().invoke(cli, ["--db", str(db), "history", URL])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == ["Le port a ouvert", URL, "2 revision(s)"]
    assert lines[4].startswith("revision 1  fetched 2025-05-09T10:00:00Z  parser walaw 1")
    assert lines[6].startswith("revision 2  fetched 2025-05-09T10:20:00Z")
    assert lines[7] == "  title: Le port [-ouvre-] {+a ouvert+}"
    assert len(lines) == 8  # lead and body did not change: no diff lines for them

    as_json = CliRunner().invoke(cli, ["--db", str(db), "history", URL + "#top", "--json"])
    data = json.loads(as_json.output)
    assert [r["diff"] for r in data["revisions"]] == [
        {},
        {"title": "Le port [-ouvre-] {+a ouvert+}"},
    ]


def test_history_of_an_unknown_url_is_one_line(archive_db) -> None:
    db = archive_db
    Archive(db).close()
    result = CliRunner().invoke(cli, ["--db", str(db), "history", "http://news.test/nope"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"newsrack: error: http://news.test/nope: no such article in {db}; try `newsrack search`\n"
    )
