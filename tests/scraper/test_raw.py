"""`newsrack raw URL`: the latest stored raw page of a URL, byte for byte as it was served."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import later, page, save

URL = "http://n.test/articles/1"
#: cp1252 bytes, a NUL and bytes that are not UTF-8: nothing may be re-encoded on the way out
SERVED = "<html><meta charset=windows-1252><p>Aïn Sebaâ – élu</p>".encode("cp1252") + b"\x00\xff"


def raw(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "raw", *args])


@pytest.fixture
def db(archive_db):
    path = archive_db
    with Archive(path) as archive:
        save(archive, URL, html="<html>first version</html>")
        served = replace(page(URL, b"x", at=later(30)), body=SERVED, text=None)
        archive.record_page(served, site="s", run_id=None, kind="article")
        failed = page(URL, b"", at=later(60), status="not_modified")
        archive.record_page(failed, site="s", run_id=None, kind="article")
    return path


def test_raw_writes_the_latest_stored_body_byte_for_byte(db, tmp_path) -> None:
    result = raw(db, URL)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == SERVED
    assert result.stderr.startswith(f"{URL} fetched 2025-05-09T10:30:00Z, {len(SERVED)} bytes")
    out = tmp_path / "page.html"
    assert raw(db, URL + "#frag", "--output", str(out)).exit_code == 0  # normalized URL too
    assert out.read_bytes() == SERVED


def test_raw_of_an_unknown_or_bad_url_is_one_line(db) -> None:
    missing = raw(db, "http://n.test/none")
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1
    assert "no stored raw page" in missing.stderr
    bad = raw(db, "http://[::1")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "is not a URL" in bad.stderr


def test_history_of_a_bad_url_or_site_is_one_line(db) -> None:
    def history(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db), "history", *args])

    result = history("http://[::1")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "is not a URL" in result.stderr
    unknown = history(URL, "--site", "nosuch")
    assert unknown.exit_code == 2 and "no such site; known sites:" in unknown.stderr
    assert history(URL, "--site", "s").exit_code == 0
    with Archive(db) as archive:
        save(archive, "http://o.test/2", site="other")
    elsewhere = history(URL, "--site", "other")
    assert elsewhere.exit_code == 1 and "no such article in site other of" in elsewhere.stderr
    assert history(URL, "--site", "s", "--json").stdout.startswith('{"url": "http://n.test/')
