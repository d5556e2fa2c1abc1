"""Small text measures shared by the steps (one definition of a word, of a heading, ...)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]|_")
SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$")

# langdetect codes -> jusText stop-list names (jusText ships with trafilatura)
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "eu": "Basque", "gl": "Galician",
    "is": "Icelandic", "ga": "Irish", "ms": "Malay", "sr": "Serbian", "bs": "Bosnian",
    "hy": "Armenian", "ka": "Georgian", "kk": "Kazakh", "az": "Azerbaijani", "be": "Belarusian",
    "la": "Latin", "eo": "Esperanto", "uz": "Uzbek", "yo": "Yoruba",
}


def normalize(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form, for matching and duplicates."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_heading_like(text: str, max_words: int = 12) -> bool:
    """Short and not a sentence: a title, a menu item, a label."""
    stripped = text.strip()
    return len(words(stripped)) <= max_words and not SENTENCE_END.search(stripped)


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Stop words of a language, empty when none are known (then density is not used)."""
    name = _STOPLIST_NAMES.get(lang.split("-")[0])
    if not name:
        return frozenset()
    import justext

    try:
        return frozenset(w.casefold() for w in justext.get_stoplist(name))
    except ValueError:
        return frozenset()


def stopword_density(tokens: list[str], lang: str) -> float | None:
    stop = stopwords(lang)
    if not stop or not tokens:
        return None
    return sum(1 for w in tokens if w.casefold() in stop) / len(tokens)


def is_prose(text: str, lang: str, min_chars: int = 200, min_density: float = 0.32) -> bool:
    """Long running text: what jusText would call good, in any language we have a stop list for.

    Without a stop list, two sentence ends stand in for the stop-word evidence.
    """
    if len(text) < min_chars:
        return False
    density = stopword_density(words(text), lang)
    if density is None:
        return len(re.findall(r"[.!?。！？…](?:\s|$)", text)) >= 2
    return density >= min_density
