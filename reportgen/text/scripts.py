"""Scripts and directions of text: which script and font slot a character is in, which way a paragraph runs.

One classifier for every renderer: the Office font slot of a character (`slot`), its ISO 15924 script
(`script`, `char_scripts`), the paragraph direction (`is_rtl`), the kinsoku tables line breaking obeys, and
which characters are default-ignorable (`ignorable`). Nothing here imports fontTools for Latin text.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from typing import Literal

Slot = Literal["latin", "east_asian", "complex"]

# Blocks set in the "complex script" font slot of Word and PowerPoint (w:cs, a:cs): right-to-left and
# Indic scripts; and in the East Asian slot (w:eastAsia, a:ea): CJK ideographs, kana, Hangul, full width.
_COMPLEX = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)
_EAST_ASIAN = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x30FF),  # CJK punctuation, Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility, Katakana extensions
    (0x3200, 0x9FFF),  # enclosed CJK, CJK ideographs
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # CJK extensions
)


# Kinsoku shori (JIS X 4051), for East Asian text: a line never starts with a closing bracket or quote, a
# stop or comma, a small kana, an iteration or prolonged-sound mark, nor ends with an opening bracket or
# quote or a currency sign that precedes its number. One table for every renderer that breaks lines.
NO_LINE_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー’”）〕］｝〉》」』】〙〗〟｠»‐゠–〜～?!‼⁇⁈⁉)]},.:;%％｡､･"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
NO_LINE_END = frozenset("‘“（〔［｛〈《「『【〘〖〝｟｢«([{¥$£＄￡￥＋")


@functools.cache  # asked for every character a deck measures, of which there are few distinct ones
def slot(ch: str) -> Slot:
    """The font slot a character is set in by Word and PowerPoint."""
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _COMPLEX):
        return "complex"
    if any(lo <= code <= hi for lo, hi in _EAST_ASIAN):
        return "east_asian"
    return "latin"


def slots(text: str) -> set[Slot]:
    """Every slot the text's letters need (spaces and punctuation need none of their own)."""
    return {slot(ch) for ch in text if not ch.isspace() and unicodedata.category(ch)[0] in "LMN"}


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character is right-to-left (Arabic, Hebrew, ...): the
    paragraph's base direction under the Unicode bidi algorithm's rules P2-P3. False for no such character."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x180B, 0x180F),  # Mongolian variation selectors
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


@functools.cache
def ignorable(ch: str) -> bool:
    """Whether the character is default-ignorable (joiners, direction marks, variation selectors, other
    format characters): HarfBuzz uses or drops it, and no font needs a glyph for it."""
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or any(lo <= code <= hi for lo, hi in _IGNORABLE_RANGES)


@functools.cache
def script(ch: str) -> str:
    """The ISO 15924 script code of a character ("Latn", "Zyyy" for common, "Zinh" for inherited).

    The Latin-1, Latin Extended-A and General Punctuation blocks are answered from their few rules (a test
    holds them to fontTools' table), so a text in a Western European language never imports fontTools.
    """
    code = ord(ch)
    if code < 0x180:
        return "Latn" if ch.isalpha() and code != 0xB5 else "Zyyy"  # the micro sign is common
    if 0x2000 <= code <= 0x206F:
        return "Zinh" if code in (0x200C, 0x200D) else "Zzzz" if code == 0x2065 else "Zyyy"  # ZWNJ, ZWJ; unassigned
    from fontTools import unicodedata as ucd

    return str(ucd.script(ch))


def script_name(code: str) -> str:
    """The English name of an ISO 15924 script code ("Deva" -> "Devanagari"), for messages."""
    from fontTools import unicodedata as ucd

    return str(ucd.script_name(code))


def char_scripts(text: str) -> list[str]:
    """The script of every character; common and inherited characters take their neighbour's."""
    scripts = [script(ch) for ch in text]
    last = None
    for i, found in enumerate(scripts):
        if found in ("Zyyy", "Zinh", "Zzzz"):
            if last is not None:
                scripts[i] = last
        else:
            last = found
    first = next((s for s in scripts if s not in ("Zyyy", "Zinh", "Zzzz")), "Latn")
    return [first if s in ("Zyyy", "Zinh", "Zzzz") else s for s in scripts]


# -- What Word's run properties need beyond the slot: the complex script a character is in (runs of two such
# scripts cannot share one w:cs font), its direction, and the language tags (w:lang) each script's runs carry.

# Primary language subtags whose text Word shapes with the east-asian (w:eastAsia) or complex-script (w:bidi)
# slots of w:lang; every other language only sets the Latin slot (w:val).
EAST_ASIAN_LANGUAGES = frozenset({"zh", "ja", "ko"})
COMPLEX_SCRIPT_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "dv", "syr", "th", "hi", "bn", "ta"})

