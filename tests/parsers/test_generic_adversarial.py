"""Every parser over adversarial text: lines built to make a backtracking regex blow up.

Long runs of capitals after "By ", of separators, digits and names, 100 KB
paragraphs and 10,000 nested elements. Each page runs in a child process with
a deadline far above the few seconds a linear-time parser needs, so a regex that
matches one text many ways (exponential backtracking) fails the test instead of
hanging the suite; timings themselves are not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from parsers.bodylines import is_byline_or_dateline
from parsers.furniture import is_furniture

ROOT = Path(__file__).resolve().parents[2]

#: Lines that took seconds to hours with nested quantifiers ("By " + 24 capitals: 3.3 s).
LINES = [
    "By " + "A" * 40 + "!",
    "By " + "A " * 40 + "!",
    "By " + "Ab, " * 40 + "!",
    "By " + "Jean de " * 20 + "!",
    "By " + "Ann and " * 20 + "?",
    "Par " + "É" * 40 + "!",
    "21:00" + " ab" * 40 + "。",
    "Published " + "1" * 80,
    "Loading" + "." * 60 + "x",
    "Read more" + " -" * 100,
    "© " + "9" * 200,
    "photo " * 50 + "x",
]


@pytest.mark.parametrize("line", LINES)
def test_line_readers_finish_on_adversarial_lines(line: str) -> None:
    # that they return at all is the point; none of these lines is a byline either
    assert is_byline_or_dateline(line) is False
    assert isinstance(is_furniture(line), bool)


def _pages() -> dict[str, str]:
    prose = "Le conseil a voté, après un long débat, une réforme du budget municipal. "
    return {
        "capitals": "<h1>T</h1>" + "".join(f"<p>By {'A' * n}!</p>" for n in range(20, 60)),
        "names": "<h1>T</h1><p>" + "By " + " ".join(["Ann"] * 3000) + " !</p>",
        "separators": "<h1>T</h1><p>" + "- | · " * 20000 + "</p>",
        "digits": "<h1>T</h1><p>" + "12:34 " * 20000 + "</p>",
        "big paragraph": "<h1>T</h1><p>" + prose * 1400 + "</p>",
        "nesting": "<h1>T</h1>" + "<div>" * 10000 + prose * 5 + "</div>" * 10000,
        "nested inline": "<p>" + "<b>" * 10000 + prose + "</b>" * 10000 + "</p>",
    }


def test_every_parser_completes_on_adversarial_pages() -> None:
    script = textwrap.dedent(
        """
        import json, sys
        import parsers
        from parsers.base import ParseError
        pages = json.loads(sys.stdin.read())
        for name in parsers.names():
            parser = parsers.get(name)
            for html in pages.values():
                for read in (parser.parse_article, parser.parse_listing):
                    try:
                        read(html, "https://www.example.org/2025/01/02/a-long-article-slug")
                    except ParseError:
                        pass
        print("done")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(_pages()),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "done"
