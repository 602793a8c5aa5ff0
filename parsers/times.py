"""Times as pages write them: timestamps (ISO 8601, RFC 2822, epoch) and clock times (``11:07``).

Parsers return a time as the page gives it: aware when the page gives an
offset, naive when it gives none (ingest localizes naive times in the site's
timezone). A timestamp within two days of the calendar's ends (year 1 or 9999) is
dropped, as no offset or timezone could then be applied to it without
overflowing; unreadable text is None, never an error. ``CLOCK`` is the one
pattern of a clock time as news pages print it (``11:07``, ``9h05``, ``9 h 05``);
every parser composes its time patterns from it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from email.utils import parsedate_to_datetime

from parsers.extract import clean

#: A clock time: hours (group 1) and minutes (group 2), ``h`` or ``:`` between, one space
#: allowed on either side. Compose, do not copy: ``rf"^{CLOCK}"``.
CLOCK = r"([01]?\d|2[0-3])\s?[:hH]\s?([0-5]\d)"
#: Timestamps are kept only this far from the calendar's ends, so any offset applies.
_MARGIN = timedelta(days=2)
_EARLIEST = datetime.min + _MARGIN
_LATEST = datetime.max - _MARGIN
_TZ_NO_COLON_RE = re.compile(r"([+-]\d{2})(\d{2})$")
_SPACED_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d")
_EPOCH_RE = re.compile(r"\d{10}(?:\.\d{1,9})?")


def parse_datetime(value: object) -> datetime | None:
    """An ISO-8601, RFC 2822 or epoch timestamp; naive when the text has no offset.

    None for anything else: unreadable text, a non-string, or a time too close to
    year 1 or 9999 to be moved to another offset.
    """
    if not isinstance(value, str):
        return None
    text = clean(value)
    if not text or len(text) > 64:
        return None
    stamp = _read(text)
    return stamp if stamp is not None and in_range(stamp) else None


def _read(text: str) -> datetime | None:
    iso = text.replace(" ", "T", 1) if _SPACED_ISO_RE.match(text) else text
    iso = _TZ_NO_COLON_RE.sub(r"\1:\2", iso)
    if iso.endswith("Z"):
        iso = iso[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    if _EPOCH_RE.fullmatch(text):
        return datetime.fromtimestamp(float(text), tz=UTC)
    return None


def in_range(stamp: datetime) -> bool:
    """Whether ``stamp`` (its UTC time when aware) is at least two days from the calendar's ends."""
    try:
        wall = stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
    except (OverflowError, ValueError):
        return False
    return _EARLIEST <= wall <= _LATEST


def first_datetime(*candidates: object) -> datetime | None:
    """The first candidate that reads as a timestamp."""
    for candidate in candidates:
        parsed = parse_datetime(candidate)
        if parsed is not None:
            return parsed
    return None


def hhmm(match: re.Match[str]) -> str:
    """``"HH:MM"`` from a match of a pattern built on ``CLOCK`` (groups 1 and 2)."""
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def at_time_of_day(day: date, shown: str, zone: tzinfo | None = None) -> datetime | None:
    """The moment ``shown`` (``"HH:MM"``) on ``day``, in ``zone`` (naive without one)."""
    hours, minutes = (int(x) for x in shown.split(":"))
    stamp = datetime.combine(day, time(hours, minutes), tzinfo=zone)
    return stamp if in_range(stamp) else None
