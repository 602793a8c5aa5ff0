"""A walaw-like news site of our own, in three plausible markups, for parser and crawl tests.

The real markup of fr.walaw.press is unknown (see the corpus README); what is
known is its structure: a site-wide ticker of ``HH:MM`` + title linking to
``/articles/<slug>/<ID>``, one ``h1``, a lead, body paragraphs, a comment
counter, and the usual furniture (navigation, social links, share bar, related
links, newsletter, cookie banner, comments). The stories below are our own.
Each markup renders the same content, so a parser keyed on structure must read
all of them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Story:
    time: str
    slug: str
    ident: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    comments: int = 0

    @property
    def path(self) -> str:
        return f"/articles/{self.slug}/{self.ident}"


STORIES: tuple[Story, ...] = (
    Story(
        "12:00",
        "le_port_de_safi_inaugure_un_quai_pour_les_cargos_verts",
        "GMQWLPRSXFMQ",
        "Le port de Safi inaugure un quai pour les cargos verts",
        "Un nouveau quai destiné aux navires à faibles émissions a été mis en service à Safi, "
        "avec l’ambition de capter une partie du trafic régional de vracs.",
        (
            "Le quai, long de quatre cents mètres, peut accueillir deux navires à la fois. Il est "
            "équipé de bornes électriques qui permettent aux cargos de couper leurs moteurs "
            "pendant les opérations de chargement.",
            "Selon l’autorité portuaire, les premiers armateurs ont déjà réservé des créneaux pour "
            "le trimestre prochain, notamment pour l’exportation d’engrais et de produits "
            "agricoles transformés.",
            "Les élus locaux espèrent que le chantier attirera des entreprises de logistique dans "
            "la zone d’activités voisine, où plusieurs terrains restent disponibles.",
        ),
        comments=3,
    ),
    Story(
        "11:42",
        "une_bibliotheque_mobile_sillonne_les_villages_du_haut_atlas",
        "FLPQRSWXGMLP",
        "Une bibliothèque mobile sillonne les villages du Haut Atlas",
        "Un camion aménagé transporte chaque semaine plus de deux mille livres vers des écoles "
        "isolées de la province d’Al Haouz.",
        (
            "L’initiative, portée par une association de parents d’élèves, repose sur des dons de "
            "maisons d’édition et de particuliers. Les enfants peuvent emprunter trois ouvrages à "
            "chaque passage.",
            "Les enseignants constatent que les élèves lisent davantage depuis l’arrivée du camion, "
            "et que les familles empruntent aussi des livres pratiques sur l’agriculture.",
        ),
    ),
    Story(
        "11:15",
        "la_recolte_de_safran_de_taliouine_s_annonce_record",
        "GGMMPPQQRRSS",
        "La récolte de safran de Taliouine s’annonce record",
        "Les coopératives de la région prévoient une hausse sensible de la production, portée par "
        "des pluies d’automne plus régulières que les années précédentes.",
        (
            "Les fleurs sont cueillies à l’aube, puis les stigmates sont séparés à la main et séchés "
            "dans des pièces ventilées. Il faut près de cent cinquante mille fleurs pour un "
            "kilogramme d’épice.",
            "Les producteurs veulent profiter de cette saison pour renforcer leur label d’origine "
            "et mieux vendre à l’étranger, où la demande reste soutenue.",
            "Une foire régionale doit réunir acheteurs et coopératives à la fin du mois.",
        ),
    ),
    Story(
        "11:07",
        "des_etudiants_de_fes_concoivent_un_drone_agricole",
        "WXWXLMLMPQPQ",
        "Des étudiants de Fès conçoivent un drone agricole",
        "Une équipe d’ingénieurs en formation a présenté un prototype capable de repérer les "
        "parcelles qui manquent d’eau.",
        (
            "Le drone embarque une caméra thermique et un petit calculateur qui signale les zones "
            "les plus sèches. Les agriculteurs reçoivent une carte sur leur téléphone.",
            "Le projet a remporté un concours national d’innovation, ce qui doit permettre à "
            "l’équipe de financer une première série de tests en conditions réelles.",
        ),
        comments=1,
    ),
    Story(
        "11:00",
        "le_tramway_de_rabat_allonge_ses_horaires_l_ete",
        "SSRRQQPPMMGG",
        "Le tramway de Rabat allonge ses horaires l’été",
        "Les rames circuleront jusqu’à une heure du matin pendant les deux mois de vacances.",
        (
            "L’exploitant explique cette décision par la hausse de la fréquentation le soir, "
            "notamment le long de la corniche et vers les quartiers de loisirs.",
            "Des agents supplémentaires seront présents dans les stations les plus fréquentées "
            "afin de fluidifier la montée des voyageurs.",
        ),
    ),
    Story(
        "10:46",
        "un_festival_de_musique_gnaoua_s_installe_a_essaouira",
        "PMPMPMGQGQGQ",
        "Un festival de musique gnaoua s’installe à Essaouira",
        "Trois jours de concerts gratuits sont prévus sur les places de la médina, avec des "
        "musiciens venus de tout le pays.",
        (
            "Les organisateurs ont prévu des ateliers pour les enfants, qui pourront découvrir les "
            "instruments traditionnels et les rythmes de la confrérie.",
            "La municipalité a renforcé les navettes depuis les parkings situés à l’entrée de la "
            "ville, afin de limiter la circulation dans le centre historique.",
        ),
    ),
    Story(
        "10:45",
        "les_prix_de_l_huile_d_olive_se_stabilisent",
        "LLMMLLMMLLMM",
        "Les prix de l’huile d’olive se stabilisent",
        "Après deux années de hausse, le litre d’huile d’olive retrouve un niveau plus "
        "abordable sur les marchés de gros.",
        (
            "Les négociants attribuent cette détente à une meilleure récolte dans le nord du pays "
            "et à l’arrivée de nouveaux moulins plus efficaces.",
            "Les consommateurs restent toutefois prudents, et beaucoup continuent d’acheter de "
            "petites quantités directement auprès des producteurs.",
        ),
    ),
    Story(
        "10:25",
        "une_startup_de_casablanca_leve_des_fonds_pour_ses_batteries",
        "QRSWQRSWQRSW",
        "Une startup de Casablanca lève des fonds pour ses batteries",
        "La jeune entreprise, spécialisée dans le recyclage de cellules usagées, veut doubler sa "
        "capacité de production d’ici deux ans.",
        (
            "Ses fondateurs récupèrent des batteries de trottinettes et de téléphones, les testent "
            "une à une puis les assemblent en packs destinés au stockage solaire.",
            "Les fonds serviront à ouvrir un second atelier et à recruter une vingtaine de "
            "techniciens formés dans les instituts de la région.",
        ),
        comments=12,
    ),
    Story(
        "09:58",
        "la_corniche_d_agadir_se_dote_de_pistes_cyclables",
        "GXGXGXSPSPSP",
        "La corniche d’Agadir se dote de pistes cyclables",
        "Huit kilomètres de voies protégées relient désormais le port au quartier de Founty.",
        (
            "Les travaux ont duré un an et ont été menés sans fermer la promenade aux piétons, "
            "grâce à un chantier découpé en tronçons.",
            "Un service de vélos en libre-service doit suivre au printemps, avec une trentaine de "
            "stations réparties le long du littoral.",
        ),
    ),
    Story(
        "09:30",
        "les_archives_de_tetouan_numerisent_leurs_manuscrits",
        "MPMPMPWLWLWL",
        "Les archives de Tétouan numérisent leurs manuscrits",
        "Plus de trois mille documents anciens seront consultables en ligne d’ici la fin de "
        "l’année, a annoncé la direction.",
        (
            "Les pièces les plus fragiles sont photographiées sous une lumière froide, sans être "
            "dépliées, afin d’éviter toute déchirure.",
            "Les chercheurs pourront annoter les images et signaler les passages difficiles à "
            "lire, pour enrichir peu à peu les transcriptions.",
        ),
    ),
)

#: A story added to the ticker between two crawls.
LATE_STORY = Story(
    "12:20",
    "le_barrage_de_oued_el_makhazine_retrouve_des_couleurs",
    "FFGGFFGGFFGG",
    "Le barrage de Oued El Makhazine retrouve des couleurs",
    "Les pluies de la semaine ont fait remonter le taux de remplissage de la retenue de "
    "plusieurs points.",
    (
        "Les services de l’eau indiquent que les apports ont été plus importants que prévu, en "
        "particulier dans la partie haute du bassin versant.",
        "Les agriculteurs de la plaine du Loukkos espèrent une saison d’irrigation moins "
        "contrainte que l’an dernier.",
    ),
)

#: Furniture that must never reach an article's body.
BOILERPLATE = (
    "Suivez-nous sur Facebook",
    "Partager sur X",
    "Inscrivez-vous à notre newsletter",
    "Ce site utilise des cookies",
    "À lire aussi",
    "Un lecteur attentif a laissé ce commentaire",
    "Tous droits réservés",
)


def _e(text: str) -> str:
    return escape(text, quote=True)


# --- markup A: a list ticker with a time span, article in <article>, classes everywhere ------


def _ticker_a(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<li class="ticker-item"><span class="hour">{s.time}</span>'
        f'<a href="{s.path}">{_e(s.title)}</a></li>'
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
        f'<h3><a href="{s.path}">{_e(s.title)}</a></h3><p>{_e(s.lead)}</p></div>'
        for s in stories[:4]
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Walaw</title></head>'
        f"<body>{_ticker_a(stories)}{_chrome_top_a()}<main>{teasers}</main>"
        f"{_chrome_bottom_a()}</body></html>"
    )


def article_a(story: Story, ticker: tuple[Story, ...], related: tuple[Story, ...] = ()) -> str:
    related = related or tuple(s for s in ticker if s != story)[:2]
    body = "".join(f"<p>{_e(p)}</p>" for p in story.paragraphs)
    comments = "".join(
        f'<li class="comment"><p>Un lecteur attentif a laissé ce commentaire numéro {i + 1} '
        "sous l’article, pour dire ce qu’il en pensait.</p></li>"
        for i in range(min(story.comments, 2))
    )
    related_links = "".join(f'<li><a href="{s.path}">{_e(s.title)}</a></li>' for s in related)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{_e(story.title)} - Walaw</title>"
        f'<meta property="og:title" content="{_e(story.title)}">'
        f'<meta property="og:url" content="https://fr.walaw.press{story.path}">'
        f'<meta name="description" content="{_e(story.lead)}"></head><body>'
        f"{_ticker_a(ticker)}{_chrome_top_a()}"
        '<div class="container"><article class="post">'
        f'<h1 class="post-title">{_e(story.title)}</h1>'
        '<div class="share-bar"><a href="#">Partager sur X</a><a href="#">Partager sur '
        "Facebook</a></div>"
        f'<div class="post-content"><p>{_e(story.lead)}</p>{body}</div>'
        f'<div class="related"><h4>À lire aussi</h4><ul>{related_links}</ul></div>'
        f'<section class="comments"><h4>Commentaires ({story.comments})</h4><ul>{comments}</ul>'
        "</section></article></div>"
        f"{_chrome_bottom_a()}</body></html>"
    )


# --- markup B: glued time inside the link (as the seed's text shows), divs without hints ----


def _ticker_b(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<div><a href="https://fr.walaw.press{s.path}"><span>{s.time}</span>{_e(s.title)}</a>'
        "</div>"
        for s in stories
    )
    return f'<div class="x1">{items}</div>'


def article_b(story: Story, ticker: tuple[Story, ...]) -> str:
    body = "".join(f"<p>{_e(p)}</p>" for p in story.paragraphs)
    others = tuple(s for s in ticker if s != story)[:3]
    related = "".join(
        f'<div class="x9"><a href="{s.path}"><img src="/i.jpg" alt=""></a>'
        f'<a href="{s.path}">{_e(s.title)}</a></div>'
        for s in others
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{_e(story.title)}</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "headline": "{_e(story.title)}", '
        '"datePublished": "2025-05-09T10:00:00+01:00", '
        '"author": {"@type": "Person", "name": "Rédaction Walaw"}}</script></head><body>'
        f'<div class="x0">{_ticker_b(ticker)}</div>'
        '<div class="x2"><a href="/">Accueil</a> <a href="/fr/economie">Économie</a></div>'
        '<div class="x3"><p>Suivez-nous sur Facebook</p></div>'
        '<div class="x4"><div class="x5">'
        f"<h1>{_e(story.title)}</h1>"
        f'<div class="x6"><p><strong>{_e(story.lead)}</strong></p>{body}</div>'
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
        f'<td><a href="{s.path}" title="{_e(s.title)}">{_e(s.title)}</a></td></tr>'
        for s in ticker
    )
    body = "".join(f"<p>{_e(p)}</p>" for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{_e(story.title)}</title></head><body>"
        f'<aside id="fil"><table>{rows}</table></aside>'
        f'<div id="page"><section id="main-col"><h1>{_e(story.title)}</h1>'
        f'<p class="chapo">{_e(story.lead)}</p>{body}'
        '<p><a href="https://www.facebook.com/sharer">Partager</a></p>'
        f'<div id="comment-count">Commentaires ({story.comments})</div></section>'
        '<section id="side"><h3>Newsletter</h3><p>Inscrivez-vous à notre newsletter pour '
        "recevoir l’essentiel de l’actualité chaque matin.</p></section></div></body></html>"
    )


# --- markup D: a flat ticker (time, link, time, link...), text in <div> with <br> breaks ------


def article_d(story: Story, ticker: tuple[Story, ...]) -> str:
    flat = "".join(
        f'<span class="h">{s.time}</span> <a href="{s.path}">{_e(s.title)}</a> ' for s in ticker
    )
    text = "<br><br>".join(_e(p) for p in (story.lead, *story.paragraphs))
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{_e(story.title)} | Walaw</title></head><body>"
        f'<div class="defil">{flat}</div>'
        '<table><tr><td><a href="/">Accueil</a> | <a href="/contact">Contact</a></td></tr></table>'
        f'<div class="titre"><h1>{_e(story.title)}</h1></div>'
        f'<div class="txt">{text}</div>'
        f'<div class="bas"><a href="#c">Commentaires ({story.comments})</a></div>'
        "</body></html>"
    )


# --- markup E: block links holding the title then the time; a React-style wrapper soup ------


def article_e(story: Story, ticker: tuple[Story, ...]) -> str:
    items = "".join(
        f'<a class="css-1x" href="{s.path}"><h3 class="css-2y">{_e(s.title)}</h3>'
        f'<small class="css-3z">{s.time}</small></a>'
        for s in ticker
    )
    body = "".join(f'<p class="css-p">{_e(p)}</p>' for p in story.paragraphs)
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f'<meta property="og:title" content="{_e(story.title)}"></head><body><div id="__next">'
        f'<div class="css-a"><div class="css-b">{items}</div></div>'
        '<div class="css-c"><div class="css-d"><div class="css-e">'
        f'<h1 class="css-h">{_e(story.title)}</h1><div class="css-f">'
        f'<p class="css-p"><b>{_e(story.lead)}</b></p>{body}</div>'
        f'<div class="css-g"><h2>Commentaires ({story.comments})</h2>'
        "<form><textarea></textarea><button>Envoyer</button></form></div>"
        "</div></div></div></div></body></html>"
    )


MARKUPS = {"a": article_a, "b": article_b, "c": article_c, "d": article_d, "e": article_e}


def site_routes(stories: tuple[Story, ...]) -> dict[str, str]:
    """Path -> HTML of a whole site in markup A: the home page and every article."""
    routes = {"/": home_a(stories)}
    for story in stories:
        routes[story.path] = article_a(story, stories)
    return routes
