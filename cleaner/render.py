"""The whole visible text of an HTML page, one block per line, as a naive scraper renders it.

Used when trafilatura's main-content extraction keeps too little of a page (listings, shop
grids, forums): our own text chain then judges the page's blocks instead. With `drop_chrome`,
the page's own declaration of what is not content is believed: `nav` elements, ARIA
navigation/banner/contentinfo/search landmarks, and `footer`/`aside`/`header` outside an
`article` or `main` are left out (the DOM evidence trafilatura uses and the text loses).
"""

from __future__ import annotations

import re

from lxml import etree, html

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "select"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
}
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
_CHROME_OUTSIDE_MAIN = {"footer", "aside", "header"}


def render_blocks(markup: str, drop_chrome: bool = False) -> str:
    """Visible text with a line break around every block element; '' for what lxml cannot parse."""
    try:
        root = html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    if drop_chrome:
        _drop_chrome(root)
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _drop_chrome(root) -> None:
    doomed = []
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        role = (element.get("role") or "").lower() if tag else ""
        if tag == "nav" or role in _CHROME_ROLES:
            doomed.append(element)
        elif tag in _CHROME_OUTSIDE_MAIN and not any(
                isinstance(a.tag, str) and a.tag.lower() in ("article", "main") for a in element.iterancestors()):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _walk(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in _SKIP or not tag:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag.lower() in _BLOCK
    if block:
        parts.append("\n")
    if tag.lower() == "li":
        parts.append("* ")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    elif tag.lower() in {"td", "th"}:
        parts.append(" ")
    if element.tail:
        parts.append(element.tail)
