"""The whole visible text of an HTML page, one block per line, as a naive scraper renders it.

Used when trafilatura's main-content extraction keeps too little of a page (listings, shop
grids, forums): our own text chain then judges the page's blocks instead. With `drop_chrome`,
the page's own declaration of what is not content is believed: `nav` elements, ARIA
navigation/banner/contentinfo/search landmarks, and `footer`/`aside`/`header` outside an
`article` or `main` are left out (the DOM evidence trafilatura uses and the text loses), unless
they hold the page's `article` or `main` themselves (a page wrapped in its header). Readers'
comments are left out as trafilatura leaves them out (we ask it for no comments): containers
whose id or class starts with "comment" (not "commentary"), Disqus threads; except on a forum
thread (schema.org DiscussionForumPosting, as JSON-LD or microdata), where the posts are the content.

Everything here reads the parsed tree and never changes it: the tree trafilatura was given is
rendered from as it was parsed, so a page is parsed once.
"""

from __future__ import annotations

import re

from lxml import etree

from .htmltree import parse

_SKIP = {"script", "style", "template", "svg", "head", "iframe", "object", "canvas", "select"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "noscript", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
}
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
# a line without one (the bullet of an item holding only an image, a separator) says nothing
# and would only cost the chain a paragraph to remove
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
_CHROME_OUTSIDE_MAIN = {"footer", "aside", "header"}
_COMMENTS = etree.XPath(
    r""".//*[self::div or self::section or self::details or self::ol or self::ul][
    re:test(@id, '^(?:[Cc]omment(?!ary)|disqus_thread|dsq-comments)') or
    re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')]""",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
_FORUM_THREAD = re.compile(r'"@type"\s*:\s*(?:"DiscussionForumPosting"|\[[^\]]*"DiscussionForumPosting")')
_FORUM_MICRODATA = etree.XPath('(//*[contains(@itemtype, "schema.org/DiscussionForumPosting")])[1]')


def render_blocks(markup: str, drop_chrome: bool = False) -> str:
    """Visible text with a line break around every block element; '' for what lxml cannot parse."""
    root = parse(markup)
    return "" if root is None else render_tree(root, drop_chrome)


def render_tree(root, drop_chrome: bool = False, forum: bool | None = None) -> str:
    """`render_blocks` of an already parsed page; the tree is left as it is. `forum`: whether the
    page is a forum thread, when the caller has already asked `forum_thread`."""
    parts: list[str] = []
    _walk(root, parts, _chrome(root) | _comments(root, forum) if drop_chrome else frozenset())
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if _LETTER_OR_DIGIT.search(line))


def visible_chars(root) -> int:
    """Non-space characters of the text `render_tree` would give (chrome kept), counted in C."""
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root
    hidden = sum(nonspace_chars(etree.tostring(e, method="text", encoding=str, with_tail=False))
                 for e in body.iter(*_SKIP))
    return nonspace_chars(etree.tostring(body, method="text", encoding=str, with_tail=False)) - hidden


def nonspace_chars(text: str) -> int:
    """Characters that are not white space: markup indentation and rendering do not change it."""
    return len("".join(text.split()))


def _chrome(root) -> frozenset:
    doomed = []
    for element in root.iter(etree.Element):
        tag = element.tag.lower()
        role = (element.get("role") or "").lower()
        if not (tag == "nav" or role in _CHROME_ROLES or tag in _CHROME_OUTSIDE_MAIN):
            continue
        if next(element.iterdescendants("article", "main"), None) is not None:
            continue  # a page wrapped in its header (or a landmark) is not chrome
        if tag == "nav" or role in _CHROME_ROLES or not any(
                a.tag.lower() in ("article", "main") for a in element.iterancestors(etree.Element)):
            doomed.append(element)
    return frozenset(doomed)


def forum_thread(root) -> bool:
    """The page says it is a forum thread (schema.org DiscussionForumPosting, as JSON-LD or microdata)."""
    if any(s.text and _FORUM_THREAD.search(s.text) for s in root.iterfind('.//script[@type="application/ld+json"]')):
        return True
    return bool(_FORUM_MICRODATA(root))


def _comments(root, forum: bool | None = None) -> frozenset:
    return frozenset() if (forum_thread(root) if forum is None else forum) else frozenset(_COMMENTS(root))


_LEAVING = object()


def _walk(root, parts: list[str], chrome: frozenset) -> None:
    """Depth first, with a stack of its own: a tree nested 2,000 deep is not a RecursionError.

    An element is pushed again under `_LEAVING` when entered, to be closed after its children."""
    stack = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        element = pop()
        if element is _LEAVING:
            element = pop()
            tag = element.tag.lower()
            if tag in _BLOCK:
                parts.append("\n")
            elif tag == "td" or tag == "th":
                parts.append(" ")
        else:
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            if tag and tag not in _SKIP and element not in chrome:
                if tag in _BLOCK:
                    parts.append("\n")
                if tag == "li":
                    parts.append("* ")
                if element.text:
                    parts.append(element.text)
                push(element)
                push(_LEAVING)
                extend(reversed(element))
                continue
        if element.tail:  # a hidden element's tail is shown: it belongs to the parent
            parts.append(element.tail)
