"""Markups I, J, L and M of the walaw-like test site: editions and hand-rolled themes.

The English edition (I: the logo is the ``h1`` and the headline an ``h2``, a
``<time datetime>`` ticker, a "Read also" list, a video and a newsletter box
inside the body, ``Comments (N)``), the Italian one (J: ``11h07`` after the
title inside the link, the ``h1`` in a hero band outside ``<main>``, a teaser
card and an ad inside the body, ``Commenti (N)``, no metadata at all), an old
PHP page (L: a ``dl`` ticker, text in ``<div>``s cut by ``<br>``, no ``<p>``)
and a Bootstrap theme whose title row spans a body column and a sidebar
``<div>`` (M). ``EDITIONS`` gives the language of the non-French markups,
``THEME_FURNITURE`` the text each shows that is not the article. All
sentences are ours.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.support.walaw_cms import ABOUT, COMMENT, head, ld_script, others
from tests.support.walaw_stories import Story, esc

#: Edition (language) of each markup not in French: its host is ``<edition>.walaw.press``.
EDITIONS: dict[str, str] = {"i": "en", "j": "it"}

#: Text each markup shows that must not reach the article's body.
THEME_FURNITURE: dict[str, tuple[str, ...]] = {
    "i": ("Read also", "morning briefing", "Comments are moderated", "Subscribe", "Most read"),
    "j": ("Leggi anche", "Pubblicità", "Foto di", "Iscriviti", "Commenti"),
    "l": ("Dernières infos", "Imprimer", "Envoyer à un ami", COMMENT),
    "m": (ABOUT, "Publié le", "Les plus lus", COMMENT),
}


# --- I: the English edition; the logo is the h1, the headline an h2 --------------------------


def article_i(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    breaking = "".join(
        f'<li><time datetime="2025-05-09T{s.time}:00+01:00">{s.time}</time> '
        f'<a href="https://en.walaw.press{s.path}">{esc(s.title)}</a></li>'
        for s in ticker
    )
    also = "".join(
        f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in others(story, ticker, 2)
    )
    middle = (
        '<div class="video-embed"><iframe src="https://www.youtube-nocookie.com/embed/abc123" '
        'title="YouTube video player" allowfullscreen></iframe></div>'
    )
    newsletter = (
        '<div class="nl-box"><p class="nl-box__title">The morning briefing</p><p>Get the day’s '
        "essential Moroccan news in your inbox every morning, free of charge.</p><form action="
        '"/newsletter" method="post"><input type="email" name="email" placeholder="Your email">'
        '<button type="submit">Subscribe</button></form></div>'
    )
    paragraphs = [f"<p>{esc(p)}</p>" for p in rest]
    paragraphs.insert(min(1, len(paragraphs)), newsletter)
    return (
        head(
            f"{story.title} – Walaw English",
            '<meta property="og:site_name" content="Walaw">',
            f'<meta property="og:title" content="{esc(story.title)}">',
            ld_script(story, "en"),
            lang="en",
        )
        + '<body><header class="site-header"><div class="container"><h1 class="site-title"><a '
        'href="/" title="Walaw">Walaw</a></h1><p class="tagline">Morocco and the world, as it '
        'happens</p></div><nav class="main-nav"><a href="/section/politics">Politics</a> <a '
        'href="/section/economy">Economy</a></nav></header><section class="breaking"><h2 class'
        f'="breaking__label">Breaking</h2><ul class="breaking__list">{breaking}</ul></section>'
        '<div class="container layout"><div class="col-main"><article class="story"><p class="'
        'story__section"><a href="/section/economy">Economy</a></p><h2 class="story__headline">'
        f'{esc(story.title)}</h2><p class="story__byline">By <a rel="author" href="/author/'
        'newsroom">Walaw Newsroom</a> · <time datetime="2025-05-09T10:00:00+01:00">May 9, 2025'
        f'</time></p><div class="story__text"><p class="story__lead">{esc(story.lead)}</p>'
        f'<p>{esc(first)}</p><div class="read-also"><span class="read-also__label">Read also'
        f"</span><ul>{also}</ul></div>{middle}"
        + "".join(paragraphs)
        + '</div><div class="story__share">Share: <a href="https://twitter.com/intent/tweet?url'
        '=x">X</a> <a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a></div>'
        f'<div class="story__comments" id="comments"><h3>Comments ({story.comments})</h3>'
        + "".join(
            f'<div class="comment"><p>{COMMENT}</p></div>' for _ in range(min(story.comments, 1))
        )
        + '<p class="note">Comments are moderated and will appear once approved by our team.</p>'
        '</div></article></div><div class="col-side"><div class="box"><h3>Most read</h3><ul>'
        + "".join(
            f'<li><a href="{s.path}">{esc(s.title)}</a> <span>2 hours ago</span></li>'
            for s in others(story, ticker, 3)
        )
        + "</ul></div></div></div><footer><p>© Walaw. All rights reserved.</p></footer>"
        "</body></html>"
    )


# --- J: the Italian edition; the h1 headline sits in a hero band outside <main> ---------------


def article_j(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    ultim = "".join(
        f'<li><a href="{s.path}">{esc(s.title)} <span class="ora">{s.time.replace(":", "h")}'
        "</span></a></li>"
        for s in ticker
    )
    card = others(story, ticker, 1)[0]
    teaser = (
        '<div class="box-correlati"><span class="etichetta">Leggi anche</span><div class="card">'
        f'<a href="{card.path}"><img src="/t.jpg" alt=""></a><div class="card-testo"><h4><a '
        f'href="{card.path}">{esc(card.title)}</a></h4><p>{esc(card.lead)}</p><span class="data">'
        "09/05/2025</span></div></div></div>"
    )
    ad = (
        '<div class="adv"><small>Pubblicità</small><iframe src="https://ads.example/300x250" '
        'width="300" height="250"></iframe></div>'
    )
    return (
        head(f"Walaw | {story.title}", lang="it")
        + '<body><div class="wrapper"><div class="top"><div class="logo"><a href="/"><img src="'
        '/logo.png" alt="Walaw"></a></div><ul class="menu"><li><a href="/sezione/politica">'
        'Politica</a></li><li><a href="/sezione/economia">Economia</a></li></ul></div><div '
        f'class="ultim-ora"><strong>Ultim’ora</strong><ul>{ultim}</ul></div><header class="hero">'
        f'<img src="/hero.jpg" alt=""><h1>{esc(story.title)}</h1><div class="firma">di Redazione '
        'Walaw, 9 maggio 2025</div></header><main><div class="testo">'
        f"<p>{esc(story.lead)}</p><p>{esc(first)}</p>{teaser}{ad}"
        + "".join(f"<p>{esc(p)}</p>" for p in rest)
        + "<p>Foto di Walaw / Archivio fotografico della redazione</p></div>"
        '<div class="social"><a href="https://www.facebook.com/sharer">Condividi su Facebook</a>'
        f'</div><div class="commenti"><a href="#form">Commenti ({story.comments})</a></div></main>'
        '<div class="sidebar"><div class="newsletter"><p>Iscriviti alla newsletter per ricevere '
        'ogni mattina le notizie più importanti dal Marocco.</p><form><input type="email">'
        "<button>Iscriviti</button></form></div></div><footer><p>© Walaw. Tutti i diritti "
        "riservati.</p></footer></div></body></html>"
    )


# --- L: an older hand-rolled PHP site: a dl ticker, text in divs with br, no <p> ------------


def article_l(story: Story, ticker: tuple[Story, ...]) -> str:
    rows = "".join(
        f'<dt>{s.time}</dt><dd><a href="{s.path}">{esc(s.title)}</a></dd>' for s in ticker
    )
    text = "<br>\n<br>\n".join(
        f'<span style="font-size:14px">{esc(p)}</span>' for p in story.paragraphs
    )
    return (
        head(f"Walaw : {story.title}")
        + '<body><table width="100%"><tr><td><a href="/"><img src="/logo.gif" alt="Walaw">'
        '</a></td><td><a href="/rubrique.php?id=2">Économie</a> | <a href="/rubrique.php?id=3">'
        'Société</a></td></tr></table><div id="gauche"><div class="titre_bloc">Dernières infos'
        f'</div><dl class="fil">{rows}</dl></div><div id="centre"><div class="date">Vendredi 9 '
        f'mai 2025 - 10:00</div><h1 class="titre_art">{esc(story.title)}</h1><div class="outils">'
        '<a href="javascript:print()">Imprimer</a> | <a href="/envoyer.php">Envoyer à un ami</a>'
        f'</div><div class="chapo"><b>{esc(story.lead)}</b></div><div class="texte">{text}</div>'
        f'<div class="reactions"><b>Commentaires ({story.comments})</b><br>'
        + "".join(
            f'<div class="reaction">{COMMENT}<br><i>Karim, 09/05/2025</i></div>'
            for _ in range(min(story.comments, 2))
        )
        + "</div></div></body></html>"
    )


# --- M: a Bootstrap theme; the title row spans the page above the body and a sidebar <div> --


def article_m(story: Story, ticker: tuple[Story, ...]) -> str:
    lines = "".join(
        f'<p class="fil-ligne"><b>{s.time}</b> <a href="{s.path}">{esc(s.title)}</a></p>'
        for s in ticker
    )
    most_read = "".join(
        f'<li class="media"><a href="{s.path}"><img src="/t.jpg" alt=""></a><div class="media-'
        f'body"><a href="{s.path}">{esc(s.title)}</a><small>09/05/2025 {s.time}</small></div>'
        "</li>"
        for s in others(story, ticker, 5)
    )
    return (
        head(story.title, f'<meta name="description" content="{esc(story.lead)}">')
        + '<body><nav class="navbar"><a class="navbar-brand" href="/">Walaw</a><ul class="navbar-'
        'nav"><li><a href="/economie">Économie</a></li></ul></nav><div class="fil-info">'
        f'{lines}</div><div class="container"><div class="row title-row"><div class="col-12">'
        '<span class="badge">Économie</span>'
        f'<h1 class="display-5">{esc(story.title)}</h1><p class="text-muted">Publié le 9 mai '
        '2025 à 10h00.</p></div></div><div class="row"><div class="col-md-8"><p class="lead">'
        f"{esc(story.lead)}</p>"
        + "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
        + '</div><div class="col-md-4"><div class="card"><div class="card-body"><h5>Qui sommes-'
        f'nous ?</h5><p>{ABOUT}</p></div></div><div class="card"><h5 class="card-header">Les '
        f'plus lus</h5><ul class="list-unstyled">{most_read}</ul></div></div></div><div class='
        f'"row"><div class="col-12"><h4>Commentaires ({story.comments})</h4>'
        + "".join(f"<blockquote><p>{COMMENT}</p></blockquote>" for _ in range(story.comments))
        + "</div></div></div></body></html>"
    )


THEME_MARKUPS: dict[str, Callable[[Story, tuple[Story, ...]], str]] = {
    "i": article_i,
    "j": article_j,
    "l": article_l,
    "m": article_m,
}
