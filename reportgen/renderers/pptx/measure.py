"""Typesetting for the deck: which font draws each character, in which language, how wide text is and where
its lines break, measured with the real metrics of the fonts (and HarfBuzz for complex scripts). No python-pptx."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ...text.fonts import FALLBACK_FAMILY, Metrics, find_font, metrics, require_font
from ...text.scripts import NO_LINE_END, NO_LINE_START, slot
from .spec import WIDTH_SAFETY, Para, Role, Style

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...theme import Theme

# Scripts by the first word of a letter's Unicode name, and the language tag given to runs in a script
# other than the event language's.
_SCRIPT_NAMES = {
    "LATIN": "latin",
    "GREEK": "greek",
    "COPTIC": "greek",
    "CYRILLIC": "cyrillic",
    "ARMENIAN": "armenian",
    "HEBREW": "hebrew",
    "ARABIC": "arabic",
    "SYRIAC": "syriac",
    "THAANA": "thaana",
    "DEVANAGARI": "devanagari",
    "BENGALI": "bengali",
    "GURMUKHI": "gurmukhi",
    "GUJARATI": "gujarati",
    "ORIYA": "oriya",
    "TAMIL": "tamil",
    "TELUGU": "telugu",
    "KANNADA": "kannada",
    "MALAYALAM": "malayalam",
    "SINHALA": "sinhala",
    "THAI": "thai",
    "LAO": "lao",
    "TIBETAN": "tibetan",
    "MYANMAR": "myanmar",
    "GEORGIAN": "georgian",
    "HANGUL": "hangul",
    "ETHIOPIC": "ethiopic",
    "KHMER": "khmer",
    "HIRAGANA": "kana",
    "KATAKANA": "kana",
    "CJK": "han",
    "IDEOGRAPHIC": "han",
    "BOPOMOFO": "bopomofo",
}
_LANGUAGE_OF_SCRIPT = {
    "latin": "en-US",
    "greek": "el-GR",
    "cyrillic": "ru-RU",
    "armenian": "hy-AM",
    "hebrew": "he-IL",
    "arabic": "ar-SA",
    "syriac": "syr-SY",
    "thaana": "dv-MV",
    "devanagari": "hi-IN",
    "bengali": "bn-IN",
    "gurmukhi": "pa-IN",
    "gujarati": "gu-IN",
    "oriya": "or-IN",
    "tamil": "ta-IN",
    "telugu": "te-IN",
    "kannada": "kn-IN",
    "malayalam": "ml-IN",
    "sinhala": "si-LK",
    "thai": "th-TH",
    "lao": "lo-LA",
    "tibetan": "bo-CN",
    "myanmar": "my-MM",
    "georgian": "ka-GE",
    "hangul": "ko-KR",
    "ethiopic": "am-ET",
    "khmer": "km-KH",
    "kana": "ja-JP",
    "han": "zh-CN",
    "bopomofo": "zh-TW",
}
_SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("el",), "greek"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt", "ba", "cv"), "cyrillic"),
    **dict.fromkeys(("hy",), "armenian"),
    **dict.fromkeys(("he", "yi"), "hebrew"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "ckb", "sd"), "arabic"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "kok", "mai", "bho"), "devanagari"),
    **dict.fromkeys(("bn", "as"), "bengali"),
    "pa": "gurmukhi",
    "gu": "gujarati",
    "or": "oriya",
    "ta": "tamil",
    "te": "telugu",
    "kn": "kannada",
    "ml": "malayalam",
    "si": "sinhala",
    "th": "thai",
    "lo": "lao",
    "bo": "tibetan",
    "my": "myanmar",
    "ka": "georgian",
    "ko": "hangul",
    "am": "ethiopic",
    "km": "khmer",
    "ja": "kana",
    "zh": "han",
    "dv": "thaana",
    "syr": "syriac",
}
_SCRIPT_SUBTAGS = {
    "latn": "latin",
    "grek": "greek",
    "cyrl": "cyrillic",
    "arab": "arabic",
    "hebr": "hebrew",
    "deva": "devanagari",
    "hans": "han",
    "hant": "han",
    "jpan": "kana",
    "kore": "hangul",
    "thai": "thai",
}
_CJK = frozenset(("han", "kana", "hangul", "bopomofo"))

_UNCOVERED_EM = 1.0  # width assumed for a character no font has: the full em of an ideograph, generous


@functools.cache
def _script(ch: str) -> str:
    """The script of a letter ("latin", "greek", "han", "kana", ...); "" for anything that is not a letter."""
    if not unicodedata.category(ch).startswith("L"):
        return ""
    words = unicodedata.name(ch, "").split()
    if words[:1] in (["FULLWIDTH"], ["HALFWIDTH"]):
        words = words[1:]
    # "KATAKANA-HIRAGANA PROLONGED SOUND MARK" is kana.
    return _SCRIPT_NAMES.get(words[0].split("-")[0], "other") if words else "other"


def _language_script(language: str) -> str:
    """The script a language tag is written in: "fr" -> "latin", "sr-Latn" -> "latin", "ja" -> "kana"."""
    parts = language.lower().split("-")
    for part in parts[1:]:
        if part in _SCRIPT_SUBTAGS:
            return _SCRIPT_SUBTAGS[part]
    return _SCRIPT_OF_LANGUAGE.get(parts[0], "latin")


def _breakable(before: str, after: str) -> bool:
    """True where a line may break inside a word: after a hyphen, or beside East Asian wide characters
    unless the kinsoku rules forbid it. Fewer breaks than a renderer allows is safe: lines only get longer."""
    if before in NO_LINE_END or after in NO_LINE_START:
        return False
    if before in "-\u2010" and after.isalpha():
        return True
    return unicodedata.east_asian_width(before) in "WF" or unicodedata.east_asian_width(after) in "WF"


def _shaped_em(path: Path, text: str) -> float:
    """Width of `text` shaped by HarfBuzz in the font, in ems (the text layer, imported when first needed)."""
    from ...text.shaping import shaped_em

    return shaped_em(path, text)


class _Face:
    """One font of a stack: the family written into the file and the metrics it is measured with. A
    stand-in measures a family that is not installed here; it is trusted with Latin text only. Metrics
    are read when first needed, so fallback fonts cost nothing until a character needs them."""

    __slots__ = ("_metrics", "family", "path", "stand_in")

    def __init__(self, family: str, path: Path, stand_in: bool) -> None:
        self.family = family
        self.path = path
        self.stand_in = stand_in
        self._metrics: Metrics | None = None

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            self._metrics = metrics(self.path)
        return self._metrics

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.metrics.widths and (not self.stand_in or _script(ch) in ("", "latin"))

    def advance(self, ch: str) -> float:
        return self.metrics.widths.get(ord(ch), self.metrics.default_width)


class Run(NamedTuple):
    """A stretch of text set in one language with one font per slot ("latin", "east_asian", "complex");
    a slot is absent when no font of the stack has the run's characters of that slot."""

    text: str
    language: str
    fonts: dict[str, str]


