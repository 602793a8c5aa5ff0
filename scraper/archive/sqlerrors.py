"""Where ``sqlite3`` errors become one-line ``ArchiveError``s naming the file and the fix:
every method of the archive that touches SQLite maps what it raises here, so no
``sqlite3`` exception (nor a raw traceback) ever leaves the package.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.errors import ArchiveError


def archive_error(path: Path, exc: sqlite3.Error) -> ArchiveError:
    """One line naming the file and what to do, for any SQLite failure."""
    text = " ".join(str(exc).split())
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
    elif "no such table" in text or "no such column" in text:
        hint = "the archive lacks part of its schema (damaged or not a newsrack archive)"
    else:
        hint = text
    return ArchiveError(f"{path}: {hint} ({code or type(exc).__name__}: {text})")
