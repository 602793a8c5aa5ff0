"""A walaw-like news site of our own, in plausible markups, for parser and crawl tests.

The real markup of fr.walaw.press is unknown (see the corpus README); what is
known is its structure: a site-wide ticker of ``HH:MM`` + title linking to
``/articles/<slug>/<ID>``, one ``h1``, a lead, body paragraphs, a comment
counter, and the usual furniture (navigation, social links, share bar, related
links, newsletter, cookie banner, comments). Markups A-E are hand-made shapes;
F-M (``tests/walaw_cms.py``, ``tests/walaw_themes.py``) imitate what real news
CMSs and themes produce. Each renders the same stories
(``tests/walaw_stories.py``), so a parser keyed on structure must read all of
them alike.
"""

from __future__ import annotations

from tests.support.httpserver import Page, TestServer
from tests.support.walaw_cms import CMS_HOMES, CMS_MARKUPS
from tests.support.walaw_cms import FURNITURE as CMS_FURNITURE
from tests.support.walaw_stories import BOILERPLATE, LATE_STORY, STORIES, Story, esc
from tests.support.walaw_themes import EDITIONS, THEME_FURNITURE, THEME_MARKUPS

__all__ = [
    "BOILERPLATE",
    "CMS_HOMES",
    "EDITIONS",
    "FURNITURE",
    "LATE_STORY",
    "MARKUPS",
    "STORIES",
    "Story",
    "article_a",
    "home_a",
    "site_routes",
]


# --- markup A: a list ticker with a time span, article in <article>, classes everywhere ------


def _ticker_a(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<li class="ticker-item"><span class="hour">{s.time}</span>'
        f'<a href="{s.path}">{esc(s.title)}</a></li>'
        for s in stories
    )
    return f'<div class="latest-news"><ul>{items}</ul></div>'


def _chrome_top_a() -> str:
    return (
        '<header><a class="logo" href="/"><img src="/logo.png" alt="Walaw"></a>'
        '<nav><a href="/categorie/politique">Politique</a><a href="/categorie/economie">'
        'Économie</a><a href="/categorie/sport">Sport</a></nav></header>'
        '<div class="social"><a href="https://facebook.com/x">Suivez-nous sur Facebook</a></div>'
    )


def _chrome_bottom_a() -> str:
    return (
        '<div class="newsletter"><p>Inscrivez-vous à notre newsletter pour recevoir '
        "l’essentiel de l’actualité chaque matin.</p></div>"
        '<div id="cookie-banner"><p>Ce site utilise des cookies pour mesurer son audience et '
        "améliorer votre expérience de lecture.</p></div>"
        "<footer><p>© Walaw. Tous droits réservés. Mentions légales et conditions "
        "d’utilisation du site.</p></footer>"
    )


def home_a(stories: tuple[Story, ...]) -> str:
    teasers = "".join(
        f'<div class="card"><a href="{s.path}"><img src="/img/{s.ident}.jpg" alt=""></a>'
        f'<h3><a href="{s.path}">{esc(s.title)}</a></h3><p>{esc(s.lead)}</p></div>'
        for s in stories[:4]
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Walaw</title></head>'
        f"<body>{_ticker_a(stories)}{_chrome_top_a()}<main>{teasers}</main>"
        f"{_chrome_bottom_a()}</body></html>"
    )


def article_a(story: Story, ticker: tuple[Story, ...], related: tuple[Story, ...] = ()) -> str:
    related = related or tuple(s for s in ticker if s != story)[:2]
    body = "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
    comments = "".join(
        f'<li class="comment"><p>Un lecteur attentif a laissé ce commentaire numéro {i + 1} '
        "sous l’article, pour dire ce qu’il en pensait.</p></li>"
        for i in range(min(story.comments, 2))
    )
    related_links = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in related)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(story.title)} - Walaw</title>"
        f'<meta property="og:title" content="{esc(story.title)}">'
        f'<meta property="og:url" content="https://fr.walaw.press{story.path}">'
        f'<meta name="description" content="{esc(story.lead)}"></head><body>'
        f"{_ticker_a(ticker)}{_chrome_top_a()}"
        '<div class="container"><article class="post">'
        f'<h1 class="post-title">{esc(story.title)}</h1>'
        '<div class="share-bar"><a href="#">Partager sur X</a><a href="#">Partager sur '
        "Facebook</a></div>"
        f'<div class="post-content"><p>{esc(story.lead)}</p>{body}</div>'
        f'<div class="related"><h4>À lire aussi</h4><ul>{related_links}</ul></div>'
        f'<section class="comments"><h4>Commentaires ({story.comments})</h4><ul>{comments}</ul>'
        "</section></article></div>"
        f"{_chrome_bottom_a()}</body></html>"
    )


# --- markup B: glued time inside the link (as the seed's text shows), divs without hints ----


def _ticker_b(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<div><a href="https://fr.walaw.press{s.path}"><span>{s.time}</span>{esc(s.title)}</a>'
        "</div>"
        for s in stories
    )
    return f'<div class="x1">{items}</div>'


