"""Schedules as triggers: a restarted daemon waits one interval after a site's last run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scraper.archive import Archive
from scraper.config import parse_config
from scraper.daemon import Daemon, site_trigger

CONFIG = {
    "daemon": {"jitter": 0},
    "sites": {
        "ran": {"parser": "walaw", "start_urls": ["https://a.example/"], "every": "10m"},
        "new": {"parser": "walaw", "start_urls": ["https://b.example/"], "every": "1s"},
        "long_ago": {"parser": "walaw", "start_urls": ["https://c.example/"], "every": "1h"},
        "timed": {
            "parser": "walaw",
            "start_urls": ["https://d.example/"],
            "cron": "*/10 6-23 * * *",
            "timezone": "Africa/Casablanca",
        },
    },
}


def test_first_runs_follow_the_archive_and_triggers_follow_the_config(tmp_path) -> None:
    config = parse_config(CONFIG, "config.toml")
    now = datetime.now(UTC).replace(microsecond=0)
    with Archive(tmp_path / "archive.db") as archive:
        archive.start_run("ran", now - timedelta(minutes=4))
        archive.start_run("long_ago", now - timedelta(hours=5))
        daemon = Daemon(config, archive)
        assert daemon._first_run(config.sites["ran"], now) == now + timedelta(minutes=6)
        assert daemon._first_run(config.sites["new"], now) == now
        assert daemon._first_run(config.sites["long_ago"], now) == now  # overdue: at once
        assert daemon._first_run(config.sites["timed"], now) is None  # the cron decides

    interval = site_trigger(config.sites["new"], 0)
    assert isinstance(interval, IntervalTrigger) and interval.interval.total_seconds() == 1
    cron = site_trigger(config.sites["timed"], 5)
    assert isinstance(cron, CronTrigger) and cron.jitter == 5
    assert str(cron.timezone) == "Africa/Casablanca"
    night = datetime(2026, 1, 5, 23, 55, tzinfo=UTC)  # 00:55 in Casablanca (UTC+1)
    fire = site_trigger(config.sites["timed"], 0).get_next_fire_time(None, night)
    assert fire == datetime(2026, 1, 6, 5, 0, tzinfo=UTC)  # 06:00 there
