"""The stories of our walaw-like test site: our own sentences, shared by every markup.

Each ``Story`` is one article as the site would publish it (ticker time, URL
slug and id, headline, lead, body paragraphs, comment count); ``BOILERPLATE``
lists furniture lines that must never reach an article's body. The markups
that render these stories live in ``tests/walaw_site.py`` and
``tests/walaw_cms.py``.
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


def esc(text: str) -> str:
    return escape(text, quote=True)
