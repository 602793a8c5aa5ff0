"""Recognize furniture lines by their text: "Read more: ...", "Advertisement", "© 2024 ...".

A paragraph whose whole text is page furniture is dropped from an article's
body: cross-links ("Lire aussi : ...", "Читайте также: ..."), ad labels,
comment counters, share prompts, copyright and photo-credit lines (also
"Фото:", "صورة:", "图片："), staff and editor credits, calls to action and
live-blog time stamps. Patterns cover many languages and never name a site;
a long paragraph is furniture only when it is mostly a link away.
"""

from __future__ import annotations

import re

__all__ = ["is_furniture"]

#: Lines that are furniture whatever follows them ("Read more: <another story>").
_PREFIX_WORDS = (
    r"read more|read also|read next|see also|related|more on this|more from|also read|"
    r"recommended|watch|listen|click here|sign up|subscribe|follow us|"
    r"lire aussi|à lire aussi|a lire aussi|lire la suite|voir aussi|à voir aussi|"
    r"abonnez-vous|inscrivez-vous|suivez-nous|"
    r"lesen sie auch|mehr zum thema|auch interessant|weiterlesen|abonnieren|folgen sie uns|"
    r"lee también|leer más|ver también|te puede interesar|suscríbete|síguenos|"
    r"leggi anche|vedi anche|iscriviti|seguici|leia também|veja também|assine|siga-nos|"
    r"lees ook|zie ook|czytaj też|czytaj także|zobacz też|читайте также|смотрите также|"
    r"подписывайтесь|также по теме|اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|شاهد أيضا|devamını oku|"
    r"ayrıca bakınız|ilgili haber|czytaj więcej|διαβάστε επίσης|läs också|les også|læs også|"
    r"lue myös|citește și|přečtěte si také|pročitajte još|相关阅读|延伸阅读|相关新闻|推荐阅读|"
    r"関連記事|あわせて読みたい|관련기사|함께 읽기"
)
_PREFIX_RE = re.compile(rf"^\W*(?:{_PREFIX_WORDS})\s*[:：>»|-]", re.I)

#: Whole lines that are furniture.
_LINE_WORDS = (
    r"advertisement|advertising|sponsored|publicité|pub|anzeige|werbung|publicidad|pubblicità|"
    r"publicidade|reclame|реклама|إعلان|reklama|reklam|διαφήμιση|广告|広告|광고|"
    r"comments?|commentaires?|kommentare|comentarios|commenti|comentários|комментарии|"
    r"share|share this( article| story)?|partager|partagez|teilen|compartir|condividi|"
    r"compartilhar|поделиться|评论|コメント|댓글|"
    r"read more|lire la suite|weiterlesen|leer más|leggi di più|continue reading|"
    r"related( articles| stories| content)?|sur le même sujet|à lire aussi|lire aussi|"
    r"most read|most popular|les plus lus|meistgelesen|lo más leído|"
    r"newsletter|sign up|subscribe|abonnez-vous|skip to (main )?content|back to top|"
    r"loading|please wait|chargement en cours"
)
_LINE_RE = re.compile(rf"^\W*(?:{_LINE_WORDS})(?:\s*\(\d+\))?\W*$", re.I)

#: Legal and credit lines: a copyright, a photo credit, a log-in prompt.
_LEGAL_RE = re.compile(
    r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|"
    r"(?:(?:photo|image|picture|crédit|credit|foto|bild|illustration|фото|снимок|صورة|تصوير|"
    r"图片|圖片|摄影|攝影|写真|사진)s?\s*){1,2}[:：]|"
    r"(?:please )?(?:log ?in|sign ?in|sign up|register)\b.{0,60}\bto (?:comment|continue)",
    re.I,
)
_LEGAL_PHRASES = (
    "all rights reserved",
    "tous droits réservés",
    "alle rechte vorbehalten",
    "todos los derechos reservados",
    "tutti i diritti riservati",
)


