"""The Unicode bidirectional algorithm (UAX #9) for one paragraph: embedding levels and visual order of runs.

The PDF brief draws glyphs itself, so it needs what a word processor computes when it shows mixed
Arabic, numbers and Latin: the level of every character (even: left-to-right, odd: right-to-left) and
the order of the level runs on each line. Explicit embedding and isolate controls (U+202A-202E,
U+2066-2069) are refused rather than half-handled; everything else follows rules W1-W7, N0-N2, I1-I2
and L1-L2 of UAX #9.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
_NEUTRAL = {"B", "S", "WS", "ON"}

# Bidi_Paired_Bracket pairs (BidiBrackets.txt), opening -> closing. U+2329/U+232A are canonically
# equivalent to U+3008/U+3009 and are folded onto them before matching.
_BRACKETS = dict(
    zip(
        "([{\u0f3a\u0f3c\u169b\u2045\u207d\u208d\u2308\u230a\u2768\u276a\u276c\u276e\u2770\u2772\u2774\u27c5"
        "\u27e6\u27e8\u27ea\u27ec\u27ee\u2983\u2985\u2987\u2989\u298b\u298d\u298f\u2991\u2993\u2995\u2997"
        "\u29d8\u29da\u29fc\u2e22\u2e24\u2e26\u2e28\u2e55\u2e57\u2e59\u2e5b\u3008\u300a\u300c\u300e\u3010"
        "\u3014\u3016\u3018\u301a\ufe59\ufe5b\ufe5d\uff08\uff3b\uff5b\uff5f\uff62",
        ")]}\u0f3b\u0f3d\u169c\u2046\u207e\u208e\u2309\u230b\u2769\u276b\u276d\u276f\u2771\u2773\u2775\u27c6"
        "\u27e7\u27e9\u27eb\u27ed\u27ef\u2984\u2986\u2988\u298a\u298c\u2990\u298e\u2992\u2994\u2996\u2998"
        "\u29d9\u29db\u29fd\u2e23\u2e25\u2e27\u2e29\u2e56\u2e58\u2e5a\u2e5c\u3009\u300b\u300d\u300f\u3011"
        "\u3015\u3017\u3019\u301b\ufe5a\ufe5c\ufe5e\uff09\uff3d\uff5d\uff60\uff63",
        strict=True,
    )
)
_CLOSING = {close: open_ for open_, close in _BRACKETS.items()}
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


class UnsupportedBidi(ValueError):
    """The text uses explicit directional embeddings or isolates, which this implementation refuses."""


def bidi_class(ch: str) -> str:
    """The Bidi_Class of a character; unassigned code points count as L."""
    return unicodedata.bidirectional(ch) or "L"


def levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level of every character of a paragraph (before the per-line rule L1).

    `rtl` is the paragraph's base direction. Boundary neutrals (joiners, soft hyphens) take the level
    of the character before them. Raises UnsupportedBidi for explicit embedding or isolate controls.
    """
    base = 1 if rtl else 0
    original = [bidi_class(ch) for ch in text]
    explicit = sorted({f"U+{ord(ch):04X}" for ch, kind in zip(text, original, strict=True) if kind in EXPLICIT})
    if explicit:
        raise UnsupportedBidi(", ".join(explicit))
    # X9: boundary neutrals are left out of the resolution and given their neighbour's level at the end.
    kept = [i for i, kind in enumerate(original) if kind != "BN"]
    kinds = [original[i] for i in kept]
    chars = [text[i] for i in kept]
    edge = "R" if base else "L"  # sos and eos: no embeddings, so both are the paragraph's direction
    _weak(kinds, edge)
    _brackets(chars, kinds, [original[i] for i in kept], base, edge)
    _neutral(kinds, base, edge)
    resolved = [base + _implicit(base, kind) for kind in kinds]
    result = [base] * len(text)
    for position, level in zip(kept, resolved, strict=True):
        result[position] = level
    previous = base
    for i, kind in enumerate(original):
        if kind == "BN":
            result[i] = previous
        previous = result[i]
    return result


