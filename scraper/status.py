"""How each site is doing, from the archive alone: last and next run, 24-hour counts, parser health.

``site_statuses(archive, config, now)`` reads ``runs``, ``pages`` and
``articles`` with indexed queries (cheap on a months-old archive) and returns
one ``SiteStatus`` per configured site (and per site the archive knows that
config no longer names). Parser health is the share of the site's recent
article pages (the last ``RECENT`` fetched) that came out broken: a parse
error, or an article missing its title, body or date (``missing_fields``; a
date the ticker supplied counts as present). It
is flagged when that share rises by ``DROP`` or more over the site's own
history (the ``HISTORY`` article pages before), which is what a redesign that
breaks a parser looks like. The next run is the daemon's schedule as config
states it: one interval after the last run, or the cron expression's next time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from scraper.archive import Archive, utc_text
from scraper.config import Config, SiteConfig
from scraper.schedule import next_run

RECENT = 50
HISTORY = 500
DROP = 0.2
MIN_RECENT = 5
MIN_HISTORY = 20
HEALTH_FIELDS = ("title", "body", "published_at")


@dataclass(frozen=True)
class Health:
    """Parser health over recent article pages, against the site's history."""

    recent: int = 0
    recent_broken: float | None = None
    history: int = 0
    history_broken: float | None = None
    missing: dict[str, float] = field(default_factory=dict)
    parse_errors: float | None = None
    flagged: bool = False


@dataclass(frozen=True)
class SiteStatus:
    """One site at a glance; times are UTC ISO-8601 text, rates are shares 0..1."""

    site: str
    schedule: str
    enabled: bool
    configured: bool
    last_started: str | None
    last_status: str | None
    last_duration: float | None
    next_run: str | None
    runs_24h: int
    failed_24h: int
    new_articles_24h: int
    new_ticker_items_24h: int
    pages_24h: int
    errors_24h: int
    error_rate: float | None
    health: Health

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def parser_health(archive: Archive, site: str) -> Health:
    rows = archive.rows(
        "SELECT p.error_kind, a.missing_fields, a.published_at FROM pages p "
        "LEFT JOIN article_urls u ON u.url = p.url LEFT JOIN articles a ON a.id = u.article_id "
        "WHERE p.site = ? AND p.kind = 'article' AND p.status = 'ok' "
        "ORDER BY p.fetched_at DESC, p.id DESC LIMIT ?",
        (site, RECENT + HISTORY),
    )
    parsed = []
    for row in rows:
        missing = set(json.loads(row["missing_fields"] or "[]")) & set(HEALTH_FIELDS)
        if row["published_at"]:  # a date from the ticker counts: the archive has one
            missing.discard("published_at")
        parsed.append((row["error_kind"] == "parse", missing))
    recent, history = parsed[:RECENT], parsed[RECENT:]
    if not recent:
        return Health()

    def broken(sample: list[tuple[bool, set[str]]]) -> float | None:
        if not sample:
            return None
        return sum(1 for error, missing in sample if error or missing) / len(sample)

    recent_broken, history_broken = broken(recent), broken(history)
    flagged = (
        len(recent) >= MIN_RECENT
        and len(history) >= MIN_HISTORY
        and recent_broken is not None
        and history_broken is not None
        and recent_broken - history_broken >= DROP
    )
    return Health(
        recent=len(recent),
        recent_broken=recent_broken,
        history=len(history),
        history_broken=history_broken,
        missing={
            name: sum(1 for _, missing in recent if name in missing) / len(recent)
            for name in HEALTH_FIELDS
        },
        parse_errors=sum(1 for error, _ in recent if error) / len(recent),
        flagged=flagged,
    )


def site_status(
    archive: Archive, name: str, site: SiteConfig | None, now: datetime, daemon_running: bool
) -> SiteStatus:
    last = archive.rows(
        "SELECT started_at, finished_at, status FROM runs WHERE site = ? "
        "ORDER BY started_at DESC, id DESC LIMIT 1",
        (name,),
    )
    started = _parse(last[0]["started_at"]) if last else None
    finished = _parse(last[0]["finished_at"]) if last else None
    duration = None
    if started is not None:
        duration = ((finished or now) - started).total_seconds()
    day = archive.rows(
        "SELECT count(*) AS runs, coalesce(sum(status = 'failed'), 0) AS failed, "
        "coalesce(sum(new_articles), 0) AS articles, "
        "coalesce(sum(new_ticker_items), 0) AS ticker, coalesce(sum(pages), 0) AS pages, "
        "coalesce(sum(errors), 0) AS errors FROM runs WHERE site = ? AND started_at >= ?",
        (name, utc_text(now - timedelta(hours=24))),
    )[0]
    upcoming = next_run(site, started, now) if site is not None and daemon_running else None
    return SiteStatus(
        site=name,
        schedule=site.schedule if site else "not in config",
        enabled=bool(site and site.enabled),
        configured=site is not None,
        last_started=last[0]["started_at"] if last else None,
        last_status=last[0]["status"] if last else None,
        last_duration=round(duration, 1) if duration is not None else None,
        next_run=utc_text(upcoming),
        runs_24h=day["runs"],
        failed_24h=day["failed"],
        new_articles_24h=day["articles"],
        new_ticker_items_24h=day["ticker"],
        pages_24h=day["pages"],
        errors_24h=day["errors"],
        error_rate=round(day["errors"] / day["pages"], 4) if day["pages"] else None,
        health=parser_health(archive, name),
    )


def site_statuses(
    archive: Archive, config: Config, now: datetime | None = None, daemon_running: bool = False
) -> list[SiteStatus]:
    """Every configured site, then every site only the archive knows, in that order."""
    now = now or datetime.now(UTC)
    names = list(config.sites)
    for row in archive.rows("SELECT DISTINCT site FROM runs ORDER BY site"):
        if row["site"] not in config.sites:
            names.append(row["site"])
    return [
        site_status(archive, name, config.sites.get(name), now, daemon_running) for name in names
    ]
