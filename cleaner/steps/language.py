"""Language: score every document (DetectLanguage), then decide (KeepLanguages)."""

from __future__ import annotations

from ..document import Document
from ..language import UNDETERMINED, detect
from ..textstats import words
from .base import Step


class DetectLanguage(Step):
    """Give the document a language and a confidence, judged on its prose-like paragraphs.

    Menus and button labels say little about the language, so paragraphs of at least
    `min_words` words are used when there are enough of them.
    """

    name = "language"

    def __init__(self, min_letters: int = 20, min_words: int = 8, max_chars: int = 4000):
        self.min_letters, self.min_words, self.max_chars = min_letters, min_words, max_chars

    def apply(self, doc: Document) -> None:
        if doc.meta.get("lang"):
            doc.lang, doc.lang_confidence = str(doc.meta["lang"]), 1.0
            return
        kept = doc.kept_paragraphs
        prose = [p.text for p in kept if len(words(p.text)) >= self.min_words]
        text = "\n".join(prose if sum(map(len, prose)) >= 200 else [p.text for p in kept])
        doc.lang, doc.lang_confidence = detect(text[: self.max_chars], self.min_letters)


class KeepLanguages(Step):
    """Drop documents whose language is not among those asked for."""

    name = "language"

    def __init__(self, langs: tuple[str, ...]):
        self.langs = frozenset(langs)

    def apply(self, doc: Document) -> None:
        if doc.removed is None and self.langs and doc.lang not in self.langs:
            kind = "undetermined language" if doc.lang == UNDETERMINED else f"language {doc.lang}"
            doc.removed = self.removal(
                f"{kind} not in {','.join(sorted(self.langs))}", "lang-filter",
                confidence=doc.lang_confidence,
            )
