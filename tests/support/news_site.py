"""A loopback news site that lists its articles on its front page, in an RSS feed and in sitemaps.

One hundred articles (``/2025/05/article-NNN``, read by the generic parser),
newest first; the even ones print their publication time, the odd ones none (so
the time given by a feed or sitemap must fill it). The front page links 0-4 and
declares the feed; the feed lists 0-29, the Google News sitemap 10-49, the
monthly gzip sitemap 40-99; robots.txt names the sitemap index, which names the
news sitemap (changed an hour ago) and the monthly one (two months ago). Every
document carries an ETag and answers 304 to a request that sends it back.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

from tests.support.faults import answer
from tests.support.httpserver import Handler, Page, TestServer

FRONT = range(0, 5)
FEED = range(0, 30)
NEWS = range(10, 50)
MONTHLY = range(40, 100)
ALL = range(0, 100)


@dataclass(frozen=True)
class NewsSite:
    """What the site serves, and when each article was (say the feed and sitemaps) published."""

    base: str
    now: datetime

    def path(self, i: int) -> str:
        return f"/2025/05/article-{i:03d}"

    def url(self, i: int) -> str:
        return self.base + self.path(i)

    def title(self, i: int) -> str:
        return f"Le conseil régional adopte la mesure numéro {i} après un long débat"

    def published(self, i: int) -> datetime:
        """The time every listing gives for article ``i`` (UTC, whole seconds)."""
        if i in MONTHLY and i not in NEWS:
            return (self.now - timedelta(days=60, minutes=i)).replace(microsecond=0)
        return (self.now - timedelta(minutes=10 * i)).replace(microsecond=0)


def _validated(page: Page, etag: str) -> Handler:
    """``page`` with an ETag, or 304 when the request sends that ETag back."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        if request.headers.get("If-None-Match") == etag:
            answer(request, Page(b"", 304, {"ETag": etag}))
            return
        answer(request, Page(page.body, page.status, {**page.headers, "ETag": etag}))

    return handle


def _article(site: NewsSite, i: int) -> str:
    stamp = ""
    if i % 2 == 0:
        when = site.published(i).isoformat()
        stamp = f'<meta property="article:published_time" content="{when}">'
    paragraphs = "".join(
        f"<p>Paragraphe {n} de l’article {i} : les élus ont discuté longuement du budget, des "
        "délais et des conséquences pour les habitants de la région, avant de voter.</p>"
        for n in range(1, 4)
    )
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{site.title(i)}</title>'
        f'<meta property="og:title" content="{site.title(i)}">{stamp}</head><body>'
        f"<article><h1>{site.title(i)}</h1>{paragraphs}</article></body></html>"
    )


def _front(site: NewsSite) -> str:
    links = "".join(f'<li><a href="{site.path(i)}">{site.title(i)}</a></li>' for i in FRONT)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actualités</title>'
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">'
        f"</head><body><ul>{links}</ul></body></html>"
    )


def _rss(site: NewsSite) -> str:
    items = "".join(
        f"<item><title>{escape(site.title(i))}</title><link>{site.url(i)}</link>"
        f"<pubDate>{site.published(i).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for i in FEED
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Actualités</title><link>{site.base}/</link>{items}</channel></rss>"
    )


def _news_sitemap(site: NewsSite) -> str:
    urls = "".join(
        f"<url><loc>{site.url(i)}</loc><news:news><news:publication><news:name>Actualités"
        "</news:name><news:language>fr</news:language></news:publication>"
        f"<news:publication_date>{site.published(i).isoformat()}</news:publication_date>"
        f"<news:title>{escape(site.title(i))}</news:title></news:news></url>"
        for i in NEWS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def _monthly(site: NewsSite) -> bytes:
    urls = "".join(
        f"<url><loc>{site.url(i)}</loc><lastmod>{site.published(i).isoformat()}</lastmod></url>"
        for i in MONTHLY
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    return gzip.compress(xml.encode("utf-8"))


def _index(site: NewsSite) -> str:
    recent = (site.now - timedelta(hours=1)).isoformat()
    old = (site.now - timedelta(days=60)).date().isoformat()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/news-sitemap.xml</loc><lastmod>{recent}</lastmod></sitemap>"
        f"<sitemap><loc>{site.base}/sitemaps/2025-03.xml.gz</loc><lastmod>{old}</lastmod>"
        "</sitemap></sitemapindex>"
    )


def serve_news_site(server: TestServer) -> NewsSite:
    """Put the whole site on ``server``; the listings' times are relative to now."""
    site = NewsSite(server.base, datetime.now(UTC))
    xml = {"Content-Type": "application/xml"}
    documents: dict[str, Page] = {
        "/": Page(_front(site)),
        "/robots.txt": Page(
            f"User-agent: *\nAllow: /\nSitemap: {site.base}/sitemap_index.xml\n",
            headers={"Content-Type": "text/plain"},
        ),
        "/feed.xml": Page(_rss(site), headers={"Content-Type": "application/rss+xml"}),
        "/sitemap_index.xml": Page(_index(site), headers=xml),
        "/news-sitemap.xml": Page(_news_sitemap(site), headers=xml),
        "/sitemaps/2025-03.xml.gz": Page(
            _monthly(site), headers={"Content-Type": "application/gzip"}
        ),
    }
    for i in ALL:
        documents[site.path(i)] = Page(_article(site, i))
    for path, page in documents.items():
        server.routes[path] = _validated(page, f'"{abs(hash(path)):x}"')
    return site
