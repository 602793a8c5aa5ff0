"""Archive statistics: per-site counts, first and last fetch, error rate; size and compression.

An error is a fetch whose status is neither ``ok`` nor ``not_modified``, or a
fetched page that could not be parsed. Sizes count the main file and its WAL;
compression compares the raw bodies' total size with what is stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scraper.archive import Archive


@dataclass(frozen=True)
class SiteStats:
    site: str
    articles: int
    revisions: int
    ticker_items: int
    pages: int
    errors: int
    first_fetch: str | None
    last_fetch: str | None

    @property
    def error_rate(self) -> float:
        return self.errors / self.pages if self.pages else 0.0


@dataclass(frozen=True)
class ArchiveStats:
    path: str
    file_bytes: int
    sites: list[SiteStats]
    bodies: int
    raw_bytes: int
    stored_bytes: int

    @property
    def compression_ratio(self) -> float:
        """Raw size / stored size of the distinct page bodies (1.0 when there are none)."""
        return self.raw_bytes / self.stored_bytes if self.stored_bytes else 1.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["compression_ratio"] = round(self.compression_ratio, 2)
        for site, stats in zip(data["sites"], self.sites, strict=True):
            site["error_rate"] = round(stats.error_rate, 4)
        return data


def archive_stats(archive: Archive) -> ArchiveStats:
    sites = [SiteStats(*row) for row in archive.site_counts()]
    bodies, raw, stored = archive.body_totals()
    size = archive.storage_bytes()
    return ArchiveStats(str(archive.path), size, sites, bodies, raw, stored)
