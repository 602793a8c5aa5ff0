"""Markups F, G, H and K of the walaw-like test site, shaped after what news CMSs emit.

Each function renders one of our stories (``tests/walaw_stories.py``) with the
site-wide ticker the way a CMS family would: a tagDiv "Newspaper" WordPress
theme (F: logo in an ``h1``, ``11h07`` ticker, meta-info bar, in-body ad,
related posts with dates, comment form), a Next.js app (G: hashed classes,
``__NEXT_DATA__``, a ``<marquee>`` ticker, paragraphs as ``<div>``/``<span>``/
``<br>``, an embedded tweet), a Drupal site (H: ``views-row`` ticker with
``11:07&nbsp;``, title block outside the node, ``field--name-body`` with an
inline "À lire aussi" and a figure) and a JNews WordPress theme (K: the lead as
an ``h2`` subtitle, related posts and a newsletter box inside the body). The
helpers and furniture sentences here are shared with ``tests/walaw_themes.py``.
``FURNITURE`` lists, per markup, text on the page that is not the article;
``CMS_HOMES`` are front pages whose teaser cards show dates or relative times
(article links, not ticker items). All sentences are ours.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.support.walaw_stories import Story, esc

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
    "k": ("Publicité", "À lire aussi", NEWSLETTER, "(Photo : Walaw)", COMMENT, "Partager"),
}


def others(story: Story, ticker: tuple[Story, ...], n: int) -> tuple[Story, ...]:
    return tuple(s for s in ticker if s != story)[:n]


def head(title: str, *extra: str, lang: str = "fr") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>{''.join(extra)}</head>"
    )


def ld_script(story: Story, lang: str = "fr") -> str:
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
    related = "".join(_module_f(s, "9 mai 2025") for s in others(story, ticker, 3))
    popular = "".join(_module_f(s, "8 mai 2025") for s in others(story, ticker, 5)[3:])
    return (
        head(
            f"{story.title} - Walaw",
            f'<meta property="og:title" content="{esc(story.title)} - Walaw">',
            '<meta property="og:site_name" content="Walaw">',
            '<meta property="article:published_time" content="2025-05-09T10:00:00+00:00">',
            ld_script(story),
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
        head("Walaw - L’actualité du Maroc en continu", lang="fr-FR")
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
        head(
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
        head("Walaw")
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
    other = others(story, ticker, 1)[0]
    comments = "".join(
        '<article role="article" class="comment js-comment by-anonymous"><span class="hidden" '
        'data-comment-timestamp="1746790000"></span><footer class="comment__meta"><p class="'
        'comment__submitted">Soumis par Youssef (non vérifié) le ven 09/05/2025 - 12:41</p>'
        '</footer><div class="content"><h3><a href="/comment/31#comment-31" class="permalink">'
        'Bonne nouvelle</a></h3><div class="field field--name-comment-body"><p>'
        f"{COMMENT}</p></div></div></article>"
        for _ in range(min(story.comments, 2))
    )
    popular = "".join(_row_h(s, "09/05/2025 - 09:58") for s in others(story, ticker, 4))
    return (
        head(
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
        head("Walaw | L’actualité en continu")
        + f'<body class="path-frontpage"><div class="layout-container">{_header_h()}'
        f'{_ticker_h(stories[:6])}<main role="main"><div class="view view-frontpage"><div '
        f'class="view-content">{rows}</div></div></main>{_footer_h()}</div></body></html>'
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
        for s in others(story, ticker, 2)
    )
    return (
        head(
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


CMS_MARKUPS: dict[str, Callable[[Story, tuple[Story, ...]], str]] = {
    "f": article_f,
    "g": article_g,
    "h": article_h,
    "k": article_k,
}

#: Front pages: ticker of the first six stories, then teaser cards of stories 4.. with
#: a date or a relative time (article links, not ticker items).
CMS_HOMES: dict[str, Callable[[tuple[Story, ...]], str]] = {"f": home_f, "g": home_g, "h": home_h}
#: How many stories the front pages' tickers show.
HOME_TICKER = 6
