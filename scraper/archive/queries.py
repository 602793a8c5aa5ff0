"""Named reads for the crawl, ``history``, ``reparse``, ``raw``, ``stats`` and ``status``.

Every method is one indexed query, in SQL both engines read the same way, whose
engine errors become ``ArchiveError``;
callers get tuples, dicts or small records, never a cursor. Raw bodies come
back decompressed; a damaged one (bad zstd data, unknown compression) is an
``ArchiveError`` naming its hash, for the caller to count against that one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import zstandard

from scraper.archive.backend import ArchiveBackend
from scraper.archive.values import Found, parse_utc_text, repair_params, utc_text
from scraper.errors import ArchiveError
from scraper.kinds import Discovery

_decompressor = zstandard.ZstdDecompressor()


@dataclass(frozen=True)
class DueRevisit:
    """An article due for a revisit; ``served`` is its revisits_done once fetched."""

    article_id: int
    url: str
    canonical_url: str
    served: int


@dataclass(frozen=True)
class StoredPage:
    """A stored fetch with a raw body: what ``raw`` prints and ``reparse`` re-reads."""

    page_id: int
    url: str
    final_url: str | None
    fetched_at: str | None
    content_type: str | None
    encoding: str | None
    body_hash: str


@dataclass(frozen=True)
class ReparseCandidate:
    """An article and the latest stored raw page of it, for ``reparse``."""

    article_id: int
    canonical_url: str
    parser: str | None
    content_hash: str | None
    published_at: str | None
    site: str
    page: StoredPage


_LATEST_PAGES = (
    "SELECT a.id, a.canonical_url, a.parser, a.content_hash, a.published_at, a.site, p.id, p.url, "
    "p.final_url, p.fetched_at, p.content_type, p.encoding, p.body_hash "
    "FROM articles a JOIN pages p ON p.id = ("
    "  SELECT p2.id FROM article_urls u JOIN pages p2 ON p2.url = u.url "
    "  WHERE u.article_id = a.id AND p2.status = 'ok' AND p2.body_hash IS NOT NULL "
    "  ORDER BY p2.fetched_at DESC, p2.id DESC LIMIT 1"
    ") WHERE true"
)


class ArchiveQueries(ArchiveBackend):
    """The read half of ``Archive`` (search and export are in ``reading``)."""

    # --- pages and bodies -------------------------------------------------------------------

    def body(self, body_hash: str) -> bytes | None:
        """A stored raw body, decompressed; ArchiveError naming the hash when it is damaged."""
        row = self._read_one("SELECT compression, data FROM bodies WHERE hash = ?", (body_hash,))
        if row is None:
            return None
        compression, data = row
        if not isinstance(data, bytes):
            raise ArchiveError(f"{self.path}: raw body {body_hash[:12]} is not stored as bytes")
        if compression == "zstd":
            try:
                return _decompressor.decompress(data)
            except zstandard.ZstdError as exc:
                raise ArchiveError(
                    f"{self.path}: raw body {body_hash[:12]} is damaged (zstd: {exc})"
                ) from exc
        if compression in (None, "", "none"):
            return bytes(data)
        raise ArchiveError(
            f"{self.path}: raw body {body_hash[:12]} has unknown compression {compression!r}"
        )

    def latest_page(self, urls: list[str]) -> StoredPage | None:
        """The latest good fetch with a stored body whose URL or final URL is one of ``urls``."""
        for url in dict.fromkeys(urls):
            row = self._read_one(
                "SELECT id, url, final_url, fetched_at, content_type, encoding, body_hash "
                "FROM pages WHERE (url = ? OR final_url = ?) AND body_hash IS NOT NULL "
                "AND status = 'ok' ORDER BY fetched_at DESC, id DESC LIMIT 1",
                repair_params((url, url)),
            )
            if row:
                return StoredPage(*row)
        return None

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, fetched_at) of the last good fetch of ``url``."""
        row = self._read_one(
            "SELECT etag, last_modified, fetched_at FROM pages "
            "WHERE url = ? AND status IN ('ok', 'not_modified') "
            "AND (etag IS NOT NULL OR last_modified IS NOT NULL) ORDER BY id DESC LIMIT 1",
            repair_params((url,)),
        )
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def has_page(self, url: str, fetched_at: datetime, body_hash: str) -> bool:
        """Whether a fetch of ``url`` (asked for or served from) at ``fetched_at`` with the
        body of SHA-256 ``body_hash`` is already stored (an import seen before)."""
        # by body hash (indexed, few rows each): final_url has no index of its own
        row = self._read_one(
            "SELECT 1 FROM pages WHERE body_hash = ? AND fetched_at = ? "
            "AND (url = ? OR final_url = ?) LIMIT 1",
            repair_params((body_hash, utc_text(fetched_at), url, url)),
        )
        return row is not None

    def ticker_found(self, site: str, url: str) -> Found | None:
        """How the site's ticker listed the article at (normalized) ``url``: its time (None
        when damaged or not given) and title; None when no ticker item links it."""
        row = self._read_one(
            "SELECT published_at, title FROM ticker_items WHERE site = ? AND item_key = ?",
            repair_params((site, url)),
        )
        if row is None:
            return None
        try:
            published = parse_utc_text(row[0])
        except ValueError:
            published = None  # a damaged time: as if the ticker gave none
        return Found(Discovery.TICKER, published, row[1])

    def get_progress(self, key: str) -> str | None:
        """Where the job ``key`` got to (as ``set_progress`` kept it), or None."""
        row = self._read_one("SELECT value FROM progress WHERE key = ?", repair_params((key,)))
        return str(row[0]) if row else None

    def feeds_read(self, site: str, limit: int = 50) -> list[str]:
        """The feeds read for ``site`` before (``pages`` of kind ``feed``), most recent first."""
        rows = self._read(
            "SELECT url FROM pages WHERE site = ? AND kind = 'feed' "
            "GROUP BY url ORDER BY max(id) DESC LIMIT ?",
            repair_params((site, limit)),
        )
        return [str(row[0]) for row in rows]

    def has_listing_snapshot(self, url: str) -> bool:
        """Whether the listing at ``url`` was parsed and remembered (so a 304 can stand for it)."""
        sql = "SELECT 1 FROM listing_snapshots WHERE url = ?"
        return self._read_one(sql, repair_params((url,))) is not None

    # --- articles ---------------------------------------------------------------------------

    def article_id_for(self, url: str) -> int | None:
        """The article a (normalized) URL is known to lead to, if any."""
        row = self._read_one(
            "SELECT article_id FROM article_urls WHERE url = ?", repair_params((url,))
        )
        return int(row[0]) if row else None

    def find_article(
        self, urls: list[str], *, site: str | None = None
    ) -> tuple[int, str, str | None] | None:
        """(id, canonical_url, title) of the article one of ``urls`` leads to (of ``site``
        only, when given), if any."""
        of_site = " AND a.site = ?" if site else ""
        for url in dict.fromkeys(urls):
            extra = (site,) if site else ()
            row = self._read_one(
                "SELECT a.id, a.canonical_url, a.title FROM articles a WHERE a.canonical_url = ?"
                f"{of_site} UNION ALL SELECT a.id, a.canonical_url, a.title FROM article_urls u "
                f"JOIN articles a ON a.id = u.article_id WHERE u.url = ?{of_site} LIMIT 1",
                repair_params((url, *extra, url, *extra)),
            )
            if row:
                return int(row[0]), row[1], row[2]
        return None

    def article_revisions(self, article_id: int) -> list[dict[str, Any]]:
        """The article's revisions, oldest first, as dicts of their stored columns."""
        return list(
            self._stream(
                "SELECT fetched_at, reparsed_at, content_hash, parser, parser_version, title, "
                "lead, body FROM article_revisions WHERE article_id = ? ORDER BY id",
                (article_id,),
            )
        )

    def _reparse_where(self, site: str | None, since: str | None) -> tuple[str, list[Any]]:
        sql, params = "", []
        if site:
            sql += " AND a.site = ?"
            params.append(site)
        if since:
            sql += " AND a.last_fetched >= ?"
            params.append(since)
        return sql, params

    def count_reparse(self, *, site: str | None = None, since: str | None = None) -> int:
        """How many articles ``reparse_candidates`` would select (a progress total)."""
        where, params = self._reparse_where(site, since)
        row = self._read_one(f"SELECT count(*) FROM articles a WHERE true{where}", params)
        return int(row[0]) if row else 0

    def reparse_candidates(
        self, *, site: str | None = None, since: str | None = None
    ) -> list[ReparseCandidate]:
        """Each selected article with its latest stored raw page, by article id (materialized:
        the caller writes to the tables this reads)."""
        where, params = self._reparse_where(site, since)
        rows = self._read(f"{_LATEST_PAGES}{where} ORDER BY a.id", params)
        return [ReparseCandidate(*r[:6], StoredPage(*r[6:])) for r in rows]

    def due_revisits(
        self,
        site: str,
        delays: tuple[float, ...],
        now: datetime,
        *,
        run_id: int | None = None,
        limit: int,
    ) -> list[DueRevisit]:
        """The site's articles whose next revisit delay (after first_seen) has passed.

        A zero delay means "on every crawl": then every article of the site is due
        (least recently fetched first). Articles already fetched in run ``run_id``
        (new in this pass) are never due. An article with a damaged first_seen is skipped.
        """
        ordered = sorted(delays)
        if not ordered or limit <= 0:
            return []
        not_in_run = (
            "NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = articles.url AND p.run_id = ?)"
        )
        if ordered[0] == 0:
            rows = self._read(
                "SELECT id, url, canonical_url, first_seen, revisits_done FROM articles "
                f"WHERE site = ? AND {not_in_run} ORDER BY last_fetched NULLS FIRST, id LIMIT ?",
                (site, run_id, limit),
            )
            return [DueRevisit(r[0], r[1], r[2], r[4] + 1) for r in rows]
        due: list[DueRevisit] = []
        try:
            oldest_due = utc_text(now - timedelta(seconds=ordered[0]))
        except OverflowError:
            return []
        rows = self._read(
            "SELECT id, url, canonical_url, first_seen, revisits_done FROM articles "
            f"WHERE site = ? AND revisits_done < ? AND first_seen <= ? AND {not_in_run} "
            "ORDER BY first_seen, id",
            (site, len(ordered), oldest_due, run_id),
        )
        for article_id, url, canonical, first_seen, done in rows:
            try:
                first = parse_utc_text(first_seen)
            except ValueError:
                continue
            if first is None:
                continue
            age = (now - first).total_seconds()
            served = sum(1 for delay in ordered if delay <= age)
            if served > done:
                due.append(DueRevisit(article_id, url, canonical, served))
                if len(due) >= limit:
                    break
        return due

    # --- sites and runs ---------------------------------------------------------------------

    def known_sites(self) -> list[str]:
        """Every site the archive holds rows of (runs, pages, articles, ticker items), sorted."""
        rows = self._read(
            "SELECT site FROM runs UNION SELECT site FROM pages WHERE site IS NOT NULL "
            "UNION SELECT site FROM articles UNION SELECT site FROM ticker_items ORDER BY 1"
        )
        return [r[0] for r in rows]

    def run_sites(self) -> list[str]:
        """The sites with at least one run, sorted."""
        return [r[0] for r in self._read("SELECT DISTINCT site FROM runs ORDER BY site")]

    def last_run(self, site: str) -> dict[str, Any] | None:
        """The site's latest run (started_at, finished_at, status), or None."""
        rows = list(
            self._stream(
                "SELECT id, started_at, finished_at, status FROM runs WHERE site = ? "
                "ORDER BY started_at DESC, id DESC LIMIT 1",
                (site,),
            )
        )
        return rows[0] if rows else None

    def last_run_started(self, site: str, *, not_after: datetime | None = None) -> str | None:
        """When the site's latest run started (UTC text), or None: the daemon's first-run rule.

        ``not_after`` (say, now) leaves out runs dated later: a clock once wrong (a run
        dated 2031) must not push the next run years out.
        """
        sql, params = "SELECT max(started_at) FROM runs WHERE site = ?", [site]
        if not_after is not None:
            sql += " AND started_at <= ?"
            params.append(utc_text(not_after) or "")
        row = self._read_one(sql, params)
        return row[0] if row else None

    def page(self, page_id: int) -> dict[str, Any] | None:
        """One ``pages`` row (every column but the body), or None."""
        rows = list(self._stream("SELECT * FROM pages WHERE id = ?", (page_id,)))
        return rows[0] if rows else None

    def runs_summary(self, site: str, since: str) -> dict[str, int]:
        """Counts over the site's runs started at ``since`` or later."""
        rows = list(
            self._stream(
                "SELECT count(*) AS runs, count(*) FILTER (WHERE status = 'failed') AS failed, "
                "coalesce(sum(new_articles), 0) AS articles, "
                "coalesce(sum(new_ticker_items), 0) AS ticker, coalesce(sum(pages), 0) AS pages, "
                "coalesce(sum(errors), 0) AS errors FROM runs WHERE site = ? AND started_at >= ?",
                (site, since),
            )
        )
        return {k: int(v or 0) for k, v in rows[0].items()}

    def recent_article_pages(self, site: str, limit: int) -> list[dict[str, Any]]:
        """The site's latest good article fetches (newest first): error_kind, missing_fields
        and published_at of the article each led to, for parser health."""
        return list(
            self._stream(
                "SELECT p.id, p.error_kind, a.missing_fields, a.published_at FROM pages p "
                "LEFT JOIN article_urls u ON u.url = p.url "
                "LEFT JOIN articles a ON a.id = u.article_id "
                "WHERE p.site = ? AND p.kind = 'article' AND p.status = 'ok' "
                "ORDER BY p.fetched_at DESC, p.id DESC LIMIT ?",
                (site, limit),
            )
        )

    # --- statistics -------------------------------------------------------------------------

    def site_counts(self) -> list[tuple[Any, ...]]:
        """Per site: articles, revisions, ticker items, pages, error pages, first and last fetch."""
        return self._read(
            """
WITH s(site) AS (
  SELECT site FROM pages WHERE site IS NOT NULL UNION SELECT site FROM articles
  UNION SELECT site FROM ticker_items
)
SELECT s.site,
  (SELECT count(*) FROM articles WHERE site = s.site),
  (SELECT count(*) FROM article_revisions r JOIN articles a ON a.id = r.article_id
     WHERE a.site = s.site),
  (SELECT count(*) FROM ticker_items WHERE site = s.site),
  (SELECT count(*) FROM pages WHERE site = s.site),
  (SELECT count(*) FROM pages WHERE site = s.site
     AND (status NOT IN ('ok', 'not_modified') OR error_kind IS NOT NULL)),
  (SELECT min(fetched_at) FROM pages WHERE site = s.site),
  (SELECT max(fetched_at) FROM pages WHERE site = s.site)
FROM s ORDER BY s.site
"""
        )

    def body_totals(self) -> tuple[int, int, int]:
        """(distinct bodies, raw bytes, stored bytes)."""
        row = self._read_one(
            "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM bodies"
        )
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
