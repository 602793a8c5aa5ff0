"""The scheduler daemon: one APScheduler job per enabled site, signals, reloads, hard timeouts.

``Daemon(...).run()`` runs inside the event loop until SIGTERM or SIGINT. Each
enabled site is one ``AsyncIOScheduler`` job whose trigger and first run come
from ``scraper.schedule`` (the same answers ``status`` shows), with
``max_instances = 1``, coalescing, ``[daemon] misfire_grace`` and ``jitter``; a
job is one crawl pass (revisits ride inside it) under a hard ``run_timeout``,
with its own fetcher, so a hung site holds neither a connection pool nor the
loop that others use. Every pass parses through one shared ``ParsePool``
(``[fetch] parse_workers`` processes, ``parse_timeout`` a page), so no page can
stall the loop, its timers or its signal handlers; a reload that changes those
keys starts a new pool and closes the old one once the passes using it end. The
pass owns its ``runs`` row: the daemon cancels a pass
that overruns (with the message ``RUN_TIMEOUT``) and never rewrites the row.
SIGTERM/SIGINT stop scheduling, give in-flight passes ``shutdown_grace``
seconds, cancel the rest quietly (their rows become ``interrupted``) and return;
a second signal abandons the wait; then the parse workers are killed, not
awaited. SIGHUP re-reads config.toml and plans the
whole new schedule (every trigger and first run) before anything running is
touched: a config that cannot be loaded or scheduled is refused with one line
and the running one kept. Time is read from an injectable ``Clock``. The caller
holds the archive lock (``scraper.lock``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scraper.archive import Archive
from scraper.clock import SYSTEM, Clock
from scraper.config import DEFAULT_CONFIG_NAME, Config, SiteConfig, load_config
from scraper.crawl import RUN_TIMEOUT, SiteCrawl
from scraper.errors import ConfigError, NewsrackError
from scraper.fetch import Fetcher
from scraper.kinds import RunStatus
from scraper.logs import current_site
from scraper.parsepool import ParsePool
from scraper.schedule import (
    ScheduleError,
    SitePlan,
    enabled_sites,
    in_future,
    parse_time,
    plan,
)

__all__ = ["RUN_TIMEOUT", "Daemon", "enabled_sites", "run_daemon"]

log = logging.getLogger(__name__)

@dataclass
class _Slot:
    """A scheduled site: its config and the fetcher its passes share while it is unchanged."""

    site: SiteConfig
    fetcher: Fetcher | None = None


class Daemon:
    """Runs the schedules of ``config`` against ``archive`` until stopped by a signal."""

    def __init__(
        self,
        config: Config,
        archive: Archive,
        config_source: str | None = None,
        clock: Clock = SYSTEM,
    ) -> None:
        self.config = config
        self.archive = archive
        self.config_source = config_source
        self.clock = clock
        self.scheduler: AsyncIOScheduler | None = None
        self._slots: dict[str, _Slot] = {}
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._cut_off: set[asyncio.Task[Any]] = set()
        self._closing: set[asyncio.Task[Any]] = set()
        self._stop = asyncio.Event()
        self._abandon = asyncio.Event()
        self.pool: ParsePool | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_stop_signal, sig)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        stale = self.archive.close_running_runs(self.clock.now(), RunStatus.INTERRUPTED)
        if stale:
            log.warning("marked %d runs left 'running' by a dead process as interrupted", stale)
        self._checked_plan()  # a config that loaded can be scheduled: checked there
        # the workers first: a first pass that waited for them would push the next ones late
        self.pool = _new_pool(self.config)
        try:
            await asyncio.to_thread(self.pool.start)
            plans = self._checked_plan()  # again: first runs as of now, the workers ready
        except BaseException:
            self.pool.close()
            raise
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()
        for site_plan in plans.values():
            self._schedule(site_plan)
        log.info("daemon started (pid %d): %d sites scheduled", os.getpid(), len(self._slots))
        try:
            await self._stop.wait()
        finally:
            await self._shutdown()
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(sig)

    def _checked_plan(self) -> dict[str, SitePlan]:
        try:
            return self.plan(self.config)
        except ScheduleError as exc:
            raise ConfigError(f"{self.config.path or DEFAULT_CONFIG_NAME}: {exc}") from None

    def _on_stop_signal(self, sig: signal.Signals) -> None:
        if self._stop.is_set():
            log.warning("second %s: abandoning the runs in flight now", sig.name)
            self._abandon.set()
            return
        log.info("%s: stopping; %d runs in flight", sig.name, len(self._running))
        self._stop.set()

    async def _shutdown(self) -> None:
        assert self.scheduler is not None
        self.scheduler.pause()  # no new runs; the executor would cancel running ones on shutdown
        grace = self.config.daemon.shutdown_grace
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        abandon = asyncio.create_task(self._abandon.wait())
        while True:
            pending = {task for task in self._running.values() if not task.done()}
            remaining = deadline - loop.time()
            if not pending or remaining <= 0 or self._abandon.is_set():
                break
            await asyncio.wait(
                {*pending, abandon}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
        abandon.cancel()
        left = [task for task in self._running.values() if not task.done()]
        for task in left:
            task.cancel()
        if left:
            log.warning("cancelled %d runs still going after the %gs grace", len(left), grace)
        if self.pool is not None:  # kills the workers: a parse in progress ends now
            self.pool.close()
        if left:
            await asyncio.wait(left, timeout=5)
        self.scheduler.shutdown(wait=False)
        closed = self.archive.close_running_runs(
            self.clock.now(), RunStatus.INTERRUPTED, os.getpid()
        )
        if closed:
            log.warning("marked %d unfinished runs as interrupted", closed)
        for slot in self._slots.values():
            if slot.fetcher is not None:
                await slot.fetcher.__aexit__(None, None, None)
                slot.fetcher = None
        if self._closing:
            await asyncio.wait(self._closing, timeout=5)
        if self._closing:  # a retired pool still waiting for its passes: closed as it is cancelled
            for task in self._closing:
                task.cancel()
            await asyncio.gather(*self._closing, return_exceptions=True)
        log.info("daemon stopped")

    # --- scheduling ------------------------------------------------------------------------

    def last_started(self, name: str, now: datetime) -> datetime | None:
        """The start of the last trustworthy run of a site (one from the future is logged)."""
        last = parse_time(self.archive.last_run_started(name))
        if in_future(last, now):
            log.warning(
                "the last run is dated %s, in the future (a clock was wrong); not trusted: "
                "scheduling as if the site's last trustworthy run were its last",
                last.isoformat() if last else "?",
                extra={"site": name},
            )
            last = parse_time(self.archive.last_run_started(name, not_after=now))
        return last

    def plan(self, config: Config) -> dict[str, SitePlan]:
        """Every enabled site's trigger and first run; ScheduleError if any cannot be built."""
        now = self.clock.now()
        last = {name: self.last_started(name, now) for name, site in enabled_sites(config).items()}
        return plan(config, last, now)

    def _schedule(self, site_plan: SitePlan) -> None:
        assert self.scheduler is not None
        daemon = self.config.daemon
        site = site_plan.site
        options: dict[str, Any] = {}
        if site_plan.first_run is not None:
            options["next_run_time"] = site_plan.first_run
        self.scheduler.add_job(
            self._run_site,
            trigger=site_plan.trigger,
            args=(site.name,),
            id=site.name,
            name=f"crawl {site.name}",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, round(daemon.misfire_grace)),
            replace_existing=True,
            **options,
        )
        self._slots[site.name] = _Slot(site)

    def _unschedule(self, name: str) -> None:
        assert self.scheduler is not None
        if self.scheduler.get_job(name) is not None:
            self.scheduler.remove_job(name)
        slot = self._slots.pop(name, None)
        if slot is not None:
            self._retire(name, slot.fetcher)

    def _retire(self, name: str, fetcher: Fetcher | None) -> None:
        """Close a fetcher once the pass using it (if any) is over."""
        if fetcher is None:
            return
        running = self._running.get(name)

        async def close() -> None:
            if running is not None:
                await asyncio.wait({running})
            await fetcher.__aexit__(None, None, None)

        task = asyncio.get_running_loop().create_task(close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    # --- reload ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the config (SIGHUP); validate and plan it whole, then apply it, or keep the
        running one and log why."""
        if self._stop.is_set():
            log.warning("config reload ignored: the daemon is stopping")
            return
        if self.scheduler is None:
            log.warning("config reload ignored: the daemon is starting; send SIGHUP again")
            return
        try:
            new = load_config(self.config_source)
            plans = self.plan(new)
        except (NewsrackError, ScheduleError) as exc:
            log.error(
                "config reload refused, keeping the running config: %s", " ".join(str(exc).split())
            )
            return
        self._apply(new, plans)

    def _apply(self, new: Config, plans: dict[str, SitePlan]) -> None:
        """Switch to ``new`` (already planned): nothing here can fail on the config's account."""
        if new.archive_path != self.config.archive_path:
            log.warning("config reload: [archive] path changed; restart the daemon to use it")
        old_sites = enabled_sites(self.config)
        timing_changed = new.daemon != self.config.daemon
        fetch_changed = new.fetch != self.config.fetch
        if _pool_settings(new) != _pool_settings(self.config):
            self._replace_pool(new)
        self.config = new
        removed = [name for name in old_sites if name not in plans]
        for name in removed:
            self._unschedule(name)
        added, changed = [], []
        for name, site_plan in plans.items():
            old = old_sites.get(name)
            if old is None:
                added.append(name)
            elif old != site_plan.site or timing_changed:
                changed.append(name)
            else:
                if fetch_changed:
                    slot = self._slots[name]
                    self._retire(name, slot.fetcher)
                    slot.fetcher = None
                continue
            previous = self._slots.get(name)
            if previous is not None:
                self._retire(name, previous.fetcher)
            self._schedule(site_plan)
        log.warning(
            "config reloaded: %d sites; added %s; removed %s; changed %s",
            len(plans),
            ", ".join(added) or "none",
            ", ".join(removed) or "none",
            ", ".join(changed) or "none",
        )

    def _replace_pool(self, new: Config) -> None:
        """Parse with a pool sized for ``new`` from now on; close the old one once the passes
        that may be using it have ended."""
        old, self.pool = self.pool, _new_pool(new)
        self.pool.warm()
        log.warning(
            "config reload: parse pool replaced (%d workers, parse_timeout %gs)",
            *_pool_settings(new),
        )
        if old is None:
            return
        users = {task for task in self._running.values() if not task.done()}

        async def close() -> None:
            try:
                if users:
                    await asyncio.wait(users)
            finally:
                old.close()

        task = asyncio.get_running_loop().create_task(close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    # --- one pass --------------------------------------------------------------------------

    async def _run_site(self, name: str) -> None:
        slot = self._slots.get(name)
        if slot is None or self._stop.is_set():
            return
        if name in self._running:
            log.warning("previous pass still running; skipping this one", extra={"site": name})
            return
        task = asyncio.current_task()
        assert task is not None
        self._running[name] = task
        token = current_site.set(name)
        timeout = self.config.daemon.run_timeout
        timer = asyncio.get_running_loop().call_later(timeout, self._cut, task)
        try:
            if slot.fetcher is None:
                slot.fetcher = await Fetcher(self.config.fetch).__aenter__()
            assert self.pool is not None
            await SiteCrawl(slot.site, slot.fetcher, self.archive, self.pool.parse).run()
        except asyncio.CancelledError:
            # ours: cut off at run_timeout, or stopped by a signal; the pass recorded its row
            if task in self._cut_off:
                task.uncancel()
                log.error(
                    "pass cut off after the %gs run_timeout; the site is slow or hangs "
                    "(raise [daemon] run_timeout if it is just slow)",
                    timeout,
                )
            elif self._stop.is_set():
                task.uncancel()
                log.info("pass interrupted by the shutdown")
            else:
                raise
        except NewsrackError as exc:
            log.error("pass failed: %s", " ".join(str(exc).split()))
        except Exception:
            log.exception("pass crashed")
        finally:
            timer.cancel()
            self._cut_off.discard(task)
            self._running.pop(name, None)
            current_site.reset(token)

    def _cut(self, task: asyncio.Task[Any]) -> None:
        """``run_timeout`` is up: cancel the pass (it marks its own row)."""
        if not task.done():
            self._cut_off.add(task)
            task.cancel(RUN_TIMEOUT)


def _pool_settings(config: Config) -> tuple[int, float]:
    return config.fetch.parse_workers, config.fetch.parse_timeout


def _new_pool(config: Config) -> ParsePool:
    """The daemon's parse pool (its workers not started yet)."""
    workers, timeout = _pool_settings(config)
    return ParsePool(workers, timeout=timeout)


def run_daemon(config: Config, archive: Archive, config_source: str | None = None) -> None:
    """Run the daemon in a new event loop until SIGTERM/SIGINT."""
    asyncio.run(Daemon(config, archive, config_source).run())
