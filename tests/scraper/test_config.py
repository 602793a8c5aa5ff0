"""config.toml validation: every kind of bad config is exit 2 and one stderr line naming the key."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.config import load_config, parse_duration

GOOD_SITE = '[sites.s]\nparser = "walaw"\nstart_urls = ["https://fr.walaw.press/"]\n'


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[fetch]\ntimout = 20\n", ["[fetch]", "timout", "timeout"]),
        ('[fetch]\ntimeout = "fast"\n', ["[fetch]", "timeout", "number"]),
        ('[fetch]\nobey_robots = "yes"\n', ["obey_robots", "true or false"]),
        ("[fetch]\nmax_attempts = 0\n", ["max_attempts", "whole number >= 1"]),
        ("[colour]\nx = 1\n", ["[colour]", "unknown section"]),
        (GOOD_SITE + 'parsr = "walaw"\n', ["[sites.s]", "parsr"]),
        (
            '[sites.s]\nparser = "nope"\nstart_urls = ["https://a.org/"]\n',
            ["[sites.s]", "parser", "nope", "walaw"],
        ),
        (
            '[sites.s]\nparser = "walaw"\nstart_urls = ["ftp://a.org/"]\n',
            ["start_urls", "http(s) URL"],
        ),
        ('[sites.s]\nparser = "walaw"\nstart_urls = "https://a.org/"\n', ["start_urls", "list"]),
        ('[sites.s]\nparser = "walaw"\n', ["[sites.s]", "start_urls", "required"]),
        (GOOD_SITE + 'timezone = "Mars/Olympus"\n', ["timezone", "Mars/Olympus", "IANA"]),
        (GOOD_SITE + 'every = "often"\n', ["every", "often", "duration"]),
        (GOOD_SITE + 'cron = "every day"\n', ["cron", "5-field"]),
        (GOOD_SITE + 'every = "5m"\ncron = "* * * * *"\n', ["every and cron"]),
        (GOOD_SITE + 'revisit = ["1h", "soon"]\n', ["revisit", "duration"]),
        ("[fetch\n", ["not valid TOML"]),
    ],
)
def test_bad_config_exits_2_with_one_line_naming_the_key(tmp_path, text, names) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["--config", str(path), "sites"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsrack: error: ")
    assert str(path) in lines[0]
    for name in names:
        assert name in lines[0]
    assert "Traceback" not in result.output


def test_missing_explicit_config_is_exit_2(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "none.toml"), "sites"])
    assert result.exit_code == 2
    assert "no such config file" in result.stderr


def test_config_and_db_come_from_the_environment(tmp_path, monkeypatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD_SITE + 'every = "90s"\n')
    monkeypatch.setenv("NEWSRACK_CONFIG", str(path))
    result = CliRunner().invoke(cli, ["sites"])
    assert result.exit_code == 0
    assert result.output.split() == ["s", "walaw", "every", "90s", "UTC", "https://fr.walaw.press/"]


def test_shipped_config_is_valid_and_enables_the_seed_site() -> None:
    config = load_config("config.toml")
    site = config.site("walaw_fr")
    assert site.parser == "walaw" and site.enabled
    assert site.start_urls == ("https://fr.walaw.press/",)
    assert site.timezone == "Africa/Casablanca"
    assert config.archive_path.name == "archive.db" and config.archive_path.parent.name == "data"


def test_unknown_site_on_the_command_line_is_exit_2(tmp_path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD_SITE)
    result = CliRunner().invoke(
        cli, ["--config", str(path), "--db", str(tmp_path / "a.db"), "crawl", "nosuch"]
    )
    assert result.exit_code == 2
    assert "no site named 'nosuch'" in result.stderr


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("10m", 600), ("6h", 21600), ("1d", 86400), ("0s", 0), ("1.5h", 5400)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds
