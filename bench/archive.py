"""Archive benchmark: insert throughput, FTS5 vs LIKE latency, bytes per article, re-crawl growth.

Builds a fresh archive of N synthetic articles (default 100,000) through the
real write path (``Archive.save_article``: one transaction per article, raw
page compressed, revisions, FTS triggers), then times the same queries with
``newsrack search``'s function (FTS5, bm25, snippets, LIMIT 20) and with a
plain ``LIKE`` scan, and re-saves a sample unchanged to measure how much an
unchanged re-crawl grows the file. Text is drawn from a Zipf-distributed
vocabulary of pseudo-words plus a few place names with diacritics.

    .venv/bin/python bench/archive.py [--articles 100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from parsers.base import Article
from scraper.archive import Archive
from scraper.fetch import FetchResult
from scraper.search import like_search, search

PLACES = ["Aïn Sebaâ", "Fès", "Tétouan", "Salé", "Kénitra", "Béni Mellal"]
QUERIES = [
    ("rare word", "{rare}"),
    ("mid-frequency word", "{mid}"),
    ("common word", "{common}"),
    ("two words (AND)", "{common} {mid}"),
    ("phrase (from a real title)", '"{phrase}"'),
    ("prefix", "{prefix}*"),
    ("no accents for accented name", "ain sebaa"),
    ("OR of two rare words", "{rare} OR {rare2}"),
]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    syllables = ["ma", "ra", "to", "li", "ne", "sa", "ko", "di", "pe", "lu", "ri", "an", "ou",
                 "é", "tion", "ment", "ar", "el", "in", "que"]  # fmt: skip
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return sorted(words, key=lambda w: (len(w), w))


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = vocabulary(rng)
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cum = list(_accumulate(weights))

    def sentence(self, count: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum, k=count)
        if self.rng.random() < 0.003:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(PLACES))
        return " ".join(words).capitalize() + "."

    def paragraphs(self, words: int) -> str:
        out, left = [], words
        while left > 0:
            n = min(left, self.rng.randint(40, 80))
            out.append(" ".join(self.sentence(12) for _ in range(max(1, n // 12))))
            left -= n
        return "\n\n".join(out)


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return out


CHROME = (
    "<header><nav>" + "".join(f'<a href="/c/{i}">Rubrique {i}</a>' for i in range(30)) + "</nav>"
    '</header><div class="latest-news"><ul>'
    + "".join(f'<li><span>12:{i:02d}</span><a href="/a/{i}">Titre {i}</a></li>' for i in range(40))
    + "</ul></div>"
)


def page_for(url: str, title: str, lead: str, body: str, at: datetime) -> FetchResult:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    html = (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{CHROME}<article><h1>{title}</h1><p>{lead}</p>{paragraphs}</article>"
        "<footer>© Walaw. Tous droits réservés.</footer></body></html>"
    ).encode()
    return FetchResult(
        url=url, final_url=url, status="ok", fetched_at=at, http_status=200, body=html,
        text=html.decode(), encoding="utf-8", content_type="text/html; charset=utf-8",
    )  # fmt: skip


def build(db: Path, count: int, rng: random.Random) -> tuple[float, list[tuple]]:
    maker = TextMaker(rng)
    start_at = datetime(2025, 1, 1, tzinfo=UTC)
    sample: list[tuple] = []
    elapsed = 0.0
    with Archive(db) as archive:
        for i in range(count):
            at = start_at + timedelta(minutes=i)
            url = f"https://news.example/articles/a{i}/K{i:07d}"
            title = maker.sentence(9)[:-1]
            lead = maker.sentence(25)
            body = maker.paragraphs(rng.randint(200, 500))
            article = Article(
                url=url, title=title, lead=lead, body=body, parser="walaw", parser_version="1",
                published_at=at,
            )  # fmt: skip
            page = page_for(url, title, lead, body, at)
            t0 = time.perf_counter()
            archive.save_article(
                article, site="bench", url=url, canonical_url=url, fetched_at=at, page=page
            )
            elapsed += time.perf_counter() - t0
            if i % 100 == 0:
                sample.append((article, page))
            if i and i % 10_000 == 0:
                print(f"  {i} articles, {i / elapsed:,.0f}/s", file=sys.stderr)
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count / elapsed, sample


def pick_terms(archive: Archive, rng: random.Random) -> dict[str, str]:
    """Real terms of the index at three document frequencies."""
    archive.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab USING fts5vocab(main, articles_fts, row)"
    )
    places = {part for place in PLACES for part in place.lower().split()}
    rows = [
        (term, doc)
        for term, doc in archive.conn.execute("SELECT term, doc FROM temp.fts_vocab")
        if len(term) > 2 and term not in places
    ]
    total = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def near(fraction: float, skip: int = 0) -> str:
        target = total * fraction
        ranked = sorted(rows, key=lambda r: abs(r[1] - target))
        return ranked[skip][0]

    title = archive.conn.execute(
        "SELECT title FROM articles WHERE id = ?", (rng.randint(1, total),)
    ).fetchone()[0]
    return {
        "phrase": " ".join(title.lower().split()[1:3]),
        "common": near(0.30),
        "common2": near(0.30, 1),
        "mid": near(0.01),
        "mid2": near(0.01, 1),
        "rare": near(0.0005),
        "rare2": near(0.0005, 1),
        "prefix": near(0.01)[:4],
    }


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="archive file to build (default: a temp file)")
    parser.add_argument("--repeat", type=int, default=30, help="runs per FTS query")
    args = parser.parse_args()
    rng = random.Random(20250509)
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "bench.db"
    if db.exists():
        sys.exit(f"{db} exists: pass a new path")

    print(f"building {args.articles:,} articles in {db} ...", file=sys.stderr)
    rate, sample = build(db, args.articles, rng)
    size = db.stat().st_size

    with Archive(db) as archive:
        terms = pick_terms(archive, rng)
        raw, stored = archive.conn.execute(
            "SELECT sum(size), sum(stored_size) FROM bodies"
        ).fetchone()
        text_bytes = archive.conn.execute(
            "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(lead AS BLOB)) "
            "+ length(CAST(body AS BLOB))) FROM articles"
        ).fetchone()[0]
        results = []
        all_fts: list[float] = []
        for label, template in QUERIES:
            query = template.format(**terms)
            hits = len(search(archive, query, raw=True, limit=20))
            matches = archive.conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (query,)
            ).fetchone()[0]
            fts = timed(lambda q=query: search(archive, q, raw=True, limit=20), args.repeat)
            all_fts += fts
            words = [w.strip('"*') for w in query.split() if w not in ("OR", "AND")]
            like = (
                timed(lambda w=words: like_search(archive, w, limit=20), 3)
                if "OR" not in query
                else []
            )
            results.append((label, query, matches, hits, fts, like))

    print(f"\n## Archive benchmark: {args.articles:,} synthetic articles\n")
    print(f"SQLite {__import__('sqlite3').sqlite_version}, Python {sys.version.split()[0]}\n")
    print("| measure | value |\n|---|---|")
    print(f"| insert throughput (save_article, 1 transaction each, FTS + raw page) | "
          f"{rate:,.0f} articles/s |")  # fmt: skip
    print(f"| file size | {size / 1e6:,.1f} MB |")
    print(f"| bytes per article (all tables, raw page included) | {size / args.articles:,.0f} |")
    print(f"| article text (title + lead + body) per article | "
          f"{text_bytes / args.articles:,.0f} bytes |")  # fmt: skip
    print(f"| raw page per article: raw / stored (zstd) | {raw / args.articles:,.0f} / "
          f"{stored / args.articles:,.0f} bytes ({raw / stored:.1f}x) |")  # fmt: skip
    print(f"| FTS query latency, all queries: median / p95 | "
          f"{statistics.median(all_fts):.2f} / {p95(all_fts):.2f} ms |")  # fmt: skip
    print("\n| query | matching articles | FTS median / p95 ms | LIKE scan median ms |")
    print("|---|---|---|---|")
    for label, query, matches, _hits, fts, like in results:
        like_text = f"{statistics.median(like):,.0f}" if like else "n/a"
        print(f"| {label}: `{query}` | {matches:,} | {statistics.median(fts):.2f} / "
              f"{p95(fts):.2f} | {like_text} |")  # fmt: skip

    # an unchanged re-crawl: the same pages fetched again
    with Archive(db) as archive:
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = db.stat().st_size
        counts = lambda: archive.conn.execute(  # noqa: E731
            "SELECT (SELECT count(*) FROM bodies), (SELECT count(*) FROM article_revisions), "
            "(SELECT count(*) FROM articles_fts_data), (SELECT count(*) FROM pages)"
        ).fetchone()
        rows_before = counts()
        again = datetime(2026, 1, 1, tzinfo=UTC)
        for article, page in sample:
            archive.save_article(
                article, site="bench", url=article.url, canonical_url=article.url,
                fetched_at=again, page=FetchResult(**{**page.__dict__, "fetched_at": again}),
            )  # fmt: skip
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        grown = db.stat().st_size - before
        rows_after = counts()
    print(
        f"\nunchanged re-crawl of {len(sample):,} articles: file grew {grown:,} bytes "
        f"({grown / len(sample):,.0f} per refetch); new bodies {rows_after[0] - rows_before[0]}, "
        f"new revisions {rows_after[1] - rows_before[1]}, new FTS blocks "
        f"{rows_after[2] - rows_before[2]}, new pages rows (the fetch log) "
        f"{rows_after[3] - rows_before[3]}"
    )
    folder.cleanup()


if __name__ == "__main__":
    main()
