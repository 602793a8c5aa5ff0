"""Text comparison for corpus tests: normalization and F1 over 4-word shingles.

Both sides are compared after the same normalization (white space and
non-breaking spaces collapsed to one space, zero-width marks dropped), so a
score below 1.0 means words differ, not spacing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_SPACE_RE = re.compile(r"[\s\u00a0\u202f\u2009]+")
#: Invisible marks (zero-width space/joiners, word joiner, BOM, soft hyphen) carry no text.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SHINGLE = 4


def norm(text: str | None) -> str:
    """``text`` with white space runs (nbsp included) as one space and invisible marks dropped."""
    return _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text or "")).strip()


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-word windows of ``text`` (one window for shorter texts)."""
    words = norm(text).split(" ") if norm(text) else []
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def f1(got: str, want: str) -> float:
    """F1 of the shingle multisets of ``got`` against ``want`` (1.0 when both are empty)."""
    a, b = shingles(got), shingles(want)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def joined(paragraphs: Iterable[str]) -> str:
    """Paragraphs as one text, separated by a blank line (as ``Article.body``)."""
    return "\n\n".join(paragraphs)
