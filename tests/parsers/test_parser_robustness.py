"""Every registered parser, fed broken pages, raises nothing but a ParseError naming the URL.

Property-based (hypothesis): pages are our fixtures (and, when present, the
corpus pages) mutated by truncation, deleted tags, shuffled chunks, random
bytes, foreign encodings, mangled numbers (dates at the calendar's ends), or
handed to another site's parser; plus empty and pure-noise input. Both
``parse_article`` and ``parse_listing`` are driven, as ``bytes`` and as
``str``. Hostile pages (``tests.support.hostile_pages``: JSON-LD nested
100,000 deep, ``@id`` lists, dates at year 1 and 9999, lone surrogates, wrong
JSON types) must give a ParseError or a result that is UTF-8 text, JSON-ready
and has every time movable to UTC. Runs are derandomized and examples few so
the suite stays fast and repeatable; ``NEWSRACK_FUZZ_EXAMPLES`` raises the
budget for a deeper hunt.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from parsers.base import Article, Listing, ParseError
from tests.support.corpus_paths import corpus_dir
from tests.support.hostile_pages import HOSTILE_PAGES, URLS, check_output, hostile_page

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED_PAGES: list[bytes] = sorted(p.read_bytes() for p in FIXTURES.glob("*/*.html"))
NAMES = parsers.names()
URL = "https://www.example.org/section/2025/01/02/some-article-123456"
_TAG_RE = re.compile(rb"<[^<>]{0,300}>")

#: Examples per property; raise it for a deeper hunt: ``NEWSRACK_FUZZ_EXAMPLES=2000 pytest ...``.
EXAMPLES = int(os.environ.get("NEWSRACK_FUZZ_EXAMPLES", "40"))
COMMON = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _corpus_pages() -> list[bytes]:
    root = corpus_dir()
    if root is None:
        return []
    import gzip

    return [gzip.decompress(p.read_bytes()) for p in sorted((root / "fundus").glob("fr/*.gz"))]


CORPUS_PAGES = _corpus_pages()


def check(name: str, html: str | bytes, url: str = URL) -> None:
    """Both entry points of parser ``name`` return a usable value or a ParseError naming URL."""
    parser = parsers.get(name)
    for read, kind in ((parser.parse_article, Article), (parser.parse_listing, Listing)):
        try:
            result = read(html, url)
        except ParseError as exc:
            assert exc.url == url and url in str(exc) and exc.field
        else:
            assert isinstance(result, kind)
            check_output(result)


# --- mutations ---------------------------------------------------------------------------


@st.composite
def truncated(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    page = draw(st.sampled_from(pages))
    return page[: draw(st.integers(0, len(page)))]


@st.composite
def tags_deleted(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    page = draw(st.sampled_from(pages))
    spans = [m.span() for m in _TAG_RE.finditer(page)]
    if not spans:
        return page
    doomed = draw(st.sets(st.integers(0, len(spans) - 1), max_size=max(1, len(spans) // 3)))
    out, last = [], 0
    for i, (start, end) in enumerate(spans):
        if i in doomed:
            out.append(page[last:start])
            last = end
    out.append(page[last:])
    return b"".join(out)


@st.composite
def shuffled(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    page = draw(st.sampled_from(pages))
    size = draw(st.integers(16, 4096))
    chunks = [page[i : i + size] for i in range(0, len(page), size)]
    return b"".join(draw(st.permutations(chunks)))


@st.composite
def re_encoded(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    """The page in another encoding than UTF-8, or with invalid bytes spliced in."""
    page = draw(st.sampled_from(pages))
    how = draw(st.sampled_from(["utf-16", "cp1252", "latin-1", "splice"]))
    if how == "splice":
        at = draw(st.integers(0, len(page)))
        junk = draw(st.binary(min_size=1, max_size=64)) + b"\xff\xfe\xc3"
        return page[:at] + junk + page[at:]
    return page.decode("utf-8", "replace").encode(how, "replace")


_DIGITS_RE = re.compile(rb"\d+")


@st.composite
def digits_mangled(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    """Numbers (dates, times, ids) swapped for others, extremes included: 0000, 9999, 99."""
    page = draw(st.sampled_from(pages))
    runs = list(_DIGITS_RE.finditer(page))
    if not runs:
        return page
    chosen = draw(st.sets(st.integers(0, len(runs) - 1), min_size=1, max_size=12))
    replacement = st.one_of(
        st.sampled_from([b"0", b"00", b"0000", b"9999", b"99", b"24", b"60", b"1e9"]),
        st.from_regex(rb"\A\d{1,12}\Z"),
    )
    out, last = [], 0
    for i in sorted(chosen):
        match = runs[i]
        out += [page[last : match.start()], draw(replacement)]
        last = match.end()
    out.append(page[last:])
    return b"".join(out)


@st.composite
def noise(draw: st.DrawFn) -> bytes:
    return draw(
        st.one_of(
            st.just(b""),
            st.sampled_from([b" ", b"\n\t", b"<html></html>", b"<", b"<!--", b"\x00" * 8]),
            st.binary(max_size=2048),
        )
    )


@st.composite
def mutated(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    strategy = draw(
        st.sampled_from([truncated, tags_deleted, shuffled, re_encoded, digits_mangled]),
    )
    return draw(strategy(pages))


# --- properties --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@COMMON
@given(html=mutated(SEED_PAGES))
def test_mutated_fixture_pages(name: str, html: bytes) -> None:
    check(name, html)


@pytest.mark.parametrize("name", NAMES)
@COMMON
@given(html=noise())
def test_noise_and_empty(name: str, html: bytes) -> None:
    check(name, html)


@pytest.mark.parametrize("name", NAMES)
@COMMON
@given(html=mutated(SEED_PAGES))
def test_mutated_pages_as_str(name: str, html: bytes) -> None:
    check(name, html.decode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("page", range(len(SEED_PAGES)))
def test_other_sites_pages(name: str, page: int) -> None:
    """Any parser given any site's intact page (its own or another's) stays within contract."""
    check(name, SEED_PAGES[page])


@pytest.mark.parametrize("name", NAMES)
@settings(
    max_examples=max(4, EXAMPLES // 5), deadline=None, suppress_health_check=list(HealthCheck)
)
@given(data=st.data())
def test_mutated_corpus_pages(name: str, data: st.DataObject) -> None:
    if not CORPUS_PAGES:
        pytest.skip("corpus not found (set NEWSRACK_CORPUS or lay it at ../shared/corpus)")
    check(name, data.draw(mutated(CORPUS_PAGES)))


@pytest.mark.parametrize("name", NAMES)
def test_empty_page_names_url_and_field(name: str) -> None:
    """An empty page is a ParseError (never a crash) that names the URL."""
    for html in (b"", ""):
        with pytest.raises(ParseError) as info:
            parsers.get(name).parse_article(html, URL)
        assert info.value.url == URL


#: Hrefs that ``urllib.parse.urljoin`` refuses with ValueError (bad IPv6 brackets, bad port).
BAD_HREFS_PAGE = b"""<html><head><title>Liens cass\xc3\xa9s</title></head><body><article>
<h1>Une page aux liens cass\xc3\xa9s</h1>
<p>Un paragraphe assez long pour passer pour le corps d'un article, avec quelques mots.</p>
<a href="//[not-an-ip]/2025/01/02/un-article-123456">un</a>
<a href="http://[::1/2025/01/02/deux-articles-123456">deux</a>
<a href="https://www.lemonde.fr:99999/x/article/2025/01/02/x_1_2.html">trois</a>
</article></body></html>"""


@pytest.mark.parametrize("name", NAMES)
def test_bad_hrefs_never_raise(name: str) -> None:
    """Pinned regression: links urllib cannot join are skipped, not raised (both entry points)."""
    parser = parsers.get(name)
    for page_url in (URL, "http://[broken-page-url/"):
        listing = parser.parse_listing(BAD_HREFS_PAGE, page_url)
        assert isinstance(listing, Listing)
        links = [*listing.article_links, *(t.url or "" for t in listing.ticker)]
        assert not any("[" in link or ":99999" in link for link in links)
    with contextlib.suppress(ParseError):
        assert isinstance(parser.parse_article(BAD_HREFS_PAGE, URL), Article)


HIDDEN_ROOT_PAGES = [
    b"<html hidden><body><h1>Un titre</h1><p>Un paragraphe de texte.</p></body></html>",
    b'<html aria-hidden="true"><h1>Un titre</h1><p>Un paragraphe de texte.</p>',
    b"<html role=navigation><h1>Un titre</h1><p>Un paragraphe de texte.</p>",
]


@pytest.mark.parametrize("name", NAMES)
def test_hidden_root_never_raises(name: str) -> None:
    """Pinned regression: ``<html hidden>`` (or aria-hidden, role) must not crash a parser."""
    parser = parsers.get(name)
    for html in HIDDEN_ROOT_PAGES:
        with contextlib.suppress(ParseError):
            parser.parse_article(html, URL)
        parser.parse_listing(html, URL)


# --- hostile pages -----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", sorted(HOSTILE_PAGES))
def test_hostile_page(name: str, case: str) -> None:
    """Pinned: every page that once raised RecursionError, TypeError, OverflowError or leaked
    a surrogate gives a usable result or a ParseError, at a site URL and a generic one."""
    for url in URLS:
        check(name, HOSTILE_PAGES[case], url)
        check(name, HOSTILE_PAGES[case].encode("utf-8", "surrogatepass"), url)


@pytest.mark.parametrize("name", NAMES)
@COMMON
@given(html=hostile_page(), url=st.sampled_from(URLS))
def test_generated_hostile_pages(name: str, html: str, url: str) -> None:
    check(name, html, url)


def test_a_ticker_item_with_a_time_out_of_range_keeps_its_title_and_link() -> None:
    """walaw: ``<time datetime="9999-12-31T23:59:59-05:00">`` drops that time, not the items."""
    page = HOSTILE_PAGES["meta-and-time-date-0"]
    listing = parsers.get("walaw").parse_listing(page, URLS[0])
    assert [(t.shown_time, t.title, t.published_at) for t in listing.ticker] == [
        ("11:07", "Titre du sujet 0", None),
        (
            "10:00",
            "Titre du sujet 1",
            datetime(2025, 5, 9, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("09:15", "Titre du sujet 2", None),
    ]
    assert [t.url for t in listing.ticker] == [
        f"https://fr.walaw.press/articles/sujet-{i}/GMQMMWGMMPM{c}" for i, c in enumerate("ABC")
    ]


@pytest.mark.parametrize("name", NAMES)
def test_surrogates_in_json_ld_never_reach_the_result(name: str) -> None:
    try:
        article = parsers.get(name).parse_article(HOSTILE_PAGES["ld-surrogates"], URL)
    except ParseError:
        return
    text = json.dumps(article.to_dict(), ensure_ascii=False)
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
