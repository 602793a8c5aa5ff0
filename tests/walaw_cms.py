"""Markups F-M of the walaw-like test site, shaped after what real news CMSs emit.

Each function renders one of our stories (``tests/walaw_stories.py``) with the
site-wide ticker the way a CMS family would: a tagDiv/JNews WordPress theme
(logo in an ``h1``, meta-info bars, in-body ads, related posts with dates,
comment forms), a Next.js app (hashed classes, ``__NEXT_DATA__``, a
``<marquee>`` ticker, paragraphs as ``<div>``/``<span>``/``<br>``, an embedded
tweet), a Drupal site (``views-row`` ticker with ``11:07&nbsp;``, title block
outside the node, ``field--name-body`` with an inline "À lire aussi" and a
figure), an English edition (logo ``h1``, headline ``h2``, ``<time>`` ticker,
newsletter box and video inside the body) and an Italian one (``11h07`` after
the title, teaser card inside the body), JNews (K), an old PHP page (L) and a
Bootstrap theme whose title row spans a body column and a sidebar ``<div>``
(M). ``FURNITURE`` lists, per markup, text
that is on the page but is not the article; ``CMS_HOMES`` are front pages
whose teaser cards show dates or relative times (article links, not ticker
items). All sentences are ours.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.walaw_stories import Story, esc

#: Edition (language) of each markup not in French: its host is ``<edition>.walaw.press``.
EDITIONS: dict[str, str] = {"i": "en", "j": "it"}

CAPTION = "Les premiers navires ont accosté au nouveau quai dans la matinée, sous un ciel dégagé."
TWEET = "Inauguration ce matin, en présence des élus de la région et de nombreux habitants."
COMMENT = "Bravo pour ce reportage, j’aimerais lire la suite dans quelques mois, merci."
ABOUT = "Walaw est un média marocain d’information en continu, fondé pour raconter le pays."
NEWSLETTER = "Recevez chaque matin l’essentiel de l’actualité marocaine dans votre boîte mail."
AUTHOR_BIO = "La rédaction suit l’actualité économique et sociale du Royaume, de Tanger à Dakhla."

#: Text each markup shows that must not reach the article's body.
FURNITURE: dict[str, tuple[str, ...]] = {
    "f": (CAPTION, "Publicité", "Crédit photo", COMMENT, ABOUT, AUTHOR_BIO, "Enregistrer mon nom"),
    "g": (CAPTION, TWEET, "Salma B.", "Copier le lien", "Ce site utilise des cookies"),
    "h": (CAPTION, "À lire aussi", "Photo : MAP", COMMENT, "Soumis par", "OK, j’accepte"),
    "i": ("Read also", "morning briefing", "Comments are moderated", "Subscribe", "Most read"),
    "j": ("Leggi anche", "Pubblicità", "Foto di", "Iscriviti", "Commenti"),
    "k": ("Publicité", "À lire aussi", NEWSLETTER, "(Photo : Walaw)", COMMENT, "Partager"),
    "l": ("Dernières infos", "Imprimer", "Envoyer à un ami", COMMENT),
    "m": (ABOUT, "Publié le", "Les plus lus", COMMENT),
}


def _others(story: Story, ticker: tuple[Story, ...], n: int) -> tuple[Story, ...]:
    return tuple(s for s in ticker if s != story)[:n]


def _head(title: str, *extra: str, lang: str = "fr") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>{''.join(extra)}</head>"
    )


def _ld(story: Story, lang: str = "fr") -> str:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Walaw", "url": "https://fr.walaw.press/"},
            {
                "@type": "NewsArticle",
                "headline": story.title,
                "datePublished": "2025-05-09T10:00:00+01:00",
                "inLanguage": lang,
                "author": {"@type": "Person", "name": "Rédaction Walaw"},
            },
        ],
    }
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


# --- F: WordPress, tagDiv "Newspaper" theme ---------------------------------------------------


def _ticker_f(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<div class="td-trending-now-post"><span class="td-trending-now-date">'
        f'{s.time.replace(":", "h")}</span> <a class="td-trending-now-title" '
        f'href="https://fr.walaw.press{s.path}">{esc(s.title)}</a></div>'
        for s in stories
    )
    return (
        '<div class="td-trending-now-wrapper"><div class="td-trending-now-title">Dernière heure'
        f'</div><div class="td-trending-now-display-area">{items}</div></div>'
    )


def _header_f() -> str:
    return (
        '<div class="td-header-wrap"><div class="td-header-top-menu"><div class="td_data_time">'
        'vendredi, mai 9, 2025</div><ul class="top-header-menu"><li><a href="/contact/">Contact'
        '</a></li><li><a href="/publicite/">Publicité</a></li></ul><span class="td-social-icon'
        '-wrap"><a href="https://www.facebook.com/walaw" title="Facebook">Suivez-nous sur '
        'Facebook</a></span></div><div class="td-header-sp-logo"><h1 class="td-logo"><a '
        'class="td-main-logo" href="/"><img src="/wp-content/uploads/logo.png" alt="Walaw">'
        '<span class="td-visual-hidden">Walaw</span></a></h1></div><div id="td-header-menu" '
        'role="navigation"><ul class="sf-menu"><li><a href="/category/politique/">Politique</a>'
        '</li><li><a href="/category/economie/">Économie</a></li></ul></div></div>'
    )


def _module_f(s: Story, when: str) -> str:
    return (
        '<div class="td_module_related_posts"><div class="td-module-thumb"><a href="'
        f'{s.path}" rel="bookmark" class="td-image-wrap" title="{esc(s.title)}"><img '
        'class="entry-thumb" src="/wp-content/uploads/2025/05/t-218x150.jpg" alt=""></a></div>'
        f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{s.path}"'
        f' rel="bookmark">{esc(s.title)}</a></h3><div class="td-module-meta-info"><span '
        'class="td-post-date"><time class="entry-date updated td-module-date" datetime="2025-05-'
        f'09T09:12:44+00:00">{when}</time></span></div></div></div>'
    )


def _footer_f() -> str:
    return (
        '<div class="td-footer-wrapper"><div class="td-sub-footer-copy">© Walaw. Tous droits '
        'réservés.</div></div><div id="cookie-law-info-bar"><span>Ce site utilise des cookies '
        'pour améliorer votre expérience. <a role="button" class="cli_action_button">'
        "Accepter</a></span></div>"
    )


def article_f(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    ad = (
        '<div class="td-a-rec td-a-rec-id-content_inline"><span class="td-adspot-title">- '
        'Publicité -</span><ins class="adsbygoogle" style="display:inline-block" data-ad-slot="1">'
        "</ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>"
    )
    comments = "".join(
        f'<li class="comment"><article><footer><cite><a href="#" class="url">Karim</a></cite>'
        '<a class="comment-link" href="#c"><time datetime="2025-05-09T12:34:00+00:00">9 mai '
        f'2025 à 12 h 34 min</time></a></footer><div class="comment-content"><p>{COMMENT}</p>'
        '</div><div class="comment-meta"><a class="comment-reply-link" href="#">Répondre</a>'
        "</div></article></li>"
        for _ in range(min(story.comments, 2))
    )
    related = "".join(_module_f(s, "9 mai 2025") for s in _others(story, ticker, 3))
    popular = "".join(_module_f(s, "8 mai 2025") for s in _others(story, ticker, 5)[3:])
    return (
        _head(
            f"{story.title} - Walaw",
            f'<meta property="og:title" content="{esc(story.title)} - Walaw">',
            '<meta property="og:site_name" content="Walaw">',
            '<meta property="article:published_time" content="2025-05-09T10:00:00+00:00">',
            _ld(story),
            lang="fr-FR",
        )
        + '<body class="post-template-default single single-post"><div id="td-outer-wrap">'
        + _header_f()
        + _ticker_f(ticker)
        + '<div class="td-main-content-wrap"><div class="td-container"><div class="td-crumb-'
        'container"><span><a class="entry-crumb" href="/">Accueil</a></span> <span><a class='
        '"entry-crumb" href="/category/economie/">Économie</a></span></div><div class="td-pb-'
        'row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-'
        'content"><article class="post type-post status-publish"><div class="td-post-header">'
        '<ul class="td-category"><li class="entry-category"><a href="/category/economie/">'
        'Économie</a></li></ul><header class="td-post-title">'
        f'<h1 class="entry-title">{esc(story.title)}</h1><div class="td-module-meta-info">'
        '<div class="td-post-author-name"><div class="td-author-by">Par</div> <a href="/author/'
        'redaction/">Rédaction Walaw</a><div class="td-author-line"> - </div></div><span '
        'class="td-post-date"><time class="entry-date updated td-module-date" datetime="2025-'
        '05-09T10:00:00+00:00">9 mai 2025</time></span><div class="td-post-comments"><a href='
        f'"#comments"><i class="td-icon-comments"></i>{story.comments}</a></div><div class="td-'
        'post-views"><span>1254</span></div></div></header></div><div class="td-post-sharing-'
        'top"><a class="td-social-sharing-button" href="https://www.facebook.com/sharer.php?u=x">'
        '<div class="td-social-but-text">Partager sur Facebook</div></a><a class="td-social-'
        'sharing-button" href="https://twitter.com/intent/tweet?url=x"><div class="td-social-'
        'but-text">Partager sur X</div></a></div><div class="td-post-content tagdiv-type">'
        '<div class="td-post-featured-image"><figure><a href="/wp-content/uploads/2025/05/'
        'x.jpg"><img src="/wp-content/uploads/2025/05/x-696x464.jpg" alt=""></a><figcaption '
        f'class="wp-caption-text">{CAPTION}</figcaption></figure></div>'
        f"<p><strong>{esc(story.lead)}</strong></p><p>{esc(first)}</p>{ad}"
        + "".join(f"<p>{esc(p)}</p>" for p in rest)
        + '<p><em>Crédit photo : Walaw / DR</em></p></div><footer><div class="td-post-source-'
        'tags"><ul class="td-tags"><li><span>TAGS</span></li><li><a href="/tag/maroc/">Maroc'
        '</a></li></ul></div><div class="author-box-wrap"><a href="/author/redaction/"><img '
        'class="avatar" src="/a.png" alt=""></a><div class="desc"><div class="td-author-name">'
        '<a href="/author/redaction/">Rédaction Walaw</a></div><div class="td-author-'
        f'description">{AUTHOR_BIO}</div></div></div></footer></article>'
        '<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><a '
        'class="td-related-left" href="#">ARTICLES SIMILAIRES</a></h4><div class="td_block_'
        f'inner"><div class="td-related-row">{related}</div></div></div>'
        '<div class="comments" id="comments"><h4 class="td-comments-title block-title"><span>'
        f'Commentaires ({story.comments})</span></h4><ol class="comment-list">{comments}</ol>'
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">LAISSER UN '
        'COMMENTAIRE</h3><form action="/wp-comments-post.php" method="post" class="comment-'
        'form"><textarea name="comment" placeholder="Commentaire :"></textarea><p class="'
        'comment-form-cookies-consent"><input type="checkbox" id="c1"><label for="c1">'
        "Enregistrer mon nom, e-mail et site dans le navigateur pour mon prochain commentaire."
        '</label></p><p class="form-submit"><input type="submit" value="Publier le commentaire">'
        '</p></form></div></div></div></div><div class="td-pb-span4 td-main-sidebar" role='
        '"complementary"><div class="td_block_wrap td_block_7"><h4 class="block-title"><span>'
        f'Les plus lus</span></h4><div class="td_block_inner">{popular}</div></div><aside class='
        '"widget widget_text"><h4 class="block-title"><span>À propos</span></h4><div class='
        f'"textwidget"><p>{ABOUT}</p></div></aside></div></div></div></div>'
        + _footer_f()
        + "</div></body></html>"
    )


def home_f(stories: tuple[Story, ...]) -> str:
    grid = "".join(_module_f(s, f"9 mai 2025 à {s.time}") for s in stories[3:])
    return (
        _head("Walaw - L’actualité du Maroc en continu", lang="fr-FR")
        + f'<body class="home"><div id="td-outer-wrap">{_header_f()}{_ticker_f(stories[:6])}'
        f'<div class="td_block_wrap td_block_big_grid_1"><div class="td_block_inner">{grid}'
        f"</div></div>{_footer_f()}</div></body></html>"
    )


# --- G: a Next.js app ----------------------------------------------------------------------


def _ticker_g(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<span class="Ticker_time__6Tg1p">{s.time}</span><a class="Ticker_link__Q3a9s" '
        f'href="{s.path}"><span class="Ticker_title__Lz0dE">{esc(s.title)}</span></a>'
        '<span class="Ticker_sep__0aQ2x" aria-hidden="true">•</span>'
        for s in stories
    )
    return (
        '<div class="Ticker_ticker__9kLmN"><span class="Ticker_label__w2Q0x">En continu</span>'
        f'<marquee class="Ticker_track__Yy7b1" scrollamount="4">{items}</marquee></div>'
    )


def _header_g() -> str:
    return (
        '<header class="Header_header__3PzQe"><a class="Header_logo__1xY0a" href="/"><svg '
        'viewBox="0 0 10 10"><title>Walaw</title></svg></a><nav class="Header_nav__2h9s4"><a '
        'href="/rubrique/economie"><span>Économie</span></a><a href="/rubrique/societe"><span>'
        'Société</span></a></nav><button class="Header_burger__xA1">Menu</button></header>'
    )


def _card_g(s: Story, ago: str) -> str:
    return (
        f'<a class="Card_card__7fGh2" href="{s.path}"><div class="Card_media__Yu1"><img alt="" '
        'src="/_next/image?url=%2Fx.jpg&amp;w=384&amp;q=75"></div><div class="Card_body__K9s">'
        f'<h3 class="Card_title__Pq2"><span>{esc(s.title)}</span></h3><span class="Card_time__'
        f'Mn4">{ago}</span></div></a>'
    )


def _next_data(story: Story | None, ticker: tuple[Story, ...]) -> str:
    props: dict[str, object] = {"ticker": [{"time": s.time, "title": s.title} for s in ticker]}
    if story is not None:
        props["article"] = {"title": story.title, "lead": story.lead, "body": story.paragraphs}
    data = {"props": {"pageProps": props}, "page": "/articles/[slug]/[id]", "buildId": "x7Yh2"}
    return (
        '<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(data, ensure_ascii=False)}</script>"
    )


def article_g(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    cut = first.index(" ", len(first) // 2)
    popular = "".join(_card_g(s, f"il y a {5 * (i + 1)} min") for i, s in enumerate(ticker[:4]))
    return (
        _head(
            f"{story.title} | Walaw",
            f'<meta property="og:title" content="{esc(story.title)}">',
            f'<meta name="description" content="{esc(story.lead)}">',
            '<link rel="stylesheet" href="/_next/static/css/a1b2.css">',
            '<script src="/_next/static/chunks/webpack-8fa1640cc84ba8fe.js" defer=""></script>',
        )
        + '<body><div id="__next"><div class="Layout_root__Hk2pQ">'
        + _header_g()
        + _ticker_g(ticker)
        + '<main class="Layout_main__rT5Wm"><div class="Article_grid__Bn3xQ"><article class="'
        'Article_article__kM2pX"><div class="Article_kicker__uP1sE"><a href="/rubrique/'
        'economie"><span>Économie</span></a></div><header class="Article_header__a8"><h1 '
        f'class="Article_title__Jc8Hd"><span>{esc(story.title)}</span></h1><div class="Article'
        '_meta__Nn4zX"><div class="Byline_byline__Gt6Pq"><span>Par </span><a href="/auteur/'
        'salma-b"><span>Salma B.</span></a></div><time dateTime="2025-05-09T10:00:00.000Z">'
        "09 mai 2025 à 10:00</time></div></header>"
        f'<div class="Article_standfirst__Zx81e"><span>{esc(story.lead)}</span></div>'
        '<figure class="Media_figure__Ha1Qe"><div class="Media_wrap__2Jq"><img alt="" src="/'
        f'x.jpg"></div><figcaption class="Media_caption__Lm3Zz"><span>{CAPTION}</span> <span '
        'class="Media_credit__8Kd">© Walaw</span></figcaption></figure><div class="ArticleBody_'
        f'body__VxY8a"><div class="ArticleBody_paragraph__3kP1a"><span>{esc(first[:cut])}</span>'
        f" <span>{esc(first[cut + 1 :])}</span></div>"
        '<div class="Embed_tweet__Ue2Xb"><blockquote class="twitter-tweet"><p lang="fr" dir="'
        f'ltr">{TWEET}</p>&mdash; Walaw (@walaw_press) <a href="https://twitter.com/walaw_press'
        '/status/1920800000000000000">May 9, 2025</a></blockquote></div>'
        + (
            '<div class="ArticleBody_paragraph__3kP1a">'
            + "<br><br>".join(esc(p) for p in rest)
            + "</div>"
            if rest
            else ""
        )
        + '</div><div class="Share_share__Pp2Lw"><button aria-label="Partager sur Facebook">'
        '<svg></svg></button><button>Copier le lien</button></div><section class="Comments_'
        'root__Fq0Tj"><button class="Comments_toggle__B2vc1" type="button"><span>Commentaires'
        f"</span> <span>({story.comments})</span></button></section></article>"
        '<aside class="Article_aside__Q8kz0"><h2 class="Aside_title__x">Les plus lus</h2>'
        f"{popular}</aside></div></main>"
        '<footer class="Footer_footer__x"><p>© 2025 Walaw. Tous droits réservés.</p></footer>'
        '<div class="CookieBanner_root__Zt5Kq" role="dialog"><p>Ce site utilise des cookies '
        "pour mesurer l’audience et personnaliser les contenus.</p><button>Tout accepter"
        "</button></div></div></div>" + _next_data(story, ticker) + "</body></html>"
    )


def home_g(stories: tuple[Story, ...]) -> str:
    cards = "".join(
        _card_g(s, f"il y a {5 * (i + 1)} min" if i % 2 else "il y a 2 h")
        for i, s in enumerate(stories[3:])
    )
    return (
        _head("Walaw")
        + f'<body><div id="__next">{_header_g()}{_ticker_g(stories[:6])}<main class="Home_'
        f'main__Z1"><section class="Home_grid__Q2">{cards}</section></main></div>'
        + _next_data(None, stories[:6])
        + "</body></html>"
    )


# --- H: Drupal 10 ---------------------------------------------------------------------------


def _ticker_h(stories: tuple[Story, ...]) -> str:
    rows = "".join(
        '<div class="views-row"><div class="views-field views-field-created"><span class="'
        f'field-content">{s.time}&nbsp;</span></div><div class="views-field views-field-title">'
        f'<span class="field-content"><a href="{s.path}" hreflang="fr">{esc(s.title)}</a>'
        "</span></div></div>"
        for s in stories
    )
    return (
        '<div class="region region-highlighted"><div class="views-element-container block '
        'block-views" id="block-fil-info"><h2>Fil info</h2><div class="view view-fil-info">'
        f'<div class="view-content">{rows}</div></div></div></div>'
    )


def _header_h() -> str:
    return (
        '<a href="#main-content" class="visually-hidden focusable skip-link">Aller au contenu '
        'principal</a><header role="banner"><div class="region region-header"><div class="block '
        'block-system-branding-block"><a href="/" rel="home" class="site-logo"><img src="/'
        'themes/walaw/logo.svg" alt="Accueil"></a><div class="site-name"><a href="/" rel="home">'
        'Walaw</a></div></div></div></header><nav role="navigation" id="block-main-menu"><h2 '
        'class="visually-hidden">Navigation principale</h2><ul class="menu"><li class="menu-'
        'item"><a href="/rubrique/politique">Politique</a></li><li class="menu-item"><a href="/'
        'rubrique/economie">Économie</a></li></ul></nav>'
    )


def _row_h(s: Story, when: str) -> str:
    return (
        '<div class="views-row"><div class="views-field views-field-title"><span class="field-'
        f'content"><a href="{s.path}" hreflang="fr">{esc(s.title)}</a></span></div><div class='
        '"views-field views-field-created"><span class="field-content"><time datetime="2025-05-'
        f'09T09:58:00+01:00">{when}</time></span></div></div>'
    )


def _footer_h() -> str:
    return (
        '<footer role="contentinfo"><div class="region region-footer"><p>© Walaw 2025. Tous '
        'droits réservés.</p></div></footer><div class="eu-cookie-compliance-banner"><div id="'
        'popup-text"><p>Ce site utilise des cookies pour améliorer votre expérience de '
        'navigation.</p></div><button type="button" class="agree-button">OK, j’accepte</button>'
        "</div>"
    )


def article_h(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    other = _others(story, ticker, 1)[0]
    comments = "".join(
        '<article role="article" class="comment js-comment by-anonymous"><span class="hidden" '
        'data-comment-timestamp="1746790000"></span><footer class="comment__meta"><p class="'
        'comment__submitted">Soumis par Youssef (non vérifié) le ven 09/05/2025 - 12:41</p>'
        '</footer><div class="content"><h3><a href="/comment/31#comment-31" class="permalink">'
        'Bonne nouvelle</a></h3><div class="field field--name-comment-body"><p>'
        f"{COMMENT}</p></div></div></article>"
        for _ in range(min(story.comments, 2))
    )
    popular = "".join(_row_h(s, "09/05/2025 - 09:58") for s in _others(story, ticker, 4))
    return (
        _head(
            f"{story.title} | Walaw",
            f'<link rel="canonical" href="https://fr.walaw.press{story.path}">',
            '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">',
        )
        + '<body class="path-node page-node-type-article"><div class="dialog-off-canvas-main-'
        'canvas"><div class="layout-container">'
        + _header_h()
        + _ticker_h(ticker)
        + '<main role="main"><a id="main-content" tabindex="-1"></a><div class="layout-content">'
        '<div class="region region-content"><div id="block-walaw-page-title" class="block '
        'block-page-title-block"><h1 class="page-title"><span class="field field--name-title">'
        f'{esc(story.title)}</span></h1></div><div data-drupal-messages-fallback class="hidden">'
        '</div><div class="block block-system-main-block"><article role="article" class="node '
        'node--type-article node--view-mode-full"><footer class="node__meta"><div class="node__'
        'submitted">Soumis par <span>redaction</span> le <span>ven 09/05/2025 - 10:00</span>'
        '</div></footer><div class="node__content"><div class="clearfix text-formatted field '
        f'field--name-field-chapeau field__item"><p>{esc(story.lead)}</p></div><div class="field '
        'field--name-field-image field__item"><img loading="lazy" src="/sites/default/files/'
        f'x.jpg" alt="{CAPTION}"></div><div class="clearfix text-formatted field field--name-'
        f'body field__item"><p>{esc(first)}</p><p><strong>À lire aussi :</strong> <a href="'
        f'{other.path}">{esc(other.title)}</a></p><figure role="group" class="caption caption-'
        'img"><img src="/sites/default/files/inline-images/y.jpg" alt=""><figcaption>'
        f"{CAPTION}</figcaption></figure>"
        + "".join(f"<p>{esc(p)}</p>" for p in rest)
        + '<p>Photo : MAP</p></div><div class="field field--name-field-tags"><div class="field__'
        'label">Mots-clés</div><div class="field__item"><a href="/taxonomy/term/12">Maroc</a>'
        '</div></div><section class="field field--name-comment comment-wrapper"><h2 class="title'
        f' comment-section-title">Commentaires ({story.comments})</h2>{comments}<h2 class="title'
        ' comment-form__title">Ajouter un commentaire</h2><form class="comment-form"><div class'
        '="form-item"><label>Votre nom</label><input type="text"></div><div class="form-item">'
        '<label>Commentaire</label><textarea></textarea></div><input type="submit" value="'
        'Enregistrer"></form></section></div></article></div></div></div><aside class="layout-'
        'sidebar-second" role="complementary"><div class="views-element-container block"><h2>'
        f'Les plus lus</h2><div class="view-content">{popular}</div></div></aside></main>'
        + _footer_h()
        + "</div></div></body></html>"
    )


def home_h(stories: tuple[Story, ...]) -> str:
    rows = "".join(
        _row_h(s, f"09/05/2025 - {s.time}" if i % 2 else f"Hier à {s.time}")
        for i, s in enumerate(stories[3:])
    )
    return (
        _head("Walaw | L’actualité en continu")
        + f'<body class="path-frontpage"><div class="layout-container">{_header_h()}'
        f'{_ticker_h(stories[:6])}<main role="main"><div class="view view-frontpage"><div '
        f'class="view-content">{rows}</div></div></main>{_footer_h()}</div></body></html>'
    )


# --- I: the English edition; the logo is the h1, the headline an h2 --------------------------


def article_i(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    breaking = "".join(
        f'<li><time datetime="2025-05-09T{s.time}:00+01:00">{s.time}</time> '
        f'<a href="https://en.walaw.press{s.path}">{esc(s.title)}</a></li>'
        for s in ticker
    )
    also = "".join(
        f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in _others(story, ticker, 2)
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
        _head(
            f"{story.title} – Walaw English",
            '<meta property="og:site_name" content="Walaw">',
            f'<meta property="og:title" content="{esc(story.title)}">',
            _ld(story, "en"),
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
            for s in _others(story, ticker, 3)
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
    card = _others(story, ticker, 1)[0]
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
        _head(f"Walaw | {story.title}", lang="it")
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


# --- K: WordPress, JNews theme: the lead is an h2 subtitle, related posts inside the body -----


def article_k(story: Story, ticker: tuple[Story, ...]) -> str:
    first, *rest = story.paragraphs
    items = "".join(
        f'<div class="jeg_news_ticker_item jeg_news_ticker_animated"><a href="{s.path}">'
        f'{esc(s.title)}</a><span class="jeg_news_ticker_date"> {s.time}</span></div>'
        for s in ticker
    )
    inline = "".join(
        f'<div class="jeg_post jeg_pl_sm"><div class="jeg_thumb"><a href="{s.path}"><img src="/t'
        f'.jpg" alt=""></a></div><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
        f'<a href="{s.path}">{esc(s.title)}</a></h3><div class="jeg_post_meta"><div class="jeg_'
        f'meta_date"><a href="{s.path}">9 mai 2025 - {s.time}</a></div></div></div></div>'
        for s in _others(story, ticker, 2)
    )
    return (
        _head(
            f"{story.title} - Walaw",
            f'<meta property="og:title" content="{esc(story.title)}">',
            f'<meta property="og:description" content="{esc(story.lead)}">',
            lang="fr-FR",
        )
        + '<body class="single-post jnews"><div class="jeg_viewport"><div class="jeg_header">'
        '<div class="jeg_logo"><a href="/"><img src="/logo.png" alt="Walaw"></a></div><div '
        'class="jeg_nav_item jeg_main_menu_wrapper"><ul class="jeg_menu"><li><a href="/category/'
        'societe/">Société</a></li></ul></div><div class="jeg_breakingnews"><div class="jeg_'
        'breakingnews_title">À la une</div><div class="jeg_news_ticker"><div class="jeg_news_'
        f'ticker_items">{items}</div></div></div></div><div class="jeg_main"><div class="jeg_'
        'container"><div class="jeg_content jeg_singlepage"><div class="container"><div class="'
        'row"><div class="jeg_main_content col-md-8"><div class="jeg_inner_content"><div class="'
        'jeg_breadcrumbs"><span><a href="/">Accueil</a></span> › <span>Société</span></div><div '
        f'class="entry-header"><h1 class="jeg_post_title">{esc(story.title)}</h1><h2 class="jeg'
        f'_post_subtitle">{esc(story.lead)}</h2><div class="jeg_meta_container"><div class="jeg_'
        'post_meta jeg_post_meta_1"><div class="jeg_meta_author"><span class="meta_text">Par'
        '</span> <a href="/author/salma/">Salma B.</a></div><div class="jeg_meta_date"><a href='
        f'"{story.path}">9 mai 2025</a></div><div class="jeg_meta_comment"><a href="#comments">'
        f'<i class="fa fa-comment-o"></i> {story.comments}</a></div></div></div></div><div class'
        '="jeg_share_top_container"><div class="jeg_share_button"><a href="https://www.facebook'
        '.com/sharer.php?u=x" class="jeg_btn-facebook"><span>Partager</span></a></div></div>'
        '<div class="entry-content no-share"><div class="content-inner">'
        f"<p>{esc(first)}</p>"
        '<div class="jnews_inline_related_post_wrapper"><div class="jnews_inline_related_post">'
        '<div class="jeg_block_heading"><h3 class="jeg_block_title"><span>À lire aussi</span>'
        f'</h3></div><div class="jeg_posts">{inline}</div></div></div>'
        '<div class="jeg_ad jeg_ad_article jnews_content_inline_ads"><div class="ads-wrapper">'
        '<span class="ads-text">Publicité</span><ins class="adsbygoogle"></ins></div></div>'
        + "".join(f"<p>{esc(p)}</p>" for p in rest)
        + '<div class="mc4wp-form"><div class="mc4wp-form-fields"><p>'
        f'{NEWSLETTER}</p><p><input type="email" name="EMAIL" placeholder="Votre e-mail">'
        '<input type="submit" value="Je m’inscris"></p></div></div>'
        "<p>(Photo : Walaw)</p></div></div>"
        '<div class="jeg_post_tags"><span>Tags:</span> <a href="/tag/maroc/">Maroc</a></div>'
        '<div class="jnews_comment_container"><div id="comments" class="comment-wrapper"><h3 '
        f'class="comments-title">Commentaires ({story.comments})</h3><ol class="commentlist">'
        + "".join(
            f'<li class="comment"><div class="comment-body"><p>{COMMENT}</p></div></li>'
            for _ in range(min(story.comments, 2))
        )
        + "</ol></div></div></div></div></div></div></div></div></div>"
        '<div class="jeg_footer"><p>© 2025 Walaw. Tous droits réservés.</p></div></div>'
        "</body></html>"
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
        _head(f"Walaw : {story.title}")
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
        for s in _others(story, ticker, 5)
    )
    return (
        _head(story.title, f'<meta name="description" content="{esc(story.lead)}">')
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


CMS_MARKUPS: dict[str, Callable[[Story, tuple[Story, ...]], str]] = {
    "f": article_f,
    "g": article_g,
    "h": article_h,
    "i": article_i,
    "j": article_j,
    "k": article_k,
    "l": article_l,
    "m": article_m,
}

#: Front pages: ticker of the first six stories, then teaser cards of stories 4.. with
#: a date or a relative time (article links, not ticker items).
CMS_HOMES: dict[str, Callable[[tuple[Story, ...]], str]] = {"f": home_f, "g": home_g, "h": home_h}
#: How many stories the front pages' tickers show.
HOME_TICKER = 6
