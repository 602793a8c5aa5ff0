"""What every ``newsrack`` command does alike: group options after the command, one JSON style,
JSON errors under ``--log-format json``, exit 0 when stdout's reader goes away; and ``parse``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess

import pytest

from tests.support.commands import NEWSRACK, site_config
from tests.support.httpserver import Page
from tests.support.walaw_site import STORIES, article_a, site_routes


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}


@pytest.fixture
def walaw(server, tmp_path):
    for path, html in site_routes(STORIES[:2]).items():
        server.routes[path] = Page(html)
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    return server, config, tmp_path / "archive.db"


def test_group_options_are_accepted_after_the_command(walaw, newsrack) -> None:
    _, config, db = walaw
    crawled = newsrack("crawl", "--config", str(config), f"--db={db}", "--log-level", "error")
    assert crawled.returncode == 0, crawled.stderr
    found = newsrack("search", "Safi", "--db", str(db))
    assert found.returncode == 0, found.stderr
    assert STORIES[0].title in found.stdout
    listed = newsrack("sites", "--json", "--config", str(config))
    assert json.loads(listed.stdout)["name"] == "walaw_test"


def test_crawl_json_prints_one_summary_per_site_and_runs_each_site_once(walaw, newsrack) -> None:
    _, config, db = walaw
    result = newsrack(
        "--config", str(config), "--db", str(db), "crawl", "walaw_test", "walaw_test", "--json"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # piped: one object per line
    summary = json.loads(lines[0])
    assert summary["site"] == "walaw_test" and summary["status"] == "ok"
    assert summary["new_articles"] == 2 and summary["errors"] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_reparse_json_is_one_object(walaw, newsrack) -> None:
    _, config, db = walaw
    assert newsrack("--config", str(config), "--db", str(db), "crawl").returncode == 0
    result = newsrack("--config", str(config), "--db", str(db), "reparse", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "reparsed": 2,
        "revised": 0,
        "unchanged": 2,
        "failed": 0,
        "failures": [],
    }


def test_sites_json_lists_every_site_one_per_line(tmp_path, newsrack) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        site_config("http://127.0.0.1:1", name="a")
        + '[sites.b]\nparser = "generic"\nstart_urls = ["https://b.test/"]\nenabled = false\n'
    )
    result = newsrack("--config", str(config), "sites", "--json")
    assert result.returncode == 0, result.stderr
    sites = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["name"], s["parser"], s["enabled"]) for s in sites] == [
        ("a", "walaw", True),
        ("b", "generic", False),
    ]
    assert sites[0]["timezone"] == "Africa/Casablanca"
    assert sites[1]["start_urls"] == ["https://b.test/"]


@pytest.mark.parametrize(
    "args",
    [
        ("--log-format", "json", "crawl", "nosuch"),  # a config error
        ("crawl", "nosuch", "--log-format", "json"),  # the option after the command
        ("--log-format", "json", "fetch"),  # a usage error: no URL
        ("--log-format", "json", "fetch", "http://[::1"),
    ],
)
def test_errors_under_json_logs_are_one_json_line(tmp_path, newsrack, args) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config("http://127.0.0.1:1"))
    result = newsrack("--config", str(config), "--db", str(tmp_path / "a.db"), *args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    record = json.loads(lines[0])
    assert record["level"] == "error" and record["exit_code"] == 2
    assert record["message"]


def test_a_reader_that_goes_away_is_exit_0_and_silent(tmp_path) -> None:
    # enough sites that the listing outgrows a pipe's buffer: the reader closes after one line
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(
            f'[sites.site_{i}]\nparser = "generic"\nstart_urls = ["https://s{i}.test/{"x" * 80}"]\n'
            for i in range(1500)
        )
    )
    for args in (("sites",), ("sites", "--json")):
        proc = subprocess.Popen(
            [str(NEWSRACK), "--config", str(config), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env(),
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 0, err
        assert first.startswith(b"site_0") or first.startswith(b'{"name": "site_0"')
        assert err == b""


def test_parse_reads_a_file_or_standard_input(tmp_path, newsrack) -> None:
    story = STORIES[0]
    url = "https://fr.walaw.press" + story.path
    page = tmp_path / "page.html"
    page.write_text(article_a(story, STORIES[:3]), encoding="utf-8")
    from_file = newsrack("parse", str(page), "--url", url, "--json")
    assert from_file.returncode == 0, from_file.stderr
    article = json.loads(from_file.stdout)
    assert (article["title"], article["parser"]) == (story.title, "walaw")
    assert article["lead"] == story.lead

    piped = subprocess.run(
        [str(NEWSRACK), "parse", "-", "--url", url],
        input=page.read_bytes(),
        capture_output=True,
        env=env(),
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    text = piped.stdout.decode("utf-8")
    assert text.startswith(story.title + "\n") and story.paragraphs[-1] in text

    generic = newsrack("parse", str(page), "--url", url, "--parser", "generic", "--json")
    assert json.loads(generic.stdout)["parser"] == "generic"


def test_parse_of_a_page_without_article_or_a_missing_file_is_one_line(tmp_path, newsrack) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>")
    url = "https://example.org/2025/05/09/x"
    unreadable = newsrack("parse", str(empty), "--url", url)
    assert unreadable.returncode == 1
    assert unreadable.stderr.startswith(f"newsrack: error: {url}: ")
    assert unreadable.stderr.count("\n") == 1
    missing = newsrack("parse", str(tmp_path / "nope.html"), "--url", url)
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"newsrack: error: {tmp_path / 'nope.html'}: cannot read")
