"""Main content of an HTML page, with trafilatura; the page is parsed once.

trafilatura is given the parsed tree (it works on a copy of it), and the same tree, unchanged,
tells how much visible text the page has and is rendered when trafilatura kept too little of it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import trafilatura
from trafilatura.utils import load_html

from .render import nonspace_chars, parse, render_tree, visible_chars

# trafilatura keeping less than this share of the text our chain would judge instead (the page's
# visible text without its declared chrome and readers' comments) has missed its main content
# (listings, shop grids, forums, a sub-region): the page, one block per line, goes to our chain
FALLBACK_SHARE = 0.25

_CANONICAL = re.compile(
    r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)|"""
    r"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""",
    re.I,
)


def extract_main_text(page, favor_recall: bool = True, fast: bool = True) -> str:
    """Paragraphs of the main content, one per line; comments and tables' clutter left out.

    `page`: the markup or its parsed tree (left unchanged). `fast` skips trafilatura's own
    second opinions (readability, jusText): our fallback and text chain take that role."""
    text = trafilatura.extract(
        page, output_format="txt", include_comments=False, include_tables=True,
        favor_recall=favor_recall, fast=fast, deduplicate=False, with_metadata=False,
    )
    return text or ""


def extract_page(html: str, favor_recall: bool = True, fallback_share: float = FALLBACK_SHARE,
                 drop_chrome: bool = True, fast: bool = True) -> tuple[str, str]:
    """(text, extractor): trafilatura's main content, or the rendered page when that is too little."""
    tree = load_html(html) if html.strip() else None  # the parser trafilatura itself uses
    main = extract_main_text(tree, favor_recall, fast) if tree is not None else ""
    if tree is None:  # what trafilatura refuses (a bare fragment) is still a page to render
        tree = parse(html)
        if tree is None:
            return "", "trafilatura"
    kept = nonspace_chars(main)
    if kept >= fallback_share * visible_chars(tree):
        return main, "trafilatura"  # the text we would judge is never more than the visible text
    judged = render_tree(tree, drop_chrome=drop_chrome)
    if kept >= fallback_share * nonspace_chars(judged):
        return main, "trafilatura"
    return judged, "rendered"


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
