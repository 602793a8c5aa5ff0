"""Durability: WAL settings; a full disk and a read-only file are one-line errors losing nothing.

A full disk is real: SQLite's ``max_page_count`` caps the file, and a tiny
tmpfs (when this machine lets us mount one) fills up for the installed
command. A read-only file is real too: tests run as root, where ``chmod``
stops nothing, so the file is made immutable (``chattr +i``) or served from a
read-only bind mount; each is skipped, with the reason, where it cannot be made.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.archive import Archive
from scraper.errors import ArchiveError
from tests.support.archive_helpers import later, query, save

BIG = "Un long paragraphe qui ne se répète pas tout à fait. " * 200


def test_connection_settings(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        pragma = lambda name: archive.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") == 30_000
        assert pragma("foreign_keys") == 1


def test_full_disk_is_one_line_naming_the_file_and_keeps_what_was_stored(tmp_path) -> None:
    db = tmp_path / "a.db"
    saved = 0
    with Archive(db) as archive:
        pages = archive.conn.execute("PRAGMA page_count").fetchone()[0]
        archive.conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(ArchiveError) as caught:
            for i in range(1000):
                save(archive, f"http://n.test/{i}", body=f"{i} {BIG}", html=f"<p>{i} {BIG}</p>")
                saved += 1
        message = str(caught.value)
        assert message.startswith(f"{db}: the disk is full; free space")
        assert "SQLITE_FULL" in message and "\n" not in message
        assert 0 < saved < 1000
        # the archive still works for what fits, and after the space is freed
        archive.conn.execute("PRAGMA max_page_count = 1073741823")
        save(archive, "http://n.test/after", at=later(5))
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*) FROM articles") == [(saved + 1,)]
    # every stored article is whole: its revision, its page and its body
    assert query(
        db,
        "SELECT count(*) FROM articles a JOIN article_revisions r ON r.article_id = a.id "
        "JOIN pages p ON p.id = r.page_id JOIN bodies b ON b.hash = p.body_hash",
    ) == [(saved + 1,)]
    assert query(db, "SELECT count(*) FROM pages") == [(saved + 1,)]


@contextlib.contextmanager
def tiny_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): SQLITE_FULL covered above")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_installed_crawl_on_a_full_disk_is_one_line(tmp_path, newsrack, server) -> None:
    from tests.support.walaw_site import STORIES, serve

    big = tuple(s.__class__(**{**s.__dict__, "paragraphs": (BIG,) * 8}) for s in STORIES)
    serve(server, big)
    config = tmp_path / "config.toml"
    from tests.support.commands import site_config

    config.write_text(site_config(server.base))
    # room for the schema, the lock file and some pages, not for ten 80 kB articles
    with tiny_tmpfs(tmp_path / "disk", "512k") as disk:
        db = disk / "a.db"
        result = newsrack("--config", str(config), "--db", str(db), "crawl")
        assert result.returncode == 1, result.stdout
        lines = result.stderr.strip().splitlines()
        assert lines[-1].startswith(f"newsrack: error: {db}: the disk is full")
        assert "Traceback" not in result.stderr
        stored = query(db, "SELECT count(*) FROM articles")[0][0]
        assert query(db, "PRAGMA integrity_check") == [("ok",)]
        assert stored < len(STORIES)
        # once there is room again, the next pass completes the archive
        copy = tmp_path / "a.db"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{db}{suffix}").exists():
                shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")
    again = newsrack("--config", str(config), "--db", str(copy), "crawl")
    assert again.returncode == 0, again.stderr
    assert query(copy, "SELECT count(*) FROM articles") == [(len(STORIES),)]


@contextlib.contextmanager
def read_only(db: Path) -> Iterator[str]:
    """Make ``db`` unwritable even for root: ``chattr +i``; yields how."""
    done = subprocess.run(["chattr", "+i", str(db)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not possible here ({done.stderr.strip()})")
    try:
        yield "immutable"
    finally:
        for suffix in ("", "-wal", "-shm"):
            subprocess.run(["chattr", "-i", f"{db}{suffix}"], capture_output=True, check=False)


def test_read_only_file_is_one_line_and_can_still_be_searched(tmp_path, newsrack) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", title="Le tramway de Rabat")
    before = db.read_bytes()
    config = tmp_path / "config.toml"
    config.write_text(
        "[fetch]\nmax_attempts = 1\nallow_private_networks = true\n"
        '[sites.x]\nparser = "walaw"\nstart_urls = ["http://127.0.0.1:9/"]\n'
    )
    with read_only(db):
        result = newsrack("--config", str(config), "--db", str(db), "crawl")
        assert result.returncode == 1
        assert result.stderr == (
            f"newsrack: error: {db}: the file or its folder is read-only; fix permissions or "
            "pass --db PATH (SQLITE_READONLY: attempt to write a readonly database)\n"
        )
        found = newsrack("--db", str(db), "search", "rabat")
        assert found.returncode == 0, found.stderr
        assert "Le tramway de Rabat" in found.stdout
    assert db.read_bytes() == before


def test_archive_on_a_read_only_mount_is_readable_and_refuses_writes(tmp_path, newsrack) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "a.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1", title="Le tramway de Rabat")
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({bind.stderr.decode().strip()})")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
        assert ro.returncode == 0, ro.stderr
        found = newsrack("--db", str(db), "search", "rabat", "--json")
        assert found.returncode == 0, found.stderr
        assert "Le tramway de Rabat" in found.stdout
        with pytest.raises(ArchiveError, match="cannot open it for writing: the file, its folder"):
            Archive(db)
    finally:
        subprocess.run(["umount", str(folder)], check=False)
