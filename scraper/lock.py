"""One writer per archive: an flock()ed lock file beside it, holding the PID of its owner.

``ArchiveLock(db_path, role)`` creates ``<archive>.lock`` and takes an
exclusive, non-blocking ``flock`` on it; the kernel drops that lock when the
process dies however it dies, so a lock file left by a dead process is simply
taken over (and the takeover logged). The file holds ``pid role started_at``
so that a refused second writer can say who holds it: ``LockError`` names the
file, the holder and what to do, and the CLI exits 3.
"""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from scraper.errors import LockError

log = logging.getLogger(__name__)


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file of an archive: ``archive.db`` -> ``archive.db.lock``."""
    path = Path(db_path)
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


def is_held(db_path: str | os.PathLike[str]) -> int | None:
    """The PID holding the archive's lock right now, or None when nobody does."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, _ = read_holder(path)
        return pid or -1
    finally:
        os.close(fd)
    return None


class ArchiveLock:
    """``with ArchiveLock(db, "daemon"):`` ... ; LockError when another process holds it."""

    def __init__(self, db_path: str | os.PathLike[str], role: str) -> None:
        self.path = lock_path(db_path)
        self.role = role
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LockError(
                f"{self.path}: cannot create the lock file: {exc.strerror}; "
                "check the archive's folder is writable"
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
