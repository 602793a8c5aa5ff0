"""An article's revisions and word-level diffs between them, and re-parsing stored raw pages.

``history`` finds an article by any URL known to lead to it (or its canonical
URL) and returns its revisions oldest first; ``word_diff`` marks what changed
between two texts, git-style: ``[-removed-]{+added+}``, with a few words of
context around each change. ``reparse`` runs today's parser over each
article's latest stored raw page and writes a new revision only where the
normalized content changed: how a parser fix reaches the past.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import parsers
from parsers.base import ParseError
from scraper.archive import Archive, article_hash, parse_utc_text
from scraper.errors import ArchiveError, QueryError
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
) -> Iterator[ReparseOutcome]:
    """Re-read each selected article's latest raw page with today's parser; one outcome each.

    A damaged row (raw body, stored encoding, fetch time) fails that article only. The
    new content is written only if no fetch more recent than its page has meanwhile
    given the article its content (the archive checks this in the write transaction).
    """
    reparsed_at = now or datetime.now(UTC)
    for candidate in archive.reparse_candidates(site=site, since=since):
        article_id, url, stored = candidate.article_id, candidate.canonical_url, candidate.page
        try:
            parser = parsers.get(candidate.parser or "")
        except KeyError:
            yield ReparseOutcome(article_id, url, "failed", f"no parser named {candidate.parser!r}")
            continue
        try:
            body = archive.body(stored.body_hash)
            fetched_at = parse_utc_text(stored.fetched_at)
            html = body.decode(stored.encoding or "utf-8", errors="replace").encode("utf-8")
        except (ArchiveError, ValueError, LookupError) as exc:
            yield ReparseOutcome(article_id, url, "failed", f"damaged row: {exc}")
            continue
        if body is None or fetched_at is None:
            yield ReparseOutcome(article_id, url, "failed", "raw page missing")
            continue
        try:
            article = parser.for_date(fetched_at).parse_article(
                html, stored.final_url or url, fetched_at
            )
        except ParseError as exc:
            yield ReparseOutcome(article_id, url, "failed", str(exc))
            continue
        published = candidate.published_at
        if published and (article.published_at is None or article.published_at.tzinfo is None):
            # the crawl localized a naive time with the site's timezone: keep its result
            article = replace(article, published_at=parse_utc_text(published))
        if article_hash(article) == candidate.content_hash:
            yield ReparseOutcome(article_id, url, "unchanged")
            continue
        written = archive.write_reparsed(
            article_id, article, page_id=stored.page_id, fetched_at=stored.fetched_at or "",
            reparsed_at=reparsed_at,
        )  # fmt: skip
        if written:
            yield ReparseOutcome(article_id, url, "revised")
        else:
            yield ReparseOutcome(
                article_id, url, "unchanged", "newer content was stored meanwhile; kept it"
            )