def _weak(kinds: list[str], sos: str) -> None:
    # W1: a non-spacing mark takes the type of the character before it.
    before = sos
    for i, kind in enumerate(kinds):
        if kind == "NSM":
            kinds[i] = before
        before = kinds[i]
    # W2 and W3: European numbers after Arabic letters are Arabic numbers; AL becomes R.
    strong = sos
    for i, kind in enumerate(kinds):
        if kind in ("L", "R", "AL"):
            strong = kind
        if kind == "EN" and strong == "AL":
            kinds[i] = "AN"
    for i, kind in enumerate(kinds):
        if kind == "AL":
            kinds[i] = "R"
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, len(kinds) - 1):
        left, kind, right = kinds[i - 1], kinds[i], kinds[i + 1]
        if kind == "ES" and left == right == "EN":
            kinds[i] = "EN"
        elif kind == "CS" and left == right and left in ("EN", "AN"):
            kinds[i] = left
    # W5: terminators (currency, percent) next to European numbers become European numbers.
    i = 0
    while i < len(kinds):
        if kinds[i] != "ET":
            i += 1
            continue
        end = i
        while end < len(kinds) and kinds[end] == "ET":
            end += 1
        if (i > 0 and kinds[i - 1] == "EN") or (end < len(kinds) and kinds[end] == "EN"):
            kinds[i:end] = ["EN"] * (end - i)
        i = end
    # W6: remaining separators and terminators are neutral.
    for i, kind in enumerate(kinds):
        if kind in ("ES", "ET", "CS"):
            kinds[i] = "ON"
    # W7: European numbers in left-to-right context are left-to-right.
    strong = sos
    for i, kind in enumerate(kinds):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            kinds[i] = "L"


def _strong(kind: str) -> str | None:
    """The direction a resolved type counts as for rules N0-N2: numbers count as R."""
    if kind == "L":
        return "L"
    if kind in ("R", "EN", "AN"):
        return "R"
    return None


def _brackets(chars: list[str], kinds: list[str], original: list[str], base: int, sos: str) -> None:
    # N0: a bracket pair takes the embedding direction if it encloses text of that direction, else the
    # direction of the text it encloses when the text before the pair has that direction too.
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(chars):
        if kinds[i] != "ON":
            continue
        ch = _CANONICAL.get(ch, ch)
        if ch in _BRACKETS:
            if len(stack) == 63:  # BD16: too deep, stop looking for pairs
                break
            stack.append((_BRACKETS[ch], i))
        elif ch in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    embedding = "R" if base % 2 else "L"
    for opening, closing in sorted(pairs):
        inside = {_strong(kind) for kind in kinds[opening + 1 : closing]} - {None}
        if embedding in inside:
            direction = embedding
        elif inside:
            # The opposite direction only when the text before the pair has it too (sos counts).
            direction = next((strong for k in reversed(kinds[:opening]) if (strong := _strong(k))), sos)
        else:
            continue
        for position in (opening, closing):
            kinds[position] = direction
            # Marks that followed the bracket (made ON by W1) follow it again.
            after = position + 1
            while after < len(kinds) and original[after] == "NSM":
                kinds[after] = direction
                after += 1


def _neutral(kinds: list[str], base: int, edge: str) -> None:
    # N1: neutrals between two runs of the same direction take it; N2: other neutrals take the embedding's.
    embedding = "R" if base % 2 else "L"
    i = 0
    while i < len(kinds):
        if kinds[i] not in _NEUTRAL:
            i += 1
            continue
        end = i
        while end < len(kinds) and kinds[end] in _NEUTRAL:
            end += 1
        # After the weak rules everything that is not neutral is L, R, EN or AN, so strong.
        before = (_strong(kinds[i - 1]) or embedding) if i > 0 else edge
        after = (_strong(kinds[end]) or embedding) if end < len(kinds) else edge
        direction = before if before == after else embedding
        kinds[i:end] = [direction] * (end - i)
        i = end


def _implicit(base: int, kind: str) -> int:
    # I1 and I2: how far above the embedding level a resolved type is raised.
    if base % 2 == 0:
        return {"R": 1, "AN": 2, "EN": 2}.get(kind, 0)
    return 1 if kind in ("L", "EN", "AN") else 0


def line_levels(text: str, levels_: Sequence[int], rtl: bool) -> list[int]:
    """Rule L1 for one line: white space at the end of the line, and before segment or paragraph
    separators (and boundary neutrals among it), returns to the paragraph's level."""
    base = 1 if rtl else 0
    result = list(levels_)
    trailing = True
    for i in range(len(text) - 1, -1, -1):
        kind = bidi_class(text[i])
        if kind in ("S", "B"):
            result[i] = base
            trailing = True
        elif trailing and kind in ("WS", "BN"):
            result[i] = base
        else:
            trailing = False
    return result


def visual_order(items: Sequence[T], item_levels: Sequence[int]) -> list[T]:
    """Rule L2: the items of one line (each at one level), reordered from logical to visual order."""
    order = list(range(len(items)))
    if not items:
        return []
    highest = max(item_levels)
    lowest_odd = min((level for level in item_levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if item_levels[order[i]] < level:
                i += 1
                continue
            end = i
            while end < len(order) and item_levels[order[end]] >= level:
                end += 1
            order[i:end] = reversed(order[i:end])
            i = end
    return [items[i] for i in order]
