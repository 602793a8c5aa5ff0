"""`newsrack stats`: per-site counts, fetch span, error rate, archive size and compression."""

from __future__ import annotations

import json

from click.testing import CliRunner

from parsers.base import TickerItem
from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import later, page, save

HTML = "<html><body>" + "<p>Un paragraphe qui se répète.</p>" * 100 + "</body></html>"


def test_stats_counts_per_site_and_compression(tmp_path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", html=HTML)
        save(archive, "http://n.test/1", body="Changé.", html=HTML, at=later(10))
        save(archive, "http://o.test/2", site="other", html=HTML + "<!-- 2 -->", at=later(20))
        failed = page("http://n.test/3", at=later(30))
        failed = failed.__class__(
            **{**failed.__dict__, "status": "error", "error_kind": "http_status", "body": b""}
        )
        archive.record_page(failed, site="s", run_id=None, kind="article")
        archive.save_ticker_item(
            "s",
            TickerItem("T", "http://n.test/1"),
            url="http://n.test/1",
            published_at=None,
            seen_at=later(0),
        )
    result = CliRunner().invoke(cli, ["--db", str(db), "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [
        (s["site"], s["articles"], s["revisions"], s["ticker_items"], s["pages"], s["errors"])
        for s in data["sites"]
    ] == [("other", 1, 1, 0, 1, 0), ("s", 1, 2, 1, 3, 1)]
    s = data["sites"][1]
    assert (s["first_fetch"], s["last_fetch"], s["error_rate"]) == (
        "2025-05-09T10:00:00Z",
        "2025-05-09T10:30:00Z",
        0.3333,
    )
    assert data["bodies"] == 2
    assert data["raw_bytes"] == 2 * len(HTML.encode()) + len("<!-- 2 -->")
    assert data["compression_ratio"] > 10
    assert data["file_bytes"] >= db.stat().st_size > 0

    text = CliRunner().invoke(cli, ["--db", str(db), "stats"]).output.splitlines()
    assert text[0].split() == [
        "site",
        "articles",
        "revisions",
        "ticker",
        "pages",
        "errors",
        "first",
        "fetch",
        "last",
    ]
    assert text[2].split()[:6] == ["s", "1", "2", "1", "3", "33.3%"]
    assert "2 distinct raw pages" in text[-1] and "(zstd," in text[-1]


def test_stats_of_one_site_and_an_unknown_site(tmp_path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", html=HTML)
        save(archive, "http://o.test/2", site="other", html=HTML)
    one = CliRunner().invoke(cli, ["--db", str(db), "stats", "--json", "--site", "other"])
    assert one.exit_code == 0, one.output
    assert [s["site"] for s in json.loads(one.output)["sites"]] == ["other"]
    bad = CliRunner().invoke(cli, ["--db", str(db), "stats", "--site", "nosuch"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    assert "known sites:" in bad.stderr and "other, s" in bad.stderr
