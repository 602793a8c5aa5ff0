"""Read single lines of text: bylines, datelines, sentence ends, and text weight across scripts.

Pure functions of a string, shared by the main-text finder. A byline ("By Jane
Doe", "Par Jeanne Martin", "记者 王小明", "김민지 기자") and a dateline ("Published 3
May 2024", "Обновлено 12.05.2024", "2024年6月1日 10時15分") are not body text;
a line that ends as a sentence, or is long, is. ``text_weight`` counts Chinese,
Japanese and Korean characters twice, so that length thresholds written for
spaced scripts do not starve pages in scripts without spaces.
"""

from __future__ import annotations

import re

__all__ = [
    "SENTENCE_END",
    "SENTENCE_OR_INTRO_END",
    "has_letters",
    "is_byline_or_dateline",
    "is_dateline",
    "is_wordy",
    "text_weight",
]

_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯΑ-Ω][\w'’.-]*"
#: Lower-case particles inside a name ("Jean de La Fontaine", "Ludwig van Beethoven").
_PARTICLE = r"(?:de|da|van|von|der|le|la|del)\s+"
#: A person: capitalized words with particles between them. Words are separated by
#: white space that no word contains, and particles are lower case where words are
#: capitalized, so a text splits into words one way only (no backtracking blow-up).
_PERSON = rf"(?:{_PARTICLE})*{_NAME}(?:\s+(?:{_PARTICLE})*{_NAME})*"
#: What joins two persons: a comma or ampersand, or a lower-case "and" in a few languages.
_JOIN = r"(?:\s*[,&]\s*|\s+(?:and|et|und|y|e)\s+)"
#: A line that is only a byline: "By Jane Doe and John Smith", "Par Jeanne Martin · 2 mai".
#: Names are capitalized words, so "Par ailleurs, ..." or "De acuerdo con ..." are prose.
_BYLINE_RE = re.compile(
    rf"^(?i:by|par|von|di|de|por|door|av|af|przez|от)\s+{_PERSON}(?:{_JOIN}{_PERSON})*"
    r"\s*(?:[,|·•–—-].{0,60})?$"
)
#: A line that only says when: "Published 3 May 2024", "Mis à jour le 2 mai 2023 à 10h".
_UPDATED_RE = re.compile(
    r"^(?:updated|published|posted|last updated|mis à jour|publié|aktualisiert|"
    r"veröffentlicht|actualizado|publicado|aggiornato|pubblicato|atualizado|"
    r"bijgewerkt|gepubliceerd|zaktualizowano|opublikowano|обновлено|опубликовано|"
    r"güncellendi|yayınlandı|تم النشر|نشر|آخر تحديث|تحديث)\b:?\s*"
    r"(?:on|le|am|el|il|em|at|op|в|في)?\s*(?:\w+day,?\s*)?\d.{0,60}$",
    re.I,
)
#: The date or time in a dateline ("3 May 2024", "May 3, 2024", "12/05/2024", "10h42").
_DATE_BITS_RE = re.compile(
    r"\d{1,2}[:h]\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\.?\s+\w+\.?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{4}\s*[年년]\s*\d{1,2}\s*[月월]|\d{1,2}\s*[時时시]\s*\d{1,2}\s*[分분]"
)
#: A byline in Chinese, Japanese or Korean: "记者 王小明", "（文／山田太郎）", "김민지 기자 a@b.kr".
_CJK_BYLINE_RE = re.compile(
    r"^[(（【]?\s*(?:(?:本报|本報)?(?:记者|記者|特派员|特派員)\s*[/／:：|｜]?|"
    r"(?:文|撰文|编辑|編輯)(?:\s*[/／:：|｜]|\s))\s*"
    r"[^\s,，。、]{2,4}(?:\s+[^\s,，。、]{2,4}){0,2}\s*[)）】]?$|"
    r"^[^\s,，。]{2,4}\s*(?:기자|특파원|記者)(?:\s*[(（]?\S+@\S+?[)）]?)?\s*$"
)


def is_dateline(text: str) -> bool:
    """A short line that shows a date or a time and does not end as a sentence does.

    Words are counted as spaces split them, plus one for every two CJK characters
    (a Chinese sentence has no spaces: it is not one word).
    """
    words = len(text.split()) + (text_weight(text) - len(text)) // 2
    return words <= 8 and text[-1:] not in SENTENCE_END and _DATE_BITS_RE.search(text) is not None


#: Scripts written without spaces, where one character carries about a word's worth of text.
_DENSE_SCRIPT_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def text_weight(text: str) -> int:
    """The length of ``text`` with Chinese, Japanese and Korean characters counted twice.

    A CJK sentence says in 30 characters what a Latin one says in 80: length
    thresholds written for spaced scripts would starve CJK pages without this.
    """
    if text.isascii():
        return len(text)
    return len(text) + len(_DENSE_SCRIPT_RE.findall(text))


_NOT_LETTERS_RE = re.compile(r"[\W\d_]+")
_DIGIT_RE = re.compile(r"\d")
_LETTER_RE = re.compile(r"[^\W\d_]")


def is_wordy(text: str) -> bool:
    """Whether letters make at least half of a short text ("95'88'81'74'", "3-1 (2-0)" do not)."""
    length = len(text)
    if length >= 200 or _DIGIT_RE.search(text) is None:  # (a line of only signs is furniture)
        return True
    return 2 * len(_NOT_LETTERS_RE.sub("", text)) >= length - text.count(" ")


SENTENCE_END = frozenset('.!?…»"”。！？')
SENTENCE_OR_INTRO_END = SENTENCE_END | frozenset(":：")


def has_letters(text: str) -> bool:
    """Whether ``text`` holds a letter of any script (a row of numbers and signs does not)."""
    return _LETTER_RE.search(text) is not None


def is_byline_or_dateline(text: str) -> bool:
    """Whether a short line only says who wrote the article or when (see the module docstring)."""
    return len(text) <= 100 and bool(
        _BYLINE_RE.match(text)
        or _UPDATED_RE.match(text)
        or is_dateline(text)
        or (len(text) <= 40 and _CJK_BYLINE_RE.match(text))
    )
