"""Score newsrack's parsers per set of pages, field by field, beside trafilatura, in one run.

Sets: the two dev sets (``dragnet-train``: human-corrected main text;
``trafilatura-eval``: human ``with``/``without`` snippets, and title, authors and
day on its annotated pages) and the corpus (``fundus`` fr/uk/us with the fields
fundus expects; ``trafilatura-fr`` snippets). Body: the Zyte benchmark's 4-gram
shingle precision/recall/F1 where the set has a text (``bench.metrics``); on
snippet sets, trafilatura's own measure (a ``with`` snippet found is a true
positive, missed a false negative, a ``without`` snippet found a false
positive; counts summed over the set), with the shares of ``with`` found and
``without`` kept out. Our text is what a reader reads: lead, sub-headings,
paragraphs (``Article.text``). Title: exact after whitespace normalization;
date: same day; authors: same set. Pages without an answer are counted, and
the time of each page (CPU time of this process, best of ``--repeat`` passes)
gives the median, p99 and maximum, and the slowest page of every set. The
generic parser and trafilatura run on the same pages in the same process;
site parsers on the corpus pages of their own sites.

Run: ``python -m bench.quality [--corpus DIR] [--devsets DIR] [--sets a,b]
[--repeat N] [--notes docs/quality_notes.md] [--output docs/quality.md]``
(``pip install -e '.[bench]'`` for trafilatura); ``--notes`` appends hand-written findings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import parsers
from bench.corpus import (
    DEVSETS,
    Page,
    devset_pages,
    find_corpus,
    find_devsets,
    fundus_pages,
    trafilatura_pages,
)
from bench.metrics import (
    BodyScore,
    BodyScores,
    SnippetCounts,
    body_score,
    paragraphs_matched,
    same_day,
    same_minute,
    same_set,
    snippets_absent,
    snippets_present,
    title_matches,
)


@dataclass(frozen=True)
class Extraction:
    """What one extractor read from one page (``error`` set when it failed)."""

    title: str | None = None
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    error: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


Extractor = Callable[[Page], Extraction]


def _from_article(article: parsers.Article) -> Extraction:
    blocks: list[str] = [article.lead] if article.lead else []
    for section in article.sections:
        if section.headline:
            blocks.append(section.headline)
        blocks.extend(section.paragraphs)
    if not article.sections:
        blocks.extend(article.paragraphs)
    return Extraction(
        title=article.title,
        published_at=article.published_at,
        authors=article.authors,
        topics=article.tags,
        blocks=tuple(blocks),
    )


def generic_extractor(page: Page) -> Extraction:
    """The generic parser, whatever site the page comes from."""
    try:
        return _from_article(parsers.get("generic").parse_article(page.html, page.url))
    except Exception as exc:  # a crash scores as an empty page, named in the report
        return Extraction(error=str(exc))


def site_extractor(page: Page) -> Extraction:
    """The site parser the registry picks for the page's URL, at the page's crawl date."""
    parser = parsers.for_url(page.url).for_date(page.crawl_date)
    try:
        return _from_article(parser.parse_article(page.html, page.url, page.crawl_date))
    except Exception as exc:  # a crash scores as an empty page, named in the report
        return Extraction(error=str(exc))


def has_site_parser(page: Page) -> bool:
    return parsers.for_url(page.url).name != "generic"


def trafilatura_extractor() -> Extractor | None:
    """trafilatura's ``bare_extraction`` with metadata, or None when it is not installed."""
    try:
        import trafilatura
    except ImportError:
        return None

    def extract(page: Page) -> Extraction:
        try:
            doc = trafilatura.bare_extraction(
                page.html, url=page.url, with_metadata=True, include_comments=False
            )
        except Exception as exc:  # trafilatura raises many kinds; a failure scores as empty
            return Extraction(error=f"{type(exc).__name__}: {exc}")
        if doc is None:
            return Extraction(error="no extraction")
        date = None
        if getattr(doc, "date", None):
            try:
                date = datetime.fromisoformat(doc.date).replace(tzinfo=UTC)
            except ValueError:
                date = None
        authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
        topics = tuple((doc.tags or []) + (doc.categories or []))
        text = doc.text or ""
        return Extraction(
            title=doc.title,
            published_at=date,
            authors=authors,
            topics=topics,
            blocks=tuple(line for line in text.split("\n") if line.strip()),
        )

    return extract


@dataclass
class PageResult:
    page: Page
    got: Extraction
    seconds: float = 0.0
    body: BodyScore | None = None
    snippets: SnippetCounts | None = None
    scores: dict[str, float] = field(default_factory=dict)


