"""Former home of the page metadata reader, kept so that ``page_metadata(tree)`` still imports.

The page model is ``parsers.page`` (``Page(tree, url).metadata``); import from
there. This module only re-exports its names and goes once every caller has moved.
"""

from __future__ import annotations

from parsers.page import (
    AUTHOR_META,
    MODIFIED_META,
    PUBLISHED_META,
    MetaTags,
    PageMetadata,
    page_metadata,
)

__all__ = [
    "AUTHOR_META",
    "MODIFIED_META",
    "PUBLISHED_META",
    "MetaTags",
    "PageMetadata",
    "page_metadata",
]
