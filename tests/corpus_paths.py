"""Where the shared quality corpus lives: ``$NEWSRACK_CORPUS``, else ``../shared/corpus``.

Tests that read real pages ask ``corpus_dir()`` and skip with a one-line reason
when it returns None (a user's fresh clone has no corpus).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_REASON = "corpus not found: set $NEWSRACK_CORPUS or lay it at ../shared/corpus"


def corpus_dir() -> Path | None:
    """The corpus folder, or None when neither ``$NEWSRACK_CORPUS`` nor ``../shared/corpus`` is."""
    env = os.environ.get("NEWSRACK_CORPUS")
    path = Path(env) if env else ROOT.parent / "shared" / "corpus"
    return path if path.is_dir() else None
