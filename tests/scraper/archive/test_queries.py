"""Named queries that replace raw SQL outside the package, and a run dated by a wrong clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from scraper.archive import Archive
from scraper.cli import cli
from tests.support.archive_helpers import T0, later, page


def test_last_run_started_can_leave_out_runs_from_a_wrong_clock(archive_db) -> None:
    with Archive(archive_db) as archive:
        assert archive.last_run_started("s") is None
        archive.start_run("s", T0)
        archive.start_run("s", datetime(2031, 1, 1, tzinfo=UTC))
        archive.start_run("other", later(5))
        assert archive.last_run_started("s") == "2031-01-01T00:00:00Z"
        assert archive.last_run_started("s", not_after=later(1)) == "2025-05-09T10:00:00Z"
        assert archive.last_run_started("s", not_after=T0 - timedelta(days=1)) is None


def test_page_reads_one_pages_row(archive_db) -> None:
    with Archive(archive_db) as archive:
        page_id = archive.record_page(
            page("http://n.test/1", etag='"v1"'), site="s", run_id=None, kind="listing"
        )
        row = archive.page(page_id)
        assert row is not None and archive.page(page_id + 1) is None
    assert (row["url"], row["kind"], row["etag"], row["fetched_at"]) == (
        "http://n.test/1", "listing", '"v1"', "2025-05-09T10:00:00Z",
    )  # fmt: skip


def test_status_does_not_trust_a_run_from_the_future(archive_db) -> None:
    db = archive_db
    future = datetime.now(UTC) + timedelta(days=1641)
    with Archive(db) as archive:
        archive.start_run("s", future)
    result = CliRunner().invoke(cli, ["--db", str(db), "status", "--json"])
    assert result.exit_code == 0, result.output
    site = {s["site"]: s for s in json.loads(result.stdout)["sites"]}["s"]
    # shown as stored, so the operator sees the wrong date; never used for a duration or next run
    assert site["last_started"].startswith(f"{future:%Y-%m-%d}")
    assert site["last_duration"] is None
    assert site["damaged_rows"] == 1
    assert "starts in the future" in result.stderr and "a clock was wrong" in result.stderr
