"""HTML pages: trafilatura finds the article; navigation and footer do not reach the output."""

from __future__ import annotations

import json

import pytest
from prose import EN

from cleaner import Cleaner
from cleaner.options import Extraction

PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>The village ferry</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/contact">Contact the editors</a></li></ul></nav>
<main><article><h1>The village ferry keeps running</h1>
<p>{EN[0]}</p>
<p>{EN[1]}</p>
</article></main>
<footer><p>Copyright 2025 Valley Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>
"""


def test_an_html_page_keeps_its_article_and_drops_nav_and_footer(corpus, clean_run):
    out, result = clean_run(corpus({"ferry.html": PAGE}))
    assert result.exit_code == 0, result.output
    text = (out / "ferry.txt").read_text(encoding="utf-8")
    assert EN[0] in text and EN[1] in text
    for boilerplate in ("Contact the editors", "Sport", "Copyright", "Privacy policy", "Terms of use"):
        assert boilerplate not in text


def test_an_html_page_in_a_legacy_charset_is_extracted_with_its_accents(corpus, clean_run):
    body = ("Le vieux bac traverse la rivière depuis plus de cent ans, et la plupart des habitants se souviennent "
            "encore de la première fois où ils y sont montés avec leurs parents, par un matin froid de février.")
    page = f'<html><head><meta charset="iso-8859-1"></head><body><article><p>{body}</p></article></body></html>'
    out, result = clean_run(corpus({"bac.html": page.encode("latin-1")}))
    assert result.exit_code == 0, result.output
    assert (out / "bac.txt").read_text(encoding="utf-8") == body + "\n"


def test_the_canonical_url_of_a_page_names_its_site():
    page = PAGE.replace("<head>", '<head><link rel="canonical" href="https://www.valley-gazette.example/ferry">')
    doc = Cleaner().clean(page, format="html").document
    assert (doc.source, doc.site) == ("https://www.valley-gazette.example/ferry", "valley-gazette.example")


# a share above 1: trafilatura would need more text than the page has, so every page is rendered
ALWAYS_RENDER = 2.0


def test_the_fallback_share_decides_when_the_whole_page_is_judged_instead():
    assert Cleaner().clean(PAGE, format="html").document.meta["extractor"] == "trafilatura"
    rendered = Cleaner(html_fallback_share=ALWAYS_RENDER).clean(PAGE, format="html").document
    assert rendered.meta["extractor"] == "rendered"
    assert EN[0] in rendered.clean_text() and "Contact the editors" not in rendered.clean_text()


def test_a_judged_page_leaves_out_what_its_markup_calls_navigation_and_footer():
    rendered = Cleaner(html_fallback_share=ALWAYS_RENDER, classifier=False, content=False, rules=False,
                       context=False).clean(PAGE, format="html")
    assert "Sport" not in rendered.text and "Privacy policy" not in rendered.text
    assert "The village ferry keeps running" in rendered.text and EN[1] in rendered.text
    kept = Cleaner(html_fallback_share=ALWAYS_RENDER, html_drop_chrome=False, classifier=False, content=False, rules=False,
                   context=False).clean(PAGE, format="html")
    assert "Sport" in kept.text and "Privacy policy" in kept.text


def test_a_page_is_parsed_once_and_trafilatura_leaves_the_tree_as_it_was(monkeypatch):
    from lxml import etree
    from trafilatura.utils import load_html

    from cleaner import extract
    from cleaner.extract import extract_main_text

    tree = load_html(PAGE)
    before = etree.tostring(tree)
    assert extract_main_text(tree) == extract_main_text(PAGE)
    assert etree.tostring(tree) == before
    parsed, given = [], []
    monkeypatch.setattr(extract, "load_page", lambda markup: parsed.append(markup) or (load_html(markup), False))
    monkeypatch.setattr(extract, "parse", lambda markup: parsed.append(markup))
    real = extract.trafilatura.extract
    monkeypatch.setattr(extract.trafilatura, "extract", lambda page, **kw: given.append(page) or real(page, **kw))
    text, how, _ = extract.extract_page(PAGE, Extraction(fallback_share=ALWAYS_RENDER))  # trafilatura, then the render of the same tree
    assert how == "rendered" and EN[1] in text
    assert len(parsed) == 1 and isinstance(given[0], etree._Element)


def _nested(depth: int, inner: str) -> str:
    return "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"


def test_text_nested_deeper_than_libxml2_s_default_limit_is_kept():
    # libxml2 drops, without an error, whatever lies under 256 nested elements (old layout tables,
    # unclosed tags); trafilatura's and lxml's default parsers keep that limit
    paragraphs = f"<p>{EN[0]}</p><p>{EN[1]}</p><p>{EN[2]}</p>"
    for fallback_share in (0.5, ALWAYS_RENDER):  # trafilatura's text, or our own render of the tree
        for depth in (300, 1500):  # 1,500 would be a RecursionError for a recursive walk of the tree
            text = Cleaner(html_fallback_share=fallback_share).clean(_nested(depth, paragraphs), format="html").text
            assert all(sentence in text for sentence in EN[:3]), (fallback_share, depth)


def test_a_page_nested_past_libxml2_s_hard_cap_says_its_deep_text_was_lost(corpus, clean_run):
    deep = _nested(2100, f"<p>{EN[0]}</p>")
    out, result = clean_run(corpus({"deep.html": deep, "fine.html": _nested(300, f"<p>{EN[1]}</p>")}))
    assert result.exit_code == 0, result.output
    manifest = {e["doc"]: e for e in map(json.loads, (out / "cleaner-manifest.jsonl").read_text().splitlines())}
    assert manifest["deep.html"].get("html_too_deep") is True and "html_too_deep" not in manifest["fine.html"]
    notes = [json.loads(line) for line in (out / "cleaner-audit.jsonl").read_text().splitlines()]
    assert [n["doc"] for n in notes if n.get("rule") == "html-too-deep"] == ["deep.html"]


@pytest.mark.parametrize("page", [
    PAGE,
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared encoding</p><p>two</p></body></html>',
    "<div><p>A fragment with no html tag</p></div>",
    "<p>one block</p><p>and another</p>",
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">\n<html/>\n<body><p>self-closed html</p></body>',
    "just text, no markup at all",
])
def test_pages_are_parsed_as_trafilatura_parses_them(page):
    from lxml import etree
    from trafilatura.utils import load_html

    from cleaner.htmltree import load_page

    (ours, too_deep), theirs = load_page(page), load_html(page)
    assert not too_deep
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def test_the_page_s_visible_text_leaves_out_scripts_and_styles():
    from cleaner.render import parse, render_tree, visible_chars

    tree = parse("<html><head><title>T</title><style>p{color:red}</style></head><body><p>Ab cd</p>"
                 "<script>var x = 'a long script that nobody sees';</script><p>ef</p></body></html>")
    assert visible_chars(tree) == 6 == len(render_tree(tree).replace("\n", "").replace(" ", ""))


def test_a_page_wrapped_in_its_header_is_not_chrome():
    page = (f"<html><body><header class='site'><nav><a href='/'>Home</a><a href='/shop'>Shop</a></nav>"
            f"<main><h1>The ferry</h1><p>{EN[0]}</p><p>{EN[1]}</p></main></header></body></html>")
    rendered = Cleaner(html_fallback_share=ALWAYS_RENDER, classifier=False, content=False, rules=False,
                       context=False).clean(page, format="html")
    assert EN[0] in rendered.text and "Shop" not in rendered.text


def test_text_written_for_readers_without_scripts_is_rendered():
    page = f"<html><body><div id='app'></div><noscript><p>{EN[0]}</p><p>{EN[2]}</p></noscript></body></html>"
    rendered = Cleaner(html_fallback_share=ALWAYS_RENDER, classifier=False, content=False, rules=False,
                       context=False).clean(page, format="html")
    assert EN[0] in rendered.text and EN[2] in rendered.text


def test_trafilatura_s_second_opinions_are_an_option():
    from cleaner.extract import extract_page

    assert extract_page(PAGE, Extraction(fast=False))[0] == extract_page(PAGE, Extraction(fast=True))[0]
    assert Cleaner().options.html_fast and not Cleaner(html_fast=False).options.html_fast


def _judged(page: str) -> str:
    return Cleaner(html_fallback_share=ALWAYS_RENDER, classifier=False, content=False, rules=False,
                   context=False).clean(page, format="html").text


def test_a_judged_page_leaves_out_readers_comments_as_trafilatura_does():
    page = (f"<html><body><article><p>{EN[0]}</p></article>"
            f"<div id='comments' class='comments-area'><ol class='comment-list'><li><p>{EN[3]}</p></li></ol></div>"
            f"<section class='commentary'><p>{EN[4]}</p></section></body></html>")
    text = _judged(page)
    assert EN[0] in text and EN[3] not in text
    assert EN[4] in text  # commentary is not comments


def test_on_a_forum_thread_the_comments_are_the_posts():
    forum = '<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Ferry"}</script>'
    page = (f"<html><head>{forum}</head><body><article><p>{EN[0]}</p></article>"
            f"<div class='comment-body'><p>{EN[3]}</p></div></body></html>")
    assert EN[3] in _judged(page)


def _thread(*posts: str) -> str:
    """A forum thread as Discourse serves it to crawlers: schema.org microdata, replies as Comments."""
    def post(n: int, text: str) -> str:
        kind = "" if n == 1 else " itemprop='comment' itemscope itemtype='http://schema.org/Comment'"
        return (f"<div id='post_{n}'{kind} class='topic-body crawler-post'><div class='crawler-post-meta'>"
                f"<span itemprop='author'>member{n}</span></div><div class='post' itemprop='text'><p>{text}</p></div></div>")
    return ("<html><head><title>The ferry timetable - Village forum</title></head><body>"
            "<div itemscope itemtype='http://schema.org/DiscussionForumPosting'>"
            "<meta itemprop='headline' content='The ferry timetable'>"
            + "".join(post(n, text) for n, text in enumerate(posts, 1)) + "</div></body></html>")


def test_a_forum_thread_keeps_its_replies():
    page = _thread(EN[0], EN[1], EN[2])
    only_first = Cleaner(html_forum_threads=False).clean(page, format="html").text
    assert EN[0] in only_first and EN[1] not in only_first  # trafilatura takes replies for comments
    text = Cleaner().clean(page, format="html").text
    assert all(post in text for post in EN[:3])


def test_a_page_falls_back_only_when_trafilatura_missed_text_outside_chrome_and_comments():
    from cleaner.extract import extract_page

    menu = "".join(f"<li><a href='/{i}'>Section number {i} of the site</a></li>" for i in range(60))
    article = f"<article><h1>The ferry</h1><p>{EN[0]}</p><p>{EN[1]}</p></article>"
    big_nav = f"<html><body><nav><ul>{menu}</ul></nav>{article}</body></html>"
    assert extract_page(big_nav)[1] == "trafilatura"  # most of the visible text is the menu
    assert extract_page(big_nav, Extraction(drop_chrome=False))[1] == "rendered"  # the menu is judged as text


def test_trafilatura_s_second_opinions_can_be_asked_for_on_the_command_line(corpus, clean_run, monkeypatch):
    from cleaner import extract

    asked = []
    real = extract.extract_main_text
    monkeypatch.setattr(extract, "extract_main_text", lambda page, recall, fast: asked.append(fast) or real(page, recall, fast))
    out, result = clean_run(corpus({"ferry.html": PAGE}), "--html-second-opinions")
    assert result.exit_code == 0, result.output
    assert EN[0] in (out / "ferry.txt").read_text(encoding="utf-8") and asked == [False]


def test_a_rendered_line_without_a_letter_or_digit_is_not_a_paragraph():
    from cleaner.render import render_blocks

    page = ("<html><body><ul><li><img src='a.png'></li><li>Ferry times</li><li>٣ 平日</li></ul>"
            "<p>|</p><div>— · —</div><p>2025</p></body></html>")
    assert render_blocks(page).split("\n") == ["* Ferry times", "* ٣ 平日", "2025"]
