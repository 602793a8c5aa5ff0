"""Author names, headlines and keywords cleaned (``parsers.cleanup``), in linear time."""

from __future__ import annotations

import time

import pytest

from parsers.cleanup import (
    clean_author,
    reversed_name,
    split_authors,
    split_keywords,
    strip_site_name,
    unescape,
)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Par Salma Benali", "Salma Benali"),
        ("By: Jane Doe", "Jane Doe"),
        ("written by  John Smith", "John Smith"),
        ("Jane Doe jane@example.org", "Jane Doe"),
        ("Mis à jour le 9 mai 2025", None),
        ("Jane Doe 11:07", None),
        ("https://example.org/jane", None),
        ("x" * 300, None),
    ],
)
def test_clean_author(raw: str, name: str | None) -> None:
    assert clean_author(raw) == name


def test_split_authors_splits_on_and_et_commas_and_drops_the_site_when_others_remain() -> None:
    assert split_authors(["Ana Ruiz et Paul Martin, Le Site"], "Le Site") == (
        "Ana Ruiz",
        "Paul Martin",
    )
    assert split_authors(["Le Site"], "Le Site") == ("Le Site",)


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Un budget voté | Le Site", "Le Site", "Un budget voté"),
        ("Le Site - Un budget voté", "Le Site", "Un budget voté"),
        ("Riots - live updates", "Le Site", "Riots - live updates"),
        (
            "Un budget voté après une longue séance | Rubrique | X",
            None,
            "Un budget voté après une longue séance",
        ),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site) == expected


def test_small_helpers() -> None:
    assert reversed_name("Doe, Jane") == "Jane Doe"
    assert reversed_name("Jane Doe") == "Jane Doe"
    assert unescape("L&#039;été  chaud") == "L'été chaud"
    assert split_keywords("a, b ,a,, c") == ("a", "b", "c")


@pytest.mark.parametrize(
    "raw",
    ["By " + "A" * 50_000, "Par " + "Jean Dupont et " * 5000, "x@" * 50_000, " " * 50_000 + "a"],
)
def test_long_bylines_cost_linear_time(raw: str) -> None:
    start = time.process_time()
    split_authors([raw])
    clean_author(raw)
    assert time.process_time() - start < 1.0
