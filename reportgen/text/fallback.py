"""Font fallback: which face of a stack sets each character of a text, one rule for every format.

The PDF shapes and embeds the faces chosen here; Word and the deck name their families in w:rFonts and
a:latin, a:ea, a:cs. The rule: each word of one script is set in the first face of its stack that has all
its characters and can shape its script (so a word never mixes faces needlessly); a word the first choice
cannot set keeps the face of the word before it in the same script when that face has it (Korean stays in
one face even where an earlier fallback has a few syllables). A word no single face covers falls back
character by character: each letter to the first face that has it and can shape its script, a combining
mark, punctuation, symbol or digit staying with the face before it when that face has it. White space and
format characters between words go with the character before them, else the one after.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .fonts import coverage, covered, gsub_scripts
from .scripts import char_scripts, ignorable, letter_script, script

# Scripts whose letters print wrongly without the font's OpenType shaping rules (conjuncts, reordered
# vowel signs, joining forms), with the GSUB script tags that carry those rules.
_SHAPING_TAGS = {
    "Arab": ("arab",),
    "Syrc": ("syrc",),
    "Deva": ("dev2", "deva"),
    "Beng": ("bng2", "beng"),
    "Guru": ("gur2", "guru"),
    "Gujr": ("gjr2", "gujr"),
    "Orya": ("ory2", "orya"),
    "Taml": ("tml2", "taml"),
    "Telu": ("tel2", "telu"),
    "Knda": ("knd2", "knda"),
    "Mlym": ("mlm2", "mlym"),
    "Sinh": ("sinh",),
    "Khmr": ("khmr",),
    "Mymr": ("mym2",),
}


@functools.cache
def can_shape(path: Path, code: str) -> bool:
    """Whether the font has what HarfBuzz needs to set the script `code` (ISO 15924) correctly."""
    tags = _SHAPING_TAGS.get(code)
    if tags is None or gsub_scripts(path) & set(tags):
        return True
    # HarfBuzz joins Arabic without rules when the font maps the presentation forms instead.
    forms = sum(1 for point in range(0xFE70, 0xFEFD) if covered(chr(point), path))
    return code == "Arab" and forms >= 120


def _has(font: Path, needed: set[int], stand_ins: frozenset[Path]) -> bool:
    """Whether the font has every code point of `needed`; a stand-in only its Latin and common letters."""
    if not coverage(font).issuperset(needed):
        return False
    return font not in stand_ins or all(letter_script(chr(point)) in ("", "Latn") for point in needed)


def _covers(font: Path, ch: str, stand_ins: frozenset[Path]) -> bool:
    return covered(ch, font) and (font not in stand_ins or letter_script(ch) in ("", "Latn"))


def faces_of(
    text: str,
    stacks: Sequence[tuple[Path, ...]],
    scripts: Sequence[str] | None = None,
    stand_ins: frozenset[Path] = frozenset(),
) -> list[Path | None]:
    """The face of every character of `text` from its stack (`stacks[i]`, first choice first), by the rule
    above; None for a character no face of its stack has (white space takes its stack's first face).

    `scripts`: each character's script as `char_scripts` gives it (found when not given). `stand_ins`:
    faces that stand in for a family not installed, trusted with Latin letters only.
    """
    if scripts is None:
        scripts = char_scripts(text)
    chosen: list[Path | None] = [None] * len(text)
    previous: tuple[str, Path] | None = None  # script and face of the last word
    for start, end in _words(text, stacks, scripts):
        stack, code = stacks[start], scripts[start]
        word = text[start:end]
        needed = {ord(ch) for ch in word if not ignorable(ch)}
        letters = any(script(ch) == code for ch in word)  # not only punctuation: its face must shape it
        font = next(
            (f for f in stack if _has(f, needed, stand_ins) and (not letters or can_shape(f, code))),
            None,
        )
        if font is not None:
            if (
                font != stack[0]
                and previous is not None
                and previous[0] == code
                and previous[1] in stack
                and _has(previous[1], needed, stand_ins)
            ):
                font = previous[1]
            chosen[start:end] = [font] * (end - start)
            previous = (code, font)
            continue
        last: Path | None = None
        for i in range(start, end):
            ch = text[i]
            if last is not None and (
                ignorable(ch) or (unicodedata.category(ch)[0] in "MPSN" and _covers(last, ch, stand_ins))
            ):
                chosen[i] = last
                continue
            shaped = script(ch) == code
            last = next(
                (f for f in stack if _covers(f, ch, stand_ins) and (not shaped or can_shape(f, code))),
                None,
            )
            if last is None:
                last = next((f for f in stack if _covers(f, ch, stand_ins)), None)
            chosen[i] = last
        previous = (code, last) if last is not None else previous
    # White space and format characters between words: with the character before them, else after.
    following: list[Path | None] = [None] * len(text)  # the first face chosen after each character
    for i in range(len(text) - 1, 0, -1):
        following[i - 1] = chosen[i] if chosen[i] is not None else following[i]
    result: list[Path | None] = []
    for i, known in enumerate(chosen):
        ch = text[i]
        if known is None and ch.isspace():
            before = result[-1] if result else None
            after = following[i]
            neighbours = [f for f in (before, after) if f is not None and (covered(ch, f) or ignorable(ch))]
            known = neighbours[0] if neighbours else next((f for f in stacks[i] if covered(ch, f)), stacks[i][0])
        result.append(known)
    return result


def segments(
    text: str, stack: tuple[Path, ...], stand_ins: frozenset[Path] = frozenset()
) -> list[tuple[int, int, Path | None]]:
    """(start, end, face) of each stretch of `text` set in one face of `stack` (`faces_of`); face None
    for characters no face has."""
    if not text:
        return []
    faces = faces_of(text, [stack] * len(text), stand_ins=stand_ins)
    found: list[tuple[int, int, Path | None]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or faces[i] != faces[start]:
            found.append((start, i, faces[start]))
            start = i
    return found


def _words(text: str, stacks: Sequence[tuple[Path, ...]], scripts: Sequence[str]) -> list[tuple[int, int]]:
    """Ranges of the words of one script and one font stack; white space lies between them."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        gap = ch.isspace()
        if start is not None and (gap or scripts[i] != scripts[start] or stacks[i] != stacks[start]):
            found.append((start, i))
            start = None
        if start is None and not gap:
            start = i
    if start is not None:
        found.append((start, len(text)))
    return found
