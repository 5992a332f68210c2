"""Scripts and directions of text: which script and font slot a character is in, which way a paragraph runs.

One classifier for every renderer: the Office font slot of a character (`slot`), its ISO 15924 script
(`script`, `char_scripts`), the paragraph direction (`is_rtl`), the kinsoku tables line breaking obeys, and
which characters are default-ignorable (`ignorable`). Nothing here imports fontTools for Latin text.
"""

from __future__ import annotations

import functools
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


# -- One table of scripts and the languages written in them, for every format's language tags (Word's w:lang,
# the deck's a:rPr lang): the ISO 15924 code `script` gives, the Office font slot its letters are set in, the
# tag a run of it is given when it is not the event language's script (as Office writes it: "ar-SA", not
# "ar"), and the primary language subtags written in it.
_TABLE: tuple[tuple[str, Slot, str, str], ...] = (
    ("Latn", "latin", "en-US", ""),
    ("Grek", "latin", "el-GR", "el"),
    ("Copt", "latin", "el-GR", ""),
    ("Cyrl", "latin", "ru-RU", "ru uk be bg mk sr kk ky mn tg tt ba cv"),
    ("Armn", "latin", "hy-AM", "hy"),
    ("Hebr", "complex", "he-IL", "he iw yi lad"),
    ("Arab", "complex", "ar-SA", "ar fa ur ps ug ckb sd ku ks bal"),
    ("Syrc", "complex", "syr-SY", "syr"),
    ("Thaa", "complex", "dv-MV", "dv"),
    ("Nkoo", "complex", "nqo", "nqo"),
    ("Samr", "complex", "smp", "smp"),
    ("Deva", "complex", "hi-IN", "hi mr ne sa kok mai bho new doi brx"),
    ("Beng", "complex", "bn-IN", "bn as"),
    ("Guru", "complex", "pa-IN", "pa"),
    ("Gujr", "complex", "gu-IN", "gu"),
    ("Orya", "complex", "or-IN", "or"),
    ("Taml", "complex", "ta-IN", "ta"),
    ("Telu", "complex", "te-IN", "te"),
    ("Knda", "complex", "kn-IN", "kn"),
    ("Mlym", "complex", "ml-IN", "ml"),
    ("Sinh", "complex", "si-LK", "si"),
    ("Thai", "complex", "th-TH", "th"),
    ("Laoo", "complex", "lo-LA", "lo"),
    ("Tibt", "latin", "bo-CN", "bo"),
    ("Mymr", "latin", "my-MM", "my"),
    ("Geor", "latin", "ka-GE", "ka"),
    ("Ethi", "latin", "am-ET", "am"),
    ("Khmr", "latin", "km-KH", "km"),
    ("Hang", "east_asian", "ko-KR", "ko"),
    ("Hira", "east_asian", "ja-JP", ""),
    ("Kana", "east_asian", "ja-JP", "ja"),
    ("Hani", "east_asian", "zh-CN", "zh"),
    ("Bopo", "east_asian", "zh-TW", ""),
)
LANGUAGE_OF_SCRIPT = {code: tag for code, _slot, tag, _languages in _TABLE}
"""The language tag of a run in each script that is not the event language's script."""
SLOT_OF_SCRIPT: dict[str, Slot] = {code: where for code, where, _tag, _languages in _TABLE}
"""The Office font slot of each script's letters (as `slot` finds it for each of them)."""
_SCRIPT_OF_LANGUAGE = {language: code for code, _slot, _tag, languages in _TABLE for language in languages.split()}
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
EAST_ASIAN_SCRIPTS = frozenset(code for code, where in SLOT_OF_SCRIPT.items() if where == "east_asian")
"""Scripts whose letters are set in the East Asian slot and cluster into one language run."""
KANA = frozenset(("Hira", "Kana"))
_COMMON = frozenset(("Zyyy", "Zinh", "Zzzz"))
# Every character below this needs nothing of its own: Latin, Greek and Cyrillic use the Latin slot and
# none of them runs right to left (Hebrew, at U+0590, is the first script that does either).
_FIRST_SPECIAL = "\u0590"


def latin_ltr(text: str) -> bool:
    """True for text in the Latin slot that cannot run right to left (Latin, Greek, Cyrillic, punctuation):
    Word sets it with the paragraph's own fonts, nothing per run to add. Answered without a lookup per
    character."""
    return text.isascii() or max(text) < _FIRST_SPECIAL


@functools.cache
def letter_script(ch: str) -> str:
    """The ISO 15924 script of a letter (`script`); "" for anything that is not a letter of one script."""
    if not unicodedata.category(ch).startswith("L"):
        return ""
    found = script(ch)
    return "" if found in _COMMON else found


def run_class(ch: str) -> tuple[Slot, str | None, bool | None]:
    """(font slot, complex script or None, direction) of a character, for cutting text into Word runs.

    The complex script is the ISO 15924 code (`script`) of a character in the complex slot ("Arab", "Deva"),
    None for any other character and for the punctuation and marks complex scripts share (Arabic comma,
    danda, harakat). The direction is True where the character must run right to left, False where it
    must not (a strong left-to-right letter), None where either will do."""
    bidi = unicodedata.bidirectional(ch)
    rtl = True if bidi in ("R", "AL", "AN") else False if bidi == "L" else None
    found: Slot = "latin" if ch < _FIRST_SPECIAL else slot(ch)
    name = None
    if found == "complex":
        name = script(ch)
        if name in _COMMON:
            name = None
    return found, name, rtl


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


def language_slot(language: str) -> Slot:
    """The Office font slot of the script a language is written in: "ar" -> "complex", "ja" -> "east_asian"."""
    return SLOT_OF_SCRIPT.get(language_script(language), "latin")


def same_script(a: str, b: str) -> bool:
    """Whether two scripts count as one for tagging languages (hiragana and katakana are both Japanese)."""
    return a == b or (a in KANA and b in KANA)


def script_language(code: str, language: str) -> str:
    """The tag of text in script `code`: the event's `language` when it is written in that script, else
    the script's own ("Arab" -> "ar-SA"), else the event's."""
    if same_script(code, language_script(language)):
        return language
    return LANGUAGE_OF_SCRIPT.get(code) or language


def east_asian_language(found: set[str] | frozenset[str], language: str) -> str:
    """The tag of a stretch of East Asian letters of the scripts `found`: kana means Japanese, Hangul Korean,
    Han alone Chinese (Bopomofo: Taiwanese Mandarin); the event's own `language` when it is such a language."""
    own = language_script(language)
    if found & KANA:
        return language if own in KANA else "ja-JP"
    if "Hang" in found:
        return language if own == "Hang" else "ko-KR"
    if own in EAST_ASIAN_SCRIPTS:
        return language
    return "zh-TW" if "Bopo" in found else "zh-CN"
