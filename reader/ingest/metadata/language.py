"""Language: the tag a page declares, normalised; a guess for pages that declare none.

`clean_lang` turns what pages declare (`<html lang="en_us">`, `content-language`,
`og:locale`) into a standard BCP 47 tag, with langcodes. `guess_language` is used only
when the page says nothing at all. It is dependency-free, and reads two signals, both
cheap and predictable: the script the letters are written in (kana means Japanese,
Hangul Korean, ...), and for Latin script the share of each language's commonest
words. The guess is None unless it is clear: a wrong language tag is worse than none
(it changes search and hyphenation).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from langcodes import standardize_tag

from reader.textrules import clean_line

# What a language tag looks like (not prose, not a locale name); langcodes reads it.
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$", re.I)


def clean_lang(value: str | None) -> str | None:
    """A BCP 47 tag in its standard form: "en_us" -> "en-US", "zh-hant-tw" -> "zh-Hant-TW",
    deprecated codes replaced ("iw" -> "he"); None for what is not a tag."""
    text = clean_line(value).replace("_", "-").split(",")[0].split(";")[0].strip()
    if not text or not _TAG.match(text):
        return None
    try:
        return standardize_tag(text)
    except ValueError:  # langcodes' LanguageTagError: subtags out of order
        return None


# --- the guess, for pages that declare nothing ----------------------------------

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is that it was for on are with as his they be at this have "
        "from or by not but what all were when we there an which their said if will would",
        "fr": "le la les de des et est un une du en que qui dans pour pas sur au avec il elle "
        "ce ne se sont plus par nous vous mais ont été cette aux leur",
        "de": "der die und das ist nicht zu den von mit sich des auf für im dem ein eine auch "
        "als an er es wird sie bei aus nach wie noch über oder",
        "es": "el la de que y en los las del se por un una con para es no al lo como más pero "
        "sus le ya o fue este ha muy",
        "it": "il di che e la per un una non sono del della le in è gli da con si ma come "
        "anche nel alla più questo dei ha",
        "pt": "de que o a e do da em um uma para com não os as no na por mais dos das se ao "
        "ele foi são também pela",
        "nl": "de het een en van is dat op te in zijn niet voor met die er aan ook als bij "
        "maar om dan worden wordt",
        "sv": "och att det som en på är av för med den till inte har de ett om var men jag "
        "sig från vi",
        "pl": "i w na z się nie do to że jest o jak ale po co tak za od są przez jego dla",
        "cs": "a se na v je že to s z do o ve jako by jsou ale pro jak které který také až",
        "tr": "ve bir bu da de için ile çok ne olarak daha gibi var olan sonra ama en kadar "
        "değil her",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh "
        "karena atau bisa sudah",
        "ro": "și în de la a cu pe care nu un o este din se ce mai pentru sunt fost au",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 20_000  # characters: enough for a clear signal, bounded for huge pages


def _script(ch: str) -> str | None:
    """The script of a letter, by its Unicode name (None for Latin and non-letters)."""
    if ch < "\u0250" or not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for script in (
        "HIRAGANA",
        "KATAKANA",
        "CJK",
        "HANGUL",
        "CYRILLIC",
        "GREEK",
        "ARABIC",
        "HEBREW",
        "THAI",
        "DEVANAGARI",
    ):
        if name.startswith(script):
            return script
    return None


_BY_SCRIPT = {
    "HANGUL": "ko",
    "GREEK": "el",
    "HEBREW": "he",
    "THAI": "th",
    "DEVANAGARI": "hi",
}


def guess_language(text: str) -> str | None:
    """The language `text` is most likely written in, as a BCP 47 tag, or None."""
    sample = text[:_SAMPLE]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 50:
        return None
    found = [_script(ch) for ch in letters]
    scripts = Counter(script for script in found if script is not None)
    latin = len(found) - scripts.total()
    if scripts and sum(scripts.values()) > latin:
        script, _ = scripts.most_common(1)[0]
        kana = scripts["HIRAGANA"] + scripts["KATAKANA"]
        if script in ("CJK", "HIRAGANA", "KATAKANA"):
            return "ja" if kana > 0.05 * (kana + scripts["CJK"]) else "zh"
        if script == "CYRILLIC":
            return "uk" if sum(sample.count(c) for c in "іїєґІЇЄҐ") > 5 else "ru"
        if script == "ARABIC":
            return "fa" if sum(sample.count(c) for c in "پچژگ") > 5 else "ar"
        return _BY_SCRIPT.get(script)
    words = [w.casefold() for w in _WORD.findall(sample)]
    if len(words) < 30:
        return None
    scores = sorted(
        ((sum(w in stop for w in words) / len(words), lang) for lang, stop in _STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    if best >= 0.12 and best >= 1.5 * second:
        return lang
    return None
