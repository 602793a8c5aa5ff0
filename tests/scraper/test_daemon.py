"""The daemon as a real process getting real signals, against loopback sites polled every 1-2 s."""

from __future__ import annotations

import itertools
import json
import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.support.commands import NEWSRACK, run_newsrack
from tests.support.daemons import DaemonProcess, runs, wait_for
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


@pytest.fixture
def start_daemon(tmp_path) -> Iterator[Callable[..., DaemonProcess]]:
    if not NEWSRACK.exists():
        pytest.skip("newsrack is not installed beside the interpreter: pip install -e .")
    started: list[DaemonProcess] = []

    def start(config_text: str, *extra: str) -> DaemonProcess:
        config = tmp_path / "config.toml"
        config.write_text(config_text)
        daemon = DaemonProcess(config, tmp_path / "archive.db", *extra)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.proc.poll() is None:
            daemon.proc.kill()
            daemon.proc.wait()


def listing_times(server: TestServer) -> list[float]:
    return [r.at for r in server.requests if r.path == "/"]


def test_sites_run_on_time_never_overlap_and_a_hung_site_delays_no_one(
    start_daemon, tmp_path
) -> None:
    with TestServer() as fast, TestServer() as slow, TestServer() as dead:
        serve_walaw(fast)
        slow_hang, dead_hang = Hang(seconds=1.6), Hang()
        slow.routes["/"] = slow_hang  # answers after 1.6 s, polled every 1 s
        dead.routes["/"] = dead_hang  # never answers; run_timeout cuts it off
        daemon = start_daemon(
            FETCH
            + "[daemon]\nrun_timeout = 2\nshutdown_grace = 1\n"
            + site_block("fast", fast.base, "1s")
            + site_block("slow", slow.base, "1s")
            + site_block("dead", dead.base, "2s")
        )
        try:
            db = tmp_path / "archive.db"
            wait_for(lambda: len(listing_times(fast)) >= 6, 15, "six polls of the fast site")
            wait_for(lambda: "run_timeout" in daemon.stderr(), 10, "a timed-out run")
            wait_for(lambda: any(r[2] for r in runs(db, "dead")), 5, "its row to be finished")
        finally:
            dead_hang.release.set()
            slow_hang.release.set()
        assert daemon.stop() == 0, daemon.stderr()

    # on time, whatever the dead and slow sites are doing: one poll a second
    times = listing_times(fast)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(0.6 < gap < 1.6 for gap in gaps), gaps
    # the slow site's passes (1.6 s each, every 1 s) never ran two at once
    assert slow_hang.most_open == 1
    assert len(runs(db, "slow")) >= 2
    slow_runs = [r for r in runs(db, "slow") if r[2]]
    for before, after in itertools.pairwise(slow_runs):
        assert after[1] >= before[2], slow_runs  # started after the previous one finished
    # the dead site's pass was cut off at run_timeout; the pass, not the daemon, finished its
    # row (it was finished twice before: interrupted by the crawl, then failed by the daemon);
    # the crawl is told why it was cancelled (daemon.RUN_TIMEOUT) to record it as failed
    cut = runs(db, "dead")[0]
    assert cut[2] and cut[3] in ("failed", "interrupted"), cut
    assert "run_timeout" in daemon.stderr()
    skipped = [line for line in daemon.stderr().splitlines() if "running instances" in line]
    assert any('job "crawl slow ' in line for line in skipped)
    for line in skipped:  # APScheduler's line names the site whose run it skipped
        site = line.split('job "crawl ', 1)[1].split()[0]
        assert f" WARNING {site}: " in line
    assert all(r[3] == "ok" for r in runs(db, "fast"))


def test_sigterm_interrupts_in_flight_runs_within_the_grace_and_others_exit_3(
    start_daemon, tmp_path, newsrack
) -> None:
    with TestServer() as fast, TestServer() as dead:
        serve_walaw(fast)
        hang = Hang()
        dead.routes["/"] = hang
        config_text = (
            FETCH
            + "[daemon]\nshutdown_grace = 1\nrun_timeout = 60\n"
            + site_block("fast", fast.base, "1s")
            + site_block("dead", dead.base, "1s")
        )
        daemon = start_daemon(config_text)
        db = tmp_path / "archive.db"
        try:
            wait_for(lambda: runs(db, "dead"), 10, "the dead site's run to start")
            wait_for(lambda: any(r[3] == "ok" for r in runs(db, "fast")), 10, "a fast run")
            lock = tmp_path / "archive.db.lock"
            assert lock.read_text().split()[:2] == [str(daemon.proc.pid), "daemon"]

            config = str(tmp_path / "config.toml")
            second = newsrack("--config", config, "--db", str(db), "daemon")
            cron = newsrack("--config", config, "--db", str(db), "crawl", "--quiet")
            for other in (second, cron):
                assert other.returncode == 3, other.stderr
                assert other.stderr.count("\n") == 1
                assert f"pid {daemon.proc.pid} (daemon" in other.stderr

            daemon.proc.send_signal(signal.SIGTERM)
            began = time.monotonic()
            code = daemon.proc.wait(10)
            took = time.monotonic() - began
            assert code == 0, daemon.stderr()
            assert took < 1 + 2.5, took  # the grace, plus closing up
            # a normal stop: no ERROR line, no traceback for the passes it cancelled
            assert " ERROR " not in daemon.stderr() and "Traceback" not in daemon.stderr()
            dead_runs = runs(db, "dead")
            assert dead_runs[-1][3] == "interrupted" and dead_runs[-1][2]
            assert all(r[3] != "running" for r in runs(db))
            assert not lock.read_text()  # released: the next writer takes it without a word

            after = newsrack("--config", config, "--db", str(db), "crawl", "fast")
            assert after.returncode == 0, after.stderr
        finally:
            hang.release.set()