#: A stamp heading a live-blog entry or a teaser: "21:00", "3 hours ago", "il y a 2 heures".
#: What follows a time is a few words (a name, a tag), not a sentence: a word of a script
#: without spaces is short, and the line does not end with a CJK full stop.
_STAMP_RE = re.compile(
    r"^(?:\d{1,2}[:h]\d{2}(?!\d)(?!\s*[:–—-])(?:\s*\S{1,16}(?!\S)(?:\s+\S{1,16}(?!\S)){0,2})?"
    r"\s*(?<![。！？])$|"
    r"(?:\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?)"
    r"\s+ago|il y a \d+\s*(?:min\w*|h|heures?|jours?)|vor \d+\s*(?:min\w*|std\.?|stunden|tagen)|"
    r"hace \d+\s*(?:min\w*|h|horas?|días?)|\d+ (?:minuti|ore|giorni) fa)"
    r"(?=\d|\s*$|\s*[|·•–—-])|"
    r"(?:key event|pinned|breaking(?: news)?|live|en direct|direkt|en vivo|in diretta)\W*$)",
    re.I,
)
#: Staff credits closing a wire story: "Reporting by ...; Editing by ...", "（责任编辑：…）".
_CREDIT_RE = re.compile(
    r"^\(?(?:reporting|additional reporting|writing|editing|compiled|translated|edited|"
    r"research|graphics|production) by\b|^\(?(?:avec|with) (?:afp|ap|reuters|agences)\)?\.?$|"
    r"^[(（]?(?:责任编辑|責任編輯|编辑|編輯|来源|來源|出典|편집)\s*[:：]",
    re.I,
)
#: A call to action: sign up, subscribe, follow us, get in touch, download the app.
#: A call to action, looked for near the start of a line.
_CTA_RE = re.compile(
    r"\b(?:sign(?:ing)? up (?:to|for|here|now|today)|subscribe (?:to|now|here|today|for)|"
    r"(?:our|free|daily|weekly) newsletter|follow (?:us|[A-Z][\w.]+ on)|get in touch|"
    r"download (?:the|our) app|click here|add us as a preferred source|"
    r"for more (?:stories|news|articles|videos) like this|"
    r"inscrivez-vous|abonnez-vous|suivez-nous|téléchargez (?:notre|l'application)|"
    r"melden sie sich|abonnieren sie|suscríbete|iscriviti|inscreva-se|siga-nos|"
    r"подписывайтесь|подпишитесь|читайте нас|تابعونا|اشترك في|اشتركوا)(?!\w)",
    re.I,
)


_CTA_LEADS = ("", "please", "and", "or", "to", "don't forget to", "remember to", "why not", "so")


def _is_call_to_action(text: str) -> bool:
    """A call to action that opens the line or a sentence of it ("Got a story? Get in touch")."""
    match = _CTA_RE.search(text, 0, 80)
    if match is None:
        return False
    before = text[: match.start()].strip()
    return before.casefold() in _CTA_LEADS or before.endswith(("?", "!", ".", ":"))


def is_furniture(text: str, link_share: float = 0.0) -> bool:
    """Whether a paragraph's whole text is page furniture ("Commentaires (3)", "Read more: ...").

    A prefix like "Read more:" condemns a line only when the line is short or
    mostly a link, so a real paragraph that happens to start with "Watch:" survives;
    so do calls to action ("Sign up to our newsletter") and time stamps.
    """
    length = len(text)
    if length >= 400:  # a long paragraph is furniture only when it is mostly one link away
        return link_share > 0.3 and bool(_PREFIX_RE.match(text))
    if not any(c.isalnum() for c in text):
        return True  # separators: "___", "* * *"
    if _CREDIT_RE.match(text):
        return True
    if length >= 250:
        return link_share > 0.3 and bool(_PREFIX_RE.match(text))
    if length <= 60 and (_LINE_RE.match(text) or _STAMP_RE.match(text)):
        return True
    if _LEGAL_RE.match(text):
        return True
    folded = text.casefold()
    if any(phrase in folded for phrase in _LEGAL_PHRASES):
        return True
    if (length < 160 or link_share > 0.1) and _is_call_to_action(text):
        return True
    return (length < 200 or link_share > 0.3) and bool(_PREFIX_RE.match(text))
