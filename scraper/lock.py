"""One writer per archive: an flock()ed lock file beside it, holding the PID of its owner.

``ArchiveLock(db_path, role)`` creates ``<archive>.lock`` and takes an
exclusive, non-blocking ``flock`` on it; the kernel drops that lock when the
process dies however it dies, so a lock file left by a dead process is simply
taken over (and the takeover logged). The lock is keyed on the archive's real
path (symlinks resolved), so one archive reached two ways still has one lock.
The file holds ``pid role started_at`` so that a refused second writer, and
``status``, can say who holds it: ``LockError`` names the file, the holder and
what to do, and the CLI exits 3. A lock file that cannot be made (an unwritable
folder, a file where a folder should be) is a ``ConfigError`` (exit 2): the
archive path is wrong, nobody holds the lock. A PostgreSQL archive (a
``postgresql://`` URL) takes no lock file: the server serializes its writers
(row locks), so several processes, on several machines, may write to it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from scraper.archive.interface import is_postgres_url
from scraper.errors import ConfigError, LockError

log = logging.getLogger(__name__)


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file of an archive: ``archive.db`` -> ``archive.db.lock``, beside the real file
    (a symlink to the archive leads to the same lock)."""
    path = Path(db_path).expanduser()
    try:
        path = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL: named on open
        path = path.absolute()
    return path.with_name(path.name + ".lock")


def read_holder(path: Path) -> tuple[int | None, str]:
    """(pid, description) written in a lock file; (None, "") when unreadable."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None, ""
    first = text.split(maxsplit=1)
    pid = int(first[0]) if first and first[0].isdigit() else None
    return pid, first[1] if len(first) > 1 else ""


@dataclass(frozen=True)
class LockHolder:
    """Who holds an archive's lock: ``pid`` (-1 when unreadable) and ``role`` (crawl, daemon)."""

    pid: int
    role: str
    since: str | None = None

    def describe(self) -> str:
        """``crawl pid 42 since 2025-05-09T10:00:00Z``, for one-line messages."""
        text = f"{self.role or 'newsrack'} pid {self.pid}" if self.pid > 0 else "a newsrack"
        return f"{text} since {self.since}" if self.since else text


def holder(db_path: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds the archive's lock right now, or None when nobody does (never writes)."""
    if is_postgres_url(db_path):
        return None
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, what = read_holder(path)
        role, _, since = what.partition(" since ")
        return LockHolder(pid or -1, role.strip(), since.strip() or None)
    finally:
        os.close(fd)
    return None


def is_held(db_path: str | os.PathLike[str]) -> int | None:
    """The PID holding the archive's lock right now, or None when nobody does."""
    held = holder(db_path)
    return held.pid if held else None


class ArchiveLock:
    """``with ArchiveLock(db, "daemon"):`` ... ; LockError when another process holds it."""

    def __init__(self, db_path: str | os.PathLike[str], role: str) -> None:
        self.shared = is_postgres_url(db_path)  # a server archive: nothing to lock here
        self.path = Path(os.devnull) if self.shared else lock_path(db_path)
        self.role = role
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.shared:
            return
        if "\x00" in str(self.path):
            raise ConfigError(f"{self.path!r}: an archive path cannot hold a NUL character")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except (FileExistsError, NotADirectoryError) as exc:
            raise ConfigError(
                f"{self.path}: a file stands where a folder of the archive's path should be "
                f"({exc.filename}); pass --db PATH in a folder"
            ) from exc
        except OSError as exc:
            raise ConfigError(
                f"{self.path}: cannot create the archive's lock file: {exc.strerror}; make "
                "the archive's folder writable or pass --db PATH"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid, what = read_holder(self.path)
            holder = f"pid {pid}" if pid else "another process"
            if what:
                holder += f" ({what})"
            raise LockError(
                f"{self.path}: the archive is in use by newsrack {holder}; "
                "stop it, or wait for it to finish"
            ) from None
        old_pid, _ = read_holder(self.path)
        if old_pid and old_pid != os.getpid():
            log.warning("taking over the lock %s left by pid %s, which is gone", self.path, old_pid)
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.role} since {started}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