def score(page: Page, got: Extraction, seconds: float = 0.0) -> PageResult:
    """Compare one extraction with what the page should yield."""
    result = PageResult(page, got, seconds)
    want = page.expected
    if want is not None and want.has_body:
        result.body = body_score(got.text, want.body_text)
        result.scores["paragraphs"] = paragraphs_matched(got.blocks, want.paragraphs)
    if want is not None and (want.title is not None or not want.has_body):
        result.scores.update(
            {
                "title": float(title_matches(got.title, want.title)),
                "date_minute": float(same_minute(got.published_at, want.published_at)),
                "date_day": float(same_day(got.published_at, want.published_at)),
                "authors": float(same_set(got.authors, want.authors)),
                "topics": float(same_set(got.topics, want.topics)),
            }
        )
    if page.with_snippets or page.without_snippets:
        result.snippets = SnippetCounts.of(got.text, page.with_snippets, page.without_snippets)
        result.scores["with"] = snippets_present(got.text, page.with_snippets)
        result.scores["without"] = snippets_absent(got.text, page.without_snippets)
    return result


@dataclass
class Run:
    """One extractor over one set of pages: per-page results and times."""

    name: str
    results: list[PageResult]

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.results)


def run_all(jobs: Sequence[tuple[str, Extractor, Sequence[Page]]], repeat: int = 1) -> list[Run]:
    """Extract every page with every extractor; each page's time is its best of ``repeat``.

    Each extractor reads one page first, untimed (imports, caches). Rounds interleave
    the extractors (one pass of each, then again), so that a busy machine slows them
    alike; the last pass of each is scored.
    """
    for _name, extractor, pages in jobs:
        if pages:
            extractor(pages[0])  # warm up: imports and caches are not a page's cost
    best = [[float("inf")] * len(pages) for _name, _extractor, pages in jobs]
    got: list[list[Extraction]] = [[] for _ in jobs]
    for _ in range(max(1, repeat)):
        for index, (_name, extractor, pages) in enumerate(jobs):
            out = []
            for number, page in enumerate(pages):
                start = time.process_time()
                out.append(extractor(page))
                best[index][number] = min(best[index][number], time.process_time() - start)
            got[index] = out
    return [
        Run(name, [score(p, g, t) for p, g, t in zip(pages, got[i], best[i], strict=True)])
        for i, (name, _extractor, pages) in enumerate(jobs)
    ]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _share(results: list[PageResult], key: str) -> str:
    values = [r.scores[key] for r in results if key in r.scores]
    return f"{_mean(values):.3f}" if values else "-"


def _times(results: list[PageResult]) -> tuple[float, float, float, str]:
    """Median, p99 and maximum milliseconds per page, and the slowest page's key."""
    ordered = sorted(results, key=lambda r: r.seconds)
    if not ordered:
        return 0.0, 0.0, 0.0, "-"
    ms = [r.seconds * 1000 for r in ordered]
    return (
        statistics.median(ms),
        ms[min(len(ms) - 1, int(len(ms) * 0.99))],
        ms[-1],
        ordered[-1].page.key,
    )


def _row(name: str, results: list[PageResult]) -> str:
    bodies = [r.body for r in results if r.body is not None]
    snippets = [r.snippets for r in results if r.snippets is not None]
    if bodies:
        body = BodyScores.combine(bodies)
        p, r, f = body.precision, body.recall, body.f1
        kept = "-"
    elif snippets:
        counts = SnippetCounts.total(snippets)
        p, r, f = counts.precision, counts.recall, counts.f1
        kept = f"{_share(results, 'with')} / {_share(results, 'without')}"
    else:
        p = r = f = 0.0
        kept = "-"
    titled = [x for x in results if "title" in x.scores]
    none = sum(1 for x in results if x.got.error or not x.got.text.strip())
    median, p99, top, slowest = _times(results)
    return (
        f"| {name} | {len(results)} | {p:.3f} | {r:.3f} | **{f:.3f}** | {kept} | "
        f"{_share(results, 'title')} | {_share(results, 'date_day')} | "
        f"{_share(results, 'authors')} | {len(titled) or '-'} | {none} | "
        f"{median:.1f} | {p99:.0f} | {top:.0f} | `{slowest}` |"
    )


