"""Soak the daemon: N loopback news sites polled for a while; polls, CPU per poll, RSS over time.

Run from the repository root with the package installed::

    .venv/bin/python bench/soak.py --sites 50 --every 10s --duration 600
    .venv/bin/python bench/soak.py --sites 50 --every 1s --polls 10000   # the 1,000 vs 10,000 check

Each site is a walaw-like site on its own 127.0.0.1 port whose ticker shows ten
stories and gains a new one every ``--news-every`` seconds (so passes fetch new
articles now and then, as real ones do). ``newsrack daemon`` runs as a
subprocess; every ``--sample`` seconds the script reads its RSS and CPU time
from /proc and counts finished passes in ``runs``. It prints one row per
``--report`` seconds, the RSS when 1,000 and 10,000 passes had finished, then
stops the daemon with SIGTERM and prints how long that took and the exit code.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.walaw_site import STORIES, Story, article_a, home_a  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
MARKS = (1_000, 10_000)


def story(site: int, n: int) -> Story:
    base = STORIES[n % len(STORIES)]
    return Story(
        time=f"{(n // 60) % 24:02d}:{n % 60:02d}",
        slug=f"{base.slug}_{n}",
        ident=f"S{site:03d}N{n:08d}",
        title=f"{base.title} ({site}-{n})",
        lead=base.lead,
        paragraphs=base.paragraphs,
    )


class NewsSite:
    """One loopback site whose news advances with the clock."""

    def __init__(self, index: int, news_every: float, started: float) -> None:
        self.index = index
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                latest = int((time.monotonic() - started) / news_every) + 10
                ticker = tuple(story(site.index, n) for n in range(latest, latest - 10, -1))
                if self.path == "/":
                    html = home_a(ticker)
                elif self.path.startswith("/articles/"):
                    ident = self.path.rstrip("/").rsplit("/", 1)[-1]
                    n = int(ident.split("N")[-1]) if "N" in ident else -1
                    html = article_a(story(site.index, n), ticker) if n >= 0 else ""
                else:
                    html = ""
                body = html.encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@dataclass
class Sample:
    at: float
    polls: int
    rss_mb: float
    cpu_s: float


def proc_sample(pid: int) -> tuple[float, float]:
    """(RSS in MB, user+system CPU seconds) of ``pid``."""
    rss = 0.0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return rss, (int(fields[11]) + int(fields[12])) / TICKS


def finished_polls(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM runs WHERE status != 'running'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--every", default="10s", help="each site's schedule")
    parser.add_argument("--duration", type=float, default=600, help="seconds to run at most")
    parser.add_argument("--polls", type=int, default=0, help="stop once this many passes ended")
    parser.add_argument("--news-every", type=float, default=60.0)
    parser.add_argument("--sample", type=float, default=1.0)
    parser.add_argument("--report", type=float, default=60.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsrack-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    sites = [NewsSite(i, args.news_every, started) for i in range(args.sites)]
    config = work / "config.toml"
    blocks = [
        "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 1\ntimeout = 10\n",
        "[daemon]\nrun_timeout = 60\nshutdown_grace = 10\n",
    ]
    for site in sites:
        blocks.append(
            f'[sites.s{site.index:03d}]\nparser = "walaw"\nstart_urls = ["{site.base}/"]\n'
            f'every = "{args.every}"\ntimezone = "Africa/Casablanca"\n'
        )
    config.write_text("\n".join(blocks))
    db = work / "archive.db"
    newsrack = Path(sys.executable).with_name("newsrack")
    log = (work / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [str(newsrack), "--config", str(config), "--db", str(db), "daemon"],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    print(f"soak: {args.sites} sites every {args.every}; daemon pid {daemon.pid}; work {work}")
    print(f"{'time':>6} {'polls':>7} {'polls/s':>8} {'RSS MB':>7} {'CPU s':>7} {'CPU ms/poll':>12}")
    samples: list[Sample] = []
    marks: dict[int, Sample] = {}
    last_report = Sample(0.0, 0, 0.0, 0.0)
    t0 = time.monotonic()
    try:
        while daemon.poll() is None:
            time.sleep(args.sample)
            now = time.monotonic() - t0
            rss, cpu = proc_sample(daemon.pid)
            sample = Sample(now, finished_polls(db), rss, cpu)
            samples.append(sample)
            for mark in MARKS:
                if mark not in marks and sample.polls >= mark:
                    marks[mark] = sample
            if now - last_report.at >= args.report:
                dp = sample.polls - last_report.polls
                per = (sample.cpu_s - last_report.cpu_s) / dp * 1000 if dp else float("nan")
                rate = dp / (now - last_report.at)
                print(
                    f"{now:6.0f} {sample.polls:7d} {rate:8.1f} {rss:7.1f} {cpu:7.1f} {per:12.2f}",
                    flush=True,
                )
                last_report = sample
            if now >= args.duration or (args.polls and sample.polls >= args.polls):
                break
    finally:
        began = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(60)
        stopped = time.monotonic() - began
    final = samples[-1]
    print(
        f"total: {final.polls} polls in {final.at:.0f}s, {final.cpu_s:.1f} CPU s "
        f"({final.cpu_s / max(final.polls, 1) * 1000:.2f} ms/poll), "
        f"RSS first {samples[0].rss_mb:.1f} MB, max {max(s.rss_mb for s in samples):.1f} MB, "
        f"last {final.rss_mb:.1f} MB"
    )
    for mark, sample in sorted(marks.items()):
        print(f"RSS after {mark:,} polls: {sample.rss_mb:.1f} MB (at {sample.at:.0f}s)")
    if len(marks) == len(MARKS):
        first, last = marks[MARKS[0]], marks[MARKS[1]]
        print(f"RSS growth 1,000 -> 10,000 polls: {(last.rss_mb / first.rss_mb - 1) * 100:+.1f}%")
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute("SELECT status, count(*) FROM runs GROUP BY status"))
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"runs by status: {statuses}; articles archived: {articles}")
    print(f"SIGTERM -> exit {code} in {stopped:.2f}s")


if __name__ == "__main__":
    main()
