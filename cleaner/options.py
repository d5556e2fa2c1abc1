"""Options are data: every threshold and switch of the chain lives here."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Extraction:
    """How cleaner.extract takes a page's main text (Options.html_* set these)."""

    favor_recall: bool = True  # trafilatura favours recall; our filters take care of precision
    # trafilatura keeping less than this share of the text our chain would judge instead (the page's
    # visible text without its declared chrome and readers' comments) has missed its main content
    # (listings, shop grids, a sub-region): the page, one block per line, goes to our chain
    fallback_share: float = 0.25
    drop_chrome: bool = True  # the render leaves out nav, ARIA landmarks, footer/aside/header
    fast: bool = True  # trafilatura without its second opinions (readability, jusText)
    # a forum thread is rendered and judged by our chain: trafilatura takes the replies for
    # readers' comments and keeps only the opening post
    forum_threads: bool = True


@dataclass(frozen=True)
class Options:
    # which languages to keep (ISO 639-1 codes as langdetect gives them); empty keeps all
    langs: tuple[str, ...] = ()
    # extra rule folders: a file named like a default one replaces it, other files are added
    rules_dirs: tuple[Path, ...] = ()
    # mechanisms, each of which can be switched off
    rules: bool = True
    context: bool = True
    content: bool = True
    # the content step (jusText's rules) also after the trained classifier; by default it is the
    # classifier's stand-in when that is off: after it, it removes more content than boilerplate
    content_with_classifier: bool = False
    # the trained paragraph classifier (cleaner/models/paragraphs.json); None: the model's own threshold
    classifier: bool = True
    classifier_threshold: float | None = None
    # running prose (long, with its language's stop words) is removed only below this probability
    classifier_prose_threshold: float = 0.1
    # each page's own threshold, the one that maximises its expected F1 (off: the fixed threshold;
    # an explicit classifier_threshold is always fixed); alpha < 1 trusts the model's total of content less;
    # the page's threshold is never above page_max
    classifier_page_threshold: bool = True
    classifier_page_alpha: float = 0.7
    classifier_page_max: float = 0.5
    # the classifier's lexical score (cleaner/models/lexical.npy: what a paragraph's words say); off: 0, no word known
    classifier_lexical: bool = True
    # outside the page's main region (the stretch where keeping pays the most) a paragraph stays
    # only at or above this probability; off: each paragraph judged against the threshold alone
    classifier_main_region: bool = True
    classifier_region_keep: float = 0.6
    # after the classifier: a grid of priced records (a shop's names and prices, steps/records.py) holding
    # at least record_grid_share times the words kept outside it is the page's content, kept whole
    record_grid: bool = True
    record_grid_share: float = 2.5
    # content step: below this share of the page's characters, good paragraphs do not anchor a main region
    min_good_share: float = 0.1
    repeated_lines: bool = True
    dedup: bool = True
    # near-duplicate paragraphs
    dedup_threshold: float = 0.8
    num_perm: int = 128
    shingle_words: int = 5
    # which copy of a near-duplicate paragraph is kept: "first" in input order, or "longest"
    dedup_keep: str = "first"
    # a near-duplicate cluster in at least this many documents is boilerplate, removed from
    # every copy (the first too); 0 turns this off
    dedup_boilerplate_docs: int = 20
    # the saved index of kept paragraphs; None: in a corpus run OUTPUT/cleaner-dedup-index.npz
    # (OUTPUT.dedup-index.npz beside a file output, none for standard output); not saved by the library
    dedup_index: Path | None = None
    # a line repeated across at least this many documents of one site is boilerplate
    repeated_min_docs: int = 4
    # language detection: documents with fewer letters than this get "und"
    lang_min_letters: int = 20
    # "profiles" (langdetect's profiles, n-grams scored at once with numpy: deterministic, 33-50x faster)
    # or "langdetect" (the library itself, seeded), kept for comparison
    lang_engine: str = "profiles"
    # with langs: drop paragraphs of at least this many letters that are in another language
    # with at least this confidence (shorter ones, such as quotes and names, are never judged)
    foreign_paragraphs: bool = True
    foreign_min_letters: int = 150
    foreign_min_confidence: float = 0.99
    # HTML: let trafilatura favour recall, our filters then take care of precision
    html_favor_recall: bool = True
    # HTML: skip trafilatura's second opinions (readability, jusText) on its extraction; the fallback
    # below and our chain judge instead (devset HTML F1 0.836 -> 0.843, extraction 19% less CPU)
    html_fast: bool = True
    # HTML: when trafilatura keeps less than this share of the text our chain would judge instead
    # (the visible text, without chrome and comments when html_drop_chrome), that page, one block
    # per line, goes to our own chain (see cleaner/extract.py)
    html_fallback_share: float = Extraction.fallback_share
    # HTML judged by our chain: leave out nav, ARIA navigation/banner/contentinfo/search landmarks,
    # and footer/aside/header outside article or main (the page's own word on what is not content)
    html_drop_chrome: bool = True
    # HTML: a forum thread (schema.org DiscussionForumPosting) is judged by our chain whole:
    # trafilatura takes its replies for readers' comments and keeps only the opening post
    html_forum_threads: bool = True
    # run the content classifier on trafilatura's extraction too (it has already chosen the main text)
    content_on_extracted_html: bool = False
    # UTF-8 read as windows-1252 by the page's own site ("donât"), put right (mojibake.py)
    repair_mojibake: bool = True
    # inputs: JSON lines and Parquet fields holding the text and the id (datatrove's and dolma's names)
    text_field: str = "text"
    id_field: str = "id"
    # hostile input: a page whose extraction takes longer fails (seconds; 0: no limit), a document
    # (file, line, record) larger than this fails, and a rule match taking longer counts as no match
    html_timeout: float = 30.0
    max_document_bytes: int = 64 << 20
    rule_timeout: float = 0.5
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 < self.dedup_threshold <= 1:  # NaN too
            raise ValueError(f"dedup_threshold must be above 0 and at most 1, not {self.dedup_threshold}: it is the "
                             "Jaccard similarity at which two paragraphs are near-duplicates (at 0 every paragraph "
                             "is a near-duplicate of the first)")

    def extraction(self) -> Extraction:
        """The html_* options, as the reader takes them."""
        return Extraction(favor_recall=self.html_favor_recall, fallback_share=self.html_fallback_share,
                          drop_chrome=self.html_drop_chrome, fast=self.html_fast,
                          forum_threads=self.html_forum_threads)

    def with_(self, **changes) -> Options:
        return replace(self, **_coerce(changes))

    @classmethod
    def from_kwargs(cls, **kwargs) -> Options:
        """Build from keyword arguments, naming any that are unknown."""
        return cls(**_coerce(kwargs))


def _coerce(kwargs: dict) -> dict:
    """Accept what people write: langs="en,es", rules_dirs="myrules" or a list of str; name unknown keys."""
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise TypeError(f"unknown cleaner option(s): {', '.join(unknown)}")
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("langs"), str):
        kwargs["langs"] = tuple(x.strip() for x in kwargs["langs"].split(",") if x.strip())
    elif "langs" in kwargs:
        kwargs["langs"] = tuple(kwargs["langs"])
    if isinstance(kwargs.get("rules_dirs"), str | Path):
        kwargs["rules_dirs"] = (kwargs["rules_dirs"],)
    if "rules_dirs" in kwargs:
        kwargs["rules_dirs"] = tuple(Path(p) for p in kwargs["rules_dirs"])
    return kwargs
