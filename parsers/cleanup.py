"""Author names, headlines and keyword lists as pages write them, cleaned.

Pure text helpers used by the page model (``parsers.page``) and the site
parsers: an author name without "By"/"Par", dates or e-mail; a list of bylines
split on "and"/"et"/commas; a headline without its " | Site" suffix; entities a
site escaped twice decoded. Every pattern here matches a text one way only, and
over-long inputs are refused before any pattern runs, so the cost is linear.
"""

from __future__ import annotations

import html
import re

from parsers.extract import clean, dedupe
from parsers.times import CLOCK

#: Longest text read as an author name (a byline line is shorter; anything longer is prose).
MAX_AUTHOR = 200
_BYLINE_PREFIX_RE = re.compile(
    r"^(?:written by|posted by|reported by|words by|by|par|von|di|de|por|door|av|af|przez|"
    r"автор|από|tarafından|napisał|escrito por|texto)(?:\s*:\s*|\s+)",
    re.I,
)
_EMAIL_RE = re.compile(r"[^\s@]+@\S+")
_AUTHOR_NOISE_RE = re.compile(
    rf"\b(?:updated|published|mis à jour|publié le|le \d)|{CLOCK}|\d{{4}}", re.I
)
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|\band\b|\bet\b|&|\bund\b|\by\b|\be\b)\s*")
#: Separators between a headline and the site's name in ``og:title`` and ``<title>``.
_TITLE_SPLIT_RE = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")


def clean_author(name: str) -> str | None:
    """An author name without "By"/"Par", dates or e-mail; None when nothing is left."""
    name = clean(name)
    if len(name) > MAX_AUTHOR:
        return None
    name = _BYLINE_PREFIX_RE.sub("", name)
    name = _EMAIL_RE.sub("", name).strip(" ,;|-–—")
    if not name or _AUTHOR_NOISE_RE.search(name) or len(name) > 80:
        return None
    if name.startswith(("http://", "https://")):
        return None
    return name


def split_authors(names: list[str], site_name: str | None = None) -> tuple[str, ...]:
    """Authors cleaned and split on "and"/"et"/commas; the site's name only if nothing else."""
    found: list[str] = []
    for raw in names:
        if len(raw) > MAX_AUTHOR * 4:
            continue
        for part in _AUTHOR_SPLIT_RE.split(raw):
            author = clean_author(part)
            if author:
                found.append(author)
    authors = dedupe(found)
    if site_name and len(authors) > 1:
        authors = tuple(a for a in authors if a.lower() != site_name.lower()) or authors
    return authors


def reversed_name(name: str) -> str:
    """ "Last, First" (the ``citation_author`` convention) as "First Last"; others unchanged."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(0 < len(p.split()) <= 3 for p in parts):
        return f"{parts[1]} {parts[0]}"
    return name


def unescape(text: str | None) -> str | None:
    """Entities a site escaped twice (``&#039;`` in ``og:title``) decoded, spaces cleaned."""
    if not text:
        return None
    if "&" in text:
        text = html.unescape(text)
    return clean(text) or None


def strip_site_name(title: str, site_name: str | None, host: str | None = None) -> str:
    """``title`` without a trailing (or leading) " | Site name" part.

    A part after " | " is dropped when what remains still reads as a headline;
    after " - " or " — " only when it names the site, so "Riots - live updates" stays.
    """
    names = {n.casefold().replace(" ", "") for n in (site_name, host) if n}
    parts = _TITLE_SPLIT_RE.split(title)
    if len(parts) == 1:
        return title

    def is_site(part: str) -> bool:
        key = part.casefold().replace(" ", "")
        return bool(key) and any(key in n or n in key for n in names)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    text = " - ".join(parts) if len(parts) > 1 else parts[0]
    if text != title and title.startswith(text.split(" - ")[0]):
        text = title[: title.find(parts[-1]) + len(parts[-1])]
    pipes = [p.strip() for p in title.split(" | ")]
    if len(pipes) > 1 and len(pipes[0].split()) >= 4 and text == title:
        text = pipes[0]
    return text


def split_keywords(text: str | None, sep: str = ",") -> tuple[str, ...]:
    """``"a, b ,c"`` -> ``("a", "b", "c")``, empties dropped, each once."""
    if not text:
        return ()
    return dedupe(clean(part) for part in text.split(sep))
