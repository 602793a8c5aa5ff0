"""Small SQLite helpers shared by the archive modules: UTC text times, content hashes, and the
one place where ``sqlite3`` errors become one-line ``ArchiveError``s naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from parsers.extract import clean
from scraper.errors import ArchiveError


def utc_text(moment: datetime | None) -> str | None:
    """A datetime as UTC ISO-8601 text (``2025-05-09T10:07:00Z``); naive means UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(title: str | None, lead: str | None, body: str | None) -> str:
    """SHA-256 of the whitespace-normalized title, lead and body: equal text, equal hash."""
    normalized = "\x1f".join(clean(part) for part in (title, lead, body))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def archive_error(path: Path, exc: sqlite3.Error) -> ArchiveError:
    """One line naming the file and what to do, for any SQLite failure."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorname", "")
    if code == "SQLITE_FULL" or "database or disk is full" in text:
        hint = "the disk is full; free space, nothing stored so far is lost"
    elif code.startswith("SQLITE_READONLY") or "readonly" in text:
        hint = "the file or its folder is read-only; fix permissions or pass --db PATH"
    elif code.startswith("SQLITE_BUSY") or "locked" in text:
        hint = "another process holds the database; retry or stop it"
    elif code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "not a database" in text:
        hint = "not a newsrack archive or damaged; pass --db PATH to another file"
    elif (code.startswith("SQLITE_CANTOPEN") or "unable to open" in text) and path.exists():
        hint = "cannot open it for writing: the file, its folder or the disk is read-only"
    elif code.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        hint = "cannot open it; check the folder exists and is writable"
    else:
        hint = text
    return ArchiveError(f"{path}: {hint} ({code or type(exc).__name__}: {text})")
