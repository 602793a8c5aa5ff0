"""The archive lock: one writer; a live holder is named; a dead holder's lock is taken over."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scraper.errors import LockError
from scraper.lock import ArchiveLock, is_held, lock_path

HOLD = (
    "import sys, time\n"
    "from scraper.lock import ArchiveLock\n"
    "with ArchiveLock(sys.argv[1], 'crawl'):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(30)\n"
)


def test_a_live_holder_is_refused_by_name_and_its_lock_freed_when_it_dies(tmp_path) -> None:
    db = tmp_path / "archive.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert is_held(db) == holder.pid
        with pytest.raises(LockError) as refused:
            ArchiveLock(db, "daemon").acquire()
        message = str(refused.value)
        assert f"pid {holder.pid} (crawl since " in message and "\n" not in message
        assert refused.value.exit_code == 3
    finally:
        holder.kill()  # no cleanup: the file still names it, but the kernel dropped the flock
        holder.wait()
    assert lock_path(db).read_text().startswith(f"{holder.pid} crawl")
    assert is_held(db) is None
    with ArchiveLock(db, "daemon"):
        assert lock_path(db).read_text().startswith(f"{os.getpid()} daemon since ")
        assert is_held(db) == os.getpid()
    assert is_held(db) is None and lock_path(db).read_text() == ""


def test_the_same_process_cannot_take_it_twice(tmp_path) -> None:
    db = tmp_path / "archive.db"
    with ArchiveLock(db, "daemon"), pytest.raises(LockError):
        ArchiveLock(db, "crawl").acquire()
