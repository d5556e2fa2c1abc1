"""Small text measures shared by the steps (one definition of a word, of a heading, ...).

The views of a text that several steps ask for (its words, its whitespace-collapsed and its
normalised forms) are memoised by text: each is computed once per paragraph, however many
rules and steps look at it, and once for a menu line that a whole site repeats. The memos
hold the last `MEMO_SIZE` distinct texts (a few documents' worth) and return tuples, which
nobody can change under another step's feet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PUNCT = re.compile(r"[^\w\s]|_")
SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$")
MEMO_SIZE = 1 << 15
_ASCII_ALNUM = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))
# ASCII text is its own NFKC form; `normalize` on it: letters lower-cased, punctuation and _ to spaces
_ASCII_NORMAL = bytes((c + 32 if 65 <= c <= 90 else c) if (chr(c).isalnum() or chr(c).isspace()) and c != 95 else 32
                      for c in range(128)) + bytes(range(128, 256))

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


@lru_cache(maxsize=MEMO_SIZE)
def normalize(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form, for matching and duplicates."""
    if text.isascii():
        return " ".join(text.encode("ascii").translate(_ASCII_NORMAL).decode("ascii").split())
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())  # str.split() splits where \s matches


@lru_cache(maxsize=MEMO_SIZE)
def collapse_space(text: str) -> str:
    return " ".join((text if text.isascii() else unicodedata.normalize("NFKC", text)).split())


@lru_cache(maxsize=MEMO_SIZE)
def words(text: str) -> tuple[str, ...]:
    if text.isascii() and "'" not in text:  # then the words are the runs of letters and digits
        return tuple(text.encode("ascii").translate(_ASCII_ALNUM).decode("ascii").split())
    return tuple(_WORD.findall(text))


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


def stopword_density(tokens: Sequence[str], lang: str) -> float | None:
    stop = stopwords(lang)
    if not stop or not tokens:
        return None
    return sum(map(stop.__contains__, map(str.casefold, tokens))) / len(tokens)


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
