"""Log lines name their site and URL, as human lines or JSON lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from scraper.logs import current_site, setup_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_site_url_and_extra_fields(restore_logging) -> None:
    out = io.StringIO()
    setup_logging("info", "json", out)
    token = current_site.set("walaw_fr")
    try:
        logging.getLogger("scraper.fetch").warning(
            "fetch failed: %s", "timeout", extra={"url": "https://fr.walaw.press/", "attempts": 2}
        )
    finally:
        current_site.reset(token)
    logging.getLogger("scraper.daemon").info("started", extra={"site": "other"})
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["site"] == "walaw_fr" and first["url"] == "https://fr.walaw.press/"
    assert (first["level"], first["logger"], first["message"]) == (
        "warning",
        "scraper.fetch",
        "fetch failed: timeout",
    )
    assert first["attempts"] == 2
    assert (second["site"], second["url"]) == ("other", None)


def test_human_lines_name_site_and_url_and_info_hides_library_chatter(restore_logging) -> None:
    out = io.StringIO()
    setup_logging("info", "human", out)
    logging.getLogger("scraper.crawl").warning(
        "HTTP 404", extra={"site": "walaw_fr", "url": "https://fr.walaw.press/a/1"}
    )
    logging.getLogger("httpx").info("HTTP Request: GET https://fr.walaw.press/")
    logging.getLogger("scraper.daemon").info("no site here")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(" WARNING walaw_fr https://fr.walaw.press/a/1: HTTP 404")
    assert lines[1].endswith(" INFO -: no site here")
