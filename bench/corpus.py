"""Load the quality corpus and the dev sets: pages with their expected fields or snippets.

The corpus lives at ``$NEWSRACK_CORPUS`` or ``../shared/corpus`` from the project
root. A fundus publisher's ``<Publisher>.json`` holds one expected record per
parser version (``V1``, ``V1_1``, ``V2``...); fundus reads a page with the version
valid at its crawl date, and each version's test page was crawled while that
version was current, so the publisher's pages sorted by crawl date pair with its
versions in order. When the counts differ (a page listed in ``meta.info`` is
missing), each page takes the latest version whose expected publishing date is
not after the page's crawl date. The dev sets (``$NEWSRACK_DEVSETS`` or
``/work/devsets``, see ``../shared/corpus/devsets/README.md``) are read from
their ``manifest.jsonl``: ``dragnet-train`` gives a human-corrected body,
``trafilatura-eval`` snippets and, on its annotated pages, title, authors and day.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REGIONS = ("fr", "uk", "us")


@dataclass(frozen=True)
class Expected:
    """What a page should yield: the fields the scorer compares."""

    title: str | None
    published_at: datetime | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    summary: tuple[str, ...]
    headlines: tuple[str, ...]
    paragraphs: tuple[str, ...]
    blocks: tuple[str, ...] = ()
    #: Whether the body fields are the truth (False: only the metadata was annotated).
    has_body: bool = True

    @property
    def body_text(self) -> str:
        """What a reader reads: the summary (the standfirst), then each section's headline
        and its paragraphs, in page order, one block a line."""
        return "\n".join((*self.summary, *(self.blocks or (*self.headlines, *self.paragraphs))))


@dataclass(frozen=True)
class Page:
    """One corpus page: its HTML (UTF-8 bytes), URL, and what it should yield."""

    key: str
    source: str
    group: str
    publisher: str
    url: str
    html: bytes
    crawl_date: datetime | None = None
    expected: Expected | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def find_corpus(root: Path | None = None) -> Path | None:
    """The corpus folder: ``$NEWSRACK_CORPUS``, else ``<root>/../shared/corpus``; None if absent."""
    env = os.environ.get("NEWSRACK_CORPUS")
    if env:
        path = Path(env)
        return path if path.is_dir() else None
    root = root or Path(__file__).resolve().parent.parent
    path = (root / ".." / "shared" / "corpus").resolve()
    return path if path.is_dir() else None


_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([\w-]{1,40})""", re.I)


def _as_utf8(raw: bytes) -> bytes:
    """The page re-encoded as UTF-8: its ``<meta>`` charset when UTF-8 fails, else cp1252."""
    try:
        raw.decode("utf-8")
        return raw
    except UnicodeDecodeError:
        pass
    match = _CHARSET_RE.search(raw[:4096])
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii")).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("cp1252", "replace").encode("utf-8")


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def expected_record(record: dict[str, Any]) -> Expected:
    body = record.get("body") or {}
    headlines: list[str] = []
    paragraphs: list[str] = []
    blocks: list[str] = []
    for section in body.get("sections") or []:
        headlines.extend(section.get("headline") or [])
        paragraphs.extend(section.get("paragraphs") or [])
        blocks.extend(section.get("headline") or [])
        blocks.extend(section.get("paragraphs") or [])
    return Expected(
        title=record.get("title"),
        published_at=_date(record.get("publishing_date")),
        authors=tuple(record.get("authors") or ()),
        topics=tuple(record.get("topics") or ()),
        summary=tuple(body.get("summary") or ()),
        headlines=tuple(headlines),
        paragraphs=tuple(paragraphs),
        blocks=tuple(blocks),
    )


def _version_order(key: str) -> tuple[int, ...]:
    return tuple(int(part) for part in key.lstrip("Vv").split("_") if part.isdigit())


