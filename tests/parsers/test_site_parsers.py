"""Site parsers (Le Monde, Figaro, Echos, Euronews): our fixtures exactly, corpus pages by target.

Each ``tests/fixtures/<site>/<page>.<kind>.json`` names an HTML file we wrote,
its URL, fetch date and kind (article or listing) and the whole expected
output, compared exactly. The fundus corpus pages are checked against their
expected fields: title, publication time and authors exactly, body by F1 over
4-word shingles (>= 0.99), and the layout version by the crawl date.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import parsers
from parsers.base import Article
from tests.support.corpus_paths import FundusPage, corpus_dir, fundus_pages
from tests.support.textscore import f1, joined, norm

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = ("euronews", "lefigaro", "lemonde", "lesechos")
FIXTURE_FILES = sorted(p for site in SITES for p in (FIXTURES / site).glob("*.json"))

#: Corpus publishers per parser: (country folder, publisher).
CORPUS = {
    "lemonde": [("fr", "LeMonde")],
    "lefigaro": [("fr", "LeFigaro")],
    "lesechos": [("fr", "LesEchos")],
    "euronews": [("fr", "EuronewsFR"), ("uk", "EuronewsEN")],
}
#: Corpus version keys -> our ``parser_version``.
VERSION_KEYS = {"V1": "1", "V1_1": "1.1"}
#: Where we read a page differently from the corpus on purpose: page id -> field -> our value.
#: LeMonde: the corpus takes og:article:author ("Le Monde"); the page's JSON-LD author
#: and its visible byline ("Par Bertrand Bissuel") name the journalist, which we keep.
KNOWN_DIVERGENCES: dict[str, dict[str, Any]] = {
    "LeMonde_2023_09_01": {"authors": ["Bertrand Bissuel"]},
}
MIN_BODY_F1 = 0.99
CORPUS_MISSING = "corpus not found (set NEWSRACK_CORPUS or lay it at ../shared/corpus)"


def _corpus_cases() -> list[Any]:
    if corpus_dir() is None:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=CORPUS_MISSING))]
    cases = []
    for name, publishers in CORPUS.items():
        for country, publisher in publishers:
            for page in fundus_pages(country, publisher):
                cases.append(pytest.param(name, page, id=page.id))
    return cases


def _read(name: str, page: FundusPage) -> Article:
    """As ingest reads a page: the layout version of the crawl date, picked once by the caller."""
    parser = parsers.get(name).for_date(page.crawl_date)
    return parser.parse_article(page.html(), page.url, page.crawl_date)


# --- our fixtures ------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_matches_expected_exactly(path: Path) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    html = (path.parent / spec["html"]).read_bytes()
    fetched_at = datetime.fromisoformat(spec["fetched_at"])
    parser = parsers.get(path.parent.name).for_date(fetched_at)
    read = parser.parse_article if spec["kind"] == "article" else parser.parse_listing
    assert read(html, spec["url"], fetched_at).to_dict() == spec["expected"]


def test_every_site_has_fixtures() -> None:
    for site in SITES:
        kinds = {p.name.split(".")[-2] for p in (FIXTURES / site).glob("*.json")}
        assert kinds == {"article", "listing"}, site


def test_str_and_bytes_read_alike() -> None:
    html = (FIXTURES / "lemonde" / "article.html").read_text(encoding="utf-8")
    url = "https://www.lemonde.fr/x/article/2025/06/02/x_1_2.html"
    parser = parsers.get("lemonde")
    assert parser.parse_article(html, url) == parser.parse_article(html.encode(), url)


# --- registry and versions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.lemonde.fr/politique/article/2023/08/30/x_1_2.html", "lemonde"),
        ("https://www.lefigaro.fr/international/x-20241122", "lefigaro"),
        # Madame Figaro is another CMS: the generic parser reads it, not Le Figaro's
        ("https://madame.lefigaro.fr/style/x-20241122", "generic"),
        ("https://lefigaro.fr/international/x-20241122", "generic"),
        ("https://www.lesechos.fr/monde/x-2108558", "lesechos"),
        ("https://fr.euronews.com/green/2024/04/30/x", "euronews"),
        ("https://www.euronews.com/2024/04/30/x", "euronews"),
        ("https://de.euronews.com/2026/01/06/x", "euronews"),
        ("https://euronews.com/2026/01/06/x", "euronews"),
        ("https://noteuronews.com/2026/01/06/x", "generic"),
    ],
)
def test_for_url_picks_the_site(url: str, name: str) -> None:
    assert parsers.for_url(url).name == name


@pytest.mark.parametrize(
    ("day", "version"),
    [(date(2024, 4, 30), "1"), (date(2024, 12, 31), "1"), (date(2025, 1, 1), "1.1"), (None, "1.1")],
)
def test_euronews_version_by_fetch_date(day: date | None, version: str) -> None:
    assert parsers.get("euronews").for_date(day).version == version


def test_euronews_versions_are_ordered_and_named() -> None:
    versions = parsers.get("euronews").versions()
    assert [v.version for v in versions] == ["1", "1.1"]
    assert all(v.name == "euronews" for v in versions)
    assert versions[-1].valid_until is None


def test_undated_old_page_is_read_by_newest_version_with_fallbacks() -> None:
    """Without a fetch date the newest layout reads a 2024 page, falling back on old sources."""
    spec = json.loads((FIXTURES / "euronews" / "v1_2024.article.json").read_text("utf-8"))
    html = (FIXTURES / "euronews" / "v1_2024.html").read_bytes()
    article = parsers.get("euronews").parse_article(html, spec["url"])
    expected = dict(spec["expected"], parser_version="1.1")
    assert article.to_dict() == expected


def test_parse_article_reads_with_its_own_layout_and_the_caller_picks_the_version() -> None:
    """Version dispatch happens once, in the caller (``for_date``), never again inside."""
    spec = json.loads((FIXTURES / "euronews" / "v1_2024.article.json").read_text("utf-8"))
    html = (FIXTURES / "euronews" / "v1_2024.html").read_bytes()
    fetched = datetime.fromisoformat(spec["fetched_at"])
    site = parsers.get("euronews")
    assert site.parse_article(html, spec["url"], fetched).parser_version == "1.1"
    assert site.for_date(fetched).parse_article(html, spec["url"], fetched).parser_version == "1"


def test_single_version_sites_dispatch_to_themselves() -> None:
    for name in ("lemonde", "lefigaro", "lesechos"):
        parser = parsers.get(name)
        assert parser.for_date(date(2020, 1, 1)) is parser
        assert parser.versions() == (parser,)


def test_missing_lists_empty_health_fields() -> None:
    """A page without byline nor chapeau says so in ``missing``; the rest still reads."""
    html = (FIXTURES / "lesechos" / "article.html").read_text(encoding="utf-8")
    html = html.replace('"author": [', '"contributor": [')
    html = html.replace("<p>Après deux années", "<span>Après deux années")
    article = parsers.get("lesechos").parse_article(html, "https://www.lesechos.fr/a-2150300")
    assert article.authors == ()
    assert article.lead is None
    assert article.missing == ("authors", "lead")


# --- corpus pages ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "page"), _corpus_cases())
def test_corpus_title_published_authors_exact(name: str, page: FundusPage) -> None:
    article = _read(name, page)
    want = page.expected
    override = KNOWN_DIVERGENCES.get(page.id, {})
    assert norm(article.title) == norm(want["title"])
    assert article.published_at == datetime.fromisoformat(want["publishing_date"])
    assert article.published_at is not None and article.published_at.tzinfo is not None
    want_authors = override.get("authors", want["authors"])
    assert [norm(a) for a in article.authors] == [norm(a) for a in want_authors]
    if "authors" in override:  # the divergence is still real: drop the entry when it is not
        assert [norm(a) for a in article.authors] != [norm(a) for a in want["authors"]]


@pytest.mark.parametrize(("name", "page"), _corpus_cases())
def test_corpus_body_f1(name: str, page: FundusPage) -> None:
    article = _read(name, page)
    want = joined(p for s in page.expected["body"]["sections"] for p in s["paragraphs"])
    assert f1(article.body, want) >= MIN_BODY_F1


@pytest.mark.parametrize(("name", "page"), _corpus_cases())
def test_corpus_lead_topics_version_health(name: str, page: FundusPage) -> None:
    article = _read(name, page)
    want = page.expected
    assert norm(article.lead) == norm(" ".join(want["body"]["summary"]))
    assert [norm(t) for t in article.tags] == [norm(t) for t in want["topics"]]
    assert article.parser == name
    assert article.parser_version == VERSION_KEYS[page.version_key]
    assert article.missing == ()
    assert article.updated_at is None or article.updated_at.tzinfo is not None


@pytest.mark.parametrize(("name", "page"), _corpus_cases())
def test_corpus_cover_image(name: str, page: FundusPage) -> None:
    """Our first image is the corpus cover image, in its largest size."""
    article = _read(name, page)
    cover = next(i for i in page.expected["images"] if i["is_cover"])
    largest = max(cover["versions"], key=lambda v: v["size"]["width"] if v["size"] else 0)
    assert article.images, "no image"
    first = article.images[0].url
    stem = largest["url"].rsplit("/", 1)[-1].split("_", 1)[-1].rsplit(".", 1)[0]
    assert stem in first


def test_corpus_lesechos_live_ticker() -> None:
    pages = fundus_pages("fr", "LesEchos")
    if not pages:
        pytest.skip(CORPUS_MISSING)
    page = pages[0]
    listing = parsers.get("lesechos").parse_listing(page.html(), page.url, page.crawl_date)
    assert len(listing.ticker) == 20
    first = listing.ticker[0]
    assert (first.shown_time, first.title) == ("09:05", "La Bourse de Paris ouvre dans le vert")
    # the page shows Paris wall-clock times without an offset: naive, ingest localizes them
    assert first.published_at == datetime(2024, 7, 18, 9, 5)
    assert [t.shown_time for t in listing.ticker[-2:]] == ["07:03", "07:00"]
    assert all(t.url for t in listing.ticker)
    assert page.url not in listing.article_links
    assert all("lesechos.fr/" in url for url in listing.article_links)


@pytest.mark.parametrize(("name", "page"), _corpus_cases())
def test_corpus_listing_links_stay_on_site(name: str, page: FundusPage) -> None:
    parser = parsers.get(name).for_date(page.crawl_date)
    listing = parser.parse_listing(page.html(), page.url, page.crawl_date)
    assert listing.article_links, "no article link found"
    assert all(parsers.for_url(url).name == name for url in listing.article_links)
