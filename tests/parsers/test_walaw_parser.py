"""The walaw parser reads every plausible markup of the same content alike (A-E, then F-M CMS-like).

Each markup renders our own stories with the site-wide ticker and furniture;
the parser must give back exactly the story's headline, lead, paragraphs and
comment count, the ticker's times, titles and URLs, and on front pages the
teaser links (dated or relative, so not ticker items) as article links.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import parsers
from parsers.base import ParseError, Section
from tests.support.walaw_cms import HOME_TICKER
from tests.support.walaw_site import (
    BOILERPLATE,
    CMS_HOMES,
    EDITIONS,
    FURNITURE,
    MARKUPS,
    STORIES,
    home_a,
)

BASE = "https://fr.walaw.press"
PARSER = parsers.get("walaw")
PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize("markup", sorted(MARKUPS))
@pytest.mark.parametrize("story", [STORIES[0], STORIES[3], STORIES[7]], ids=lambda s: s.ident)
def test_article_fields_are_exact_in_every_markup(markup: str, story) -> None:
    base = _base(markup)
    html = MARKUPS[markup](story, STORIES)
    article = PARSER.parse_article(html, base + story.path)
    assert article.title == story.title
    assert article.lead == story.lead
    assert article.paragraphs == story.paragraphs
    assert [p for s in article.sections for p in s.paragraphs] == list(story.paragraphs)
    assert article.comment_count == story.comments
    assert article.language == EDITIONS.get(markup, "fr")
    assert article.parser == "walaw"
    for furniture in (*BOILERPLATE, *FURNITURE.get(markup, ())):
        assert furniture not in article.body
        assert furniture not in (article.lead or "")
    for other in STORIES:
        if other is not story:
            assert other.title not in article.body


@pytest.mark.parametrize("markup", sorted(MARKUPS))
def test_article_page_carries_the_whole_ticker(markup: str) -> None:
    story = STORIES[2]
    base = _base(markup)
    listing = PARSER.parse_listing(MARKUPS[markup](story, STORIES), base + story.path)
    assert [(t.shown_time, t.title, t.url) for t in listing.ticker] == [
        (s.time, s.title, base + s.path) for s in STORIES
    ]
    assert base + story.path not in listing.article_links


@pytest.mark.parametrize("home", sorted(CMS_HOMES))
def test_front_page_teasers_with_a_date_are_article_links_not_ticker_items(home: str) -> None:
    listing = PARSER.parse_listing(CMS_HOMES[home](STORIES), BASE + "/")
    shown = STORIES[:HOME_TICKER]
    assert [(t.shown_time, t.title, t.url) for t in listing.ticker] == [
        (s.time, s.title, BASE + s.path) for s in shown
    ]
    assert listing.article_links == tuple(BASE + s.path for s in STORIES[HOME_TICKER:])


def _base(markup: str) -> str:
    return f"https://{EDITIONS.get(markup, 'fr')}.walaw.press"


def test_home_page_ticker_and_links() -> None:
    listing = PARSER.parse_listing(home_a(STORIES), "http://127.0.0.1:8000/")
    assert len(listing.ticker) == len(STORIES)
    assert listing.ticker[0].shown_time == "12:00"
    assert listing.ticker[0].url == "http://127.0.0.1:8000" + STORIES[0].path
    # teasers link to articles already in the ticker: not repeated as article links
    assert listing.article_links == ()


def test_links_without_a_time_are_article_links_not_ticker_items() -> None:
    html = (
        "<html><body><ul>"
        '<li><span>09:15</span><a href="/articles/un_titre/GMQMMWGMMPMW">Un titre</a></li>'
        '</ul><div><h3><a href="/articles/autre_sujet/FLPQRSWXGMLP">Autre sujet du jour</a>'
        "</h3><p>Publié le 09/05/2025 11:07</p></div>"
        '<div><a href="/articles/troisieme/SSRRQQPPMMGG">Troisième titre 2 min</a></div>'
        "</body></html>"
    )
    listing = PARSER.parse_listing(html, BASE + "/")
    assert [(t.shown_time, t.title) for t in listing.ticker] == [("09:15", "Un titre")]
    assert listing.article_links == (
        BASE + "/articles/autre_sujet/FLPQRSWXGMLP",
        BASE + "/articles/troisieme/SSRRQQPPMMGG",
    )


def test_glued_time_in_link_text_is_split_from_the_title() -> None:
    html = '<div><a href="/articles/x/GMQMMWGMMPMW">11:07Crise : une réunion</a></div>'
    listing = PARSER.parse_listing(html, BASE + "/")
    assert listing.ticker[0].shown_time == "11:07"
    assert listing.ticker[0].title == "Crise : une réunion"


@pytest.mark.parametrize(
    ("html", "field"),
    [("", "html"), ("<html><body><h1>Titre seul</h1></body></html>", "body")],
)
def test_unreadable_pages_raise_parse_error_naming_the_field(html: str, field: str) -> None:
    with pytest.raises(ParseError) as caught:
        PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert caught.value.field == field
    assert BASE in str(caught.value)


def test_registry_picks_walaw_for_every_edition_and_generic_elsewhere() -> None:
    for host in ("fr.walaw.press", "en.walaw.press", "it.walaw.press", "walaw.press"):
        assert parsers.for_url(f"https://{host}/articles/a/GMQMMWGMMPMW").name == "walaw"
    assert parsers.for_url("https://example.org/a").name == "generic"
    assert parsers.for_url("https://notwalaw.press/").name == "generic"


# --- the ticker's time formats, and dated teasers that are not ticker items ------------------

_LINK = '<a href="/articles/un_sujet/GMQMMWGMMPMW">Le conseil adopte le budget de la ville</a>'


@pytest.mark.parametrize(
    "item",
    [
        f"<li><span>11h07</span>{_LINK}</li>",
        f"<li><span>11:07&nbsp;</span> {_LINK}</li>",
        f'<li><time datetime="2025-05-09T11:07:00+01:00">11:07</time> {_LINK}</li>',
        f"<li>{_LINK} <em>(11:07)</em></li>",
        f"<dl><dt>11:07</dt><dd>{_LINK}</dd></dl>",
        f"<marquee><span>11:07</span>{_LINK}<span>•</span></marquee>",
        '<div><a href="/articles/un_sujet/GMQMMWGMMPMW"><div><span>11:07</span></div>'
        "<div><span>Le conseil adopte le budget de la ville</span></div></a></div>",
    ],
    ids=["h", "nbsp", "time", "trailing", "dl", "marquee", "nested"],
)
def test_every_shape_of_ticker_time_gives_the_same_item(item: str) -> None:
    listing = PARSER.parse_listing(f"<html><body>{item}</body></html>", BASE + "/")
    assert [(t.shown_time, t.title, t.url) for t in listing.ticker] == [
        (
            "11:07",
            "Le conseil adopte le budget de la ville",
            BASE + "/articles/un_sujet/GMQMMWGMMPMW",
        )
    ]
    assert listing.article_links == ()


def test_a_flat_ticker_with_separators_between_time_and_link() -> None:
    html = (
        f"<html><body><div><span>11:07</span> - {_LINK} <span>10:55</span> – "
        '<a href="/articles/autre/FLPQRSWXGMLP">Un autre titre</a></div></body></html>'
    )
    listing = PARSER.parse_listing(html, BASE + "/")
    assert [(t.shown_time, t.title) for t in listing.ticker] == [
        ("11:07", "Le conseil adopte le budget de la ville"),
        ("10:55", "Un autre titre"),
    ]


@pytest.mark.parametrize(
    "when",
    ["09/05/2025 11:07", "9 mai 2025 à 11:07", "Hier à 11:07", "May 9, 11:07", "il y a 5 min"],
)
def test_a_teaser_showing_a_date_or_a_relative_time_is_an_article_link(when: str) -> None:
    html = f'<html><body><div class="card"><h3>{_LINK}</h3><span>{when}</span></div></body></html>'
    listing = PARSER.parse_listing(html, BASE + "/")
    assert listing.ticker == ()
    assert listing.article_links == (BASE + "/articles/un_sujet/GMQMMWGMMPMW",)


def test_a_month_in_a_glued_ticker_title_does_not_hide_the_time() -> None:
    html = (
        '<div><a href="/articles/x/GMQMMWGMMPMW">11:07Le salon du livre ouvre en mai 2026</a></div>'
    )
    [item] = PARSER.parse_listing(html, BASE + "/").ticker
    assert (item.shown_time, item.title) == ("11:07", "Le salon du livre ouvre en mai 2026")


def test_ticker_time_elements_give_full_timestamps_but_not_the_article_date() -> None:
    story = STORIES[0]
    html = MARKUPS["i"](story, STORIES)
    listing = PARSER.parse_listing(html, "https://en.walaw.press" + story.path)
    assert listing.ticker[0].published_at == datetime(2025, 5, 9, 12, 0, tzinfo=PLUS_ONE)
    article = PARSER.parse_article(html.encode(), "https://en.walaw.press" + story.path)
    assert article.published_at == datetime(2025, 5, 9, 10, 0, tzinfo=PLUS_ONE)


# --- the headline -------------------------------------------------------------------------

_BODY = (
    "<p>Le conseil municipal a voté le budget après une longue séance.</p>"
    "<p>Les élus de l’opposition ont demandé plus de moyens pour les écoles.</p>"
)


_HOME_IMG = '<a href="https://fr.walaw.press/"><img src="/l.png" alt="Walaw"></a>'
_OG = '<head><meta property="og:title" content="Un budget voté - Walaw"></head>'
_LONG_TITLE = "<head><title>UN BUDGET VOTÉ | Walaw, l'actualité du Maroc en continu</title></head>"


@pytest.mark.parametrize(
    "page",
    [
        f'<h1><a href="/">Walaw</a></h1><article><h2>Un budget voté</h2>{_BODY}</article>',
        f"<h1>{_HOME_IMG}</h1><main><h2>Un budget voté</h2>{_BODY}</main>",
        f"<header><h1>Un budget voté</h1></header><h2>Fil info</h2><main>{_BODY}</main>",
        f"{_OG}<h2>À la une</h2><h1>Walaw Maroc</h1><div><h2>Un budget voté</h2>{_BODY}</div>",
        f"{_LONG_TITLE}<h1>Économie</h1><div><h2>Un budget voté</h2>{_BODY}</div>",
    ],
    ids=["logo-h1-link", "logo-h1-image", "h1-in-header", "declared-title", "long-title"],
)
def test_the_headline_is_not_the_logo(page: str) -> None:
    article = PARSER.parse_article(f"<html>{page}</html>", BASE + "/articles/x/GMQMMWGMMPMW")
    assert article.title == "Un budget voté"
    assert article.lead == "Le conseil municipal a voté le budget après une longue séance."
    assert article.paragraphs == (
        "Les élus de l’opposition ont demandé plus de moyens pour les écoles.",
    )


# --- what in a body column is not the article ------------------------------------------------

_LEAD = "Le conseil municipal a voté le budget après une longue séance."
_P1 = "Les élus de l’opposition ont demandé plus de moyens pour les écoles."
_P2 = "Le maire a promis un nouveau débat à la rentrée, avant le vote des comptes."


def _read(inside: str, after: str = "") -> tuple[str | None, tuple[str, ...], int | None]:
    html = (
        f"<html><body><article><h1>Un budget voté</h1><p>{_LEAD}</p><p>{_P1}</p>{inside}"
        f"<p>{_P2}</p>{after}</article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    return article.lead, article.paragraphs, article.comment_count


@pytest.mark.parametrize(
    "furniture",
    [
        '<blockquote class="twitter-tweet"><p>Une belle journée de vote au conseil.</p>'
        '— Walaw (@walaw) <a href="https://twitter.com/walaw/status/1">9 mai 2025</a></blockquote>',
        "<div><p>Recevez l’essentiel de l’actualité chaque matin dans votre boîte.</p>"
        '<input type="email"><button>OK</button></div>',
        '<div><a href="/articles/autre/FLPQRSWXGMLP"><img src="/t.jpg" alt=""></a><h4>'
        '<a href="/articles/autre/FLPQRSWXGMLP">Un autre sujet</a></h4><p>Le résumé d’un autre '
        "article, qui ressemble à un paragraphe.</p></div>",
        '<p><strong>À lire aussi :</strong> <a href="/articles/autre/FLPQRSWXGMLP">Un autre '
        "sujet du jour à la mairie</a></p>",
        "<figure><img src='/a.jpg' alt=''><figcaption>Les élus réunis dans la grande salle du "
        "conseil, jeudi soir.</figcaption></figure>",
        "<p>Photo : Walaw / DR</p><p><em>Crédit photo : Agence de presse du Maghreb.</em></p>"
        "<p>Source : ministère de l’Intérieur.</p><p>© Walaw, tous droits de reproduction.</p>",
        '<div class="pub"><span>Publicité</span><iframe src="https://ads.example/1"></iframe></div>',
        "<p hidden>Ce paragraphe caché ne doit pas être lu par le parseur.</p>"
        '<div style="display: none"><p>Ce paragraphe masqué non plus, même avec un point.</p>'
        "</div>",
        "<p>Inscrivez-vous à notre newsletter pour ne rien manquer.</p>",
        '<div><a href="/articles/autre/FLPQRSWXGMLP"><img src="/t.jpg" alt=""></a><h4><a href='
        '"/articles/autre/FLPQRSWXGMLP">Un autre sujet</a></h4>Le résumé d’un autre article, '
        "écrit sans balise de paragraphe.</div>",
        "<p>Publié le 9 mai 2025 à 11h07.</p><p>Par Salma Benali, à Tanger.</p>",
        "<amp-twitter data-tweetid='1'><blockquote><p>Un message publié sur le réseau "
        "social.</p></blockquote></amp-twitter>",
    ],
    ids=[
        "tweet",
        "form-box",
        "teaser-card",
        "read-also",
        "figure",
        "credits",
        "ad",
        "hidden",
        "notice",
        "loose-teaser",
        "dateline-byline",
        "amp-embed",
    ],
)
def test_body_furniture_is_left_out(furniture: str) -> None:
    assert _read(furniture) == (_LEAD, (_P1, _P2), None)


def test_a_quote_and_an_inline_link_to_another_article_stay_in_the_body() -> None:
    quote = "<blockquote><p>Nous ferons mieux l’an prochain, a déclaré le maire.</p></blockquote>"
    linked = (
        '<p>Comme l’an dernier, <a href="/articles/autre/FLPQRSWXGMLP">le vote</a> a duré '
        "toute la soirée, jusqu’à minuit passé.</p>"
    )
    _lead, paragraphs, _count = _read(quote + linked)
    assert paragraphs == (
        _P1,
        "Nous ferons mieux l’an prochain, a déclaré le maire.",
        "Comme l’an dernier, le vote a duré toute la soirée, jusqu’à minuit passé.",
        _P2,
    )


def test_the_comment_counter_ends_the_body_but_not_before_it_begins() -> None:
    meta_bar = "<div><span>Par la rédaction</span> <a href='#c'>Commentaires (2)</a></div>"
    comments = (
        "<h3>Commentaires (2)</h3><div><p>Un lecteur trouve que le budget est trop juste.</p></div>"
    )
    html = (
        f"<html><body><article><h1>Un budget voté</h1>{meta_bar}<p>{_LEAD}</p><p>{_P1}</p>"
        f"{comments}</article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert (article.lead, article.paragraphs, article.comment_count) == (_LEAD, (_P1,), 2)


def test_a_sentence_subtitle_is_the_lead_and_a_sub_heading_opens_a_section() -> None:
    html = (
        f"<html><body><article><h1>Un budget voté</h1><h2>{_LEAD}</h2><div><p>{_P1}</p>"
        f"<h3>La suite du calendrier</h3><p>{_P2}</p></div></article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert article.lead == _LEAD
    assert article.sections == (Section(None, (_P1,)), Section("La suite du calendrier", (_P2,)))


def test_a_comment_counter_between_lead_and_body_does_not_end_the_body() -> None:
    share_bar = "<div><a href='#'>Partager</a> <a href='#c'>Commentaires (4)</a></div>"
    html = (
        f"<html><body><article><h1>Un budget voté</h1><p>{_LEAD}</p>{share_bar}<p>{_P1}</p>"
        f"<p>{_P2}</p></article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert (article.lead, article.paragraphs, article.comment_count) == (_LEAD, (_P1, _P2), 4)


def test_a_headline_linking_to_its_own_page_beside_a_time_is_kept() -> None:
    url = BASE + "/articles/un_budget_vote/GMQMMWGMMPMW"
    html = (
        '<html><body><ul><li><span>11:05</span><a href="/articles/autre/FLPQRSWXGMLP">Un autre '
        'sujet</a></li></ul><header><h1><a href="/articles/un_budget_vote/GMQMMWGMMPMW">Un '
        f"budget voté</a></h1><span>11:07</span></header><div><p>{_LEAD}</p><p>{_P1}</p></div>"
        "</body></html>"
    )
    article = PARSER.parse_article(html, url)
    assert (article.title, article.lead, article.paragraphs) == ("Un budget voté", _LEAD, (_P1,))


def test_without_a_declared_title_the_longest_h1_is_the_headline_not_a_text_logo() -> None:
    html = (
        '<html><body><div class="top"><h1>Walaw</h1></div><div><h1>Un budget voté par le '
        f"conseil</h1><p>{_LEAD}</p><p>{_P1}</p></div></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert article.title == "Un budget voté par le conseil"
    assert article.paragraphs == (_P1,)


def test_text_loose_in_a_container_that_also_holds_paragraphs_is_read() -> None:
    html = (
        f"<html><body><article><h1>Un budget voté</h1><div>{_LEAD}<br><br><b>{_P1[:10]}</b>"
        f"{_P1[10:]}<p>{_P2}</p>Commentaires (1)<p>Un lecteur se réjouit de ce vote serré.</p>"
        "</div></article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert (article.lead, article.paragraphs, article.comment_count) == (_LEAD, (_P1, _P2), 1)


def test_one_br_is_a_line_break_two_are_a_paragraph_break_and_a_colon_ends_a_line() -> None:
    html = (
        "<html><body><article><h1>Un budget voté</h1>"
        f"<p>{_LEAD}</p><p>Le conseil a retenu<br>trois priorités pour l’année :</p>"
        f"<div>{_P1}<br>{_P2}<br><br>Une dernière phrase, seule dans son paragraphe.</div>"
        "</article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert article.paragraphs == (
        "Le conseil a retenu trois priorités pour l’année :",
        _P1,
        _P2,
        "Une dernière phrase, seule dans son paragraphe.",
    )


def test_sentences_that_start_like_a_byline_or_a_dateline_stay_prose() -> None:
    kept = (
        "Par ailleurs, le conseil a voté une aide aux cantines.",
        "By Monday, the port will reopen to cargo ships.",
        "Source de tensions, la réforme sera discutée en commission.",
        "Photo de famille à l’issue de la séance, sur les marches.",
        "Publiés chaque mois, les comptes de la ville sont consultables en ligne, "
        "a rappelé le maire devant les élus réunis en séance publique jeudi soir.",
    )
    _lead, paragraphs, _count = _read("".join(f"<p>{p}</p>" for p in kept))
    assert paragraphs == (_P1, *kept, _P2)


def test_a_page_rendered_by_script_is_read_from_its_json_ld_article_body() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Un budget voté",
        "articleBody": f"{_LEAD}\n{_P1}\n\n{_P2}",
    }
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        '<body><div id="__next"></div><script src="/_next/app.js"></script></body></html>'
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert (article.title, article.lead, article.paragraphs) == (
        "Un budget voté",
        _LEAD,
        (_P1, _P2),
    )


@pytest.mark.parametrize(
    ("counter", "count"),
    [
        ("Commentaires (0)", 0),
        ("Comments (3)", 3),
        ("Commenti (12)", 12),
        ("Commento (1)", 1),
        ("Commentaires&nbsp;(&nbsp;2&nbsp;)", 2),
        ("<span>Commentaires</span> <span>(5)</span>", 5),
    ],
)
def test_every_form_of_the_comment_counter_is_read(counter: str, count: int) -> None:
    _lead, paragraphs, found = _read("", after=f"<div>{counter}</div>")
    assert (paragraphs, found) == ((_P1, _P2), count)


def test_the_publication_time_is_the_articles_not_a_sidebar_teasers() -> None:
    teaser = (
        '<div><h3><a href="/articles/autre/FLPQRSWXGMLP">Un autre sujet</a></h3>'
        '<time datetime="2025-05-09T09:58:00+01:00">09/05/2025 09:58</time></div>'
    )
    own = '<time datetime="2025-05-09T10:00:00+01:00">9 mai 2025</time>'
    html = (
        f"<html><body>{teaser}<article><h1>Un budget voté</h1>{own}<p>{_LEAD}</p><p>{_P1}</p>"
        "</article></body></html>"
    )
    article = PARSER.parse_article(html, BASE + "/articles/x/GMQMMWGMMPMW")
    assert article.published_at == datetime(2025, 5, 9, 10, 0, tzinfo=PLUS_ONE)
    undated = PARSER.parse_article(html.replace(own, ""), BASE + "/articles/x/GMQMMWGMMPMW")
    assert undated.published_at is None
