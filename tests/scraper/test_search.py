"""`newsrack search`: FTS5 without accents, bm25 order, filters, snippets, JSON, bad queries."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from scraper.search import parse_when
from tests.support.archive_helpers import later, save
from tests.support.archives import is_pg


def raw(db, sqlite_syntax: str, postgres_syntax: str) -> str:
    """A --raw query in the syntax of the archive's engine (FTS5 or tsquery)."""
    return postgres_syntax if is_pg(db) else sqlite_syntax


@pytest.fixture
def db(archive_db):
    path = archive_db
    with Archive(path) as archive:
        save(
            archive,
            "http://n.test/1",
            title="Un tramway pour Aïn Sebaâ",
            body="Le quartier d’Aïn Sebaâ aura sa ligne.",
            published_at=datetime(2025, 5, 1, tzinfo=UTC),
        )
        save(
            archive,
            "http://n.test/2",
            title="Le port de Safi",
            body="Un quai neuf. Les habitants d’Ain Sebaa sont venus voir.",
            published_at=datetime(2025, 5, 5, tzinfo=UTC),
        )
        save(
            archive,
            "http://o.test/3",
            title="Budget",
            body="Rien à voir avec le tramway.",
            site="other",
            published_at=datetime(2025, 5, 7, tzinfo=UTC),
        )
    return path


def run(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "search", *args])


def test_query_without_accents_finds_accented_text_title_hits_first(db) -> None:
    result = run(db, "ain sebaa", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [h["url"] for h in hits] == ["http://n.test/1", "http://n.test/2"]
    assert set(hits[0]) == {"url", "title", "published_at", "snippet", "site"}
    assert hits[0]["title"] == "Un tramway pour Aïn Sebaâ"
    assert hits[0]["published_at"] == "2025-05-01T00:00:00Z"
    assert "[Aïn] [Sebaâ]" in hits[0]["snippet"]


def test_filters_site_since_until_and_limit(db) -> None:
    def urls(*args: str) -> list[str]:
        result = run(db, *args, "--json")
        assert result.exit_code == 0, result.output
        return [h["url"] for h in json.loads(result.output)]

    assert urls("tramway") == ["http://n.test/1", "http://o.test/3"]
    assert urls("tramway", "--site", "other") == ["http://o.test/3"]
    assert urls("tramway", "--since", "2025-05-02") == ["http://o.test/3"]
    assert urls("tramway", "--until", "2025-05-02") == ["http://n.test/1"]
    either = raw(db, "sebaa OR tramway", "sebaa | tramway")
    assert urls(either, "--raw", "--limit", "1") == ["http://n.test/1"]
    assert urls("introuvable") == []


def test_text_output_lists_title_url_and_snippet(db) -> None:
    result = run(db, "quai")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "1. Le port de Safi  [s, 2025-05-05T00:00:00Z]",
        "   http://n.test/2",
        "   Un [quai] neuf. Les habitants d’Ain Sebaa sont venus voir.",
    ]


@pytest.mark.parametrize("bad", ['"unclosed', "AND AND", "nosuchcolumn:word", "a + (b"])
def test_malformed_raw_query_is_one_line_exit_2(db, bad: str) -> None:
    result = run(db, raw(db, bad, bad.replace('"unclosed', "a & (b")), "--raw")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("newsrack: error: cannot read the search query")
    assert result.stderr.count("\n") == 1


def test_bad_time_filter_is_a_usage_error(db) -> None:
    result = run(db, "tramway", "--since", "yesterday-ish")
    assert result.exit_code == 2
    assert "expected a date" in result.stderr


def test_parse_when_reads_dates_times_and_durations() -> None:
    now = later(0)
    assert parse_when("2025-05-09") == "2025-05-09T00:00:00Z"
    assert parse_when("2025-05-09T10:00+01:00") == "2025-05-09T09:00:00Z"
    assert parse_when("90m", now) == "2025-05-09T08:30:00Z"
    with pytest.raises(ValueError):
        parse_when("soon")


def test_installed_command_searches(db, newsrack) -> None:
    result = newsrack("--db", str(db), "search", "safi", "--json")
    assert result.returncode == 0, result.stderr
    assert [h["url"] for h in json.loads(result.stdout)] == ["http://n.test/2"]
    bad = newsrack("--db", str(db), "search", raw(db, '"oops', "oops & (b"), "--raw")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.fixture
