"""WARC out and in: ``export --format warc`` read back by warcio, ``import`` of our own export
and of a warcio-written crawl with every kind of record, re-imports, a SIGKILLed import resumed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive
from scraper.warcimport import fingerprint
from tests.support.commands import NEWSRACK, site_config
from tests.support.walaw_site import STORIES, serve
from tests.support.warcfiles import (
    Rec,
    article_rows,
    news_page,
    raw_pages,
    raw_response,
    write_warc,
)

#: What only the source archive can know: the URL asked for (a WARC keeps the one served).
_PAGE_KEYS = ("final_url", "http_status", "fetched_at", "content_type", "etag", "last_modified",
              "encoding", "kind", "site", "error_kind", "body")  # fmt: skip


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture
def crawled(server, tmp_path, newsrack):
    """A walaw-like site crawled, then one article changed and fetched again (a revision)."""
    serve(server, STORIES)
    server.routes["/"].headers["ETag"] = '"front-1"'
    config = tmp_path / "config.toml"
    config.write_text(site_config(server.base))
    db = tmp_path / "source.db"
    args = ("--config", str(config), "--db", str(db))
    assert newsrack(*args, "crawl").returncode == 0
    changed = replace(STORIES[0], paragraphs=(*STORIES[0].paragraphs, "Une mise à jour."))
    serve(server, (changed, *STORIES[1:]))
    time.sleep(1.1)  # a later fetch time (stored to the second)
    saved = newsrack(*args, "fetch", server.base + changed.path, "--save")
    assert saved.returncode == 0, saved.stderr
    return config, db


def test_export_warc_reads_back_byte_for_byte_with_warcio(crawled, tmp_path, newsrack) -> None:
    config, db = crawled
    out = tmp_path / "out.warc.gz"
    result = newsrack("--config", str(config), "--db", str(db), "export", "--format", "warc",
                      "--output", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = raw_pages(db)
    assert f"exported {len(pages)} raw pages" in result.stderr
    with out.open("rb") as stream:
        records = list(_read_all(stream))
    info, responses = records[0], sorted(records[1:], key=lambda r: (r["date"], r["uri"]))
    assert info["type"] == "warcinfo" and b"software: newsrack 0.1.0" in info["payload"]
    assert len(responses) == len(pages) == len(STORIES) + 2
    for record, page in zip(responses, pages, strict=True):
        assert record["type"] == "response"
        assert record["uri"] == page["final_url"]
        assert record["date"] == page["fetched_at"]
        assert record["payload"] == page["body"]
        assert record["status"] == "200 OK"
        assert record["content_type"] == page["content_type"]
        assert record["etag"] == page["etag"]
        sha1 = base64.b32encode(hashlib.sha1(page["body"]).digest()).decode()
        assert record["digest"] == f"sha1:{sha1}"
    assert [r["etag"] for r in responses if r["uri"].endswith("/")] == ['"front-1"']


def _read_all(stream):
    for record in ArchiveIterator(stream, check_digests="raise"):
        http = record.http_headers
        yield {
            "type": record.rec_type,
            "uri": record.rec_headers.get_header("WARC-Target-URI"),
            "date": record.rec_headers.get_header("WARC-Date"),
            "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
            "status": http.statusline if http else None,
            "content_type": http.get_header("Content-Type") if http else None,
            "etag": http.get_header("ETag") if http else None,
            "payload": record.content_stream().read(),
        }


def test_export_then_import_reproduces_every_raw_page_and_article(
    crawled, tmp_path, newsrack
) -> None:
    config, db = crawled
    out = tmp_path / "out.warc.gz"
    args = ("--config", str(config))
    exported = newsrack(*args, "--db", str(db), "export", "--format", "warc", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    copy = tmp_path / "copy.db"
    result = newsrack(*args, "--db", str(copy), "import", str(out))
    assert result.returncode == 0, result.stderr
    pages = len(STORIES) + 2
    assert result.stdout.strip() == (
        f"imported {pages + 1} records: {pages} pages archived, {len(STORIES)} new articles, "
        "1 revised, 0 failed, 1 skipped (1 warcinfo record)"
    )
    strip = [{k: p[k] for k in _PAGE_KEYS} for p in raw_pages(db)]
    assert [{k: p[k] for k in _PAGE_KEYS} for p in raw_pages(copy)] == strip
    assert article_rows(copy) == article_rows(db)
    assert count(copy, "SELECT count(*) FROM article_revisions") == len(STORIES) + 1
    with sqlite3.connect(db) as a, sqlite3.connect(copy) as b:
        ticker = "SELECT site, title, url, shown_time FROM ticker_items ORDER BY id"
        assert b.execute(ticker).fetchall() == a.execute(ticker).fetchall()

    renamed = out.rename(tmp_path / "renamed.warc.gz")
    again = newsrack(*args, "--db", str(copy), "import", str(renamed))
    assert again.returncode == 0
    assert f"{renamed}: already imported" in again.stderr
    assert count(copy, "SELECT count(*) FROM pages") == pages
    out = renamed
    into_source = newsrack(*args, "--db", str(db), "import", str(out))
    assert into_source.returncode == 0, into_source.stderr
    assert into_source.stdout.strip() == (
        f"imported {pages + 1} records: 0 pages archived, 0 new articles, 0 revised, 0 failed, "
        f"{pages + 1} skipped ({pages} already archived, 1 warcinfo record)"
    )
    assert [{k: p[k] for k in _PAGE_KEYS} for p in raw_pages(db)] == strip


def test_import_archives_exactly_the_html_200s(tmp_path, newsrack) -> None:
    html = [news_page(n) for n in range(3)]
    warc = tmp_path / "crawl.warc.gz"
    host = "https://news.example/2025/05/09"
    write_warc(warc, [
        Rec(f"{host}/story-0.html", kind="request"),
        Rec(f"{host}/story-0.html", html[0], date="2025-05-09T10:00:00Z"),
        Rec(f"{host}/story-1.html", html[1], date="2025-05-09T10:01:00Z",
            headers=[("Content-Type", "application/xhtml+xml")]),
        Rec(f"{host}/story-2.html", html[2], date="2025-05-09T10:02:00Z",
            headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", '"e2"')]),
        Rec(f"{host}/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200),
            headers=[("Content-Type", "image/png")]),
        Rec(f"{host}/feed.json", b'{"items": []}', headers=[("Content-Type", "application/json")]),
        Rec(f"{host}/fake.html", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        Rec(f"{host}/gone.html", b"<html>not found</html>", status="404 Not Found"),
        Rec(f"{host}/moved.html", b"", status="301 Moved Permanently",
            headers=[("Location", f"{host}/story-0.html")]),
        Rec(f"{host}/story-0.html", kind="revisit", date="2025-05-09T11:00:00Z"),
        Rec("urn:meta", b"some: metadata", kind="metadata"),
        Rec(f"{host}/empty.html", b"  \n"),
    ])  # fmt: skip
    db = tmp_path / "archive.db"
    result = newsrack("--db", str(db), "import", str(warc))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "imported 13 records: 3 pages archived, 3 new articles, 0 revised, 0 failed, "
        "10 skipped (3 not HTML, 1 warcinfo record, 1 request record, 1 HTTP 404, 1 HTTP 301, "
        "1 revisit record, 1 metadata record, 1 empty body)"
    )
    pages = raw_pages(db)
    assert [(p["url"], p["fetched_at"], p["body"], p["site"]) for p in pages] == [
        (f"{host}/story-{n}.html", f"2025-05-09T10:0{n}:00Z", html[n], "news.example")
        for n in range(3)
    ]
    assert pages[2]["etag"] == '"e2"' and pages[0]["encoding"] == "utf-8"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT title, first_seen, published_at, parser FROM articles ORDER BY id"
        ).fetchall()
    assert rows == [
        (f"Story number {n}", f"2025-05-09T10:0{n}:00Z", f"2025-05-0{1 + n}T06:0{n}:00Z",
         "generic")
        for n in range(3)
    ]  # fmt: skip
    again = newsrack("--db", str(db), "import", str(warc))
    assert again.returncode == 0 and "already imported" in again.stderr
    assert count(db, "SELECT count(*) FROM pages") == 3


def test_import_decodes_like_a_fetch_and_a_parser_failure_is_the_page_s(tmp_path, newsrack) -> None:
    latin = "<html><head><meta charset=windows-1252><title>Été à Paris</title></head><body>"
    latin += "<article><h1>Été à Paris</h1>" + "<p>Les cafés étaient pleins. </p>" * 20
    latin += "</article></body></html>"
    deep = "<div>" * 5000 + "x"
    warc = tmp_path / "mixed.warc"
    write_warc(warc, [
        Rec("https://a.example/ete.html", latin.encode("cp1252"),
            headers=[("Content-Type", "text/html")]),
        Rec("https://a.example/deep.html", deep.encode()),
    ], gzip=False)  # fmt: skip
    db = tmp_path / "archive.db"
    result = newsrack("--db", str(db), "import", str(warc))
    with sqlite3.connect(db) as conn:
        title = conn.execute("SELECT title FROM articles").fetchall()
        encodings = conn.execute("SELECT url, encoding, error_kind FROM pages ORDER BY id")
        encodings = encodings.fetchall()
    assert title[0] == ("Été à Paris",)
    assert encodings[0] == ("https://a.example/ete.html", "cp1252", None)
    # 5,000 nested divs and no text: the generic parser gives up; that page's failure, recorded
    assert encodings[1] == ("https://a.example/deep.html", "utf-8", "parse")
    assert result.returncode == 1
    assert "1 failed" in result.stdout and "deep.html: cannot read body" in result.stderr


def test_hostile_records_are_skipped_by_reason_and_the_rest_imported(tmp_path, newsrack) -> None:
    page = news_page(7)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    ok = http + b"\r\n" + page
    huge = http + b"X-Big: " + b"a" * 200_000 + b"\r\n\r\n" + page
    warc = tmp_path / "hostile.warc"
    warc.write_bytes(b"".join([
        raw_response("https://a.example/x", "2025-05-09T10:00:00Z", ok),
        raw_response("https://a.example/x", "yesterday", ok),
        raw_response("https://a.example/x", None, ok),
        raw_response("https://a.example/x", "0001-01-01T00:00:00Z", ok),
        raw_response("https://a.example/x", "9999-12-31T23:59:59Z", ok),
        raw_response("http://[::1/x", "2025-05-09T10:00:00Z", ok),
        raw_response("http://a.example:99999/x", "2025-05-09T10:00:00Z", ok),
        raw_response("https://a.example/y", "2025-05-09T10:00:00Z", b"garbage\x00\r\n\r\n" + page),
        raw_response("https://a.example/z", "2025-05-09T10:00:00Z", huge),
    ]))  # fmt: skip
    db = tmp_path / "archive.db"
    result = newsrack("--db", str(db), "import", str(warc))
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("imported 9 records: 4 pages archived, 2 new articles, 0 revised, ")
    for reason in ("2 no WARC-Date", "2 bad target URI", "1 no HTTP status line"):
        assert reason in line
    assert count(db, "SELECT count(*) FROM pages") == 4
    with sqlite3.connect(db) as conn:
        seen = conn.execute("SELECT url, last_seen FROM articles ORDER BY id").fetchall()
    # (rel=canonical names another host: not followed); the year-9999 fetch was the last
    assert seen == [
        ("https://a.example/x", "9999-12-31T23:59:59Z"),
        ("https://a.example/z", "2025-05-09T10:00:00Z"),
    ]


def test_a_file_unreadable_midway_names_where(tmp_path, newsrack) -> None:
    good = raw_response(
        "https://a.example/x", "2025-05-09T10:00:00Z",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + news_page(1),
    )  # fmt: skip
    warc = tmp_path / "tail.warc"
    warc.write_bytes(good + b"garbage, not a record\r\n\r\n" * 5)
    result = newsrack("--db", str(tmp_path / "a.db"), "import", str(warc))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"newsrack: error: {warc}: unreadable after the record at byte 0 (Invalid WARC header); "
        "pass .warc or .warc.gz files"
    )
    assert count(tmp_path / "a.db", "SELECT count(*) FROM articles") == 1


def test_import_refuses_what_is_not_warc_in_one_line(tmp_path, newsrack) -> None:
    junk = tmp_path / "notes.warc"
    junk.write_text("hello\n" * 50)
    result = newsrack("--db", str(tmp_path / "a.db"), "import", str(junk))
    assert result.returncode == 2
    assert result.stderr.startswith(f"newsrack: error: {junk}: not a readable WARC file")
    assert len(result.stderr.strip().splitlines()) == 1
    both = newsrack("--db", str(tmp_path / "a.db"), "import", str(junk), "--site", "x",
                    "--parser", "generic")  # fmt: skip
    assert both.returncode == 2 and "pass one of them" in both.stderr


@pytest.mark.slow
def test_a_killed_import_resumes_and_ends_identical(tmp_path, newsrack) -> None:
    warc = tmp_path / "big.warc.gz"
    total = 600
    write_warc(warc, [
        Rec(f"https://news.example/2025/05/09/story-{n}.html", news_page(n),
            date=f"2025-05-09T{10 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z")
        for n in range(total)
    ])  # fmt: skip
    whole = tmp_path / "whole.db"
    assert newsrack("--db", str(whole), "import", str(warc), timeout=300).returncode == 0

    killed = tmp_path / "killed.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    process = subprocess.Popen(
        [str(NEWSRACK), "--db", str(killed), "import", str(warc)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if killed.exists() and _articles(killed) >= total // 3:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    done_before = _articles(killed)
    assert total // 3 <= done_before < total
    with sqlite3.connect(killed) as conn:
        saved = conn.execute("SELECT value FROM progress").fetchall()
    assert len(saved) == 1 and '"done": false' in saved[0][0]

    resumed = newsrack("--db", str(killed), "import", str(warc), timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    read = int(resumed.stdout.split()[1])
    assert read < total  # it did not start over
    assert article_rows(killed) == article_rows(whole)
    assert [{k: p[k] for k in _PAGE_KEYS} for p in raw_pages(killed)] == [
        {k: p[k] for k in _PAGE_KEYS} for p in raw_pages(whole)
    ]
    assert count(killed, "SELECT count(*) FROM pages") == total


def _articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_export_warc_skips_a_damaged_raw_page_and_names_it(crawled, tmp_path, newsrack) -> None:
    config, db = crawled
    stored = len(raw_pages(db))
    with sqlite3.connect(db) as conn:
        victim = conn.execute("SELECT id, body_hash FROM pages WHERE kind = 'article' LIMIT 1")
        page_id, body_hash = victim.fetchone()
        conn.execute("UPDATE bodies SET data = x'00112233' WHERE hash = ?", (body_hash,))
    out = tmp_path / "out.warc"
    args = ("--config", str(config), "--db", str(db), "export", "--format", "warc")
    result = newsrack(*args, "-o", str(out))
    assert result.returncode == 1
    assert f"page id {page_id} (" in result.stderr and "is damaged (zstd" in result.stderr
    assert "1 damaged raw pages skipped" in result.stderr
    with out.open("rb") as stream:  # uncompressed (.warc), still complete and readable
        records = list(_read_all(stream))
    assert len(records) == 1 + stored - 1
    wrong = newsrack(*args, "--table", "articles", "-o", str(out))
    assert wrong.returncode == 2 and "--format warc exports the raw pages" in wrong.stderr


def test_site_and_parser_options_file_and_read_every_page(tmp_path, newsrack) -> None:
    warc = tmp_path / "two.warc.gz"
    write_warc(warc, [
        Rec(f"https://news.example/2025/05/09/story-{n}.html", news_page(n),
            date=f"2025-05-09T10:0{n}:00Z")
        for n in range(2)
    ])  # fmt: skip
    config = tmp_path / "config.toml"
    config.write_text(site_config("https://elsewhere.example", name="mine", parser="generic"))
    db = tmp_path / "a.db"
    unknown = newsrack("--config", str(config), "--db", str(db), "import", str(warc),
                       "--site", "nope")  # fmt: skip
    assert unknown.returncode == 2 and "no site named 'nope'" in unknown.stderr
    bad_parser = newsrack("--db", str(db), "import", str(warc), "--parser", "nope")
    assert bad_parser.returncode == 2 and "--parser 'nope': no such parser" in bad_parser.stderr
    filed = newsrack("--config", str(config), "--db", str(db), "import", str(warc),
                     "--site", "mine")  # fmt: skip
    assert filed.returncode == 0, filed.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT site, parser FROM articles").fetchall()
        sites = conn.execute("SELECT DISTINCT site FROM pages").fetchall()
    assert rows == [("mine", "generic")] * 2 and sites == [("mine",)]

    other = tmp_path / "b.db"
    read = newsrack("--db", str(other), "import", str(warc), "--parser", "walaw")
    assert read.returncode == 0, read.stderr
    with sqlite3.connect(other) as conn:
        rows = conn.execute("SELECT site, parser FROM articles").fetchall()
    assert rows == [("news.example", "walaw")] * 2  # filed under its host, read by --parser


def test_resume_starts_at_a_saved_record_and_never_inside_a_whole_gzip_stream(
    tmp_path, newsrack
) -> None:
    records = [
        Rec(f"https://news.example/2025/05/09/story-{n}.html", news_page(n, links=80),
            date=f"2025-05-09T10:{n:02d}:00Z")
        for n in range(20)
    ]  # fmt: skip
    per_record = tmp_path / "members.warc.gz"
    write_warc(per_record, records)
    plain = tmp_path / "plain.warc"
    write_warc(plain, records, gzip=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    with per_record.open("rb") as stream:
        offsets = [it.get_record_offset() for it in _offsets(stream)]
    for path, offset, expected_read in (
        (per_record, offsets[11], 10),  # records 10..19 (after the warcinfo record)
        (whole, offsets[11], 21),  # not a member start in this file: from the start
    ):
        db = tmp_path / f"{path.name}.db"
        with Archive(db) as archive:
            value = json.dumps({"file": str(path), "offset": offset, "done": False})
            archive.set_progress(fingerprint(path), value, datetime.now(UTC))
        result = newsrack("--db", str(db), "import", str(path))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"imported {expected_read} records: ")
        assert count(db, "SELECT count(*) FROM articles") == expected_read - (expected_read > 10)


def _offsets(stream):
    iterator = ArchiveIterator(stream)
    for record in iterator:
        record.content_stream().read()
        yield iterator


def test_a_wget_style_record_is_stored_decoded_as_a_fetch_stores_it(tmp_path, newsrack) -> None:
    """WARC/1.0, the body gzip-encoded and sent chunked, as wget records it byte for byte."""
    html = news_page(3)
    packed = gzip.compress(html)
    chunked = (
        b"".join(
            b"%x\r\n%s\r\n" % (len(packed[i : i + 4000]), packed[i : i + 4000])
            for i in range(0, len(packed), 4000)
        )
        + b"0\r\n\r\n"
    )
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
        b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    warc = tmp_path / "wget.warc"
    warc.write_bytes(
        raw_response("https://news.example/2025/05/09/story-3.html", "2025-05-09T10:00:00Z",
                     head + chunked, version="1.0")
    )  # fmt: skip
    db = tmp_path / "a.db"
    result = newsrack("--db", str(db), "import", str(warc))
    assert result.returncode == 0, result.stderr
    assert "1 pages archived, 1 new articles" in result.stdout
    [page] = raw_pages(db)
    assert page["body"] == html and page["encoding"] == "utf-8"
