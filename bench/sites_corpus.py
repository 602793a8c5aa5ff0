"""Score the hand-written site parsers on the fundus corpus pages and print one row per page.

Columns: the layout version used, whether title, published_at and authors are
exact, the body F1 over 4-word shingles, whether lead and topics are exact,
and the health fields left empty. Run from the repo root:
``python bench/sites_corpus.py`` (``$NEWSRACK_CORPUS`` or ``../shared/corpus``).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import parsers
from tests.support.corpus_paths import corpus_dir, fundus_pages
from tests.support.textscore import f1, joined, norm

SITES = [
    ("lemonde", "fr", "LeMonde"),
    ("lefigaro", "fr", "LeFigaro"),
    ("lesechos", "fr", "LesEchos"),
    ("euronews", "fr", "EuronewsFR"),
    ("euronews", "uk", "EuronewsEN"),
]


def main() -> int:
    if corpus_dir() is None:
        print("corpus not found (set NEWSRACK_CORPUS or lay it at ../shared/corpus)")
        return 2
    header = (
        "page",
        "ver",
        "title",
        "published",
        "authors",
        "body F1",
        "lead",
        "topics",
        "missing",
    )
    rows = [header]
    for name, country, publisher in SITES:
        for page in fundus_pages(country, publisher):
            want = page.expected
            parser = parsers.get(name).for_date(page.crawl_date)  # the version, picked once
            article = parser.parse_article(page.html(), page.url, page.crawl_date)
            body = joined(p for s in want["body"]["sections"] for p in s["paragraphs"])
            rows.append(
                (
                    page.id,
                    article.parser_version,
                    _yes(norm(article.title) == norm(want["title"])),
                    _yes(article.published_at == datetime.fromisoformat(want["publishing_date"])),
                    _yes([norm(a) for a in article.authors] == [norm(a) for a in want["authors"]]),
                    f"{f1(article.body, body):.4f}",
                    _yes(norm(article.lead) == norm(" ".join(want["body"]["summary"]))),
                    _yes([norm(t) for t in article.tags] == [norm(t) for t in want["topics"]]),
                    ",".join(article.missing) or "-",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


def _yes(ok: bool) -> str:
    return "exact" if ok else "DIFF"


if __name__ == "__main__":
    raise SystemExit(main())
