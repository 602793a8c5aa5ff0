"""Parsing off the event loop: worker processes that each parse one page at a time, within a limit.

Parsing is CPU work: on the event loop it would stall every fetch, timer and
signal handler, and no asyncio timeout can interrupt it. ``ParsePool.parse``
sends a ``PageJob`` to an idle worker process (``scraper.ingest.run_parser``
runs there) and awaits its answer from a thread, so the loop stays free and
every core can parse. A page that takes longer than ``timeout`` seconds has
its worker killed and replaced and comes back as a ``timeout`` failure of that
page; a worker that dies (killed, out of memory) fails only its page. Each
worker is replaced after ``max_pages`` pages so its memory stays bounded.
Workers are forked from a forkserver that has imported the parsers once, so a
replacement starts in milliseconds; they start on first use.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from scraper.ingest import PageJob, Parsed, ParseFailure, run_parser
from scraper.kinds import ErrorKind

log = logging.getLogger(__name__)

#: Pages a worker parses before it is replaced (bounds the memory a long crawl can pile up).
DEFAULT_MAX_PAGES = 500
#: Seconds a worker asked to stop may take before it is killed.
_STOP_GRACE = 2.0

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["parsers", "scraper.ingest"])


def _serve(conn: Connection) -> None:
    """A worker's loop: parse each job received, answer, until told to stop (None)."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        answer: Parsed = run_parser(job)
        try:
            conn.send(answer)
        except (OSError, ValueError):
            return
        except Exception as exc:  # an answer that cannot be pickled: the page's failure
            message = f"{job.url}: parser {job.parser} gave an unusable answer: {exc}"
            conn.send(ParseFailure(ErrorKind.PARSE, job.url, " ".join(message.split())))


class _Worker:
    """One worker process and its pipe; used by one thread at a time."""

    def __init__(self, pool: ParsePool) -> None:
        self.pool = pool
        self.process: Any = None
        self.conn: Connection | None = None
        self.pages = 0

    def _start(self) -> None:
        ours, theirs = _context.Pipe()
        process = _context.Process(target=_serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        self.process, self.conn, self.pages = process, ours, 0
        self.pool.count_start()

    def ensure_started(self) -> None:
        if self.process is None and not self.pool.closed:
            self._start()

    def run(self, job: PageJob, timeout: float) -> Parsed:
        """Parse ``job`` in the worker process (started if needed); blocks this thread."""
        if self.pool.closed:
            return ParseFailure(ErrorKind.PARSE, job.url, f"{job.url}: not parsed: stopping")
        if self.process is None:
            try:
                self._start()
            except OSError as exc:  # no process can be made (limits, no /tmp): this page fails
                message = f"{job.url}: cannot start a parse worker process: {exc}"
                return ParseFailure(ErrorKind.PARSE, job.url, " ".join(message.split()))
        assert self.conn is not None
        try:
            self.conn.send(job)
            answered = self.conn.poll(timeout)
            answer: Parsed | None = self.conn.recv() if answered else None
        except (EOFError, OSError):
            self.kill()
            if self.pool.closed:
                return ParseFailure(ErrorKind.PARSE, job.url, f"{job.url}: not parsed: stopping")
            return ParseFailure(
                ErrorKind.PARSE, job.url, f"{job.url}: the parser's worker process died"
            )
        if answer is None:
            self.kill()
            message = f"{job.url}: parse took longer than parse_timeout = {timeout:g}s; skipped"
            return ParseFailure(ErrorKind.TIMEOUT, job.url, message)
        self.pages += 1
        if self.pages >= self.pool.max_pages:
            self.stop()
        return answer

    def stop(self) -> None:
        """Ask the worker to finish, kill it if it does not."""
        if self.process is None:
            return
        try:
            if self.conn is not None:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(_STOP_GRACE)
        self.kill()

    def kill(self) -> None:
        process, conn = self.process, self.conn
        self.process = self.conn = None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join()
            process.close()
        if conn is not None:
            conn.close()


class ParsePool:
    """Worker processes parsing pages for the event loop: ``await pool.parse(job)``.

    Use it as a context manager (``with ParsePool(4, timeout=10) as pool``); ``close()``
    kills the workers, so a parse still running when a pass is cancelled ends
    at once. ``workers_started`` counts the processes started (replacements
    included).
    """

    def __init__(self, size: int, *, timeout: float, max_pages: int = DEFAULT_MAX_PAGES) -> None:
        """``size`` workers (``[fetch] parse_workers``), ``timeout`` seconds a page
        (``[fetch] parse_timeout``), each worker replaced after ``max_pages`` pages."""
        self.size = max(1, size)
        self.timeout = timeout
        self.max_pages = max(1, max_pages)
        self.closed = False
        self.workers_started = 0
        self._lock = threading.Lock()
        self._workers = [_Worker(self) for _ in range(self.size)]
        # as many threads as workers: a thread always finds an idle worker
        self._idle: list[_Worker] = list(self._workers)
        self._threads = ThreadPoolExecutor(self.size, thread_name_prefix="newsrack-parse")

    def count_start(self) -> None:
        with self._lock:
            self.workers_started += 1

    async def parse(self, job: PageJob) -> Parsed:
        """The page parsed by a worker, or its failure (``timeout`` past the limit)."""
        if self.closed:
            raise RuntimeError("the parse pool is closed")
        future: Future[Parsed] = self._threads.submit(self._run, job)
        return await asyncio.wrap_future(future)

    def _run(self, job: PageJob) -> Parsed:
        # a thread of the pool: take an idle worker, give it back however the job ends
        with self._lock:
            worker = self._idle.pop()
        try:
            return worker.run(job, self.timeout)
        finally:
            with self._lock:
                self._idle.append(worker)

    def close(self) -> None:
        """Kill every worker (a parse in progress ends as a failure) and stop the threads."""
        if self.closed:
            return
        self.closed = True
        for worker in self._workers:  # a thread waiting on a killed worker wakes up at once
            process = worker.process
            try:
                if process is not None and process.is_alive():
                    process.kill()
            except ValueError:  # closed meanwhile by its thread
                pass
        self._threads.shutdown(wait=True, cancel_futures=True)
        for worker in self._workers:  # no thread left: reap what remains
            worker.kill()

    def warm(self) -> None:
        """Start the workers now, in the background (they start on first use otherwise): the
        start (a forkserver importing the parsers, about 0.3-0.8 s) overlaps the first fetches."""
        for _ in self._workers:
            self._threads.submit(self._warm_one)

    def _warm_one(self) -> None:
        with self._lock:
            worker = self._idle.pop()
        try:
            worker.ensure_started()
        except OSError as exc:  # the first parse will try again and fail its page
            log.warning("cannot start a parse worker: %s", exc)
        finally:
            with self._lock:
                self._idle.append(worker)

    def __enter__(self) -> ParsePool:
        self.warm()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