class _Stack:
    """A style's fonts in the order characters look for a glyph, measuring and splitting text by them.

    Each letter is drawn, and measured, in the first font that has it; a mark in the font of the letter
    it sits on; spaces, digits and punctuation are measured at their widest among the fonts the paragraph
    uses, since renderers differ on which of those draws them.
    """

    def __init__(self, faces: list[_Face], language: str, caps: bool = False, spacing: float = 0.0) -> None:
        self.faces = faces
        self.language = language
        self.caps = caps
        self.spacing = spacing
        self.script = _language_script(language)
        self._first: dict[str, int] = {}
        self._words: dict[frozenset[int], dict[str, float]] = {}
        self._spaces: dict[frozenset[int], float] = {}
        # Text made only of these is one run in the event's language, set in the style's own font. Found
        # character by character as text comes, not for every glyph of the font (thousands, 15 ms a stack).
        self._plain: set[str] = {"\t"}
        self._mixed: set[str] = set()

    def plain(self, text: str) -> bool:
        """True when every character of `text` is a Latin-slot character of the event's script (or neither
        letter nor script) that the style's own font has."""
        plain = self._plain
        if plain.issuperset(text):
            return True
        own = self.faces[0]
        for ch in set(text).difference(plain):
            if ch in self._mixed:
                return False
            if own.covers(ch) and slot(ch) == "latin" and _script(ch) in ("", self.script):
                plain.add(ch)
            else:
                self._mixed.add(ch)
                return False
        return True

    def first(self, ch: str) -> int:
        """Index of the first font that has the character; -1 when none has it."""
        found = self._first.get(ch)
        if found is None:
            found = next((n for n, face in enumerate(self.faces) if face.covers(ch)), -1)
            self._first[ch] = found
        return found

    def uncovered(self, text: str) -> set[str]:
        """Characters of `text` that no font of the stack has (white space and controls excepted)."""
        # White space and controls first: no font has a tab, and looking for one would read every font.
        return {ch for ch in set(text) if unicodedata.category(ch)[0] not in "ZC" and self.first(ch) < 0}

    def used(self, text: str) -> frozenset[int]:
        """The fonts that draw the letters of `text`, and the style's own font."""
        if self.plain(text):
            return frozenset((0,))
        return frozenset({0} | {self.first(ch) for ch in set(text) if unicodedata.category(ch)[0] in "LM"} - {-1})

    def width(self, text: str, size: float) -> float:
        """Width of one line of `text` at `size` points, in points."""
        used = self.used(text)
        ems = sum(self._word_em(word, used) for word in text.split(" ")) + text.count(" ") * self._space(used)
        return ems * size + len(text) * self.spacing

    def _space(self, used: frozenset[int]) -> float:
        found = self._spaces.get(used)
        if found is None:
            found = max((self.faces[n].advance(" ") for n in used if self.faces[n].covers(" ")), default=0.25)
            self._spaces[used] = found
        return found

    def _word_em(self, word: str, used: frozenset[int]) -> float:
        cache = self._words.get(used)
        if cache is None:
            cache = self._words[used] = {}
        found = cache.get(word)
        if found is None:
            found = cache[word] = sum(self._char_ems(word, used)) if word else 0.0
        return found

    def _char_ems(self, word: str, used: frozenset[int]) -> list[float]:
        """Width of each character of a word in ems (in capitals where the style has them); a shaped
        stretch's width is given to its last character."""
        if not self.caps:
            return self._drawn_ems(word, used)
        capitals = [ch.upper() for ch in word]
        drawn = self._drawn_ems("".join(capitals), used)
        ems = []
        position = 0
        for capital in capitals:
            ems.append(sum(drawn[position : position + len(capital)]))
            position += len(capital)
        return ems

    def _drawn_ems(self, word: str, used: frozenset[int]) -> list[float]:
        faces = self.faces
        ems: list[float] = []
        previous = -1
        shaped_from = -1  # start of the current stretch of a complex script, shaped as a whole
        for i, ch in enumerate(word):
            kind = unicodedata.category(ch)[0]
            first = self.first(ch)
            face = first if kind == "L" or previous < 0 or not faces[previous].covers(ch) else previous
            if face < 0:
                ems.append(_UNCOVERED_EM)
            elif kind in "LM":
                ems.append(faces[face].advance(ch))
            else:  # at its widest among the fonts that may draw it
                candidates = used | {face, first}
                ems.append(max(faces[n].advance(ch) for n in candidates if n >= 0 and faces[n].covers(ch)))
            if face >= 0 and slot(ch) == "complex" and kind in "LM":
                if shaped_from < 0 or previous != face:
                    shaped_from = i
                # Reshape the stretch so far: its shaped width replaces the sum of its nominal advances.
                shaped = _shaped_em(faces[face].path, word[shaped_from : i + 1])
                ems[-1] = max(0.0, shaped - sum(ems[shaped_from:i]))
            elif kind in "LM":
                shaped_from = -1
            previous = face
        return ems

    def wrap(self, text: str, size: float, width: float, lead: float = 0.0) -> list[str]:
        """Break `text` into lines no wider than `width` points at `size` points; each line is a slice of
        `text` without its outer spaces. `lead` points of the first line are taken already (by a label).

        Lines break at spaces, and inside a word only when it is wider than the line (then East Asian text
        breaks between characters, except where kinsoku forbids). Returns [""] for "".
        """
        used = self.used(text)
        extra = self.spacing / size  # letter spacing, in ems at this size
        space = self._space(used) + extra
        limit = width / size
        lines: list[str] = []
        start = -1  # of the current line in `text`; -1 before its first word
        end = 0
        used_em = lead / size
        open_line = lead > 0  # the first line holds the label, even with no word of `text` yet
        position = 0
        for word in text.split(" "):
            word_start, position = position, position + len(word) + 1
            if not word:
                continue
            em = self._word_em(word, used) + len(word) * extra
            if start >= 0 or open_line:
                gap = (word_start - end) * space if start >= 0 else 0.0
                if used_em + gap + em <= limit:
                    used_em += gap + em
                    start = word_start if start < 0 else start
                    end = word_start + len(word)
                    continue
                lines.append(text[start:end] if start >= 0 else "")
                open_line = False
            while em > limit and len(word) > 1:
                cut = self._cut(word, used, limit, extra)
                lines.append(word[:cut])
                word, word_start = word[cut:], word_start + cut
                em = self._word_em(word, used) + len(word) * extra
            start, end, used_em = word_start, word_start + len(word), em
        lines.append(text[start:end] if start >= 0 else "")
        return lines

    def _cut(self, word: str, used: frozenset[int], limit: float, extra: float) -> int:
        """Length of the longest head of an over-wide word that fits in `limit` ems, ending where a line
        may break when there is such a place; at least one character."""
        total = 0.0
        fit = 0
        for ch_em in self._char_ems(word, used):
            total += ch_em + extra
            if total > limit:
                break
            fit += 1
        fit = max(fit, 1)
        for k in range(fit, 0, -1):
            if _breakable(word[k - 1], word[k]):
                return k
        return fit

    def runs(self, text: str) -> list[Run]:
        """Split `text` into runs, each in one language and with one font per slot that has its characters.

        A run's language is the event's for its own script, else one derived from the script (Greek
        el-GR, Arabic ar-SA, kana ja-JP, Hangul ko-KR, other Han zh-CN, ...).
        """
        own = self.faces[0].family
        if self.plain(text):
            return [Run(text, self.language, {"latin": own})]
        languages = self._languages(text)
        runs: list[Run] = []
        begin = 0
        language: str | None = None
        fonts: dict[str, int] = {}
        previous = -1
        for i, ch in enumerate(text):
            kind = unicodedata.category(ch)[0]
            where = slot(ch)
            first = self.first(ch)
            held = fonts.get(where)
            if kind in "ZC":  # spaces, tabs, joiners: part of the run they are in, whatever it is
                face = held if held is not None else max(previous, 0)
            elif kind == "L" or first < 0:
                face = first
            elif held is not None and self.faces[held].covers(ch):
                face = held
            elif held is None and previous >= 0 and self.faces[previous].covers(ch):
                face = previous
            else:
                face = first
            wanted = languages[i]
            if i > begin and (
                (wanted and language and wanted != language) or (face >= 0 and fonts.get(where, face) != face)
            ):
                runs.append(self._run(text[begin:i], language, fonts))
                begin, language, fonts = i, None, {}
            language = language or wanted
            if face >= 0:
                fonts.setdefault(where, face)
            previous = face
        runs.append(self._run(text[begin:], language, fonts))
        return runs

    def _run(self, text: str, language: str | None, fonts: dict[str, int]) -> Run:
        named = {where: self.faces[n].family for where, n in fonts.items()}
        named.setdefault("latin", self.faces[0].family)
        return Run(text, language or self.language, named)

    def _languages(self, text: str) -> list[str]:
        """The language of each letter of `text` ("" for anything else)."""
        found = [""] * len(text)
        cluster: list[int] = []  # positions of the East Asian letters seen since the last other letter

        def close() -> None:
            kinds = {_script(text[i]) for i in cluster}
            if "kana" in kinds:
                tag = self.language if self.script == "kana" else "ja-JP"
            elif "hangul" in kinds:
                tag = self.language if self.script == "hangul" else "ko-KR"
            elif self.script in _CJK:
                tag = self.language
            else:
                tag = _LANGUAGE_OF_SCRIPT["bopomofo" if "bopomofo" in kinds else "han"]
            for i in cluster:
                found[i] = tag
            cluster.clear()

        for i, ch in enumerate(text):
            script = _script(ch)
            if not script:
                continue
            if script in _CJK:
                cluster.append(i)
                continue
            if cluster:
                close()
            found[i] = self.language if script == self.script else _LANGUAGE_OF_SCRIPT.get(script, self.language)
        if cluster:
            close()
        return found