# Complex scripts by block: (first, last, script, default language tag, primary subtags written in it).
_COMPLEX_SCRIPT_BLOCKS: tuple[tuple[int, int, str, str, frozenset[str]], ...] = tuple(
    (lo, hi, name, tag, frozenset(languages.split()))
    for lo, hi, name, tag, languages in (
        (0x0590, 0x05FF, "hebrew", "he", "he iw yi lad"),
        (0x0600, 0x06FF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0700, 0x074F, "syriac", "syr", "syr"),
        (0x0750, 0x077F, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0780, 0x07BF, "thaana", "dv", "dv"),
        (0x07C0, 0x07FF, "nko", "nqo", "nqo"),
        (0x0800, 0x085F, "samaritan", "smp", "smp"),
        (0x0860, 0x086F, "syriac", "syr", "syr"),
        (0x0870, 0x08FF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0900, 0x097F, "devanagari", "hi", "hi mr ne sa kok mai bho new doi brx"),
        (0x0980, 0x09FF, "bengali", "bn", "bn as"),
        (0x0A00, 0x0A7F, "gurmukhi", "pa", "pa"),
        (0x0A80, 0x0AFF, "gujarati", "gu", "gu"),
        (0x0B00, 0x0B7F, "oriya", "or", "or"),
        (0x0B80, 0x0BFF, "tamil", "ta", "ta"),
        (0x0C00, 0x0C7F, "telugu", "te", "te"),
        (0x0C80, 0x0CFF, "kannada", "kn", "kn"),
        (0x0D00, 0x0D7F, "malayalam", "ml", "ml"),
        (0x0D80, 0x0DFF, "sinhala", "si", "si"),
        (0x0E00, 0x0E7F, "thai", "th", "th"),
        (0x0E80, 0x0EFF, "lao", "lo", "lo"),
        (0xFB1D, 0xFB4F, "hebrew", "he", "he iw yi lad"),
        (0xFB50, 0xFDFF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0xFE70, 0xFEFF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
    )
)
_COMPLEX_SCRIPT_STARTS = [block[0] for block in _COMPLEX_SCRIPT_BLOCKS]
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")
_EAST_ASIAN_TAGS = {"ja": "ja-JP", "ko": "ko-KR", "zh": "zh-CN"}
# Every character below this needs nothing of its own: Latin, Greek and Cyrillic use the Latin slot and
# none of them runs right to left (Hebrew, at U+0590, is the first script that does either).
_FIRST_SPECIAL = "\u0590"


def latin_ltr(text: str) -> bool:
    """True for text in the Latin slot that cannot run right to left (Latin, Greek, Cyrillic, punctuation):
    Word sets it with the paragraph's own fonts, nothing per run to add. Answered without a lookup per
    character."""
    return text.isascii() or max(text) < _FIRST_SPECIAL


def run_class(ch: str) -> tuple[Slot, str | None, bool | None]:
    """(font slot, complex script or None, direction) of a character, for cutting text into Word runs.

    The complex script is a lower-case name ("arabic", "devanagari"; "complex" for a complex-slot character
    outside the known blocks). The direction is True where the character must run right to left, False
    where it must not (a strong left-to-right letter), None where either will do."""
    code = ord(ch)
    bidi = unicodedata.bidirectional(ch)
    rtl = True if bidi in ("R", "AL", "AN") else False if bidi == "L" else None
    found: Slot = "latin" if code < 0x0590 else slot(ch)
    name = None
    if found == "complex":
        i = bisect.bisect_right(_COMPLEX_SCRIPT_STARTS, code) - 1
        block = _COMPLEX_SCRIPT_BLOCKS[i] if i >= 0 and code <= _COMPLEX_SCRIPT_BLOCKS[i][1] else None
        name = block[2] if block is not None else "complex"
    return found, name, rtl


def complex_script_language(name: str, language: str) -> str:
    """The w:lang w:bidi tag for text in complex script `name` (from run_class): the event's `language`
    when it is written in that script, else the script's usual language ("ar" for Arabic)."""
    primary = language.split("-", 1)[0].lower()
    for _lo, _hi, block_name, tag, languages in _COMPLEX_SCRIPT_BLOCKS:
        if block_name == name:
            return language if primary in languages else tag
    return language


def east_asian_language(text: str, language: str) -> str:
    """The w:lang w:eastAsia tag for east-asian `text`: kana means Japanese, Hangul Korean, ideographs alone
    Chinese; the event's own `language` when it fits."""
    primary = language.split("-", 1)[0].lower()
    guess = "ja" if _KANA.search(text) else "ko" if _HANGUL.search(text) else "zh"
    if primary == guess or (guess == "zh" and primary in EAST_ASIAN_LANGUAGES):
        return language
    return _EAST_ASIAN_TAGS[guess]


# The language a run of each script is tagged with when it is not the event language's script (ISO 15924
# codes, as `script` gives them); and the script each language is written in.
LANGUAGE_OF_SCRIPT = {
    "Latn": "en-US",
    "Grek": "el-GR",
    "Copt": "el-GR",
    "Cyrl": "ru-RU",
    "Armn": "hy-AM",
    "Hebr": "he-IL",
    "Arab": "ar-SA",
    "Syrc": "syr-SY",
    "Thaa": "dv-MV",
    "Deva": "hi-IN",
    "Beng": "bn-IN",
    "Guru": "pa-IN",
    "Gujr": "gu-IN",
    "Orya": "or-IN",
    "Taml": "ta-IN",
    "Telu": "te-IN",
    "Knda": "kn-IN",
    "Mlym": "ml-IN",
    "Sinh": "si-LK",
    "Thai": "th-TH",
    "Laoo": "lo-LA",
    "Tibt": "bo-CN",
    "Mymr": "my-MM",
    "Geor": "ka-GE",
    "Hang": "ko-KR",
    "Ethi": "am-ET",
    "Khmr": "km-KH",
    "Hira": "ja-JP",
    "Kana": "ja-JP",
    "Hani": "zh-CN",
    "Bopo": "zh-TW",
}
_SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("el",), "Grek"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt", "ba", "cv"), "Cyrl"),
    **dict.fromkeys(("hy",), "Armn"),
    **dict.fromkeys(("he", "iw", "yi", "lad"), "Hebr"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "ckb", "sd", "ku", "ks", "bal"), "Arab"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "kok", "mai", "bho", "new", "doi", "brx"), "Deva"),
    **dict.fromkeys(("bn", "as"), "Beng"),
    "pa": "Guru",
    "gu": "Gujr",
    "or": "Orya",
    "ta": "Taml",
    "te": "Telu",
    "kn": "Knda",
    "ml": "Mlym",
    "si": "Sinh",
    "th": "Thai",
    "lo": "Laoo",
    "bo": "Tibt",
    "my": "Mymr",
    "ka": "Geor",
    "ko": "Hang",
    "am": "Ethi",
    "km": "Khmr",
    "ja": "Kana",
    "zh": "Hani",
    "dv": "Thaa",
    "syr": "Syrc",
}
_SCRIPT_SUBTAGS = {
    "latn": "Latn",
    "grek": "Grek",
    "cyrl": "Cyrl",
    "arab": "Arab",
    "hebr": "Hebr",
    "deva": "Deva",
    "hans": "Hani",
    "hant": "Hani",
    "jpan": "Kana",
    "kore": "Hang",
    "thai": "Thai",
}
EAST_ASIAN_SCRIPTS = frozenset(("Hani", "Hira", "Kana", "Hang", "Bopo"))
"""Scripts whose letters are set in the East Asian slot and cluster into one language run."""
KANA = frozenset(("Hira", "Kana"))
_COMMON = frozenset(("Zyyy", "Zinh", "Zzzz"))


