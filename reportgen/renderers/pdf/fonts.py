"""The brief's font stacks, the check that they cover its text, and the setter that shapes text in them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from ...errors import RenderError
from ...text import breaking, fonts, shaping
from ...text.fonts import covered
from ...text.scripts import ignorable

if TYPE_CHECKING:
    from pathlib import Path

    from ...errors import Reporter
    from ...text.shaping import Line, Shaped, Span
    from ...theme import Theme


class _Stack(NamedTuple):
    """A font stack: (family, file) in the order characters look for a glyph, and the files alone, first
    choice first (one tuple, however often asked for: the shaping cache names a stack by its id)."""

    entries: tuple[tuple[str, Path], ...]
    paths: tuple[Path, ...]

    @classmethod
    def of(cls, entries: list[tuple[str, Path]]) -> _Stack:
        """The stack of these (family, file) entries."""
        return cls(tuple(entries), tuple(path for _, path in entries))

    def describe(self) -> str:
        """The families and files tried, for error messages."""
        return ", ".join(f"{family} ({path.name})" for family, path in self.entries)


class _Stacks:
    """The stacks the brief is set in: body and heading text, regular and bold, made up front; and the
    stacks of rich text's other looks (italic, bold italic, code), made when first asked for, so that a
    theme's code font is looked up (and warned about) only for a brief that has code in it."""

    def __init__(self, theme: Theme, report: Reporter) -> None:
        self.theme, self.report = theme, report
        # The files of bold stacks that are a family's regular face (a family without bold, as CJK
        # fallbacks are): bold text set in one is drawn emboldened (see backend._draw_line).
        self.faux_bold: set[Path] = set()
        self.looks: dict[tuple[bool, bool, bool], _Stack] = {}
        self.body = self.look(bold=False)
        self.body_bold = self.look(bold=True)
        self.heading = self._stack(theme.heading_font, (), bold=False, italic=False)
        self.heading_bold = self._stack(theme.heading_font, (), bold=True, italic=False)

    def look(self, bold: bool = False, italic: bool = False, code: bool = False) -> _Stack:
        """The stack of body text with this look: `code` in the theme's code font, falling back through the
        body stack character by character."""
        key = (bold, italic, code)
        stack = self.looks.get(key)
        if stack is None:
            theme = self.theme
            if code:
                stack = self._stack(theme.code_font, (theme.body_font,), bold, italic)
            else:
                stack = self._stack(theme.body_font, (), bold, italic)
            self.looks[key] = stack
        return stack

    def _stack(self, family: str, then: tuple[str, ...], bold: bool, italic: bool) -> _Stack:
        first, exact = fonts.require_font(family, bold=bold, italic=italic)
        if not exact:
            # One message per family (the reporter drops repeats), whichever of its faces fell back.
            self.report.warning(f"font {family!r} is not installed; the PDF uses {fonts.FALLBACK_FAMILY} instead")
        entries = [(family if exact else fonts.FALLBACK_FAMILY, first)]
        # The theme's fallbacks come before the other role's face: a serif text whose face lacks Greek
        # falls back to the serif fallback the theme names, not to the sans-serif heading face.
        families = (family, *then, *self.theme.fallback_fonts, *self.theme.font_families)
        for other, path in fonts.font_stack(families, bold=bold, italic=italic):
            if all(path != p for _, p in entries):
                entries.append((other, path))
        if bold:
            self.faux_bold.update(path for name, path in entries if path == fonts.find_font(name))
        return _Stack.of(entries)


def _check_coverage(wanted: dict[_Stack, list[str]]) -> None:
    """Raise RenderError naming every character of the texts wanted in each stack that no font of the
    stack has (it would print as a box)."""
    problems = []
    for stack, texts in wanted.items():
        # Default-ignorable characters (joiners, direction marks, variation selectors) are never drawn.
        chars = "".join(ch for ch in set("".join(texts)) if not ignorable(ch))
        # As text.fonts.uncovered, by the character maps HarfBuzz shapes with (read far faster than fontTools
        # reads the metrics that uncovered needs).
        missing = sorted(
            {ch for ch in chars if not ch.isspace() and not any(covered(ch, path) for path in stack.paths)}
        )
        if missing:
            listed = ", ".join(f"U+{ord(ch):04X} {ch!r}" for ch in missing)
            problems.append(f"no font has a glyph for {listed} (tried: {stack.describe()})")
    if problems:
        raise RenderError(
            "; ".join(dict.fromkeys(problems)) + "; add a font that has them to the theme's fallback_fonts"
        )


class _Setter:
    """Shapes the brief's paragraphs for one render, each text once for both passes."""

    def __init__(self, stacks: _Stacks, language: str) -> None:
        self.stacks, self.language = stacks, language
        self.cache: dict[tuple[Any, ...], Shaped] = {}
        self.fitted: dict[tuple[Any, ...], Line] = {}
        # The font stacks of the spans seen, by id: the keys name a stack by its id, which is cheap to hash
        # (hashing a tuple of paths is not), and keeping the stack here keeps its id from being reused.
        self.stack_ids: dict[int, tuple[Path, ...]] = {}

    def _key(self, spans: list[Span]) -> tuple[tuple[str, int, str, str | None, bool], ...]:
        for span in spans:
            self.stack_ids.setdefault(id(span.fonts), span.fonts)
        return tuple([(span.text, id(span.fonts), span.colour, span.link, span.bold) for span in spans])

    def shape(self, spans: list[Span], size: float, rtl: bool | None = None, keep: bool = True) -> Shaped:
        """The spans shaped at `size` points; `rtl` None takes the direction from the text. `keep`: keep
        the result for the next call with the same text (for texts that recur, as footers do)."""
        if not keep:
            return self._shape(spans, size, rtl)
        key = (self._key(spans), size, rtl)
        shaped = self.cache.get(key)
        if shaped is None:
            shaped = self.cache[key] = self._shape(spans, size, rtl)
        return shaped

    def _shape(self, spans: list[Span], size: float, rtl: bool | None) -> Shaped:
        try:
            return shaping.shape(spans, size, self.language, rtl)
        except shaping.LayoutError as error:
            raise _render_error(spans, error) from None

    def fit(self, spans: list[Span], size: float, width: float) -> Line:
        """The spans as one line, shortened with an ellipsis to fit `width` points."""
        key = (self._key(spans), size, width)
        line = self.fitted.get(key)
        if line is None:
            try:
                line = self.fitted[key] = breaking.fit(spans, size, self.language, width)
            except shaping.LayoutError as error:
                raise _render_error(spans, error) from None
        return line


def _render_error(spans: list[Span], error: shaping.LayoutError) -> RenderError:
    whole = "".join(s.text for s in spans)
    return RenderError(f"cannot set {whole!r} in the PDF: {error}")
