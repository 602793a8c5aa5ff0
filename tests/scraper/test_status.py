"""``newsrack status``: last and next run, 24-hour counts, error rate, parser health and drops."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from parsers.base import Article, TickerItem
from scraper.archive import Archive
from scraper.cli import cli
from scraper.fetch import FetchResult
from scraper.lock import ArchiveLock

CONFIG = (
    '[sites.steady]\nparser = "walaw"\nstart_urls = ["https://steady.example/"]\nevery = "10m"\n'
    '[sites.broken]\nparser = "walaw"\nstart_urls = ["https://broken.example/"]\n'
    'cron = "*/15 * * * *"\n'
)


def run(archive: Archive, site: str, started: datetime, seconds: float, status: str, **counts):
    run_id = archive.start_run(site, started)
    values = {"pages": 1, "new_articles": 0, "new_ticker_items": 0, "errors": 0, **counts}
    archive.finish_run(run_id, status, started + timedelta(seconds=seconds), **values)


def article(archive: Archive, site: str, n: int, when: datetime, *, body: str = "Text.") -> None:
    url = f"https://{site}.example/a/{n}"
    page = FetchResult(url=url, final_url=url, status="ok", fetched_at=when, http_status=200)
    item = Article(url=url, title=f"Title {n}", body=body, published_at=when)
    archive.save_article(item, site=site, url=url, canonical_url=url, fetched_at=when, page=page)


@pytest.fixture
def app(tmp_path):
    now = datetime.now(UTC).replace(microsecond=0)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        run(archive, "steady", now - timedelta(hours=30), 5, "ok", new_articles=9)  # not in 24 h
        run(
            archive,
            "steady",
            now - timedelta(hours=2),
            4,
            "ok",
            pages=10,
            errors=1,
            new_articles=3,
            new_ticker_items=5,
        )
        run(
            archive,
            "steady",
            now - timedelta(minutes=4),
            3,
            "ok",
            pages=10,
            errors=0,
            new_articles=2,
            new_ticker_items=4,
        )
        run(archive, "broken", now - timedelta(hours=3), 3, "failed", pages=1, errors=1)
        run(archive, "broken", now - timedelta(minutes=20), 7, "ok", pages=4)
        run(archive, "retired", now - timedelta(days=3), 1, "ok")
        for n in range(60):  # the site's history: every article whole
            article(archive, "steady", n, now - timedelta(days=2, minutes=n))
            article(archive, "broken", n, now - timedelta(days=2, minutes=n))
        for n in range(60, 80):  # recent: broken's parser lost the body after a redesign
            article(archive, "steady", n, now - timedelta(minutes=n))
            article(archive, "broken", n, now - timedelta(minutes=n), body="")
        archive.save_ticker_item(
            "steady", TickerItem("x", None), url=None, published_at=None, seen_at=now
        )
    return ("--config", str(config), "--db", str(db)), db, now


def test_status_json_reports_each_site(app) -> None:
    args, _db, now = app
    result = CliRunner().invoke(cli, [*args, "status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["daemon_pid"] is None
    sites = {s["site"]: s for s in data["sites"]}
    assert list(sites) == ["steady", "broken", "retired"]

    steady = sites["steady"]
    assert steady["last_status"] == "ok" and steady["last_duration"] == 3
    assert steady["last_started"] == (now - timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (steady["runs_24h"], steady["failed_24h"]) == (2, 0)
    assert (steady["new_articles_24h"], steady["new_ticker_items_24h"]) == (5, 9)
    assert steady["error_rate"] == 0.05
    assert steady["next_run"] is None  # no daemon: nothing is scheduled
    assert steady["health"]["recent_broken"] == 0 and not steady["health"]["flagged"]

    broken = sites["broken"]
    assert (broken["runs_24h"], broken["failed_24h"], broken["error_rate"]) == (2, 1, 0.2)
    health = broken["health"]
    assert (health["recent"], health["history"]) == (50, 30)
    assert health["recent_broken"] == 20 / 50 and health["history_broken"] == 0
    assert health["missing"] == {"title": 0, "body": 20 / 50, "published_at": 0}
    assert health["flagged"]

    assert sites["retired"]["configured"] is False


def test_status_names_the_daemon_and_its_next_runs(app) -> None:
    args, db, now = app
    with ArchiveLock(db, "daemon"):
        data = json.loads(CliRunner().invoke(cli, [*args, "status", "--json"]).output)
    sites = {s["site"]: s for s in data["sites"]}
    assert data["daemon_pid"] is not None
    expected = (now - timedelta(minutes=4) + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sites["steady"]["next_run"] == expected
    next_cron = datetime.fromisoformat(sites["broken"]["next_run"].replace("Z", "+00:00"))
    assert next_cron.minute % 15 == 0 and timedelta(0) < next_cron - now <= timedelta(minutes=15)


def test_status_table_flags_the_parser_drop(app) -> None:
    args, _db, _now = app
    result = CliRunner().invoke(cli, [*args, "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "daemon not running" in lines[0]
    broken = next(line for line in lines if line.startswith("broken "))
    assert "PARSER DROP: 40% broken of last 50 (was 0%)" in broken
    assert "1 failed" in broken
    steady = next(line for line in lines if line.startswith("steady "))
    assert "4m ago ok 3.0s" in steady and "PARSER DROP" not in steady
    assert "5 art, 9 tick" in steady


def test_status_of_a_missing_archive_is_one_line_and_creates_nothing(tmp_path) -> None:
    db = tmp_path / "nothing.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "status"])
    assert result.exit_code == 1
    assert "no archive there yet" in result.output and result.output.count("\n") == 1
    assert not db.exists()
