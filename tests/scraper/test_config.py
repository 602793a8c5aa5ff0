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
        ("[fetch]\nmax_attempts = 0\n", ["max_attempts", "whole number from 1 to 100"]),
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
        (GOOD_SITE + 'feeds = "https://a.org/rss"\n', ["feeds", "list of up to 1000"]),
        (GOOD_SITE + 'feeds = ["file:///etc/passwd"]\n', ["feeds", "http(s) URL"]),
        (GOOD_SITE + "sitemaps = [1]\n", ["sitemaps", "http(s) URL"]),
        (GOOD_SITE + 'lookback = "10s"\n', ["lookback", "duration from 1h"]),
        (GOOD_SITE + 'lookback = "400d"\n', ["lookback", "366d"]),
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


def _one_line_exit_2(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "sites"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newsrack: error: {path}: ")
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[fetch]\ndelay = inf\n", ["[fetch] delay = inf", "finite number from 0 to 3600"]),
        ("[fetch]\ndelay = nan\n", ["[fetch] delay = nan", "finite number"]),
        ("[fetch]\ntimeout = nan\n", ["[fetch] timeout = nan", "above 0"]),
        ("[fetch]\ntimeout = 0\n", ["[fetch] timeout = 0", "above 0"]),
        ("[fetch]\nmax_bytes = 99999999999999999999\n", ["max_bytes", "whole number"]),
        ("[fetch]\nmax_crawl_delay = -1\n", ["max_crawl_delay", "from 0 to 86400"]),
        ("[fetch]\nparse_timeout = 0\n", ["[fetch] parse_timeout = 0", "above 0"]),
        ("[fetch]\nparse_timeout = nan\n", ["parse_timeout", "finite"]),
        ("[fetch]\nparse_workers = 0\n", ["[fetch] parse_workers = 0", "from 1 to"]),
        ("[daemon]\nmisfire_grace = nan\n", ["[daemon] misfire_grace = nan", "finite"]),
        ("[daemon]\njitter = inf\n", ["[daemon] jitter = inf", "finite number"]),
        ("[daemon]\nrun_timeout = 1e308\n", ["[daemon] run_timeout", "to 604800"]),
        (
            '[fetch]\nuser_agent = "a\\nb"\n',
            ['[fetch] user_agent = "a\\nb"', "printable ASCII", "no newline"],
        ),
        ('[fetch]\nuser_agent = "newsrack ç"\n', ["[fetch] user_agent", "ASCII"]),
        ('[archive]\npath = "data/a\\u0000.db"\n', ["[archive] path", "without NUL"]),
        (GOOD_SITE + 'every = "99999999999999d"\n', ["[sites.s] every", "from 1s to 3650d"]),
        (GOOD_SITE + 'every = "0.001s"\n', ["[sites.s] every", "from 1s to 3650d"]),
        (GOOD_SITE + 'revisit = ["99999999999d"]\n', ["[sites.s] revisit", "0s to 3650d"]),
        (GOOD_SITE + 'cron = "0 0 30 2 *"\n', ["[sites.s]", "never fires"]),
        (
            '[sites.s]\nparser = "walaw"\nstart_urls = ["http://[::1"]\n',
            ["[sites.s] start_urls", "port from 1 to 65535"],
        ),
        (
            '[sites.s]\nparser = "walaw"\nstart_urls = ["http://127.0.0.1:99999/"]\n',
            ["[sites.s] start_urls", "port from 1 to 65535"],
        ),
        (
            '[sites.s]\nparser = "walaw"\nstart_urls = ["http://a.org:0/"]\n',
            ["start_urls", "port from 1 to 65535"],
        ),
        (
            '[sites."a\\nb"]\nparser = "walaw"\nstart_urls = ["https://a.org/"]\n',
            ['[sites."a\\nb"]', "site name", "rename"],
        ),
        (
            '[sites."a b"]\nparser = "walaw"\nstart_urls = ["https://a.org/"]\n',
            ["site name", "letters, digits"],
        ),
    ],
)
def test_values_out_of_range_are_refused_with_the_bounds(tmp_path, text, names) -> None:
    line = _one_line_exit_2(tmp_path, text)
    for name in names:
        assert name in line


def test_defaults_are_written_once_and_the_tables_derive_from_them() -> None:
    from scraper.config import DaemonConfig, FetchConfig, SiteConfig, keys_of, required_keys

    assert list(keys_of(FetchConfig)) == [f for f in FetchConfig.__dataclass_fields__]
    assert required_keys(SiteConfig) == ["parser", "start_urls"]
    defaults = FetchConfig()
    assert (defaults.max_crawl_delay, defaults.parse_timeout) == (60.0, 10.0)
    assert defaults.parse_workers >= 1
    assert DaemonConfig().misfire_grace == 300.0
    site = SiteConfig(name="s", parser="walaw", start_urls=("https://a.org/",))
    assert (site.feeds, site.sitemaps, site.lookback) == ((), (), 2 * 86400.0)


def test_readme_and_shipped_config_show_the_defaults() -> None:
    """The README's and config.toml's example values are the defaults the code holds."""
    import re
    import tomllib
    from dataclasses import fields
    from pathlib import Path

    from scraper.config import DaemonConfig, FetchConfig

    readme = Path("README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    shown: dict[str, dict] = {}
    for block in blocks:
        for table, values in tomllib.loads(block).items():
            if table in ("fetch", "daemon"):
                shown.setdefault(table, {}).update(values)
    shipped = tomllib.loads(Path("config.toml").read_text(encoding="utf-8"))
    for table, cls in (("fetch", FetchConfig), ("daemon", DaemonConfig)):
        defaults = cls()
        names = {f.name for f in fields(cls)}
        assert set(shown[table]) == names - {"parse_workers"}, table  # its default is per machine
        for source in (shown[table], shipped.get(table, {})):
            for key, value in source.items():
                assert value == getattr(defaults, key), (table, key)


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


def test_archive_url_selects_postgresql_and_a_bad_one_is_one_line(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from scraper.config import archive_path

    monkeypatch.delenv("NEWSRACK_DB", raising=False)
    url = "postgresql://newsrack@127.0.0.1:5432/newsrack"
    config = tmp_path / "config.toml"
    config.write_text(f'[archive]\npath = "x.db"\nurl = "{url}"\n')
    assert archive_path(load_config(config)) == url  # url wins over path
    assert archive_path(load_config(config), "other.db") == Path("other.db")  # --db wins
    assert archive_path(load_config(config), "postgres://h/db") == "postgres://h/db"
    config.write_text('[archive]\nurl = "mysql://h/db"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "stats"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "a PostgreSQL URL, such as" in result.stderr
    assert "[archive] url" in result.stderr or "archive.url" in result.stderr, result.stderr
