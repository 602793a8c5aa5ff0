"""Schedules as triggers, on simulated time: first runs follow the archive, future times do not."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scraper.archive import Archive
from scraper.clock import SimulatedClock
from scraper.config import parse_config
from scraper.daemon import Daemon
from scraper.schedule import ScheduleError, first_run, next_run, plan, site_trigger

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
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def test_first_runs_follow_the_archive_and_triggers_follow_the_config(tmp_path) -> None:
    config = parse_config(CONFIG, "config.toml")
    clock = SimulatedClock(NOW)
    with Archive(tmp_path / "archive.db") as archive:
        archive.start_run("ran", NOW - timedelta(minutes=4))
        archive.start_run("long_ago", NOW - timedelta(hours=5))
        plans = Daemon(config, archive, clock=clock).plan(config)
    assert plans["ran"].first_run == NOW + timedelta(minutes=6)
    assert plans["new"].first_run == NOW
    assert plans["long_ago"].first_run == NOW  # overdue: at once
    assert plans["timed"].first_run is None  # the cron decides

    interval = site_trigger(config.sites["new"], 0)
    assert isinstance(interval, IntervalTrigger) and interval.interval.total_seconds() == 1
    cron = site_trigger(config.sites["timed"], 5)
    assert isinstance(cron, CronTrigger) and cron.jitter == 5
    assert str(cron.timezone) == "Africa/Casablanca"
    night = datetime(2026, 1, 5, 23, 55, tzinfo=UTC)  # 00:55 in Casablanca (UTC+1)
    fire = site_trigger(config.sites["timed"], 0).get_next_fire_time(None, night)
    assert fire == datetime(2026, 1, 6, 5, 0, tzinfo=UTC)  # 06:00 there


def test_a_run_dated_in_the_future_is_logged_and_not_trusted(tmp_path, caplog) -> None:
    config = parse_config(CONFIG, "config.toml")
    with Archive(tmp_path / "archive.db") as archive:
        archive.start_run("ran", NOW - timedelta(minutes=4))
        archive.start_run("ran", datetime(2031, 6, 1, tzinfo=UTC))  # a clock once wrong
        archive.start_run("new", datetime(2031, 6, 1, tzinfo=UTC))
        with caplog.at_level(logging.WARNING, logger="scraper.daemon"):
            plans = Daemon(config, archive, clock=SimulatedClock(NOW)).plan(config)
    # the last trustworthy run decides; with none, at once: not 1,641 days out
    assert plans["ran"].first_run == NOW + timedelta(minutes=6)
    assert plans["new"].first_run == NOW
    future = [r for r in caplog.records if "in the future" in r.getMessage()]
    assert {r.site for r in future} == {"ran", "new"}
    assert "2031-06-01" in future[0].getMessage()
    # status shows the same answer the daemon acts on
    assert next_run(config.sites["new"], datetime(2031, 6, 1, tzinfo=UTC), NOW) == NOW


def test_jitter_delays_a_first_run_by_at_most_the_jitter() -> None:
    config = parse_config({**CONFIG, "daemon": {"jitter": 30}}, "config.toml")
    rng = random.Random(7)
    expected = NOW + timedelta(seconds=random.Random(7).uniform(0, 30))
    assert first_run(config.sites["new"], None, NOW, 30, rng) == expected


def test_a_schedule_that_cannot_fire_is_refused_whole() -> None:
    config = parse_config(CONFIG, "config.toml")
    broken = {
        **config.sites,
        "feb30": config.sites["timed"].__class__(
            name="feb30", parser="walaw", start_urls=("https://e.example/",), cron="0 0 30 2 *"
        ),
    }
    config = config.__class__(sites=broken)
    with pytest.raises(ScheduleError, match=r"\[sites.feb30\] cron = '0 0 30 2 \*' never fires"):
        plan(config, {}, NOW)


def test_status_names_a_run_from_the_future_instead_of_hiding_it(tmp_path) -> None:
    from click.testing import CliRunner

    from scraper.cli import cli

    config = tmp_path / "config.toml"
    config.write_text('[sites.ran]\nparser = "walaw"\nstart_urls = ["https://a.example/"]\n')
    with Archive(tmp_path / "archive.db") as archive:
        archive.start_run("ran", datetime(2031, 6, 1, tzinfo=UTC))
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(tmp_path / "archive.db"), "status"]
    )
    assert result.exit_code == 0, result.output
    assert "dated 2031-06-01 (future: a clock was wrong)" in result.output
