"""Scripts and directions of text: which font slot a character needs and which way a paragraph runs."""

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
