"""Archive paths and the lock: one-line errors with the right exit code, no file written by a
reader, one lock per real file, and ``status`` in a read-only folder naming the lock holder.

Tests run as root, where ``chmod`` stops nothing: an unwritable folder is made with
``chattr +i`` (skipped, with the reason, where that is not possible).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from scraper.errors import ArchiveError, ConfigError, LockError
from scraper.lock import ArchiveLock, holder
from tests.support.archive_helpers import save

HOLD = (
    "import sys, time\n"
    "from scraper.lock import ArchiveLock\n"
    "with ArchiveLock(sys.argv[1], sys.argv[2]):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(30)\n"
)


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[None]:
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not possible here ({done.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)


@contextlib.contextmanager
def held(db: Path, role: str) -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), role], stdout=subprocess.PIPE,
                            text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def invoke(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.mark.parametrize(
    "args", [("search", "x"), ("export",), ("stats",), ("status",), ("history", "http://x/")]
)
def test_a_reader_never_writes_a_schema_into_an_empty_file(tmp_path, args) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = invoke(db, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"newsrack: error: {db}: empty file, not an archive yet (left unchanged); run "
        "`newsrack crawl` to fill it or pass --db PATH\n"
    )
    assert db.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_a_file_where_a_folder_should_be_is_one_line(tmp_path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    db = blocker / "archive.db"
    with pytest.raises(ArchiveError, match=r"data is a file, not a folder; pass --db"):
        Archive(db)
    with pytest.raises(ConfigError, match="a file stands where a folder") as caught:
        ArchiveLock(db, "crawl").acquire()
    assert caught.value.exit_code == 2 and "\n" not in str(caught.value)
    result = invoke(db, "search", "x")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(ArchiveError, match="is a folder, not an archive file"):
        Archive(folder, create=False)


def test_one_archive_through_a_symlink_has_one_lock(tmp_path) -> None:
    db = tmp_path / "archive.db"
    Archive(db).close()
    link = tmp_path / "elsewhere.db"
    link.symlink_to(db)
    with ArchiveLock(db, "daemon"), pytest.raises(LockError, match="in use by newsrack"):
        ArchiveLock(link, "crawl").acquire()
    with ArchiveLock(link, "crawl"):
        assert holder(db) is not None and holder(db).role == "crawl"


def test_an_unwritable_lock_folder_is_a_config_error_not_locked(tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with immutable(folder), pytest.raises(ConfigError) as caught:
        ArchiveLock(folder / "archive.db", "crawl").acquire()
    message = str(caught.value)
    assert caught.value.exit_code == 2 and "\n" not in message
    assert "cannot create the archive's lock file" in message and "in use" not in message


def test_status_in_a_read_only_folder_names_the_crawl_holding_the_lock(tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "archive.db"
    with Archive(db) as archive:
        save(archive, "http://n.test/1")
    with held(db, "crawl") as pid, immutable(folder):
        data = json.loads(invoke(db, "status", "--json").stdout)
        assert data["daemon_pid"] is None
        assert data["lock"]["pid"] == pid and data["lock"]["role"] == "crawl"
        text = invoke(db, "status")
        assert text.exit_code == 0, text.output
        first = text.stdout.splitlines()[0]
        assert "daemon not running" in first and f"locked by crawl pid {pid} since" in first
    with held(db, "daemon") as pid:
        data = json.loads(invoke(db, "status", "--json").stdout)
        assert data["daemon_pid"] == pid and data["lock"]["role"] == "daemon"


def test_a_nul_in_the_path_or_a_symlink_loop_is_one_line(tmp_path) -> None:
    with pytest.raises(ArchiveError, match="cannot hold a NUL character"):
        Archive(tmp_path / "a\x00b.db")
    with pytest.raises(ConfigError, match="cannot hold a NUL character"):
        ArchiveLock(tmp_path / "a\x00b.db", "crawl").acquire()
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    with pytest.raises(ArchiveError) as caught, ArchiveLock(loop, "crawl"):
        Archive(loop)
    assert "\n" not in str(caught.value) and str(loop) in str(caught.value)
