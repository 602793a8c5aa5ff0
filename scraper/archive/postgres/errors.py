"""Where psycopg errors become one-line ``ArchiveError``s naming the server and the fix.

Every method of the PostgreSQL archive maps what psycopg raises here (a server
that is down, a refused login, a missing database, a missing privilege, a full
disk, a lost connection), so no psycopg exception or traceback leaves the
package. The URL named is ``safe_url``'s: the password is never printed.
"""

from __future__ import annotations

from typing import Any

from scraper.errors import ArchiveError

FIX_URL = "fix [archive] url (or --db)"


def safe_url(url: str) -> str:
    """``url`` without its password: what messages and ``archive.path`` show."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:  # a URL psycopg cannot read is named as given, minus what follows '@'
        return url.split("@", 1)[-1] if "@" in url else url
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    query = url.partition("?")[2]
    kept = "&".join(p for p in query.split("&") if p and not p.lower().startswith("password="))
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}" + (
        f"?{kept}" if kept else ""
    )


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


def connect_error(where: str, exc: Any) -> ArchiveError:
    """One line for a failed connection: the server down, the login refused, no database."""
    text = _first_line(exc)
    if "does not exist" in text and "database" in text:
        hint = f"no such database; create it (createdb) or {FIX_URL}"
    elif "authentication failed" in text or ("role" in text and "does not exist" in text):
        hint = "the server refused the login; fix the user or password in [archive] url"
    elif "no pg_hba.conf entry" in text:
        hint = "the server does not accept this client (pg_hba.conf); allow it or " + FIX_URL
    else:
        hint = f"is the server running? start it or {FIX_URL}"
    return ArchiveError(f"cannot connect to {where}: {hint} ({text})")


def pg_error(where: str, exc: Any) -> ArchiveError:
    """One line naming the database and what to do, for any psycopg failure."""
    import psycopg
    from psycopg import errors

    text = _first_line(exc)
    if isinstance(exc, errors.UndefinedTable | errors.UndefinedColumn | errors.UndefinedFunction):
        hint = "the database lacks part of the archive's schema (damaged or not a newsrack archive)"
    elif isinstance(exc, errors.InsufficientPrivilege):
        hint = "the role lacks a privilege here; grant it, or use the database's owner"
    elif isinstance(exc, errors.DiskFull):
        hint = "the server's disk is full; free space, nothing stored so far is lost"
    elif isinstance(exc, errors.ReadOnlySqlTransaction):
        hint = "the server is read-only (a standby?); point [archive] url at the primary"
    elif isinstance(exc, errors.QueryCanceled | errors.LockNotAvailable):
        hint = "the server cancelled the statement (timeout or lock); retry"
    elif isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        hint = f"lost the connection; is the server running? start it or {FIX_URL}"
    else:
        hint = "the server refused a statement"
    sqlstate = getattr(exc, "sqlstate", None) or type(exc).__name__
    return ArchiveError(f"{where}: {hint} ({sqlstate}: {text})")
