"""An article's revisions and word-level diffs between them, and re-parsing stored raw pages.

``history`` finds an article by any URL known to lead to it (or its canonical
URL) and returns its revisions oldest first; ``word_diff`` marks what changed
between two texts, git-style: ``[-removed-]{+added+}``, with a few words of
context around each change. ``reparse`` runs today's parser over each
article's latest stored raw page and writes a new revision only where the
normalized content changed: how a parser fix reaches the past.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import parsers
from parsers.base import Article
from scraper import ingest
from scraper.archive import Archive, ReparseCandidate, article_hash, parse_utc_text
from scraper.errors import ArchiveError, QueryError
from scraper.kinds import PageKind
from scraper.urls import normalize_url

CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Revision:
    """One stored content of an article."""

    number: int
    fetched_at: str
    reparsed_at: str | None
    content_hash: str
    parser: str | None
    parser_version: str | None
    title: str
    lead: str
    body: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def find_article(
    archive: Archive, url: str, *, site: str | None = None
) -> tuple[int, str, str | None]:
    """(id, canonical_url, title) of the article at ``url`` (of ``site``, when given);
    ArchiveError naming it if none."""
    try:
        candidates = [url, normalize_url(url)]
    except ValueError as exc:
        raise QueryError(f"{url!r} is not a URL ({exc}); pass an article's URL") from None
    found = archive.find_article(candidates, site=site)
    if found is None:
        where = f"site {site} of {archive.path}" if site else str(archive.path)
        raise ArchiveError(f"{url}: no such article in {where}; try `newsrack search`")
    return found


def history(archive: Archive, article_id: int) -> list[Revision]:
    """The article's revisions, oldest first."""
    return [
        Revision(
            number=i,
            fetched_at=r["fetched_at"],
            reparsed_at=r["reparsed_at"],
            content_hash=r["content_hash"],
            parser=r["parser"],
            parser_version=r["parser_version"],
            title=r["title"] or "",
            lead=r["lead"] or "",
            body=r["body"] or "",
        )
        for i, r in enumerate(archive.article_revisions(article_id), 1)
    ]


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """``old`` -> ``new`` word by word: ``[-gone-]{+added+}``; '' when the words are equal."""
    a, b = old.split(), new.split()
    if a == b:
        return ""
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context + (0 if first or last else 1):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            parts.append(" ".join(words))
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(a[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(b[j1:j2])}+}}")
    return " ".join(p for p in parts if p)


def revision_diffs(previous: Revision, current: Revision) -> dict[str, str]:
    """Field -> word diff, for the fields (title, lead, body) whose words changed."""
    diffs = {}
    for name in ("title", "lead", "body"):
        diff = word_diff(getattr(previous, name), getattr(current, name))
        if diff:
            diffs[name] = diff
    return diffs


# --- re-parsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReparseOutcome:
    """What re-parsing one article did: ``revised``, ``unchanged`` or ``failed`` (+ why)."""

    article_id: int
    url: str
    status: str
    message: str = ""


def count_reparse(archive: Archive, *, site: str | None = None, since: str | None = None) -> int:
    return archive.count_reparse(site=site, since=since)


def reparse(
    archive: Archive,
    *,
    site: str | None = None,
    since: str | None = None,
    now: datetime | None = None,
    timezones: Mapping[str, tzinfo] | None = None,
) -> Iterator[ReparseOutcome]:
    """Re-read each selected article's latest raw page with today's parser; one outcome each.

    Each page goes through ``scraper.ingest`` as a fetched one would (version by
    fetch date, decode, parse, times localized in the site's timezone from
    ``timezones``; a site missing there keeps its stored times). A damaged row
    (raw body, stored encoding, fetch time) fails that article only. The new
    content is written only if no fetch more recent than its page has meanwhile
    given the article its content (the archive checks this in the write transaction).
    """
    reparsed_at = now or datetime.now(UTC)
    zones = timezones or {}
    for candidate in archive.reparse_candidates(site=site, since=since):
        yield _reparse_one(archive, candidate, zones, reparsed_at)


def _reparse_one(
    archive: Archive,
    candidate: ReparseCandidate,
    zones: Mapping[str, tzinfo],
    reparsed_at: datetime,
) -> ReparseOutcome:
    article_id, url, stored = candidate.article_id, candidate.canonical_url, candidate.page
    if candidate.parser not in parsers.names():
        return ReparseOutcome(article_id, url, "failed", f"no parser named {candidate.parser!r}")
    try:
        body = archive.body(stored.body_hash)
        fetched_at = parse_utc_text(stored.fetched_at)
        codecs.lookup(stored.encoding or "utf-8")
    except (ArchiveError, ValueError, LookupError) as exc:
        return ReparseOutcome(article_id, url, "failed", f"damaged row: {exc}")
    if body is None or fetched_at is None:
        return ReparseOutcome(article_id, url, "failed", "raw page missing")
    job = ingest.PageJob(
        candidate.parser,
        PageKind.ARTICLE,
        ingest.page_html(body, stored.encoding),
        stored.final_url or url,
        fetched_at,
    )
    parsed = ingest.run_parser(job)
    if isinstance(parsed, ingest.ParseFailure):
        return ReparseOutcome(article_id, url, "failed", parsed.message)
    if not isinstance(parsed, Article):
        return ReparseOutcome(article_id, url, "failed", "the parser gave no article")
    article = ingest.ready_article(parsed, zones.get(candidate.site))
    if article_hash(article) == candidate.content_hash:
        return ReparseOutcome(article_id, url, "unchanged")
    written = archive.write_reparsed(
        article_id, article, page_id=stored.page_id, fetched_at=stored.fetched_at or "",
        reparsed_at=reparsed_at,
    )  # fmt: skip
    if written:
        return ReparseOutcome(article_id, url, "revised")
    return ReparseOutcome(
        article_id, url, "unchanged", "newer content was stored meanwhile; kept it"
    )
