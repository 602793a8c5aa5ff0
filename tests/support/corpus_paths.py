"""Where the shared test corpus lives: ``$NEWSRACK_CORPUS``, else ``../shared/corpus``.

Corpus tests call ``corpus_dir()`` and skip with a one-line reason when it is
None (a fresh checkout without the corpus). ``fundus_pages`` lists the fundus
pages of a publisher with their URL, crawl date and expected fields.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SKIP_REASON = "corpus not found: set $NEWSRACK_CORPUS or lay it at ../shared/corpus"


def corpus_dir() -> Path | None:
    """The corpus folder; None when it is absent.

    ``$NEWSRACK_CORPUS``, when set, is the only place looked at (a wrong path
    skips rather than silently testing another corpus); else ``../shared/corpus``.
    """
    env = os.environ.get("NEWSRACK_CORPUS")
    candidate = Path(env) if env else REPO_ROOT.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


@dataclass(frozen=True)
class FundusPage:
    """One fundus corpus page: its file, URL, crawl date, version key and expected fields."""

    path: Path
    url: str
    crawl_date: datetime
    version_key: str
    expected: dict[str, Any]

    @property
    def id(self) -> str:
        return self.path.name.removesuffix(".html.gz")

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def fundus_pages(country: str, publisher: str) -> list[FundusPage]:
    """The pages of ``publisher`` in ``fundus/<country>``, oldest first ([] without corpus).

    The n-th page by crawl date is paired with the n-th version key of
    ``<Publisher>.json`` (``V1``, ``V1_1``, ...), as the corpus lays them out.
    """
    root = corpus_dir()
    if root is None:
        return []
    folder = root / "fundus" / country
    info = json.loads((folder / "meta.info").read_text(encoding="utf-8"))
    expected = json.loads((folder / f"{publisher}.json").read_text(encoding="utf-8"))
    files = sorted(
        (name for name in info if name.startswith(publisher + "_")),
        key=lambda name: info[name]["crawl_date"],
    )
    keys = sorted(expected, key=lambda k: [int(x) for x in k[1:].split("_")])
    return [
        FundusPage(
            path=folder / name,
            url=info[name]["url"],
            crawl_date=datetime.fromisoformat(info[name]["crawl_date"]),
            version_key=key,
            expected=expected[key],
        )
        for name, key in zip(files, keys, strict=True)
    ]
