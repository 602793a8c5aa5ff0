"""Ticker history: first and last sighting per item, and every title a link was shown with."""

from __future__ import annotations

from parsers.base import TickerItem
from scraper.archive import Archive, parse_utc_text
from tests.support.archive_helpers import later, query

LINK = "http://n.test/articles/a/AAAA"


def test_first_and_last_seen_make_time_on_front_page_one_query(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        item = TickerItem("Le port ouvre", LINK, "12:00")
        assert archive.save_ticker_item("s", item, url=LINK, published_at=None, seen_at=later(0))
        for minutes in (10, 20, 95):
            assert not archive.save_ticker_item(
                "s", item, url=LINK, published_at=None, seen_at=later(minutes)
            )
        # a late, out-of-order sighting does not move last_seen back
        archive.save_ticker_item("s", item, url=LINK, published_at=None, seen_at=later(50))
    [(title, first, last)] = query(db, "SELECT title, first_seen, last_seen FROM ticker_items")
    hours = (parse_utc_text(last) - parse_utc_text(first)).total_seconds() / 3600
    assert (title, round(hours, 2)) == ("Le port ouvre", 1.58)


def test_a_changed_title_for_the_same_link_is_kept(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        for minutes, title in (
            (0, "Le port ouvre"),
            (10, "Le port a ouvert"),
            (20, "Le port a ouvert"),
        ):
            archive.save_ticker_item(
                "s",
                TickerItem(title, LINK, "12:00"),
                url=LINK,
                published_at=None,
                seen_at=later(minutes),
            )
        # an item without a link is keyed by its title
        archive.save_ticker_item(
            "s",
            TickerItem("Sans lien", None, "12:05"),
            url=None,
            published_at=None,
            seen_at=later(20),
        )
    assert query(db, "SELECT title, first_seen, last_seen FROM ticker_items ORDER BY id") == [
        ("Le port a ouvert", "2025-05-09T10:00:00Z", "2025-05-09T10:20:00Z"),
        ("Sans lien", "2025-05-09T10:20:00Z", "2025-05-09T10:20:00Z"),
    ]
    # (ids are not compared: PostgreSQL spends one on every conflicting insert)
    assert query(
        db,
        "SELECT i.item_key, t.title, t.first_seen, t.last_seen FROM ticker_titles t "
        "JOIN ticker_items i ON i.id = t.ticker_item_id ORDER BY t.id",
    ) == [
        (LINK, "Le port ouvre", "2025-05-09T10:00:00Z", "2025-05-09T10:00:00Z"),
        (LINK, "Le port a ouvert", "2025-05-09T10:10:00Z", "2025-05-09T10:20:00Z"),
        ("title:Sans lien", "Sans lien", "2025-05-09T10:20:00Z", "2025-05-09T10:20:00Z"),
    ]


def test_any_writer_bumping_last_seen_keeps_the_title_history_in_step(archive_db) -> None:
    db = archive_db
    with Archive(db) as archive:
        archive.save_ticker_item(
            "s", TickerItem("Le port ouvre", LINK), url=LINK, published_at=None, seen_at=later(0)
        )
        with archive.transaction() as conn:  # as a 304 on the listing does: no parse
            conn.execute("UPDATE ticker_items SET last_seen = '2025-05-09T11:00:00Z'")
            conn.execute("UPDATE ticker_items SET last_seen = '2025-05-09T10:30:00Z'")
    assert query(db, "SELECT title, first_seen, last_seen FROM ticker_titles") == [
        ("Le port ouvre", "2025-05-09T10:00:00Z", "2025-05-09T11:00:00Z")
    ]