class Typesetter:
    """The font stacks of one deck, one per family list and weight, in the event's language."""

    def __init__(self, theme: Theme, language: str, report: Reporter | None = None) -> None:
        self.theme = theme
        self.language = language
        self.report = report
        self._stacks: dict[tuple[tuple[str, ...], bool, bool, float], _Stack] = {}
        self._missing: set[str] = set()

    def stack(self, style: Style) -> _Stack:
        """The stack of a style: its own family, measured with its file (or a stand-in, with a warning
        when the family is not installed), then each installed family of its fallbacks."""
        key = (style.families, style.bold, style.caps, style.spacing)
        found = self._stacks.get(key)
        if found is None:
            own = style.families[0]
            path = find_font(own, style.bold)
            faces = [_Face(own, path or require_font(own, style.bold)[0], path is None)]
            if path is None and self.report is not None:
                self.report.warning(
                    f"the font {own!r} is not installed here; text in it is measured with {FALLBACK_FAMILY}, "
                    "and its non-Latin letters are set in the theme's fallback fonts"
                )
            for family in dict.fromkeys(style.families[1:]):
                file = find_font(family, style.bold)
                if file is not None and all(f.path != file for f in faces):
                    faces.append(_Face(family, file, False))
            found = self._stacks[key] = _Stack(faces, self.language, style.caps, style.spacing)
        return found

    def check_coverage(self, style: Style, text: str) -> None:
        """Note the characters of `text` that no font of the style's stack has (see report_coverage)."""
        self._missing |= self.stack(style).uncovered(text)

    def report_coverage(self) -> None:
        """Warn, once, of every character noted that no font has: the viewer will substitute one."""
        if self._missing and self.report is not None:
            listed = " ".join(sorted(self._missing))
            self.report.warning(
                f"no font of the theme has the characters {listed}: add a font that covers them to the "
                "theme's fallback_fonts; PowerPoint and LibreOffice will substitute one, measured here as 1 em each"
            )


