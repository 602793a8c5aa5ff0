"""Crawl throughput on loopback: newsrack against Scrapy 2.x, same pages, same server, same run.

Two page shapes (``--shape``): ``light``, the walaw test site (about 9 KiB
article pages, the ticker their only links), and ``web``, the same pages
dressed as real news pages (``bench.parsers_links.web_shape``: navigation with
sub-menus, a 150-link footer, 22 related teasers, the ticker, a script and a
style; about 60 KB and 330 links a page). A site of ``--pages`` articles plus
one listing linking them all is served gzip-compressed, keep-alive, by nginx
(Debian's, when installed; ``gzip_static``) or else by a small asyncio server,
in processes of their own, so the server's CPU is nobody's.

Each crawler runs in a child process, the two alternating (pairs see the same
machine load), ``--repeat`` times:

* newsrack: the ``newsrack crawl`` command itself (in the child, through
  ``scraper.cli``), walaw parser, delay 0, 8 articles at once: robots.txt,
  fetch, charset, parse in the ``[fetch] parse_workers`` worker processes,
  archive (pages row, zstd raw body, article, revision, FTS5 index, ticker
  items), one transaction per page;
* Scrapy: a spider with 16 connections (8 per host), robots.txt obeyed, the
  same walaw parser (Lexbor) on ``response.body``, a pipeline writing ticker
  items and articles to SQLite (WAL, ``synchronous = NORMAL``, one transaction
  per item, no FTS, no raw bodies: less work than newsrack's archive).

CPU is the whole process tree's: the child's own plus every descendant's (the
parse workers are forked by a forkserver, so they are grandchildren): this
process makes itself a child subreaper (``prctl``), so orphans are reparented
to it, and reaps each with ``os.wait4``, whose rusage counts the process and
the descendants it reaped. Peak memory is the largest sum of the tree's RSS
seen (forked workers share pages, so the sum overstates) and the largest
single process's, both sampled every 0.2 s (not ``ru_maxrss``: Linux carries
the parent's high-water mark into a child across exec). ``--profile`` adds a
cProfile of one newsrack crawl: the command's own process, and the parse work
its workers do (the same pages through ``run_parser`` in-process), as CPU
shares.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e '.[bench]'
    .venv-bench/bin/python bench/crawl.py --pages 2000 --repeat 3 --profile

Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gzip
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONCURRENCY_PER_HOST = 8
CONCURRENCY_TOTAL = 16


# --- the site ------------------------------------------------------------------------------


def site_pages(count: int, shape: str = "light") -> dict[str, bytes]:
    """Path -> HTML bytes: a listing of ``count`` articles, and the articles (``web``: dressed
    as real news pages)."""
    from bench.parsers_links import web_shape
    from tests.support.walaw_site import STORIES, article_a, home_a

    dress = web_shape if shape == "web" else (lambda html: html)

    letters = "BCDFGHJKLMNPQRSTVWXZ"
    stories = []
    for n in range(count):
        base = STORIES[n % len(STORIES)]
        ident = "".join(letters[(n // 20**k) % 20] for k in range(12))
        minute = 59 - (n % 60)
        stories.append(
            replace(
                base,
                ident=ident,
                time=f"{11 - (n // 60) % 12:02d}:{minute:02d}",
                title=f"{base.title} ({n})",
            )
        )
    stories_t = tuple(stories)
    pages = {"/": dress(home_a(stories_t)).encode()}
    ticker = stories_t[:30]
    for story in stories_t:
        pages[story.path] = dress(article_a(story, ticker)).encode()
    return pages


NGINX_CONF = """
user root;
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    charset utf-8;
    gzip_static on;
    keepalive_requests 100000;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port} backlog=1024;
        root {root}/site;
        index index.html;
    }}
}}
"""


class Site:
    """The pages served on 127.0.0.1 by nginx (if installed) or by ``serve`` in a process."""

    def __init__(self, count: int, shape: str) -> None:
        self.count, self.shape = count, shape
        self.pages = site_pages(count, shape)
        self.tmp = tempfile.TemporaryDirectory(prefix="newsrack-bench-")
        self.process: subprocess.Popen[bytes] | multiprocessing.Process | None = None
        self.server = "nginx" if shutil.which("nginx") else "asyncio"
        self.base = ""

    def __enter__(self) -> Site:
        if self.server == "nginx":
            self._start_nginx()
        else:
            receive, send = multiprocessing.Pipe(duplex=False)
            process = multiprocessing.Process(
                target=serve, args=(self.count, self.shape, send), daemon=True
            )
            process.start()
            self.process = process
            self.base = f"http://127.0.0.1:{receive.recv()}"
        return self

    def _start_nginx(self) -> None:
        root = Path(self.tmp.name)
        for path, body in self.pages.items():
            target = root / "site" / (path.lstrip("/") or "index.html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            target.with_name(target.name + ".gz").write_bytes(gzip.compress(body, 6))
        (root / "tmp").mkdir()
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, port=port))
        self.process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)])
        self.base = f"http://127.0.0.1:{port}"
        import urllib.request

        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=1).read()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.process, subprocess.Popen):
            self.process.terminate()
            self.process.wait(10)
        elif self.process is not None:
            self.process.terminate()
            self.process.join(10)
        self.tmp.cleanup()


def serve(count: int, shape: str, port_out: multiprocessing.connection.Connection) -> None:
    """Serve the site on 127.0.0.1 (any free port, sent back through ``port_out``)."""
    pages = site_pages(count, shape)
    packed = {path: gzip.compress(body, 6) for path, body in pages.items()}

    def answer(path: str, accept_gzip: bool) -> bytes:
        body = packed.get(path) if accept_gzip else pages.get(path)
        if body is None:
            return (
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 9\r\n\r\nnot found"
            )
        coding = b"Content-Encoding: gzip\r\n" if accept_gzip else b""
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + coding
            + b"Content-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                accept = any(
                    h.lower().startswith("accept-encoding:") and "gzip" in h.lower()
                    for h in lines[1:]
                )
                writer.write(answer(path, accept))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


# --- the crawlers (each runs in a child process) --------------------------------------------


def run_newsrack(base: str, count: int, db: str) -> dict[str, float]:
    """``newsrack crawl`` in this process, as a user runs it (8 articles at once, as Scrapy)."""
    import sqlite3

    import scraper.crawl
    from scraper.cli import cli

    scraper.crawl.ARTICLE_CONCURRENCY = CONCURRENCY_PER_HOST  # as many as Scrapy's
    config = Path(db).with_suffix(".toml")
    config.write_text(
        "[fetch]\ndelay = 0\nallow_private_networks = true\n"
        f"max_connections = {CONCURRENCY_TOTAL}\n"
        f"max_connections_per_host = {CONCURRENCY_PER_HOST}\n"
        f'[sites.bench]\nparser = "walaw"\nstart_urls = ["{base}/"]\nmax_articles = {count}\n'
    )
    args = ["--config", str(config), "--db", db, "crawl", "--quiet"]
    wall = time.perf_counter()
    try:
        cli.main(args, prog_name="newsrack", standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    wall = time.perf_counter() - wall
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {"wall": wall, "articles": articles}


def run_scrapy(base: str, count: int, db: str) -> dict[str, float]:
    import sqlite3

    import scrapy
    from scrapy.crawler import CrawlerProcess

    import parsers

    parser = parsers.get("walaw")
    result: dict[str, float] = {"articles": 0}

    class SQLitePipeline:
        def open_spider(self, spider: scrapy.Spider | None = None) -> None:
            self.conn = sqlite3.connect(db, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute(
                "CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, title TEXT, "
                "lead TEXT, body TEXT, authors TEXT, published_at TEXT, language TEXT, "
                "fetched_at TEXT)"
            )
            self.conn.execute(
                "CREATE TABLE ticker_items (id INTEGER PRIMARY KEY, url TEXT UNIQUE, "
                "title TEXT, shown_time TEXT, first_seen TEXT)"
            )

        def close_spider(self, spider: scrapy.Spider | None = None) -> None:
            result["articles"] = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            self.conn.close()

        def process_item(self, item: dict, spider: scrapy.Spider | None = None) -> dict:
            self.conn.execute("BEGIN IMMEDIATE")
            if item["kind"] == "article":
                self.conn.execute(
                    "INSERT OR IGNORE INTO articles (url, title, lead, body, authors, "
                    "published_at, language, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        item["url"],
                        item["title"],
                        item["lead"],
                        item["body"],
                        json.dumps(item["authors"]),
                        item["published_at"],
                        item["language"],
                        item["fetched_at"],
                    ),
                )
            else:
                self.conn.execute(
                    "INSERT OR IGNORE INTO ticker_items (url, title, shown_time, first_seen) "
                    "VALUES (?, ?, ?, ?)",
                    (item["url"], item["title"], item["shown_time"], item["fetched_at"]),
                )
            self.conn.execute("COMMIT")
            return item

    class WalawSpider(scrapy.Spider):
        name = "walaw_bench"
        start_urls = (base + "/",)

        def parse(self, response):  # the listing
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            listing = parser.parse_listing(response.body, response.url)
            for item in listing.ticker:
                yield {
                    "kind": "ticker",
                    "url": item.url,
                    "title": item.title,
                    "shown_time": item.shown_time,
                    "fetched_at": now,
                }
            links = [i.url for i in listing.ticker if i.url] + list(listing.article_links)
            for link in links[:count]:
                yield response.follow(link, self.parse_article)

        def parse_article(self, response):
            article = parser.parse_article(response.body, response.url)
            yield {
                "kind": "article",
                "url": response.url,
                "title": article.title,
                "lead": article.lead,
                "body": article.main_text,
                "authors": list(article.authors),
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "language": article.language,
                "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }

    sys.modules["__main__"].SQLitePipeline = SQLitePipeline  # type: ignore[attr-defined]
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": CONCURRENCY_TOTAL,
            "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY_PER_HOST,
            "DOWNLOAD_DELAY": 0,
            "TELNETCONSOLE_ENABLED": False,
            "ITEM_PIPELINES": {"__main__.SQLitePipeline": 100},
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
            "USER_AGENT": "newsrack-bench (scrapy)",
        }
    )
    process.crawl(WalawSpider)
    wall = time.perf_counter()
    process.start()
    result.update(wall=time.perf_counter() - wall)
    return result


# --- the run -------------------------------------------------------------------------------

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphaned descendants (a forkserver, its workers) are reparented to this process, which
    reaps them: ``RUSAGE_CHILDREN`` then counts their CPU."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _tree(root: int, keep: set[int]) -> list[int]:
    """``root`` and its live descendants (and orphans reparented to us), from ``/proc``."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    parents[int(entry.name)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    me, found, frontier = os.getpid(), {root}, {root}
    orphans = {pid for pid, parent in parents.items() if parent == me and pid not in keep}
    found |= orphans
    frontier |= orphans
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def _rss_mb(pids: list[int]) -> tuple[float, float]:
    """The summed RSS of ``pids`` and the largest one's, in MiB."""
    sizes = [0]
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                sizes.append(int(statm.read().split()[1]))
        except (OSError, IndexError, ValueError):
            continue
    page = os.sysconf("SC_PAGE_SIZE") / 2**20
    return sum(sizes) * page, max(sizes) * page


