"""Main content of an HTML page, with trafilatura; the page is parsed once.

trafilatura is given the parsed tree (it works on a copy of it), and the same tree, unchanged,
tells how much visible text the page has and is rendered when trafilatura kept too little of it,
or when the page is a forum thread.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

import trafilatura

from .htmltree import load_page, parse
from .options import Extraction
from .render import forum_thread, nonspace_chars, render_tree, visible_chars

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


class Extracted(NamedTuple):
    text: str
    extractor: str  # "trafilatura", or "rendered": our own render of the page, judged by the chain
    too_deep: bool = False  # the page nests deeper than libxml2 parses: text below 2,048 levels is lost


def extract_page(html: str, how: Extraction = Extraction()) -> Extracted:
    """trafilatura's main content, or the rendered page when that is too little or the page is a
    forum thread."""
    tree, too_deep = load_page(html) if html.strip() else (None, False)  # as trafilatura would parse it
    return Extracted(*_extract(html, tree, how), too_deep)


def _extract(html: str, tree, how: Extraction) -> tuple[str, str]:
    forum = forum_thread(tree) if tree is not None and how.forum_threads else None  # asked once
    if forum:
        return render_tree(tree, drop_chrome=how.drop_chrome, forum=True), "rendered"
    main = extract_main_text(tree, how.favor_recall, how.fast) if tree is not None else ""
    if tree is None:  # what trafilatura refuses (a bare fragment) is still a page to render
        tree = parse(html)
        if tree is None:
            return "", "trafilatura"
    kept = nonspace_chars(main)
    if kept >= how.fallback_share * visible_chars(tree):
        return main, "trafilatura"  # the text we would judge is never more than the visible text
    judged = render_tree(tree, drop_chrome=how.drop_chrome, forum=forum)
    if kept >= how.fallback_share * nonspace_chars(judged):
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
