"""The ``newsrack daemon`` as a real process in tests: start it, read its ``runs`` rows, wait.

``DaemonProcess`` runs the installed command with its stderr in a file;
``runs`` reads the archive's ``runs`` rows the way a researcher would (plain
sqlite3, nothing of ours); ``wait_for`` polls a condition with a deadline;
``descendants`` lists a process's children and theirs (parse workers are
forked by a forkserver, so they are grandchildren) from ``/proc``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.commands import NEWSRACK


class DaemonProcess:
    """A ``newsrack daemon`` subprocess with its stderr in a file."""

    def __init__(self, config: Path, db: Path, *extra: str) -> None:
        self.log = config.with_suffix(f".{time.monotonic_ns()}.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
        with self.log.open("w") as err:
            self.proc = subprocess.Popen(
                [str(NEWSRACK), "--config", str(config), "--db", str(db), *extra, "daemon"],
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )

    def stderr(self) -> str:
        return self.log.read_text()

    def stop(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)


def runs(db: Path, site: str | None = None) -> list[tuple]:
    """``(site, started_at, finished_at, status, errors)`` of every run, oldest first."""
    if not db.exists():
        return []
    sql = "SELECT site, started_at, finished_at, status, errors FROM runs"
    args: tuple = ()
    if site:
        sql, args = sql + " WHERE site = ?", (site,)
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql + " ORDER BY id", args).fetchall()
    except sqlite3.OperationalError:
        return []  # not created yet


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (children, grandchildren...)."""
    parents = _parents()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not exited (a zombie counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
