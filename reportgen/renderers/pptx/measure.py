"""Typesetting for the deck: which font draws each character, in which language, how wide text is and where
its lines break, measured with the real metrics of the fonts (and HarfBuzz for complex scripts). No python-pptx."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ...text.breaking import opportunities
from ...text.fallback import faces_of
from ...text.fonts import FALLBACK_FAMILY, Metrics, find_font, metrics, require_font
from ...text.scripts import (
    EAST_ASIAN_SCRIPTS,
    KANA,
    language_for,
    language_script,
    letter_script,
    same_script,
    slot,
)
from .spec import WIDTH_SAFETY, Para, Role, Style, runs_of, url_ranges

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...markup import Run as Inline
    from ...theme import Theme

_UNCOVERED_EM = 1.0  # width assumed for a character no font has: the full em of an ideograph, generous


@functools.lru_cache(maxsize=4096)
def _starts(text: str, urls: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """Where a line may start in `text` (text.breaking's rule, the PDF's too), then len(text)."""
    return (*opportunities(text, urls), len(text))


def _shaped_em(path: Path, text: str) -> float:
    """Width of `text` shaped by HarfBuzz in the font, in ems (the text layer, imported when first needed)."""
    from ...text.shaping import shaped_em

    return shaped_em(path, text)


def _fill(
    text: str,
    starts: tuple[int, ...],
    lead: float,
    limit: float,
    piece_em: Callable[[int, int], float],
    char_ems: Callable[[int, int], list[float]],
    space_em: Callable[[int, int], float],
) -> list[str]:
    """Lines of `text` filled greedily, as text.breaking.line_ranges fills the PDF's: `starts`, where a line
    may start, then len(text); widths in ems of a piece text[a:b] without spaces (`piece_em`), of each of
    its characters (`char_ems`) and of the spaces text[a:b] (`space_em`); `lead` ems of the first line are
    taken already. A piece wider than `limit` is broken between characters."""
    lines: list[str] = []
    start = -1  # of the current line in `text`; -1 before its first piece
    end = 0  # where the current line's visible text ends
    used_em = lead  # including the spaces after the last piece
    open_line = lead > 0  # the first line holds the label, even with no piece of `text` yet
    first = len(text) - len(text.lstrip(" "))
    for last in starts:
        if last <= first:
            continue
        visible = len(text[first:last].rstrip(" ")) + first
        em = piece_em(first, visible)
        if (start >= 0 or open_line) and used_em + em > limit:
            lines.append(text[start:end] if start >= 0 else "")
            start, used_em, open_line = -1, 0.0, False
        if em > limit and visible - first > 1:  # wider than a line: broken between characters
            at = first
            for ch_em in char_ems(first, visible):
                if start >= 0 and at > start and used_em + ch_em > limit and _may_cut(text[at]):
                    lines.append(text[start:at])
                    start, used_em = -1, 0.0
                start = at if start < 0 else start
                used_em += ch_em
                at += 1
        else:
            start = first if start < 0 else start
            used_em += em
        end = visible
        used_em += space_em(visible, last)
        first = last
    lines.append(text[start:end] if start >= 0 else "")
    return lines


_Piece = tuple[int, int, float, float]  # first, visible end, width in ems without letter spacing, spaces after
_Ranges = tuple[tuple[int, int], ...]


def _fill_pieces(
    text: str, pieces: list[_Piece], lead: float, limit: float, extra: float, space: float
) -> list[str] | None:
    """_fill for the common case, from a text's pieces measured once (_Stack._pieces_of): the same lines, or
    None when a piece is wider than a line and must be broken between characters (then _fill does it)."""
    lines: list[str] = []
    start = -1
    end = 0
    used_em = lead
    open_line = lead > 0
    for first, visible, em0, spaces in pieces:
        em = em0 + (visible - first) * extra
        if (start >= 0 or open_line) and used_em + em > limit:
            lines.append(text[start:end] if start >= 0 else "")
            start, used_em, open_line = -1, 0.0, False
        if em > limit and visible - first > 1:
            return None
        if start < 0:
            start = first
        used_em += em
        end = visible
        used_em += spaces * space
    lines.append(text[start:end] if start >= 0 else "")
    return lines


def _pieces(
    text: str, starts: tuple[int, ...], piece_em: Callable[[int, int], float], space_em: Callable[[int, int], float]
) -> list[_Piece]:
    """The pieces of `text` between the places a line may start, measured for _fill_pieces with their
    spaces' width in ems as the last field (so _fill_pieces takes a space of 1)."""
    pieces: list[_Piece] = []
    first = len(text) - len(text.lstrip(" "))
    for last in starts:
        if last <= first:
            continue
        visible = len(text[first:last].rstrip(" ")) + first
        pieces.append((first, visible, piece_em(first, visible), space_em(visible, last)))
        first = last
    return pieces


