"""Cheap link handling answers as ``urllib.parse.urljoin`` does, and skips only what cannot matter.

``parsers.links.join_url`` takes fast paths for absolute, root-relative and
protocol-relative hrefs; these properties compare it with ``urljoin`` on hrefs
built from the pieces that make URLs tricky (dot segments, ports, brackets,
tabs, case). The walaw resolver and the generic listing skip hrefs that cannot
lead to an article before resolving them: for the same hrefs they must find
exactly what resolving every one finds. ``extract.clean`` (content hashes
depend on it) must stay the regex it replaced.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

import parsers
from parsers.extract import clean
from parsers.links import absolute_url, join_url, origin, split_plain
from parsers.walaw import ARTICLE_PATH_RE, ArticleLinks, is_article_url

BASES = (
    "https://fr.walaw.press/",
    "https://fr.walaw.press/articles/un-sujet/GMQMMWGMMPMW",
    "https://fr.walaw.press/fr/rubrique/page?x=1#top",
    "http://Example.ORG:8080/a/b/c",
    "https://[::1]/a/",
    "https://www.example.org/section/2025/01/02/some-article-123456",
)
_PIECES = st.sampled_from(
    [
        "/",
        "//",
        "http://",
        "HTTPS://",
        "https://",
        "../",
        "./",
        ".",
        "?",
        "#",
        ":",
        "@",
        "[",
        "]",
        "::1",
        "99999",
        "80",
        "\t",
        "\n",
        " ",
        "articles/",
        "/articles/",
        "un-sujet",
        "GMQMMWGMMPMW",
        "walaw.press",
        "fr.walaw.press",
        "x",
        "2025",
        "é",
        "javascript:",
        "mailto:",
    ]
)
HREFS = st.lists(_PIECES, max_size=8).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, derandomize=True)


def reference_join(base: str, href: str) -> str | None:
    """The plain way: ``urljoin`` for every href, None where urllib refuses it."""
    try:
        joined = urljoin(base, href.strip())
        urlsplit(joined).port  # noqa: B018
    except ValueError:
        return None
    return joined


def reference_link(base: str, href: str) -> str | None:
    """Where a link leads: nowhere for an empty href or a bare ``#fragment`` (the page
    itself, not a link to follow), else ``reference_join``."""
    if not href.strip() or href.strip().startswith("#"):
        return None
    return reference_join(base, href)


@SETTINGS
@given(base=st.sampled_from(BASES), href=HREFS)
def test_join_url_answers_as_urljoin(base: str, href: str) -> None:
    assert join_url(base, href) == reference_join(base, href)
    assert join_url(base, href, origin(base)) == reference_join(base, href)


@SETTINGS
@given(base=st.sampled_from(BASES), href=HREFS)
def test_absolute_url_is_http_or_none(base: str, href: str) -> None:
    url = absolute_url(base, href)
    assert url is None or url.lower().startswith(("http://", "https://"))


@SETTINGS
@given(url=st.sampled_from(BASES) | HREFS.map(lambda h: "https://fr.walaw.press" + h))
def test_split_plain_agrees_with_urlsplit(url: str) -> None:
    split = split_plain(url)
    if split is not None:
        parts = urlsplit(url)
        assert split == ((parts.hostname or "").rstrip("."), parts.path)


@SETTINGS
@given(base=st.sampled_from(BASES), href=HREFS)
def test_walaw_resolver_skips_only_hrefs_that_cannot_be_articles(base: str, href: str) -> None:
    joined = reference_link(base, href)
    expected = None
    if joined is not None:
        joined = joined.split("#")[0]
        expected = joined if is_article_url(joined, base) else None
    assert ArticleLinks(base).resolve(href) == expected


@SETTINGS
@given(base=st.sampled_from(BASES), hrefs=st.lists(HREFS, max_size=6))
def test_listings_find_what_resolving_every_href_finds(base: str, hrefs: list[str]) -> None:
    anchors = "".join(
        f'<a href="{h.replace(chr(34), "")}">lien {i}</a>' for i, h in enumerate(hrefs)
    )
    html = f"<html><body><div>{anchors}</div></body></html>"
    found = parsers.get("walaw").parse_listing(html, base).article_links
    expected = []
    for href in hrefs:
        joined = reference_link(base, href.replace('"', ""))
        joined = joined.split("#")[0] if joined else None
        if joined and joined != base.split("#")[0] and is_article_url(joined, base):
            expected.append(joined)
    assert found == tuple(dict.fromkeys(expected))


def test_walaw_article_path_is_the_documented_shape() -> None:
    assert ARTICLE_PATH_RE.match("/articles/un-sujet/GMQMMWGMMPMW")
    assert not ARTICLE_PATH_RE.match("/rubrique/un-sujet/GMQMMWGMMPMW")


_SPACE_RE = re.compile(r"\s+")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
TEXT = st.text(
    alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b\u00adaé’")),
    max_size=30,
)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(text=TEXT | st.text(max_size=30))
def test_clean_is_the_whitespace_regex_it_replaced(text: str) -> None:
    assert clean(text) == _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text)).strip()
