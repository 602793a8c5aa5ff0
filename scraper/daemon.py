"""The scheduler daemon: one APScheduler job per enabled site, signals, reloads, hard timeouts.

``Daemon(...).run()`` runs inside the event loop until SIGTERM or SIGINT. Each
enabled site is one ``AsyncIOScheduler`` job (``every`` -> interval trigger,
``cron`` -> cron trigger in the site's timezone) with ``max_instances = 1``,
coalescing, ``[daemon] misfire_grace`` and ``jitter``; a job is one crawl pass
(revisits ride inside it) under a hard ``run_timeout``, with its own fetcher,
so a hung site holds neither a connection pool nor the loop that others use.
SIGTERM/SIGINT stop scheduling, give in-flight passes ``shutdown_grace``
seconds, cancel the rest (their ``runs`` rows become ``interrupted``) and
return; a second signal abandons the wait. SIGHUP re-reads config.toml and
applies added, removed and changed sites, or keeps the old config and logs one
line saying why. The caller holds the archive lock (``scraper.lock``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scraper.archive import Archive
from scraper.config import Config, SiteConfig, load_config
from scraper.crawl import SiteCrawl
from scraper.errors import NewsrackError
from scraper.fetch import Fetcher
from scraper.logs import current_site

log = logging.getLogger(__name__)


def enabled_sites(config: Config) -> dict[str, SiteConfig]:
    return {name: site for name, site in config.sites.items() if site.enabled}


def site_trigger(site: SiteConfig, jitter: float) -> CronTrigger | IntervalTrigger:
    """The APScheduler trigger of a site's ``every`` or ``cron`` schedule."""
    if site.cron:
        trigger = CronTrigger.from_crontab(site.cron, timezone=site.tz)
        trigger.jitter = jitter or None
        return trigger
    return IntervalTrigger(seconds=site.every or 600.0, jitter=jitter or None, timezone=UTC)


def parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class _Slot:
    """A scheduled site: its config and the fetcher its passes share while it is unchanged."""

    site: SiteConfig
    fetcher: Fetcher | None = None


class Daemon:
    """Runs the schedules of ``config`` against ``archive`` until stopped by a signal."""

    def __init__(self, config: Config, archive: Archive, config_source: str | None = None) -> None:
        self.config = config
        self.archive = archive
        self.config_source = config_source
        self.scheduler: AsyncIOScheduler | None = None
        self._slots: dict[str, _Slot] = {}
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._closing: set[asyncio.Task[Any]] = set()
        self._stop = asyncio.Event()
        self._abandon = asyncio.Event()

    # --- lifecycle -------------------------------------------------------------------------

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_stop_signal, sig)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        stale = self.archive.close_running_runs(datetime.now(UTC), "interrupted")
        if stale:
            log.warning("marked %d runs left 'running' by a dead process as interrupted", stale)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()
        for site in enabled_sites(self.config).values():
            self._schedule(site)
        log.info("daemon started (pid %d): %d sites scheduled", os.getpid(), len(self._slots))
        try:
            await self._stop.wait()
        finally:
            await self._shutdown()
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(sig)

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
            log.warning("abandoned %d runs after the %gs grace", len(left), grace)
            await asyncio.wait(left, timeout=5)
        self.scheduler.shutdown(wait=False)
        closed = self.archive.close_running_runs(datetime.now(UTC), "interrupted", os.getpid())
        if closed:
            log.warning("marked %d unfinished runs as interrupted", closed)
        for slot in self._slots.values():
            if slot.fetcher is not None:
                await slot.fetcher.__aexit__(None, None, None)
                slot.fetcher = None
        if self._closing:
            await asyncio.wait(self._closing, timeout=5)
        log.info("daemon stopped")

    # --- scheduling ------------------------------------------------------------------------

    def _first_run(self, site: SiteConfig, now: datetime) -> datetime | None:
        """When an ``every`` site first runs: one interval after its last run, or now."""
        if site.cron:
            return None
        rows = self.archive.rows(
            "SELECT max(started_at) AS last FROM runs WHERE site = ?", (site.name,)
        )
        last = parse_utc(rows[0]["last"]) if rows else None
        due = now if last is None else max(now, last + timedelta(seconds=site.every or 600.0))
        jitter = self.config.daemon.jitter
        return due + timedelta(seconds=random.uniform(0, jitter)) if jitter else due

    def _schedule(self, site: SiteConfig) -> None:
        assert self.scheduler is not None
        daemon = self.config.daemon
        now = datetime.now(UTC)
        options: dict[str, Any] = {}
        first = self._first_run(site, now)
        if first is not None:
            options["next_run_time"] = first
        self.scheduler.add_job(
            self._run_site,
            trigger=site_trigger(site, daemon.jitter),
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
        """Re-read the config (SIGHUP); on any error keep the running one and log why."""
        if self._stop.is_set():
            log.warning("config reload ignored: the daemon is stopping")
            return
        try:
            new = load_config(self.config_source)
        except NewsrackError as exc:
            log.error(
                "config reload refused, keeping the running config: %s", " ".join(str(exc).split())
            )
            return
        if new.archive_path != self.config.archive_path:
            log.warning("config reload: [archive] path changed; restart the daemon to use it")
        old_sites, new_sites = enabled_sites(self.config), enabled_sites(new)
        timing_changed = new.daemon != self.config.daemon
        fetch_changed = new.fetch != self.config.fetch
        self.config = new
        removed = [name for name in old_sites if name not in new_sites]
        for name in removed:
            self._unschedule(name)
        added, changed = [], []
        for name, site in new_sites.items():
            old = old_sites.get(name)
            if old is None:
                added.append(name)
            elif old != site or timing_changed:
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
            self._schedule(site)
        log.warning(
            "config reloaded: %d sites; added %s; removed %s; changed %s",
            len(new_sites),
            ", ".join(added) or "none",
            ", ".join(removed) or "none",
            ", ".join(changed) or "none",
        )

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
        crawl: SiteCrawl | None = None
        try:
            if slot.fetcher is None:
                slot.fetcher = await Fetcher(self.config.fetch).__aenter__()
            crawl = SiteCrawl(slot.site, slot.fetcher, self.archive)
            async with asyncio.timeout(timeout):
                await crawl.run()
        except TimeoutError:
            if crawl is not None:
                self._timed_out(crawl, timeout)
        except NewsrackError as exc:
            log.error("pass failed: %s", " ".join(str(exc).split()))
        except Exception:
            log.exception("pass crashed")
        finally:
            self._running.pop(name, None)
            current_site.reset(token)

    def _timed_out(self, crawl: SiteCrawl, timeout: float) -> None:
        summary = crawl.summary
        summary.status = "failed"
        summary.errors += 1
        if summary.run_id:
            self.archive.finish_run(
                summary.run_id,
                "failed",
                datetime.now(UTC),
                pages=summary.pages,
                new_articles=summary.new_articles,
                new_ticker_items=summary.new_ticker_items,
                errors=summary.errors,
            )
        log.error(
            "pass cut off after the %gs run_timeout; the site is slow or hangs "
            "(raise [daemon] run_timeout if it is just slow)",
            timeout,
        )


def run_daemon(config: Config, archive: Archive, config_source: str | None = None) -> None:
    """Run the daemon in a new event loop until SIGTERM/SIGINT."""
    asyncio.run(Daemon(config, archive, config_source).run())