def child(tool: str, base: str, count: int, keep: set[int]) -> dict[str, float]:
    """One crawl in a child process: its wall time (reported by the child), the CPU of its
    whole process tree, peak tree RSS (sampled) and largest single-process RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp) / "out.json", Path(tmp) / "err.txt"
        command = [sys.executable, __file__, "--child", tool, "--base", base]
        command += ["--pages", str(count), "--db", os.path.join(tmp, f"{tool}.db")]
        with out_path.open("w") as out, err_path.open("w") as err:
            proc = subprocess.Popen(command, stdout=out, stderr=err)
        peak = largest = 0.0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak, largest
            while not stop.wait(0.2):
                tree, one = _rss_mb(_tree(proc.pid, keep))
                peak, largest = max(peak, tree), max(largest, one)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        usages = [usage, *reap_orphans(keep)]
        if proc.returncode != 0:
            raise SystemExit(f"{tool} failed:\n{err_path.read_text()[-3000:]}")
        result = json.loads(out_path.read_text().strip().splitlines()[-1])
    # each rusage counts its process and the descendants it reaped (a forkserver's workers);
    # not ru_maxrss: Linux carries a parent's high-water mark into a child across exec
    cpu = sum(u.ru_utime + u.ru_stime for u in usages)
    result.update(cpu=cpu, peak_tree_mb=peak, peak_process_mb=largest)
    return result


def reap_orphans(keep: set[int], limit: float = 10.0) -> list[resource.struct_rusage]:
    """Wait for every child of ours but ``keep`` (the server) to exit; their rusages."""
    usages: list[resource.struct_rusage] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        mine = [pid for pid in _tree(os.getpid(), keep) if pid != os.getpid()]
        left = [pid for pid in mine if pid not in keep and _parent(pid) == os.getpid()]
        if not left:
            return usages
        for pid in left:
            with contextlib.suppress(ChildProcessError):
                done, _, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    usages.append(usage)
        time.sleep(0.05)
    raise SystemExit("bench: a crawler left processes running")


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def profile_newsrack(
    base: str, count: int, pages: dict[str, bytes], top: int, keep_in: str | None = None
) -> str:
    """cProfile of one ``newsrack crawl`` (its own process) and of the parse work its workers
    do (the same pages through ``run_parser``, in-process), each as a share of their sum;
    the stats files are kept in ``keep_in`` when given."""
    with tempfile.TemporaryDirectory() as scratch:
        tmp = keep_in or scratch
        stats_path = os.path.join(tmp, "crawl.prof")
        command = [sys.executable, __file__, "--child", "newsrack-profile", "--base", base]
        command += ["--pages", str(count), "--db", os.path.join(tmp, "p.db"), "--out", stats_path]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"profile failed:\n{done.stderr[-3000:]}")
        parse_path = os.path.join(tmp, "parse.prof")
        profile_parse(pages, base, parse_path)
        return summarize({"crawl": stats_path, "parse": parse_path}, top)


def profile_parse(pages: dict[str, bytes], base: str, out: str) -> None:
    import cProfile
    from datetime import UTC, datetime

    from scraper.ingest import PageJob, run_parser
    from scraper.kinds import PageKind

    jobs = [
        PageJob(
            "walaw",
            PageKind.LISTING if path == "/" else PageKind.ARTICLE,
            body,
            base + path,
            datetime.now(UTC),
        )
        for path, body in pages.items()
    ]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for job in jobs:
        run_parser(job)
    profiler.disable()
    profiler.dump_stats(out)


def summarize(paths: dict[str, str], top: int) -> str:
    """The ``top`` functions by own time across the profiles, as shares of their sum."""
    import pstats

    rows: list[tuple[float, float, int, str]] = []
    totals: dict[str, float] = {}
    for label, path in paths.items():
        stats = pstats.Stats(path)
        totals[label] = stats.total_tt  # type: ignore[attr-defined]
        for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
            where = f"{Path(file).name}:{line}({name})" if line else name
            rows.append((own, cumulative, calls, f"[{label}] {where}"))
    total = sum(totals.values())
    lines = [
        "profile: " + ", ".join(f"{k} {v:.2f} s" for k, v in totals.items())
        + f" of CPU (sum {total:.2f} s; [parse] is what the workers run)",
        "| function | own s | own % | cumulative s | calls |",
        "|---|---:|---:|---:|---:|",
    ]
    for own, cumulative, calls, where in sorted(rows, reverse=True)[:top]:
        lines.append(
            f"| `{where}` | {own:.2f} | {100 * own / total:.1f} | {cumulative:.2f} | {calls} |"
        )
    return "\n".join(lines)


def run_profiled_crawl(base: str, count: int, db: str, out: str) -> None:
    import cProfile

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    run_newsrack(base, count, db)
    profiler.disable()
    profiler.dump_stats(out)


def table(shape: str, site: Site, runs: dict[str, list[dict[str, float]]], count: int) -> str:
    import scrapy

    pages = count + 1  # the listing too (robots.txt not counted)
    sizes = [len(b) for b in site.pages.values()]
    links = site.pages[next(p for p in site.pages if p != "/")].count(b"<a ")
    repeat = len(runs["newsrack"])
    lines = [
        f"shape {shape}: {count} articles + 1 listing, {statistics.mean(sizes) / 1024:.1f} KiB "
        f"of HTML and {links} links per article page (gzip on the wire, {site.server}), "
        f"concurrency {CONCURRENCY_PER_HOST} per host, delay 0, median of {repeat} interleaved "
        f"runs; Python {sys.version.split()[0]}, Scrapy {scrapy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        "",
        "| crawler | articles stored | wall s | pages/s | CPU s (tree) | CPU ms / page "
        "| peak RSS MB (tree) | peak RSS MB (largest process) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    medians = {}
    for tool, results in runs.items():
        wall = statistics.median(r["wall"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        stored = int(statistics.median(r["articles"] for r in results))
        tree = statistics.median(r["peak_tree_mb"] for r in results)
        largest = statistics.median(r["peak_process_mb"] for r in results)
        medians[tool] = (wall, cpu)
        lines.append(
            f"| {tool} | {stored} | {wall:.2f} | {pages / wall:.0f} | {cpu:.2f} | "
            f"{1000 * cpu / pages:.2f} | {tree:.0f} | {largest:.0f} |"
        )
    (n_wall, n_cpu), (s_wall, s_cpu) = medians["newsrack"], medians["scrapy"]
    pairs = ", ".join(
        f"{s['cpu'] / n['cpu']:.2f}" for n, s in zip(runs["newsrack"], runs["scrapy"], strict=True)
    )
    lines += [
        "",
        f"newsrack / Scrapy (medians): pages per second x{s_wall / n_wall:.2f}, "
        f"CPU per page x{n_cpu / s_cpu:.2f} (Scrapy CPU / newsrack CPU per pair: {pairs})",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shape", choices=["light", "web", "both"], default="both")
    ap.add_argument("--profile", action="store_true", help="cProfile one newsrack crawl")
    ap.add_argument("--top", type=int, default=5, help="functions in the profile summary")
    ap.add_argument("--profile-dir", help="keep the profiles' stats files here")
    ap.add_argument("--child", choices=["newsrack", "scrapy", "newsrack-profile"])
    ap.add_argument("--base")
    ap.add_argument("--db")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child == "newsrack-profile":
        run_profiled_crawl(args.base, args.pages, args.db, args.out)
        return
    if args.child:
        run = run_newsrack if args.child == "newsrack" else run_scrapy
        print(json.dumps(run(args.base, args.pages, args.db)))
        return

    become_subreaper()
    shapes = ["light", "web"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        with Site(args.pages, shape) as site:
            keep = set(_tree(os.getpid(), set())) - {os.getpid()}  # the server's processes
            runs: dict[str, list[dict[str, float]]] = {"newsrack": [], "scrapy": []}
            for _ in range(args.repeat):
                for tool in runs:
                    runs[tool].append(child(tool, site.base, args.pages, keep))
                    print(f"  {shape} {tool}: {json.dumps(runs[tool][-1])}", file=sys.stderr)
            if args.repeat:
                print(table(shape, site, runs, args.pages))
                print()
            if args.profile:
                keep_in = None
                if args.profile_dir:
                    keep_in = os.path.join(args.profile_dir, shape)
                    os.makedirs(keep_in, exist_ok=True)
                summary = profile_newsrack(site.base, args.pages, site.pages, args.top, keep_in)
                print(summary)
                print()


if __name__ == "__main__":
    main()