_HEADER = (
    "| extractor | pages | body P | body R | body F1 | `with` / `without` | title | date "
    "(day) | authors | pages with metadata | no answer | median ms | p99 ms | max ms "
    "| slowest page |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)

_NOTES = (
    "Body: on `dragnet-train` and `fundus` the Zyte benchmark's F1 of 4-word shingles",
    "(precision and recall averaged over pages, then F1); the expected text is the page's",
    "human-corrected text (dragnet: it may open with the headline, date and byline lines,",
    "which no extractor is asked to give) or fundus's summary, sub-headings and paragraphs.",
    "On `trafilatura-eval` and `trafilatura-fr`: a `with` snippet found is a true positive,",
    "missed a false negative, a `without` snippet found a false positive (counts summed over",
    "the set, as trafilatura's evaluation does); the shares of `with` found and `without`",
    "kept out per page are beside it. Our text is `Article.text` (lead as printed,",
    "sub-headings, paragraphs); trafilatura's is its `text`. Title exact after whitespace",
    "normalization, date the same day, authors the same set: on fundus pages and on the",
    "851 annotated `trafilatura-eval` pages. No answer: an error or an empty text. Times:",
    "CPU time of this process per page, best of the passes.",
)


def report(sets: dict[str, list[Run]], command: str, footer: Sequence[str] = ()) -> str:
    """The markdown report: one table per set, then the speed of the whole."""
    out: list[str] = ["# Extraction quality", "", f"Made by: `{command}`", "", *_NOTES, ""]
    for name, runs in sets.items():
        out += [f"## {name}", "", _HEADER]
        out += [_row(run.name, run.results) for run in runs]
        out.append("")
    totals: dict[str, float] = {}
    for runs in sets.values():
        for run in runs:
            totals[run.name] = totals.get(run.name, 0.0) + run.seconds
    if "generic" in totals and "trafilatura" in totals and totals["generic"]:
        pages = sum(len(r.results) for runs in sets.values() for r in runs if r.name == "generic")
        out.append(
            f"Speed over all {pages} pages: generic {totals['generic']:.1f} s, trafilatura "
            f"{totals['trafilatura']:.1f} s of CPU: generic is "
            f"{totals['trafilatura'] / totals['generic']:.1f}x faster."
        )
        for name, runs in sets.items():
            by = {r.name: r.seconds for r in runs}
            if by.get("generic") and "trafilatura" in by:
                out.append(f"- {name}: {by['trafilatura'] / by['generic']:.1f}x")
        out.append("")
    out += list(footer)
    return "\n".join(out).rstrip() + "\n"


def _versions() -> list[str]:
    """The versions of what ran, for the report's footer."""
    import platform
    from importlib import metadata

    found = [f"Python {platform.python_version()}"]
    for package in ("selectolax", "trafilatura", "lxml"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return ["Versions: " + ", ".join(found) + "."]


SET_NAMES = (
    "dragnet-train",
    "trafilatura-eval",
    "fundus-fr",
    "fundus-uk",
    "fundus-us",
    "trafilatura-fr",
)


def load_sets(
    corpus: Path | None, devsets: Path | None, wanted: Sequence[str]
) -> dict[str, list[Page]]:
    """The pages of every wanted set that is present, by set name."""
    sets: dict[str, list[Page]] = {}
    if devsets is not None:
        for name in DEVSETS:
            if name in wanted:
                pages = devset_pages(devsets, name)
                if pages:
                    sets[name] = pages
    if corpus is not None:
        fundus = fundus_pages(corpus) if any(w.startswith("fundus") for w in wanted) else []
        for region in ("fr", "uk", "us"):
            rows = [p for p in fundus if p.group == region]
            if f"fundus-{region}" in wanted and rows:
                sets[f"fundus-{region}"] = rows
        if "trafilatura-fr" in wanted:
            rows = trafilatura_pages(corpus)
            if rows:
                sets["trafilatura-fr"] = rows
    return sets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: $NEWSRACK_CORPUS)")
    parser.add_argument("--devsets", type=Path, help="dev sets (default: $NEWSRACK_DEVSETS)")
    parser.add_argument("--sets", default=",".join(SET_NAMES), help="sets to score, by name")
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (best is kept)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--notes", type=Path, help="a markdown file of findings to append to the report"
    )
    parser.add_argument("--no-trafilatura", action="store_true", help="skip trafilatura")
    args = parser.parse_args(argv)
    corpus = args.corpus or find_corpus()
    devsets = args.devsets or find_devsets()
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SET_NAMES]
    if unknown:
        print(f"unknown set {unknown[0]!r}: choose among {', '.join(SET_NAMES)}", file=sys.stderr)
        return 2
    sets = load_sets(corpus, devsets, wanted)
    if not sets:
        print(
            "no pages found: set $NEWSRACK_CORPUS / $NEWSRACK_DEVSETS or lay the corpus at "
            "../shared/corpus and the dev sets at /work/devsets",
            file=sys.stderr,
        )
        return 2
    traf = None if args.no_trafilatura else trafilatura_extractor()
    if traf is None and not args.no_trafilatura:
        print(
            "trafilatura is not installed: scoring newsrack only "
            "(pip install -e '.[bench]' to compare)",
            file=sys.stderr,
        )
    scored: dict[str, list[Run]] = {}
    for name, pages in sets.items():
        jobs: list[tuple[str, Extractor, Sequence[Page]]] = []
        site_pages = [p for p in pages if has_site_parser(p)]
        if site_pages:
            jobs.append(("site parsers", site_extractor, site_pages))
        jobs.append(("generic", generic_extractor, pages))
        if traf is not None:
            jobs.append(("trafilatura", traf, pages))
        scored[name] = run_all(jobs, args.repeat)
    command = "python -m bench.quality " + " ".join(argv if argv is not None else sys.argv[1:])
    footer = _versions()
    if args.notes:
        try:
            footer += ["", args.notes.read_text().strip()]
        except OSError as exc:
            print(f"cannot read the notes {args.notes}: {exc.strerror}", file=sys.stderr)
            return 2
    text = report(scored, command.strip(), footer)
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
