"""Language: score every document (DetectLanguage), then decide (KeepLanguages, ForeignParagraphs)."""

from __future__ import annotations

from ..document import Document
from ..language import ENGINES, UNDETERMINED, check_languages, detect, language_codes
from .base import Step


def wanted(lang: str, langs: frozenset[str]) -> bool:
    """`--lang zh` keeps langdetect's zh-cn and zh-tw."""
    return lang in langs or lang.split("-")[0] in langs


class DetectLanguage(Step):
    """Give the document a language and a confidence, judged on its prose-like paragraphs.

    Menus and button labels say little about the language, so paragraphs of at least
    `min_words` words are used when there are enough of them. Only the first `max_chars`
    characters are read: the answer does not change after a few hundred words.
    """

    name = "language"

    def __init__(self, min_letters: int = 20, min_words: int = 8, max_chars: int = 4000, engine: str = "profiles"):
        if engine not in ENGINES:
            raise ValueError(f"unknown language engine {engine!r}; expected one of {', '.join(ENGINES)}")
        self.min_letters, self.min_words, self.max_chars, self.engine = min_letters, min_words, max_chars, engine

    def apply(self, doc: Document) -> None:
        if doc.meta.get("lang"):
            doc.lang, doc.lang_confidence = str(doc.meta["lang"]), 1.0
            return
        kept = doc.kept_paragraphs
        prose = _first_chars([p.text for p in kept if p.text.count(" ") + 1 >= self.min_words], self.max_chars)
        text = "\n".join(prose if sum(map(len, prose)) >= 200 else _first_chars([p.text for p in kept], self.max_chars))
        doc.lang, doc.lang_confidence = detect(text, self.min_letters, self.engine, self.max_chars)


def _first_chars(texts: list[str], limit: int) -> list[str]:
    out, size = [], 0
    for text in texts:
        if size >= limit:
            break
        out.append(text)
        size += len(text) + 1
    return out


class KeepLanguages(Step):
    """Drop documents whose language is not among those asked for."""

    name = "language"

    def __init__(self, langs: tuple[str, ...]):
        langs = language_codes(langs)
        check_languages(langs)
        self.langs = frozenset(langs)

    def apply(self, doc: Document) -> None:
        if doc.removed is None and self.langs and not wanted(doc.lang, self.langs):
            kind = "undetermined language" if doc.lang == UNDETERMINED else f"language {doc.lang}"
            doc.removed = self.removal(
                f"{kind} not in {','.join(sorted(self.langs))}", "lang-filter",
                confidence=doc.lang_confidence,
            )


class ForeignParagraphs(Step):
    """Drop a long paragraph that is clearly in a language not asked for, in a document that is.

    Only paragraphs with at least `min_letters` letters are judged: below a couple of hundred
    characters a quotation, a name, a title or a line of code is too easily mistaken for another
    language, and a sentence quoted in a foreign language belongs to the text that quotes it. A judged
    paragraph goes only when its language is not among those asked for and the detector's confidence
    is at least `min_confidence`; everything else stays.
    """

    name = "language"

    def __init__(self, langs: tuple[str, ...], min_letters: int = 150, min_confidence: float = 0.99,
                 engine: str = "profiles"):
        self.langs = frozenset(language_codes(langs))
        self.min_letters, self.min_confidence, self.engine = min_letters, min_confidence, engine

    def apply(self, doc: Document) -> None:
        if doc.removed is not None or not self.langs or not wanted(doc.lang, self.langs):
            return
        for paragraph in doc.kept_paragraphs:
            if len(paragraph.text) < self.min_letters:
                continue
            lang, confidence = detect(paragraph.text, self.min_letters, self.engine)
            if lang != UNDETERMINED and not wanted(lang, self.langs) and confidence >= self.min_confidence:
                self.mark(doc, paragraph, f"paragraph in {lang}, not in {','.join(sorted(self.langs))}",
                          "foreign-paragraph", lang=lang, confidence=confidence)
