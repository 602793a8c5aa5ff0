"""`newsrack copy-archive`: SQLite -> PostgreSQL -> SQLite gives back every row; a copy killed
mid-way resumes without doubling a row; a destination holding another archive is refused."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parsers.base import TickerItem
from scraper.archive import COPY_TABLES, Archive
from scraper.cli import cli
from tests.support.archive_helpers import later, page, query, save
from tests.support.archives import pg_schema
from tests.support.commands import NEWSRACK


def fill(db: Path | str, articles: int, *, start: int = 0) -> None:
    with Archive(db) as archive:
        run = archive.start_run("s", later(0))
        for i in range(start, start + articles):
            save(archive, f"http://n.test/{i}", title=f"Été {i}", body=f"Le corps {i}.",
                 at=later(i % 40), run_id=run)  # fmt: skip
        save(archive, f"http://n.test/{start}", body="Une révision.", at=later(90), run_id=run)
        archive.record_page(page("http://n.test/", "<html>liste</html>"), site="s", run_id=run,
                            kind="listing")  # fmt: skip
        for minute, title in ((0, "Le port ouvre"), (5, "Le port a ouvert")):
            archive.save_ticker_item("s", TickerItem(title, "http://n.test/t"),
                                     url="http://n.test/t", published_at=None,
                                     seen_at=later(start + minute))  # fmt: skip
        archive.remember_listing("s", "http://n.test/", ["k"], ["http://n.test/1"], later(1))


def dump(db: Path | str) -> dict[str, list[dict]]:
    """Every row of every table, as the archive exports them, keys in order."""
    with Archive(db, create=False) as archive:
        return {
            table: [
                r for r in archive.export_stream(table)
                if not str(r.get("key", "")).startswith("copy:")
            ]
            for table in COPY_TABLES
        }  # fmt: skip


def copy(src: Path | str, dest: Path | str, *args: str):
    return CliRunner().invoke(cli, ["copy-archive", str(src), str(dest), *args])


@pytest.fixture
def pg(pg_url: str):
    with pg_schema(pg_url) as url:
        yield url


def test_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path, pg: str) -> None:
    src, back = tmp_path / "src.db", tmp_path / "back.db"
    fill(src, 120)
    there = copy(src, pg, "--batch", "7")
    assert there.exit_code == 0, there.output
    assert "articles: 120 copied, 120 in" in there.output
    with Archive(pg, create=False) as archive:  # the copy is searchable, accents ignored
        assert [h["url"] for h in archive.search_articles("ete 7")] == ["http://n.test/7"]
        assert archive.search_articles("revision")[0]["url"] == "http://n.test/0"
    assert copy(pg, back).exit_code == 0
    assert dump(back) == dump(src) != {}
    assert query(back, "SELECT count(*) FROM ticker_titles") == [(2,)]
    with Archive(pg) as archive:  # new ids go on after the copied ones
        assert archive.start_run("s", later(200)) == 2


def test_a_second_run_of_a_finished_copy_copies_nothing(tmp_path, pg: str) -> None:
    src = tmp_path / "src.db"
    fill(src, 30)
    assert copy(src, pg).exit_code == 0
    again = copy(src, pg)
    assert again.exit_code == 0, again.output
    assert "articles: 0 copied, 31 in" not in again.output
    assert "articles: 0 copied, 30 in" in again.output and "copied 0 rows" in again.output
    assert query(pg, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(30, 30)]


def test_a_destination_holding_another_archive_is_refused(tmp_path, pg: str) -> None:
    src = tmp_path / "src.db"
    fill(src, 3)
    with Archive(pg) as archive:
        save(archive, "http://other.test/1")
    result = copy(src, pg)
    assert result.exit_code == 1
    assert "already holds an archive (bodies, pages, articles" in result.stderr
    assert result.stderr.count("\n") == 1
    same = copy(src, src)
    assert same.exit_code == 2 and "SRC and DEST are the same archive" in same.stderr


def test_a_copy_killed_mid_way_resumes_without_doubling(tmp_path, pg: str) -> None:
    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {NEWSRACK.parent}")
    src, back = tmp_path / "src.db", tmp_path / "back.db"
    fill(src, 1500)
    proc = subprocess.Popen(
        [str(NEWSRACK), "copy-archive", str(src), pg, "--batch", "20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if query(pg, "SELECT to_regclass('meta') IS NOT NULL") == [(True,)] and query(
            pg, "SELECT value FROM meta WHERE key = 'copy:articles'"
        ):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    [(copied,)] = query(pg, "SELECT count(*) FROM articles")
    assert 0 < copied < 1500  # killed mid-table
    result = copy(src, pg, "--batch", "200")
    assert result.exit_code == 0, result.output
    assert f"articles: {1500 - copied} copied, 1500 in" in result.output
    assert copy(pg, back).exit_code == 0
    assert dump(back) == dump(src)
    assert json.loads(query(pg, "SELECT value FROM meta WHERE key = 'copy:articles'")[0][0]) == 1500