def pair_versions(crawl_dates: list[datetime], versions: dict[str, dict[str, Any]]) -> list[str]:
    """The version key for each page (pages given by crawl date, oldest first)."""
    keys = sorted(versions, key=_version_order)
    if len(keys) == len(crawl_dates):
        return keys
    chosen = []
    for crawled in crawl_dates:
        pick = keys[0]
        for key in keys:
            published = _date(versions[key].get("publishing_date"))
            if published is None or published.date() <= crawled.date():
                pick = key
        chosen.append(pick)
    return chosen


def fundus_pages(corpus: Path) -> list[Page]:
    """Every fundus page of the corpus with its expected record, by region then publisher."""
    pages: list[Page] = []
    for region in REGIONS:
        folder = corpus / "fundus" / region
        if not folder.is_dir():
            continue
        info: dict[str, dict[str, str]] = json.loads((folder / "meta.info").read_text())
        for expected_file in sorted(folder.glob("*.json")):
            publisher = expected_file.stem
            versions = json.loads(expected_file.read_text())
            files = sorted(
                (name for name in info if name.rsplit("_", 3)[0] == publisher),
                key=lambda name: info[name]["crawl_date"],
            )
            files = [name for name in files if (folder / name).exists()]
            dates = [datetime.fromisoformat(info[name]["crawl_date"]) for name in files]
            for name, crawled, key in zip(
                files, dates, pair_versions(dates, versions), strict=True
            ):
                pages.append(
                    Page(
                        key=f"{region}/{name.removesuffix('.html.gz')}",
                        source="fundus",
                        group=region,
                        publisher=publisher,
                        url=info[name]["url"],
                        html=_as_utf8(gzip.decompress((folder / name).read_bytes())),
                        crawl_date=crawled,
                        expected=expected_record(versions[key]),
                        extra={"version": key},
                    )
                )
    return pages


def trafilatura_pages(corpus: Path) -> list[Page]:
    """The trafilatura-fr pages with their ``with``/``without`` snippets."""
    folder = corpus / "trafilatura-fr"
    index = folder / "evaldata.json"
    if not index.exists():
        return []
    pages = []
    for url, item in json.loads(index.read_text()).items():
        path = folder / item["file"]
        if not path.exists():
            continue
        pages.append(
            Page(
                key=f"trafilatura-fr/{item['file']}",
                source="trafilatura-fr",
                group="trafilatura-fr",
                publisher=item["file"].removesuffix(".html"),
                url=url,
                html=_as_utf8(path.read_bytes()),
                with_snippets=tuple(item.get("with") or ()),
                without_snippets=tuple(item.get("without") or ()),
            )
        )
    return pages


DEVSETS = ("dragnet-train", "trafilatura-eval")


def find_devsets() -> Path | None:
    """The unpacked dev sets: ``$NEWSRACK_DEVSETS``, else ``/work/devsets``; None if absent."""
    path = Path(os.environ.get("NEWSRACK_DEVSETS") or "/work/devsets")
    return path if path.is_dir() else None


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def devset_pages(root: Path, name: str) -> list[Page]:
    """The pages of one dev set (``dragnet-train`` or ``trafilatura-eval``), manifest order."""
    manifest = root / name / "manifest.jsonl"
    if not manifest.exists():
        return []
    pages = []
    for line in manifest.read_text().splitlines():
        item = json.loads(line)
        truth = item["truth"]
        expected = None
        if truth.get("body") is not None:
            lines = tuple(b.strip() for b in truth["body"].splitlines() if b.strip())
            expected = Expected(None, None, (), (), (), (), lines, lines)
        elif item["meta"].get("metadata_annotated"):
            expected = Expected(
                title=truth.get("title"),
                published_at=_day(truth.get("date")),
                authors=tuple(truth.get("authors") or ()),
                topics=(),
                summary=(),
                headlines=(),
                paragraphs=(),
                has_body=False,
            )
        pages.append(
            Page(
                key=f"{name}/{item['id']}",
                source=name,
                group=name,
                publisher=item["id"],
                url=item["url"] or "",
                html=_as_utf8((root / name / item["path"]).read_bytes()),
                expected=expected,
                with_snippets=tuple(truth.get("body_with") or ()),
                without_snippets=tuple(truth.get("body_without") or ()),
            )
        )
    return pages
