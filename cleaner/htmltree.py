"""HTML pages as lxml trees, however deeply their elements nest.

libxml2 stops building a tree at 256 nested elements and drops, without an error, everything
that lies deeper: the rest of a page of nested layout tables or unclosed `<font>` and `<div>`
tags, which old and generated pages are full of. Our parsers lift that limit (`huge_tree`; libxml2
then stops at 2,048, which `load_page` tells). A parser is not shared between threads (Dask runs
tasks in threads).
"""

from __future__ import annotations

import threading

from lxml import etree, html
from trafilatura.utils import is_dubious_html, repair_faulty_html

_LOCAL = threading.local()


def _parsers() -> tuple[html.HTMLParser, html.HTMLParser]:
    """(trafilatura's settings, lxml's defaults), each without the depth limit, for this thread."""
    if not hasattr(_LOCAL, "parsers"):
        _LOCAL.parsers = (
            html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                            remove_pis=True, huge_tree=True),
            html.HTMLParser(huge_tree=True),
        )
    return _LOCAL.parsers


def load_page(markup: str) -> tuple[object, bool]:
    """(tree, too deep): the tree trafilatura's own `load_html` makes of the page (its repairs, its
    parser's settings, None for what it refuses as not HTML), but with every element down to
    libxml2's hard cap of 2,048 levels; and whether the page went deeper than that (libxml2 says
    so only in the parser's log), so that what lay below is known to be lost."""
    beginning = markup[:50].lower()
    markup = repair_faulty_html(markup, beginning)
    parser = _parsers()[0]
    try:
        tree = html.fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):  # ValueError: a str that declares its encoding
        tree = None
    if tree is None or len(tree) < 1:  # a second try, as bytes
        tree = _from_bytes(markup, parser)
    too_deep = any("Excessive depth" in error.message for error in parser.error_log)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None, too_deep
    return tree, too_deep


def parse(markup: str):
    """The page's tree as lxml parses a document by default, or None for what it cannot parse."""
    try:
        return html.document_fromstring(markup, parser=_parsers()[1])
    except (etree.ParserError, ValueError):
        return None


def _from_bytes(markup: str, parser: html.HTMLParser):
    try:
        return html.fromstring(markup.encode("utf8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