def french(archive_db):
    path = archive_db
    with Archive(path) as archive:
        save(archive, "http://n.test/ext", title="Espèces menacées",
             body="Le risque de l'extinction des abeilles grandit.")  # fmt: skip
        save(archive, "http://n.test/ip", title="Tensions Inde-Pakistan",
             body="La frontière reste fermée.")  # fmt: skip
        save(archive, "http://n.test/cov", title="Santé",
             body="Une nouvelle vague de covid-19 à Rabat.", at=later(60 * 24 * 3))  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("query", "url"),
    [
        ("l'extinction", "http://n.test/ext"),
        ("Inde-Pakistan", "http://n.test/ip"),
        ("covid-19", "http://n.test/cov"),
        ("NOT", None),  # an operator word is a word without --raw
    ],
)
def test_terms_are_quoted_by_default(french, query: str, url: str | None) -> None:
    result = run(french, query, "--json")
    assert result.exit_code == 0, result.output
    assert [h["url"] for h in json.loads(result.output)] == ([url] if url else [])


def test_raw_passes_fts_syntax_through(french) -> None:
    result = run(french, raw(french, "abeilles OR frontière", "abeilles | frontière"), "--raw",
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {h["url"] for h in json.loads(result.output)} == {
        "http://n.test/ext",
        "http://n.test/ip",
    }
    assert run(french, "abeilles OR frontière", "--json").output.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("*",), "has no word to look for"),
        (("*", "--raw"), "has no word to look for"),
        ((" ".join(["mot"] * 33),), "33 terms; at most 32"),
        (("m" * 501,), "501 characters; at most 500"),
        (("x", "--since", "99999999999d"), "--since '99999999999d'"),
        (("x", "--until", "0001-01-01T00:00:00+05:00"), "outside years 1-9999"),
        (("x", "--seen-since", "9999-12-31T23:59:59-05:00"), "outside years 1-9999"),
        (("x", "--limit", "99999999999999999999"), "--limit 99999999999999999999: expected"),
        (("x", "--limit", "0"), "from 1 to 10000"),
        (("x", "--site", "nosuch"), "--site 'nosuch': no such site; known sites:"),
    ],
)
def test_bad_arguments_are_one_line_exit_2(french, args, expected: str) -> None:
    result = run(french, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr


def test_unknown_site_names_configured_and_archived_sites(french, tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[sites.lemonde]\nparser = "generic"\nstart_urls = ["https://m.test/"]\n')
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(french), "search", "x", "--site", "nope"]
    )
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("known sites: lemonde, s")


def test_seen_since_filters_on_first_seen(french) -> None:
    def urls(*args: str) -> list[str]:
        result = run(french, *args, "--json")
        assert result.exit_code == 0, result.output
        return sorted(h["url"] for h in json.loads(result.output))

    either = raw(french, "rabat OR frontière", "rabat | frontière")
    assert urls(either, "--raw") == ["http://n.test/cov", "http://n.test/ip"]
    assert urls(either, "--raw", "--seen-since", "2025-05-10") == ["http://n.test/cov"]
    assert urls(either, "--raw", "--seen-until", "2025-05-10") == ["http://n.test/ip"]


def test_installed_search_piped_into_head_exits_0(french) -> None:
    import subprocess

    from tests.support.commands import NEWSRACK

    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {NEWSRACK.parent}")
    with Archive(french) as archive:
        for i in range(300):
            save(archive, f"http://n.test/many/{i}", title=f"Tramway {i}", body="tramway " * 50)
    done = subprocess.run(
        f"'{NEWSRACK}' --db '{french}' search tramway --limit 300 | head -2",
        shell=True, capture_output=True, text=True, timeout=60,
        executable="/bin/bash", env={"PATH": "/usr/bin:/bin", "SHELLOPTS": "pipefail"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2 and done.stderr == ""


def test_installed_search_of_bytes_that_are_not_utf8_is_answered(french, newsrack) -> None:
    import os
    import subprocess

    from tests.support.commands import NEWSRACK

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    done = subprocess.run(
        [os.fsencode(NEWSRACK), b"--db", os.fsencode(french), b"search", b"abeilles\xff"],
        capture_output=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    "hostile",
    ["'", "\\", "a:*", "!(abeilles|x)", "<-> <2>", "x\x00y", "é" * 400, "((((", "NEAR(a b)",
     "abeilles:A", "a & b | !c", "covid-19 -- ;DROP TABLE articles"],
)  # fmt: skip
def test_hostile_queries_without_raw_are_searched_as_words(french, hostile: str) -> None:
    result = run(french, hostile, "--json")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and "no word to look for" in result.stderr
    else:
        assert isinstance(json.loads(result.output), list)
    assert run(french, "abeilles", "--json").exit_code == 0  # the archive is intact