def test_sighup_adds_removes_and_changes_sites_and_refuses_a_bad_config(
    start_daemon, tmp_path
) -> None:
    with TestServer() as one, TestServer() as two:
        serve_walaw(one)
        serve_walaw(two)
        db = tmp_path / "archive.db"
        config = tmp_path / "config.toml"
        daemon = start_daemon(FETCH + site_block("one", one.base, "1s"))
        wait_for(lambda: runs(db, "one"), 10, "site one to run")

        config.write_text(FETCH + site_block("one", one.base, "1s") + "[sites.two]\nparser = 7\n")
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "config reload refused" in daemon.stderr(), 5, "the refusal")
        refusals = [line for line in daemon.stderr().splitlines() if "reload refused" in line]
        assert len(refusals) == 1 and "[sites.two] parser = 7" in refusals[0]
        polls = len(listing_times(one))
        wait_for(lambda: len(listing_times(one)) >= polls + 2, 5, "site one to keep running")

        config.write_text(FETCH + site_block("two", two.base, "1s"))
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: runs(db, "two"), 5, "site two, added by the reload, to run")
        time.sleep(0.3)  # a pass of one that was in flight finishes
        polls = len(listing_times(one))
        wait_for(lambda: len(listing_times(two)) >= 3, 5, "site two to keep running")
        assert len(listing_times(one)) == polls  # removed: not polled any more

        config.write_text(FETCH + site_block("two", two.base, "1h"))
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "changed two" in daemon.stderr(), 5, "the change to be applied")
        time.sleep(0.3)
        polls = len(listing_times(two))
        time.sleep(1.5)
        assert len(listing_times(two)) == polls  # now hourly: next run an hour after the last
        assert daemon.stop() == 0, daemon.stderr()
    assert "added two; removed one" in daemon.stderr()


@pytest.mark.parametrize(
    "bad",
    [
        'every = "99999999999999d"',  # overflowed the trigger after the fetcher was closed
        'cron = "0 0 30 2 *"',  # never fires
        'every = "0.001s"',
    ],
)
def test_sighup_with_an_unschedulable_site_keeps_the_running_config_whole(
    start_daemon, tmp_path, bad
) -> None:
    with TestServer() as one:
        serve_walaw(one)
        db = tmp_path / "archive.db"
        config = tmp_path / "config.toml"
        daemon = start_daemon(FETCH + site_block("one", one.base, "1s"))
        wait_for(lambda: runs(db, "one"), 10, "site one to run")

        block = f'[sites.one]\nparser = "walaw"\nstart_urls = ["{one.base}/"]\n{bad}\n'
        config.write_text(FETCH + block)
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "config reload refused" in daemon.stderr(), 5, "the refusal")
        refusals = [line for line in daemon.stderr().splitlines() if "reload refused" in line]
        assert len(refusals) == 1 and "[sites.one]" in refusals[0], refusals
        before = len(runs(db, "one"))
        wait_for(lambda: len(runs(db, "one")) >= before + 2, 6, "site one to keep running")
        assert daemon.stop() == 0, daemon.stderr()
    # every pass after the refused reload ran with its fetcher: none failed
    assert all(r[3] == "ok" for r in runs(db, "one")), runs(db, "one")
    assert "async with Fetcher" not in daemon.stderr()
    assert "Traceback" not in daemon.stderr()


def test_daemon_logs_json_lines_naming_site_and_url(start_daemon, tmp_path) -> None:
    with TestServer() as server:
        serve_walaw(server)
        server.routes[STORIES[1].path] = Page("gone", 404, {"Content-Type": "text/plain"})
        daemon = start_daemon(
            FETCH + site_block("logged", server.base, "1s"),
            "--log-format",
            "json",
            "--log-level",
            "info",
        )
        wait_for(lambda: runs(tmp_path / "archive.db", "logged"), 10, "a run")
        wait_for(lambda: "HTTP 404" in daemon.stderr(), 5, "the 404 warning")
        assert daemon.stop() == 0
    lines = [json.loads(line) for line in daemon.stderr().splitlines()]
    warning = next(line for line in lines if "HTTP 404" in line["message"])
    assert warning["site"] == "logged"
    assert warning["url"] == server.url(STORIES[1].path)
    assert warning["level"] == "warning"
    summary = next(line for line in lines if line["message"].startswith("logged: ok"))
    assert summary["site"] == "logged"


def test_daemon_without_enabled_sites_is_a_config_error(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(FETCH)
    result = run_newsrack("--config", str(config), "--db", str(tmp_path / "a.db"), "daemon")
    assert result.returncode == 2
    assert "no enabled site" in result.stderr and result.stderr.count("\n") == 1