@functools.cache
def letter_script(ch: str) -> str:
    """The ISO 15924 script of a letter (`script`); "" for anything that is not a letter of one script."""
    if not unicodedata.category(ch).startswith("L"):
        return ""
    found = script(ch)
    return "" if found in _COMMON else found


def language_for(code: str) -> str | None:
    """The language tag given to text in a script that is not the document language's: "Arab" ->
    "ar-SA", "Hani" -> "zh-CN", "Kana" and "Hira" -> "ja-JP"; None for a script without one."""
    return LANGUAGE_OF_SCRIPT.get(code)


def language_script(language: str) -> str:
    """The script a language tag is written in: "fr" -> "Latn", "sr-Latn" -> "Latn", "ja" -> "Kana"
    (kana and Han both), "zh-Hant" -> "Hani"; "Latn" for a language not listed."""
    parts = language.lower().split("-")
    for part in parts[1:]:
        if part in _SCRIPT_SUBTAGS:
            return _SCRIPT_SUBTAGS[part]
    return _SCRIPT_OF_LANGUAGE.get(parts[0], "Latn")


def same_script(a: str, b: str) -> bool:
    """Whether two scripts count as one for tagging languages (hiragana and katakana are both Japanese)."""
    return a == b or (a in KANA and b in KANA)
