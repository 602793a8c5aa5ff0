"""A ``newsrack daemon`` as a real process, and what daemon tests share: sites, hangs, runs rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.commands import NEWSRACK
from tests.support.httpserver import Page, TestServer
from tests.support.walaw_site import STORIES, site_routes

FETCH = "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 30\n"


def site_block(name: str, base: str, every: str) -> str:
    return f'[sites.{name}]\nparser = "walaw"\nstart_urls = ["{base}/"]\nevery = "{every}"\n'


def serve_walaw(server: TestServer) -> None:
    for path, html in site_routes(STORIES[:3]).items():
        server.routes[path] = Page(html)


class Hang:
    """A route that never answers until released; counts how many requests are open at once."""

    def __init__(self, seconds: float = 30.0) -> None:
        self.release = threading.Event()
        self.seconds = seconds
        self.open = 0
        self.most_open = 0
        self._lock = threading.Lock()

    def __call__(self, handler) -> None:
        with self._lock:
            self.open += 1
            self.most_open = max(self.most_open, self.open)
        try:
            self.release.wait(self.seconds)
            body = b"<html><body>late</body></html>"
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up
        finally:
            with self._lock:
                self.open -= 1


class Daemon:
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