def article_b(story: Story, ticker: tuple[Story, ...]) -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
    others = tuple(s for s in ticker if s != story)[:3]
    related = "".join(
        f'<div class="x9"><a href="{s.path}"><img src="/i.jpg" alt=""></a>'
        f'<a href="{s.path}">{esc(s.title)}</a></div>'
        for s in others
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(story.title)}</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "headline": "{esc(story.title)}", '
        '"datePublished": "2025-05-09T10:00:00+01:00", '
        '"author": {"@type": "Person", "name": "Rédaction Walaw"}}</script></head><body>'
        f'<div class="x0">{_ticker_b(ticker)}</div>'
        '<div class="x2"><a href="/">Accueil</a> <a href="/fr/economie">Économie</a></div>'
        '<div class="x3"><p>Suivez-nous sur Facebook</p></div>'
        '<div class="x4"><div class="x5">'
        f"<h1>{esc(story.title)}</h1>"
        f'<div class="x6"><p><strong>{esc(story.lead)}</strong></p>{body}</div>'
        f'<div class="x7"><span>Commentaires ({story.comments})</span></div>'
        "</div>"
        f'<div class="x8"><p>À lire aussi</p>{related}</div></div>'
        '<div class="x10"><p>Ce site utilise des cookies pour mesurer son audience et '
        "améliorer votre expérience de lecture.</p><button>Accepter</button></div>"
        "</body></html>"
    )


# --- markup C: a table ticker with <time>, the main column a <section> ----------------------


def article_c(story: Story, ticker: tuple[Story, ...]) -> str:
    rows = "".join(
        f'<tr><td><time datetime="{s.time}">{s.time}</time></td>'
        f'<td><a href="{s.path}" title="{esc(s.title)}">{esc(s.title)}</a></td></tr>'
        for s in ticker
    )
    body = "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(story.title)}</title></head><body>"
        f'<aside id="fil"><table>{rows}</table></aside>'
        f'<div id="page"><section id="main-col"><h1>{esc(story.title)}</h1>'
        f'<p class="chapo">{esc(story.lead)}</p>{body}'
        '<p><a href="https://www.facebook.com/sharer">Partager</a></p>'
        f'<div id="comment-count">Commentaires ({story.comments})</div></section>'
        '<section id="side"><h3>Newsletter</h3><p>Inscrivez-vous à notre newsletter pour '
        "recevoir l’essentiel de l’actualité chaque matin.</p></section></div></body></html>"
    )


# --- markup D: a flat ticker (time, link, time, link...), text in <div> with <br> breaks ------


def article_d(story: Story, ticker: tuple[Story, ...]) -> str:
    flat = "".join(
        f'<span class="h">{s.time}</span> <a href="{s.path}">{esc(s.title)}</a> ' for s in ticker
    )
    text = "<br><br>".join(esc(p) for p in (story.lead, *story.paragraphs))
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{esc(story.title)} | Walaw</title></head><body>"
        f'<div class="defil">{flat}</div>'
        '<table><tr><td><a href="/">Accueil</a> | <a href="/contact">Contact</a></td></tr></table>'
        f'<div class="titre"><h1>{esc(story.title)}</h1></div>'
        f'<div class="txt">{text}</div>'
        f'<div class="bas"><a href="#c">Commentaires ({story.comments})</a></div>'
        "</body></html>"
    )


# --- markup E: block links holding the title then the time; a React-style wrapper soup ------


def article_e(story: Story, ticker: tuple[Story, ...]) -> str:
    items = "".join(
        f'<a class="css-1x" href="{s.path}"><h3 class="css-2y">{esc(s.title)}</h3>'
        f'<small class="css-3z">{s.time}</small></a>'
        for s in ticker
    )
    body = "".join(f'<p class="css-p">{esc(p)}</p>' for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f'<meta property="og:title" content="{esc(story.title)}"></head><body><div id="__next">'
        f'<div class="css-a"><div class="css-b">{items}</div></div>'
        '<div class="css-c"><div class="css-d"><div class="css-e">'
        f'<h1 class="css-h">{esc(story.title)}</h1><div class="css-f">'
        f'<p class="css-p"><b>{esc(story.lead)}</b></p>{body}</div>'
        f'<div class="css-g"><h2>Commentaires ({story.comments})</h2>'
        "<form><textarea></textarea><button>Envoyer</button></form></div>"
        "</div></div></div></div></body></html>"
    )


MARKUPS = {
    "a": article_a,
    "b": article_b,
    "c": article_c,
    "d": article_d,
    "e": article_e,
    **CMS_MARKUPS,
    **THEME_MARKUPS,
}
#: Text each markup F-M shows that must not reach the article's body.
FURNITURE = {**CMS_FURNITURE, **THEME_FURNITURE}


def site_routes(stories: tuple[Story, ...], markup: str = "a") -> dict[str, str]:
    """Path -> HTML of a whole site in one markup: the home page and every article.

    Markups without a front page of their own (see ``CMS_HOMES``) use markup A's.
    """
    home = CMS_HOMES.get(markup, home_a)
    routes = {"/": home(stories)}
    for story in stories:
        routes[story.path] = MARKUPS[markup](story, stories)
    return routes


def serve(server: TestServer, stories: tuple[Story, ...]) -> None:
    """Put the site's pages for ``stories`` (markup a) on a running loopback server."""
    for path, html in site_routes(stories).items():
        server.routes[path] = Page(html)
