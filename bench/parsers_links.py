"""Parser CPU on a link-heavy page: walaw and generic, this tree against a baseline commit.

A real news article page carries 200-500 links (navigation with sub-menus, a
long footer, related teasers, the ticker) besides scripts and styles; on such
pages resolving every link with ``urllib.parse.urljoin`` was most of a crawl's
CPU. This builds one 60 KB walaw-like article page with about 330 links (our
walaw markup A with a 30-item ticker, plus a 120-link navigation, 22 related
teasers and a 150-link footer), then times ``parse_article`` and
``parse_listing`` of the walaw and generic parsers over ``--repeat`` rounds of
``--calls`` calls (CPU time), in child processes: one importing ``parsers`` from
this tree, one from ``--baseline`` (a git revision extracted to a temporary
folder). Prints one table, ms per call: the best round (the least disturbed by
other processes on a shared machine) and the median::

    .venv/bin/python bench/parsers_links.py --baseline 6ba68e9
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "https://fr.walaw.press/articles/le_port_de_safi/GMQWLPRSXFMQ"
SECTIONS = ("maroc", "monde", "economie", "sport", "culture", "societe", "tech", "sante")


def link_heavy_page() -> bytes:
    """A walaw-like article page of about 60 KB and 330 links."""
    sys.path.insert(0, str(ROOT))
    from tests.support.walaw_site import STORIES, article_a

    ticker = tuple(STORIES[i % len(STORIES)] for i in range(30))
    return web_shape(article_a(STORIES[0], ticker)).encode()


def web_shape(html: str) -> str:
    """``html`` dressed as a real news page: a 120-link navigation with sub-menus, 22 related
    teasers, a 150-link footer, a script and a style (about 300 links and 45 KB more)."""
    nav = "".join(
        f'<li><a href="/{s}">{s.title()}</a><ul>'
        + "".join(f'<li><a href="/{s}/rubrique-{k}">Rubrique {k}</a></li>' for k in range(14))
        + "</ul></li>"
        for s in SECTIONS
    )
    teasers = "".join(
        f'<div class="card"><a href="/articles/sujet_lie_numero_{i}/RELATEDPQRS{chr(65 + i)}">'
        f'<img src="https://cdn.walaw.press/img/{i}.jpg" alt=""><h3>Un sujet lié numéro {i}, '
        "avec un titre de longueur ordinaire</h3></a><p>Un résumé de deux lignes qui dit de quoi "
        "parle ce sujet lié, comme les sites en montrent sous chaque article.</p></div>"
        for i in range(22)
    )
    footer = "".join(
        f'<li><a href="https://www.walaw.press/pages/{s}-{k}?utm_source=footer">'
        f"{s.title()} page {k}</a></li>"
        for s in SECTIONS
        for k in range(19)
    )[: 150 * 200]
    script = "<script>" + "window.dataLayer=window.dataLayer||[];" * 300 + "</script>"
    style = "<style>" + ".card{margin:0 0 1rem;padding:.5rem}" * 250 + "</style>"
    extra_head = f"{style}{script}</head>"
    html = html.replace("</head>", extra_head, 1)
    html = html.replace("<body>", f"<body><nav><ul>{nav}</ul></nav>", 1)
    return html.replace(
        "</body>",
        f'<aside class="related">{teasers}</aside><footer><ul>{footer}</ul></footer></body>',
    )


def _child(source: str, page: str, calls: int, repeat: int) -> None:
    """In a child: time every parser entry point importing ``parsers`` from ``source``."""
    sys.path.insert(0, source)
    import parsers

    html = Path(page).read_bytes()
    out = {}
    for name in ("walaw", "generic"):
        parser = parsers.get(name)
        for entry in ("parse_article", "parse_listing"):
            read = getattr(parser, entry)
            read(html, URL)  # warm up (imports, caches)
            rounds = []
            for _ in range(repeat):
                start = time.process_time()
                for _ in range(calls):
                    read(html, URL)
                rounds.append((time.process_time() - start) * 1000 / calls)
            result = read(html, URL)
            found = len(getattr(result, "article_links", ())) + len(getattr(result, "ticker", ()))
            out[f"{name}.{entry}"] = {
                "best": min(rounds),
                "median": statistics.median(rounds),
                "found": found if entry == "parse_listing" else len(result.paragraphs),
            }
    print(json.dumps(out))


def _run(source: Path, page: Path, calls: int, repeat: int) -> dict[str, dict[str, float]]:
    args = [sys.executable, __file__, "--child", str(source), str(page), str(calls), str(repeat)]
    done = subprocess.run(args, check=True, capture_output=True, text=True, cwd=source)
    return json.loads(done.stdout)


def _extract(revision: str, into: Path) -> Path:
    """The ``parsers`` package (and test helpers) of ``revision`` under ``into``."""
    archive = subprocess.run(
        ["git", "archive", revision, "parsers", "tests/support", "tests/__init__.py"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--baseline", help="git revision to compare with (e.g. 6ba68e9)")
    cli.add_argument("--calls", type=int, default=50, help="calls per round")
    cli.add_argument("--repeat", type=int, default=5, help="rounds (the median is shown)")
    opts = cli.parse_args()
    html = link_heavy_page()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_bytes(html)
        runs = {"this tree": _run(ROOT, page, opts.calls, opts.repeat)}
        if opts.baseline:
            old = _extract(opts.baseline, Path(tmp) / "baseline")
            runs[opts.baseline] = _run(old, page, opts.calls, opts.repeat)
    text = html.decode()
    print(
        f"page: {len(html) / 1024:.0f} KB, {text.count('<a ')} links; ms of CPU per call, "
        f"best / median of {opts.repeat} rounds of {opts.calls} calls"
    )
    names = list(runs)
    print(f"{'parser.entry':<24}" + "".join(f"{n:>18}" for n in names) + f"{'found':>8}")
    for key in runs["this tree"]:
        cells = "".join(
            f"{runs[n][key]['best']:>9.2f} /{runs[n][key]['median']:>6.2f}" for n in names
        )
        print(f"{key:<24}{cells}{runs['this tree'][key]['found']:>8}")
    print("found: links + ticker items of a listing, paragraphs of an article (this tree)")


if __name__ == "__main__":
    main()
