"""Quality metrics for extracted articles: titles, dates, sets, and the body's shingle F1.

The body metric is the one of the Zyte article-extraction benchmark: both texts
are cut into words (``\\w+``), then into overlapping 4-word shingles; per page the
true positives, false positives and false negatives of shingle counts are
normalized by their sum; precision and recall are averaged over pages and the F1
is taken of the two averages (``BodyScores.combine``). The other helpers compare
one field of one page and return a bool or a share in [0, 1].
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Whitespace (nbsp, thin spaces, newlines) collapsed to one space; zero-width marks dropped."""
    if not text:
        return ""
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return _SPACE_RE.sub(" ", text).strip()


def title_matches(ours: str | None, expected: str | None) -> bool:
    """Whether two titles are equal once whitespace and nbsp are normalized."""
    return normalize(ours) == normalize(expected)


def _utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def same_minute(ours: datetime | None, expected: datetime | None) -> bool:
    """Whether two instants fall in the same UTC minute (both None counts as a match)."""
    if ours is None or expected is None:
        return ours is None and expected is None
    a, b = _utc(ours), _utc(expected)
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def same_day(ours: datetime | None, expected: datetime | None) -> bool:
    """Whether two instants fall on the same day (UTC, or the expected value's own offset)."""
    if ours is None or expected is None:
        return ours is None and expected is None
    if _utc(ours).date() == _utc(expected).date():
        return True
    if expected.tzinfo is not None and ours.tzinfo is not None:
        return ours.astimezone(expected.tzinfo).date() == expected.date()
    return ours.date() == expected.date()


def _set_key(item: str) -> str:
    return normalize(item).casefold()


def same_set(ours: Iterable[str], expected: Iterable[str]) -> bool:
    """Whether two lists hold the same items, ignoring order, case and whitespace."""
    return {_set_key(i) for i in ours if normalize(i)} == {
        _set_key(i) for i in expected if normalize(i)
    }


def set_f1(ours: Iterable[str], expected: Iterable[str]) -> float:
    """F1 of two sets of names (case and whitespace ignored); 1.0 when both are empty."""
    a = {_set_key(i) for i in ours if normalize(i)}
    b = {_set_key(i) for i in expected if normalize(i)}
    if not a and not b:
        return 1.0
    common = len(a & b)
    if common == 0:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def tokens(text: str | None) -> list[str]:
    """The words of ``text`` as the Zyte benchmark cuts them (runs of ``\\w``)."""
    return _WORD_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Counts of the ``n``-word shingles of ``text`` (one short shingle if fewer words)."""
    words = tokens(text)
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class BodyScore:
    """One page's shingle match: TP, FP and FN normalized by their sum."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0 when nothing was predicted (an empty extraction is a miss)."""
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1 when nothing was expected."""
        if self.tp + self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def body_score(ours: str | None, expected: str | None, n: int = 4) -> BodyScore:
    """Shingle TP/FP/FN of ``ours`` against ``expected``, normalized by their sum."""
    pred, true = shingles(ours, n), shingles(expected, n)
    tp = fp = fn = 0
    for key in pred.keys() | true.keys():
        p, t = pred.get(key, 0), true.get(key, 0)
        tp += min(p, t)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total == 0:
        return BodyScore(0.0, 0.0, 0.0)
    return BodyScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class BodyScores:
    """Precision and recall averaged over pages, and the F1 of those two averages."""

    precision: float
    recall: float
    f1: float
    pages: int

    @classmethod
    def combine(cls, scores: Sequence[BodyScore]) -> BodyScores:
        if not scores:
            return cls(0.0, 0.0, 0.0, 0)
        precision = sum(s.precision for s in scores) / len(scores)
        recall = sum(s.recall for s in scores) / len(scores)
        return cls(precision, recall, f1(precision, recall), len(scores))


def paragraphs_matched(ours: Iterable[str], expected: Iterable[str]) -> float:
    """Share of the expected paragraphs found exactly (whitespace-normalized) among ours."""
    wanted = [normalize(p) for p in expected if normalize(p)]
    if not wanted:
        return 1.0
    have = {normalize(p) for p in ours}
    return sum(p in have for p in wanted) / len(wanted)


def snippets_present(text: str | None, snippets: Iterable[str]) -> float:
    """Share of ``snippets`` found in ``text`` (whitespace-normalized); 1.0 when none given."""
    wanted = [normalize(s) for s in snippets if normalize(s)]
    if not wanted:
        return 1.0
    haystack = normalize(text)
    return sum(s in haystack for s in wanted) / len(wanted)


def snippets_absent(text: str | None, snippets: Iterable[str]) -> float:
    """Share of ``snippets`` NOT found in ``text``; 1.0 when none given."""
    wanted = [normalize(s) for s in snippets if normalize(s)]
    if not wanted:
        return 1.0
    haystack = normalize(text)
    return sum(s not in haystack for s in wanted) / len(wanted)


@dataclass(frozen=True)
class SnippetCounts:
    """Snippets of one or more pages: ``with`` found (TP) or missed (FN), ``without`` found (FP).

    As trafilatura's own evaluation counts them: precision TP / (TP + FP), recall
    TP / (TP + FN), summed over the pages of a set before dividing.
    """

    tp: int
    fn: int
    fp: int
    tn: int

    @classmethod
    def of(cls, text: str | None, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
        haystack = normalize(text)
        wanted = [normalize(s) for s in with_ if normalize(s)]
        unwanted = [normalize(s) for s in without if normalize(s)]
        tp = sum(s in haystack for s in wanted)
        fp = sum(s in haystack for s in unwanted)
        return cls(tp, len(wanted) - tp, fp, len(unwanted) - fp)

    @classmethod
    def total(cls, counts: Sequence[SnippetCounts]) -> SnippetCounts:
        return cls(
            sum(c.tp for c in counts),
            sum(c.fn for c in counts),
            sum(c.fp for c in counts),
            sum(c.tn for c in counts),
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)
