"""When each site runs: its trigger, its first run after a (re)start, its next run; one place.

The daemon schedules with these functions and ``status`` shows their answers,
so the two can never disagree. An ``every`` site runs one interval after its
last archived run (at once if that is past or unknown); a ``cron`` site when
its expression next fires in the site's timezone. A stored time from the
future (a clock that was once wrong) is not trusted: ``in_future`` tells it,
and scheduling treats such a site as never run rather than pushing its next run
out by years. ``plan`` builds every trigger and first run of a config before
anything running is touched, so a config that cannot be scheduled is refused
whole (``ScheduleError``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

if TYPE_CHECKING:
    from scraper.config import Config, SiteConfig

#: How far ahead of now a stored time may be (clock skew between hosts) and still be trusted.
FUTURE_TOLERANCE = timedelta(minutes=5)


class ScheduleError(ValueError):
    """A site's schedule cannot be built or never fires; the message says which and why."""


@dataclass(frozen=True)
class SitePlan:
    """A site ready to schedule: its trigger and its first run (None: the trigger decides)."""

    site: SiteConfig
    trigger: BaseTrigger
    first_run: datetime | None


def enabled_sites(config: Config) -> dict[str, SiteConfig]:
    """The sites the daemon schedules, by name."""
    return {name: site for name, site in config.sites.items() if site.enabled}


def site_trigger(site: SiteConfig, jitter: float = 0.0) -> BaseTrigger:
    """The APScheduler trigger of a site's ``every`` or ``cron`` schedule."""
    try:
        if site.cron:
            trigger = CronTrigger.from_crontab(site.cron, timezone=site.tz)
            trigger.jitter = jitter or None
            return trigger
        return IntervalTrigger(seconds=site.every, jitter=jitter or None, timezone=UTC)
    except (ValueError, OverflowError, TypeError) as exc:
        raise ScheduleError(f"{site.schedule}: cannot be scheduled: {exc}") from None


def check_trigger(site: SiteConfig, now: datetime, jitter: float = 0.0) -> BaseTrigger:
    """The site's trigger, having made sure it fires at all (``cron = "0 0 30 2 *"`` never does)."""
    trigger = site_trigger(site, jitter)
    try:
        fire = trigger.get_next_fire_time(None, now)
    except (ValueError, OverflowError) as exc:
        raise ScheduleError(f"{site.schedule}: cannot be scheduled: {exc}") from None
    if fire is None:
        raise ScheduleError(f"cron = {site.cron!r} never fires; write a date that exists")
    return trigger


def in_future(moment: datetime | None, now: datetime) -> bool:
    """Whether a stored time is later than now (beyond clock skew): a clock was wrong."""
    return moment is not None and moment > now + FUTURE_TOLERANCE


def parse_time(text: str | None) -> datetime | None:
    """A stored UTC ISO-8601 time, or None when absent or unreadable (a damaged row)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def first_run(
    site: SiteConfig,
    last_started: datetime | None,
    now: datetime,
    jitter: float = 0.0,
    rng: random.Random | None = None,
) -> datetime | None:
    """When an ``every`` site first runs: one interval after its last run, or now.

    None for a ``cron`` site (its expression decides). A last run from the
    future is not trusted: the site runs now.
    """
    if site.cron:
        return None
    due = now
    if last_started is not None and not in_future(last_started, now):
        due = max(now, last_started + timedelta(seconds=site.every))
    if jitter:
        due += timedelta(seconds=(rng or random).uniform(0, jitter))
    return due


def next_run(site: SiteConfig, last_started: datetime | None, now: datetime) -> datetime | None:
    """When the daemon runs ``site`` next, per its schedule (None for a disabled site)."""
    if not site.enabled:
        return None
    if site.cron:
        return site_trigger(site).get_next_fire_time(None, now)
    return first_run(site, last_started, now)


def plan(
    config: Config,
    last_started: Mapping[str, datetime | None],
    now: datetime,
    rng: random.Random | None = None,
) -> dict[str, SitePlan]:
    """Trigger and first run of every enabled site; ScheduleError naming the site if one fails."""
    jitter = config.daemon.jitter
    plans: dict[str, SitePlan] = {}
    for name, site in enabled_sites(config).items():
        try:
            trigger = check_trigger(site, now, jitter)
            first = first_run(site, last_started.get(name), now, jitter, rng)
        except (ScheduleError, OverflowError, ValueError) as exc:
            raise ScheduleError(f"[sites.{name}] {exc}") from None
        plans[name] = SitePlan(site, trigger, first)
    return plans