def _may_cut(ch: str) -> bool:
    """Whether an over-wide piece may be cut before `ch`: not before a mark or a format character."""
    return unicodedata.category(ch)[0] != "M" and unicodedata.category(ch) != "Cf"


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
        return ord(ch) in self.metrics.widths and (not self.stand_in or letter_script(ch) in ("", "Latn"))

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

    Each character is drawn, and measured, in the face text.fallback chooses (the PDF's rule, Word's too:
    the first face that has a word and can shape its script; a mark in the face of the letter it sits on);
    spaces, digits and punctuation are measured at their widest among the fonts the paragraph uses, since
    renderers differ on which of those draws them.
    """

    def __init__(self, faces: list[_Face], language: str, caps: bool = False, spacing: float = 0.0) -> None:
        self.faces = faces
        self.language = language
        self.caps = caps
        self.spacing = spacing
        self.script = language_script(language)
        self._first: dict[str, int] = {}
        self._paths = tuple(face.path for face in faces)
        self._index = {face.path: n for n, face in enumerate(faces)}
        self._stand_ins = frozenset(face.path for face in faces if face.stand_in)
        self._chosen: dict[str, list[int]] = {}
        self._words: dict[frozenset[int], dict[str, float]] = {}
        self._pieces: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[frozenset[int], list[_Piece]]] = {}
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
            written = letter_script(ch)
            if own.covers(ch) and slot(ch) == "latin" and (not written or same_script(written, self.script)):
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

    def chosen(self, text: str) -> list[int]:
        """Index of the face of each character of `text` (text.fallback's rule); -1 where no face has it."""
        found = self._chosen.get(text)
        if found is None:
            index = self._index
            faces = faces_of(text, [self._paths] * len(text), stand_ins=self._stand_ins)
            found = self._chosen[text] = [-1 if face is None else index[face] for face in faces]
        return found

    def uncovered(self, text: str) -> set[str]:
        """Characters of `text` that no font of the stack has (white space and controls excepted)."""
        # White space and controls first: no font has a tab, and looking for one would read every font.
        return {ch for ch in set(text) if unicodedata.category(ch)[0] not in "ZC" and self.first(ch) < 0}

    def used(self, text: str) -> frozenset[int]:
        """The fonts that draw the letters of `text`, and the style's own font."""
        if self.plain(text):
            return frozenset((0,))
        chosen = self.chosen(text)
        return frozenset({0} | {chosen[i] for i, ch in enumerate(text) if unicodedata.category(ch)[0] in "LM"} - {-1})

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
        chosen = self.chosen(word)
        for i, ch in enumerate(word):
            kind = unicodedata.category(ch)[0]
            first = self.first(ch)
            face = chosen[i]
            if face < 0:
                ems.append(_UNCOVERED_EM)
            elif kind in "LM":
                ems.append(faces[face].advance(ch))
            else:  # at its widest among the fonts that may draw it
                candidates = used | {face, first}
                # None of them: an invisible character (a tag, a joiner) that text.fallback gives to its
                # neighbour's face, which draws nothing for it.
                ems.append(
                    max((faces[n].advance(ch) for n in candidates if n >= 0 and faces[n].covers(ch)), default=0.0)
                )
            if face >= 0 and slot(ch) == "complex" and kind in "LM":
                if shaped_from < 0 or previous != face:
                    shaped_from = i
                # Reshape the stretch so far: its shaped width replaces the sum of its nominal advances.
                shaped = _shaped_em(faces[face].path, word[shaped_from : i + 1])
                before = sum(ems[shaped_from:i])
                if shaped < before:  # a letter's final form was wider than its medial one: the last takes all
                    ems[shaped_from:i] = [0.0] * (i - shaped_from)
                    before = 0.0
                ems[-1] = shaped - before
            elif kind in "LM":
                shaped_from = -1
            previous = face
        return ems

    def wrap(
        self, text: str, size: float, width: float, lead: float = 0.0, urls: tuple[tuple[int, int], ...] = ()
    ) -> list[str]:
        """Break `text` into lines no wider than `width` points at `size` points; each line is a slice of
        `text` without its outer spaces. `lead` points of the first line are taken already (by a label).

        Lines break where text.breaking's rule lets a line start (after spaces, between CJK characters
        where kinsoku allows, inside the `urls` ranges only after / . - ? & =), filled greedily as the
        PDF's line breaker fills them; a piece wider than a line is broken between characters. Returns
        [""] for "".
        """
        used, pieces = self._pieces_of(text, urls)
        extra = self.spacing / size  # letter spacing, in ems at this size
        space = self._space(used) + extra
        quick = _fill_pieces(text, pieces, lead / size, width / size, extra, space)
        if quick is not None:
            return quick
        return _fill(
            text,
            _starts(text, urls),
            lead / size,
            width / size,
            lambda a, b: self._word_em(text[a:b], used) + (b - a) * extra,
            lambda a, b: [em + extra for em in self._char_ems(text[a:b], used)],
            lambda a, b: (b - a) * space,
        )

    def _pieces_of(self, text: str, urls: tuple[tuple[int, int], ...]) -> tuple[frozenset[int], list[_Piece]]:
        """What wrapping `text` needs whatever the size, found once per text (the planner wraps a text at
        several sizes to find the largest that fits): the faces it uses, and each piece between two places
        a line may start as (first, visible end, width in ems without letter spacing, spaces after it)."""
        key = (text, urls)
        found = self._pieces.get(key)
        if found is None:
            used = self.used(text)
            pieces: list[_Piece] = []
            first = len(text) - len(text.lstrip(" "))
            for last in _starts(text, urls):
                if last <= first:
                    continue
                visible = len(text[first:last].rstrip(" ")) + first
                pieces.append((first, visible, self._word_em(text[first:visible], used), last - visible))
                first = last
            found = self._pieces[key] = (used, pieces)
        return found

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
        chosen = self.chosen(text)
        for i, ch in enumerate(text):
            kind = unicodedata.category(ch)[0]
            where = slot(ch)
            held = fonts.get(where)
            # Spaces, tabs, joiners: part of the run they are in, whatever it is; any other character in the
            # face text.fallback chose, as the PDF sets it and Word names it.
            face = (held if held is not None else max(previous, 0)) if kind in "ZC" else chosen[i]
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
            kinds = {letter_script(text[i]) for i in cluster}
            if kinds & KANA:
                tag = self.language if self.script in KANA else "ja-JP"
            elif "Hang" in kinds:
                tag = self.language if self.script == "Hang" else "ko-KR"
            elif self.script in EAST_ASIAN_SCRIPTS:
                tag = self.language
            else:
                tag = "zh-TW" if "Bopo" in kinds else "zh-CN"
            for i in cluster:
                found[i] = tag
            cluster.clear()

        for i, ch in enumerate(text):
            script = letter_script(ch)
            if not script:
                continue
            if script in EAST_ASIAN_SCRIPTS:
                cluster.append(i)
                continue
            if cluster:
                close()
            found[i] = self.language if same_script(script, self.script) else language_for(script) or self.language
        if cluster:
            close()
        return found


class Typesetter:
    """The font stacks of one deck, one per family list and weight, in the event's language."""

    def __init__(self, theme: Theme, language: str, report: Reporter | None = None) -> None:
        self.theme = theme
        self.language = language
        self.report = report
        self._stacks: dict[tuple[tuple[str, ...], bool, bool, float, bool], _Stack] = {}
        self._missing: set[str] = set()
        # A text's pieces measured once (wrap_rich), or None where letter spacing makes them depend on the size.
        self._rich_pieces: dict[tuple[str, tuple[Inline, ...], Style], list[_Piece] | None] = {}

    def stack(self, style: Style) -> _Stack:
        """The stack of a style: its own family, measured with its file (or a stand-in, with a warning
        when the family is not installed), then each installed family of its fallbacks."""
        key = (style.families, style.bold, style.caps, style.spacing, style.italic)
        found = self._stacks.get(key)
        if found is None:
            own, bold, italic = style.families[0], style.bold, style.italic
            path = find_font(own, bold, italic)
            faces = [_Face(own, path or require_font(own, bold, italic)[0], path is None)]
            if path is None and self.report is not None:
                self.report.warning(
                    f"the font {own!r} is not installed here; text in it is measured with {FALLBACK_FAMILY}, "
                    "and its non-Latin letters are set in the theme's fallback fonts"
                )
            for family in dict.fromkeys(style.families[1:]):
                # A fallback without an italic (CJK, Arabic) is measured, and drawn, upright.
                file = find_font(family, bold, italic)
                if file is not None and all(f.path != file for f in faces):
                    faces.append(_Face(family, file, False))
            found = self._stacks[key] = _Stack(faces, self.language, style.caps, style.spacing)
        return found

    def run_style(self, style: Style, run: Inline) -> Style:
        """The style of an inline run of a paragraph in `style`: bold, italic, code in the theme's code font
        (the paragraph's fallbacks after it)."""
        if run.plain or (run.link and not (run.bold or run.italic or run.code)):
            return style
        families = (self.theme.code_font, *style.families[1:]) if run.code else style.families
        return style._replace(families=families, bold=style.bold or run.bold, italic=style.italic or run.italic)

    def segments(self, text: str, style: Style) -> list[tuple[int, int, _Stack]]:
        """(start, end, stack) of each inline run of `text` set in `style`."""
        found = []
        at = 0
        for run in runs_of(text):
            found.append((at, at + len(run.text), self.stack(self.run_style(style, run))))
            at += len(run.text)
        return found

    def wrap_rich(self, text: str, style: Style, size: float, width: float, lead: float = 0.0) -> list[str]:
        """`_Stack.wrap` for a text of inline runs, each measured in its own face (a bold run is wider, code
        is monospaced), lines breaking by the URL rule inside link runs that show an address."""
        key = (text, runs_of(text), style)
        pieces = self._rich_pieces.get(key, ())
        if pieces:
            quick = _fill_pieces(text, pieces, lead / size, width / size, 0.0, 1.0)
            if quick is not None:
                return quick
        parts = [
            (a, b, stack, stack.used(text[a:b]), stack.spacing / size) for a, b, stack in self.segments(text, style)
        ]

        def on(a: int, b: int) -> list[tuple[str, _Stack, frozenset[int], float]]:
            return [
                (text[max(a, lo) : min(b, hi)], stack, used, extra)
                for lo, hi, stack, used, extra in parts
                if max(a, lo) < min(b, hi)
            ]

        def piece_em(a: int, b: int) -> float:
            return sum(stack._word_em(t, used) + len(t) * extra for t, stack, used, extra in on(a, b))

        def char_ems(a: int, b: int) -> list[float]:
            return [em + extra for t, stack, used, extra in on(a, b) for em in stack._char_ems(t, used)]

        def space_em(a: int, b: int) -> float:
            return sum(len(t) * (stack._space(used) + extra) for t, stack, used, extra in on(a, b))

        starts = _starts(text, url_ranges(text))
        if pieces == ():  # first asked: without letter spacing a piece's width in ems is the same at every
            # size, so it is measured once per text and style (the planner wraps a text at several sizes)
            spaced = any(extra for *_, extra in parts)
            pieces = self._rich_pieces[key] = None if spaced else _pieces(text, starts, piece_em, space_em)
            if pieces is not None:
                quick = _fill_pieces(text, pieces, lead / size, width / size, 0.0, 1.0)
                if quick is not None:
                    return quick
        return _fill(text, starts, lead / size, width / size, piece_em, char_ems, space_em)

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
        # The planner asks for the same paragraph at the same size and width again and again (to count
        # slides, then to balance them): each answer is kept for the deck.
        self._lines: dict[tuple[object, ...], list[str]] = {}

    def stack(self, style: Style) -> _Stack:
        return self.typesetter.stack(style)

    def width(self, text: str, style: Style, size: float) -> float:
        """Width in points of `text` on one line."""
        return self.stack(style).width(text, size)

    def lines(self, para: Para, style: Style, size: float, width: float, indent: float = 0.0) -> list[str]:
        """The lines `para` breaks into in a box `width` points wide (`style` unless the paragraph has its own)."""
        # A Rich equals its plain text, so its runs (bold is wider) are part of the key.
        key = (para, getattr(para.text, "runs", None), style, size, width, indent)
        found = self._lines.get(key)
        if found is None:
            found = self._lines[key] = self._measured(para, style, size, width, indent)
        return found

    def _measured(self, para: Para, style: Style, size: float, width: float, indent: float) -> list[str]:
        style = para.style or style
        if para.role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY):
            # Wrapped lines start at the indent; an entry's first line starts there too, after its tab.
            return self._wrap(para, style, size, (width - indent) * WIDTH_SAFETY)
        lead = 0.0
        if para.label:
            label_style = para.label_style or style
            lead = self.width(para.label, label_style, size) + self.width(" ", style, size)
        return self._wrap(para, style, size, width * WIDTH_SAFETY, lead)

    def _wrap(self, para: Para, style: Style, size: float, width: float, lead: float = 0.0) -> list[str]:
        if para.rich:
            return self.typesetter.wrap_rich(para.text, style, size, width, lead)
        return self.stack(style).wrap(para.text, size, width, lead)

    def height(self, para: Para, style: Style, size: float, leading: float, width: float, indent: float) -> float:
        """Space before plus lines times leading, in points."""
        return para.space_before + len(self.lines(para, style, size, width, indent)) * leading
