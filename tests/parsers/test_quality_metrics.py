"""The scorer's metrics (``bench.metrics``) on tiny strings of our own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bench.metrics import (
    BodyScore,
    BodyScores,
    body_score,
    normalize,
    paragraphs_matched,
    same_day,
    same_minute,
    same_set,
    set_f1,
    shingles,
    snippets_absent,
    snippets_present,
    title_matches,
    tokens,
)

PARIS = timezone(timedelta(hours=2))


def test_normalize_collapses_nbsp_newlines_and_zero_width() -> None:
    assert normalize(" a\u00a0b\n\n c\u200bd ") == "a b cd"
    assert normalize(None) == ""


def test_title_matches_after_whitespace_normalization() -> None:
    assert title_matches("Binet met en garde\u00a0Macron", "Binet met en garde Macron")
    assert not title_matches("Binet met en garde", "Binet met en garde Macron")


def test_same_minute_compares_instants_across_offsets() -> None:
    paris = datetime(2024, 5, 1, 10, 30, 59, tzinfo=PARIS)
    assert same_minute(datetime(2024, 5, 1, 8, 30, tzinfo=UTC), paris)
    assert not same_minute(datetime(2024, 5, 1, 8, 31, tzinfo=UTC), paris)
    assert same_minute(None, None)
    assert not same_minute(None, paris)


def test_naive_times_are_taken_as_utc() -> None:
    assert same_minute(datetime(2024, 5, 1, 8, 30), datetime(2024, 5, 1, 8, 30, tzinfo=UTC))


def test_same_day_accepts_the_expected_local_date() -> None:
    late = datetime(2024, 5, 1, 23, 30, tzinfo=UTC)  # 2 May in Paris
    assert same_day(late, datetime(2024, 5, 2, 1, 30, tzinfo=PARIS))
    assert not same_day(late, datetime(2024, 5, 4, 1, 30, tzinfo=PARIS))


def test_sets_ignore_order_case_and_blanks() -> None:
    assert same_set(["Ana Ruiz", "tom bell"], ["Tom Bell", "ana ruiz", ""])
    assert not same_set(["Ana Ruiz"], ["Ana Ruiz", "Tom Bell"])
    assert set_f1(["a", "b"], ["b", "c"]) == pytest.approx(0.5)
    assert set_f1([], []) == 1.0


def test_tokens_and_shingles() -> None:
    assert tokens("L'été, c'est-à-dire 2024!") == ["L", "été", "c", "est", "à", "dire", "2024"]
    assert shingles("one two three four five") == {
        ("one", "two", "three", "four"): 1,
        ("two", "three", "four", "five"): 1,
    }
    assert shingles("only two") == {("only", "two"): 1}
    assert shingles("") == {}


def test_body_score_counts_repeated_shingles() -> None:
    exact = body_score("a b c d e", "a b c d e")
    assert (exact.tp, exact.fp, exact.fn) == (1.0, 0.0, 0.0)
    # ours repeats the text: 2 true positives, 2 false positives, out of 4
    doubled = body_score("a b c d a b c d", "a b c d")
    assert doubled.tp == pytest.approx(1 / 5)
    assert doubled.precision == pytest.approx(1 / 5)
    assert doubled.recall == 1.0


def test_body_score_of_an_empty_extraction_is_zero() -> None:
    empty = body_score("", "a b c d e")
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert body_score("", "").f1 == 1.0


def test_scores_average_precision_and_recall_then_take_f1() -> None:
    pages = [BodyScore(0.5, 0.5, 0.0), BodyScore(1.0, 0.0, 0.0)]
    combined = BodyScores.combine(pages)
    assert combined.precision == pytest.approx(0.75)
    assert combined.recall == pytest.approx(1.0)
    assert combined.f1 == pytest.approx(2 * 0.75 / 1.75)
    assert BodyScores.combine([]).pages == 0


def test_paragraphs_matched_is_the_share_of_expected_found_exactly() -> None:
    assert paragraphs_matched(["A  b.", "C."], ["A b.", "D.", "C."]) == pytest.approx(2 / 3)
    assert paragraphs_matched([], []) == 1.0


def test_snippets_present_and_absent() -> None:
    text = "Le pont a rouvert\u00a0lundi. Partager sur X"
    assert snippets_present(text, ["pont a rouvert lundi", "mardi"]) == 0.5
    assert snippets_absent(text, ["Partager sur X", "Publicité"]) == 0.5
    assert snippets_present(text, []) == 1.0


def test_expected_text_is_the_summary_then_each_headline_before_its_own_paragraphs() -> None:
    from bench.corpus import expected_record

    record = {
        "body": {
            "summary": ["Le chapeau."],
            "sections": [
                {"headline": [], "paragraphs": ["Premier paragraphe.", "Deuxième."]},
                {"headline": ["Un intertitre"], "paragraphs": ["Troisième paragraphe."]},
            ],
        }
    }
    assert expected_record(record).body_text.split("\n") == [
        "Le chapeau.",
        "Premier paragraphe.",
        "Deuxième.",
        "Un intertitre",
        "Troisième paragraphe.",
    ]


def test_snippet_counts_sum_over_pages_before_dividing() -> None:
    from bench.metrics import SnippetCounts

    one = SnippetCounts.of("Alpha beta. Menu", ["Alpha beta", "gamma"], ["Menu", "Footer"])
    assert (one.tp, one.fn, one.fp, one.tn) == (1, 1, 1, 1)
    two = SnippetCounts.of("gamma", ["gamma"], ["Menu"])
    both = SnippetCounts.total([one, two])
    assert (both.tp, both.fn, both.fp, both.tn) == (2, 1, 1, 2)
    assert both.precision == pytest.approx(2 / 3)
    assert both.recall == pytest.approx(2 / 3)
    assert SnippetCounts.of("", [], []).recall == 1.0
