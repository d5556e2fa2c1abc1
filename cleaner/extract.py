"""Main content of an HTML page, with trafilatura."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import trafilatura

from .render import render_blocks

# trafilatura keeping less than this share of a page's visible text has missed its main content
# (listings, shop grids, forums): the whole page, one block per line, goes to our own chain instead
FALLBACK_SHARE = 0.1

_CANONICAL = re.compile(
    r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)|"""
    r"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""",
    re.I,
)


def extract_main_text(html: str, favor_recall: bool = True) -> str:
    """Paragraphs of the main content, one per line; comments and tables' clutter left out."""
    text = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True,
        favor_recall=favor_recall, deduplicate=False, with_metadata=False,
    )
    return text or ""


def extract_page(html: str, favor_recall: bool = True, fallback_share: float = FALLBACK_SHARE,
                 drop_chrome: bool = True) -> tuple[str, str]:
    """(text, extractor): trafilatura's main content, or the rendered page when that is too little."""
    main = extract_main_text(html, favor_recall)
    if len(main) >= fallback_share * len(html):
        return main, "trafilatura"  # the rendered text is never longer than the markup: no need to parse again
    rendered = render_blocks(html)
    if len(main) < fallback_share * len(rendered):
        return (drop_chrome and render_blocks(html, drop_chrome=True)) or rendered, "rendered"
    return main, "trafilatura"


def page_url(html: str) -> str:
    """The page's own URL when it states one (canonical link or og:url), else ''."""
    found = _CANONICAL.search(html[:200_000])
    if not found:
        return ""
    return found.group(1) or found.group(2) or ""


def host(url: str) -> str:
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return name.lower().removeprefix("www.")
