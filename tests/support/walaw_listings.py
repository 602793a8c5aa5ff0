"""walaw-like archive listings (``/dernières-nouvelles/N``) in several plausible markups.

Each listing page shows teasers, newest first: a headline linking to the article,
the first lines of its lead cut with ``......`` and, in some markups, a date;
then links to the other pages. Markup P: ``<article>`` cards with a ``<time
datetime>`` and a ``rel="next"`` link; Q: whole cards inside the link, a French
date in the text (``20 mai 2025 à 18h00``), percent-encoded hrefs, ``<link
rel="next">`` in the head; R: a flat list with ``20/05/2025 18:00`` and only
numbered page links. Every page also carries the site-wide ticker (markup A),
whose links are not this page's teasers. Our own sentences throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from tests.support.walaw_site import article_a
from tests.support.walaw_stories import Story, esc

LISTING_PATH = "/dernières-nouvelles"
_SUBJECTS = (
    "la coopérative laitière", "le conseil communal", "la ligne de tramway",
    "le festival de musique",
    "la station de dessalement", "le marché de gros", "l’équipe de handball", "le parc éolien",
    "la bibliothèque municipale", "le port de pêche",
)  # fmt: skip
_ACTIONS = (
    "annonce un nouveau calendrier", "présente son bilan annuel", "ouvre une consultation",
    "reçoit une aide régionale", "change de direction",
)  # fmt: skip


@dataclass(frozen=True)
class Dated:
    """A story and the local time (the site's timezone) its listing shows."""

    story: Story
    when: datetime


def archive_stories(count: int = 50, newest: datetime | None = None) -> tuple[Dated, ...]:
    """``count`` distinct stories, newest first, three hours apart (local times)."""
    newest = newest or datetime(2025, 5, 20, 18, 0)
    dated = []
    for i in range(count):
        subject, action = _SUBJECTS[i % len(_SUBJECTS)], _ACTIONS[(i // 3) % len(_ACTIONS)]
        title = f"{subject[0].upper()}{subject[1:]} {action} (dossier {i + 1})"
        lead = (
            f"Dans ce dossier numéro {i + 1}, {subject} {action}, ce qui suscite des réactions "
            "contrastées parmi les habitants et les élus de la région concernée."
        )
        paragraphs = (
            f"Les responsables ont expliqué leur décision lors d’une réunion publique tenue "
            f"en fin de journée, devant une assistance nombreuse (dossier {i + 1}).",
            "Plusieurs associations ont demandé des précisions sur le financement et sur le "
            "calendrier des travaux, qui doivent s’étaler sur plusieurs mois.",
        )
        when = newest - timedelta(hours=3 * i)
        story = Story(
            when.strftime("%H:%M"), f"dossier_{i + 1}_{'abcdefghij'[i % 10]}",
            f"ARC{i + 1:04d}QZX", title, lead, paragraphs,
        )  # fmt: skip
        dated.append(Dated(story, when))
    return tuple(dated)


def _cut(lead: str) -> str:
    return esc(lead[:90].rsplit(" ", 1)[0]) + "......"


def _page_path(number: int, *, encoded: bool = False) -> str:
    path = LISTING_PATH if number == 1 else f"{LISTING_PATH}/{number}"
    return quote(path) if encoded else path


def _ticker(stories: tuple[Dated, ...]) -> str:
    items = "".join(
        f'<li><span class="hour">{d.story.time}</span><a href="{d.story.path}">'
        f"{esc(d.story.title)}</a></li>"
        for d in stories[:5]
    )
    return f'<div class="latest-news"><ul>{items}</ul></div>'


def _page(head: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>Dernières nouvelles - Walaw</title>{head}</head><body>"
        '<header><a href="/">Walaw</a><nav><a href="/categorie/politique">Politique</a>'
        '<a href="/categorie/sport">Sport</a></nav></header>'
        f"{body}<footer><p>© Walaw. Tous droits réservés.</p></footer></body></html>"
    )


def listing_p(page: tuple[Dated, ...], number: int, pages: int, ticker: tuple[Dated, ...]) -> str:
    cards = "".join(
        f'<article class="teaser"><h2><a href="{d.story.path}">{esc(d.story.title)}</a></h2>'
        f"<p>{_cut(d.story.lead)}</p>"
        f'<time datetime="{d.when:%Y-%m-%dT%H:%M}">{d.when:%d/%m/%Y %H:%M}</time></article>'
        for d in page
    )
    nav = "".join(f'<a href="{_page_path(n)}">{n}</a>' for n in range(1, pages + 1))
    if number < pages:
        nav += f'<a rel="next" href="{_page_path(number + 1)}">Suivant</a>'
    body = f"{_ticker(ticker)}<main><h1>Dernières nouvelles</h1>{cards}</main><nav>{nav}</nav>"
    return _page("", body)


_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre")  # fmt: skip


def listing_q(page: tuple[Dated, ...], number: int, pages: int, ticker: tuple[Dated, ...]) -> str:
    cards = "".join(
        f'<div class="card"><a href="{d.story.path}"><img src="/i/{d.story.ident}.jpg" alt="">'
        f'<h3>{esc(d.story.title)}</h3><div class="excerpt">{_cut(d.story.lead)}</div>'
        f'<span class="date">{d.when.day} {_MOIS[d.when.month - 1]} {d.when.year} à '
        f"{d.when:%Hh%M}</span></a></div>"
        for d in page
    )
    head = (
        f'<link rel="next" href="{_page_path(number + 1, encoded=True)}">' if number < pages else ""
    )
    prev = f'<a href="{_page_path(number - 1, encoded=True)}">Précédent</a>' if number > 1 else ""
    return _page(head, f'{_ticker(ticker)}<div class="grid">{cards}</div>{prev}')


def listing_r(page: tuple[Dated, ...], number: int, pages: int, ticker: tuple[Dated, ...]) -> str:
    rows = "".join(
        f'<li><a href="{d.story.path}">{esc(d.story.title)}</a>'
        f"<div>{_cut(d.story.lead)}</div><small>{d.when:%d/%m/%Y %H:%M}</small></li>"
        for d in page
    )
    numbers = " ".join(
        f'<a href="https://fr.walaw.press{_page_path(n)}">{n}</a>'
        for n in range(max(1, number - 2), min(pages, number + 3) + 1)
    )
    return _page("", f'{_ticker(ticker)}<ul class="list">{rows}</ul><p>{numbers}</p>')


LISTING_MARKUPS = {"p": listing_p, "q": listing_q, "r": listing_r}


def listing_routes(
    dated: tuple[Dated, ...], markup: str = "p", per_page: int = 10
) -> dict[str, str]:
    """Path (as a client sends it, percent-encoded) -> HTML: the listing pages and articles."""
    pages = [dated[i : i + per_page] for i in range(0, len(dated), per_page)]
    render = LISTING_MARKUPS[markup]
    stories = tuple(d.story for d in dated)
    routes: dict[str, str] = {}
    for number, page in enumerate(pages, start=1):
        routes[_page_path(number, encoded=True)] = render(page, number, len(pages), dated)
    for d in dated:
        routes[d.story.path] = article_a(d.story, stories[:5])
    return routes


def page_path(number: int) -> str:
    """The path of listing page ``number``, as written (not encoded)."""
    return _page_path(number)
