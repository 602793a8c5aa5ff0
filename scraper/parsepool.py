"""Parsing off the event loop: worker processes that each parse one page at a time, within a limit.

Parsing is CPU work: on the event loop it would stall every fetch, timer and
signal handler, and no asyncio timeout can interrupt it. ``ParsePool.parse``
sends a ``PageJob`` to an idle worker process (``scraper.ingest.run_parser``
runs there) and awaits its answer from a thread, so the loop stays free and
every core can parse. A page that takes longer than ``timeout`` seconds has
its worker killed and replaced and comes back as a ``timeout`` failure of that
page; a worker that dies (killed, out of memory) fails only its page. Each
worker is replaced after ``max_pages`` pages so its memory stays bounded.
Workers are forked from a forkserver that has imported the parsers (and the
main script, which a forked worker would otherwise import again: for the
``newsrack`` command, the whole CLI) once, so a replacement starts in
milliseconds; they start on first use. A worker says when it is ready, and
only then does a page's ``timeout`` start: a slow start is not the page's fault.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
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
#: Seconds a new worker may take to be ready (a loaded machine) before it counts as failed.
_START_LIMIT = 60.0
_READY = "ready"

_context = multiprocessing.get_context("forkserver")
# "__main__" first: a worker finds the main script imported and does not run it again
_context.set_forkserver_preload(["__main__", "parsers", "scraper.ingest"])


def _serve(conn: Connection) -> None:
    """A worker's loop: parse each job received, answer, until told to stop (None).

    Ctrl-C reaches the whole process group: the worker ignores SIGINT and lets the
    process that owns it decide (it kills its workers when it stops)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(_READY)
    except (OSError, ValueError):
        return
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
    """One worker process and its pipe; used by one thread at a time (``lock``)."""

    def __init__(self, pool: ParsePool) -> None:
        self.pool = pool
        self.process: Any = None
        self.conn: Connection | None = None
        self.pages = 0
        self.ready = False  # started and said so: a page given to it waits for no start
        self.lock = threading.Lock()

    def _start(self) -> None:
        ours, theirs = _context.Pipe()
        process = _context.Process(target=_serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        self.process, self.conn, self.pages = process, ours, 0
        self.pool.count_start()
        try:
            ready = ours.poll(_START_LIMIT) and ours.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise OSError(f"the worker did not start within {_START_LIMIT:g}s")
        self.ready = True

    def ensure_started(self) -> None:
        with self.lock:
            if self.process is None and not self.pool.closed:
                self._start()

    def run(self, job: PageJob, timeout: float) -> Parsed:
        """Parse ``job`` in the worker process (started if needed); blocks this thread. A
        worker killed or recycled on the way is started again in the background."""
        with self.lock:
            answer = self._run(job, timeout)
        if self.process is None:
            self.pool.restart(self)
        return answer

    def _run(self, job: PageJob, timeout: float) -> Parsed:
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
        self.ready = False
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
        self._restarts: set[threading.Thread] = set()

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
        with self._lock:  # a started worker if there is one: a start costs 0.1-1 s
            started = [w for w in self._idle if w.ready]
            worker = started[-1] if started else self._idle[-1]
            self._idle.remove(worker)
        try:
            return worker.run(job, self.timeout)
        finally:
            with self._lock:
                self._idle.append(worker)

    def restart(self, worker: _Worker) -> None:
        """Start ``worker`` again in a thread of its own, so that the next page does not wait for
        it (the worker's lock makes a page that picks it meanwhile wait for the start)."""
        if self.closed:
            return
        thread = threading.Thread(
            target=self._restart_one, args=(worker,), name="newsrack-parse-start", daemon=True
        )
        with self._lock:
            self._restarts.add(thread)
        thread.start()

    def _restart_one(self, worker: _Worker) -> None:
        try:
            worker.ensure_started()
        except OSError as exc:  # the next parse will try again and fail its page
            if not self.closed:
                log.warning("cannot start a parse worker: %s", exc)
        finally:
            with self._lock:
                self._restarts.discard(threading.current_thread())

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
        with self._lock:
            restarts = list(self._restarts)
        for thread in restarts:  # a start under way ends at once: the pool is closed
            thread.join()
        for worker in self._workers:  # no thread left: reap what remains
            worker.kill()

    def warm(self) -> list[Future[None]]:
        """Start the workers now, in the background (they start on first use otherwise): the
        start (a forkserver importing the parsers, about 0.3-0.8 s) overlaps the first fetches.
        Each future is done when its worker is ready (or could not start)."""
        return [self._threads.submit(self._warm_one) for _ in self._workers]

    def start(self) -> None:
        """Start every worker and wait until each is ready (or could not start: logged)."""
        for future in self.warm():
            future.result()

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
