"""Time helpers for the crawl: a ticker's bare ``HH:MM`` to a full UTC timestamp.

A ticker shows local times without a date. The item is dated the day of the
fetch in the site's timezone, or the day before when the time shown is later
than the fetch's local time (23:50 seen at 00:05 is yesterday's). Naive page
times are localized in one place only: ``scraper.ingest``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

_SHOWN_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:hH]\s*([0-5]\d)\s*$")


def resolve_shown_time(shown: str | None, fetched_at: datetime, tz: tzinfo) -> datetime | None:
    """The UTC moment a ticker's ``HH:MM`` (in ``tz``) stands for, seen at ``fetched_at``."""
    match = _SHOWN_TIME_RE.match(shown or "")
    if not match:
        return None
    local_now = fetched_at.astimezone(tz)
    day = local_now.date()
    hour, minute = int(match.group(1)), int(match.group(2))
    if (hour, minute) > (local_now.hour, local_now.minute):
        day -= timedelta(days=1)
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return local.astimezone(UTC)