class Measure:
    """Wraps and measures paragraphs with the font stacks of their styles."""

    def __init__(self, typesetter: Typesetter) -> None:
        self.typesetter = typesetter

    def stack(self, style: Style) -> _Stack:
        return self.typesetter.stack(style)

    def width(self, text: str, style: Style, size: float) -> float:
        """Width in points of `text` on one line."""
        return self.stack(style).width(text, size)

    def lines(self, para: Para, style: Style, size: float, width: float, indent: float = 0.0) -> list[str]:
        """The lines `para` breaks into in a box `width` points wide (`style` unless the paragraph has its own)."""
        style = para.style or style
        if para.role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY):
            # Wrapped lines start at the indent; an entry's first line starts there too, after its tab.
            return self.stack(style).wrap(para.text, size, (width - indent) * WIDTH_SAFETY)
        lead = 0.0
        if para.label:
            label_style = para.label_style or style
            lead = self.width(para.label, label_style, size) + self.width(" ", style, size)
        return self.stack(style).wrap(para.text, size, width * WIDTH_SAFETY, lead)

    def height(self, para: Para, style: Style, size: float, leading: float, width: float, indent: float) -> float:
        """Space before plus lines times leading, in points."""
        return para.space_before + len(self.lines(para, style, size, width, indent)) * leading
