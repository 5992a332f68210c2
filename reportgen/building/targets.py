"""What a build makes: sources found, planned into targets, each read into its event, and the theme it uses."""

from __future__ import annotations

import dataclasses
import functools
import glob
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import NamedTuple

from ..errors import Diagnostic, OutputError, SourceInvalid
from ..loader import decode, load_event, parse_model
from ..model import Event
from ..theme import THEME_FILE, Theme, load_theme

STDIN = "-"
"""Source name that reads the event from standard input (its outputs are named `stdin.*`)."""

SOURCE_SUFFIXES = (".yaml", ".yml")


class Target(NamedTuple):
    """One set of documents to build: a source, optionally reduced to some sessions, and its file stem."""

    source: str
    stem: str
    only: tuple[str, ...] = ()  # session or day ids; () means the whole event
    text: str | None = None  # the source text when it came from standard input
    event: Event | None = None  # the event to render, already read and selected (by plan, for a split source)
    language: str | None = None  # an edition's language, translated by the PO file beside the source (editions.py)

    @property
    def label(self) -> str:
        """The source, with the selection and the edition when there are: "a.yaml", "a.yaml[day-2/b] (fr)"."""
        label = f"{self.source}[{','.join(self.only)}]" if self.only else self.source
        return f"{label} ({self.language})" if self.language else label


def expand_sources(arguments: Iterable[str], exclude: Sequence[str] = ()) -> list[str]:
    """Files as given, folders as every *.yaml/*.yml below them (skipping hidden folders, output/ and theme
    folders), glob patterns as their matches; duplicates removed, order kept. A source matching an `exclude`
    glob (see is_excluded) is left out. Raises OutputError for a pattern or path that matches nothing, a
    folder with no source, and anything that is not a regular file or a folder (/dev/zero, a FIFO): a build
    of nothing would otherwise report "0 built, 0 failed" and pass."""
    found: list[str] = []
    missing: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if argument == STDIN or path.is_file():
            found.append(argument)
        elif path.is_dir():
            themes = theme_folders(path)
            inside = [str(p) for p in sorted(path.rglob("*")) if _is_source_in(p, path) and not themes & {*p.parents}]
            found.extend(inside)
            if not inside:  # a build that builds nothing must not pass for one that worked
                missing.append(f"{argument}: a folder with no *.yaml or *.yml source in it")
        elif path.exists():  # a device, a FIFO, a socket: never read as a source (a FIFO would hang)
            missing.append(f"{argument}: not a regular file, a folder or a pattern")
        elif matches := sorted(glob.glob(argument, recursive=True)):
            regular = [m for m in matches if Path(m).is_file()]
            found.extend(regular)
            if not regular:
                missing.append(f"{argument}: matches no regular file")
        else:
            missing.append(f"{argument}: no such file, folder or pattern")
    if missing:
        raise OutputError("\n".join(missing))
    return [s for s in dict.fromkeys(found) if not (exclude and s != STDIN and is_excluded(s, exclude))]


def _is_source_in(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    if any(p.startswith(".") or p == "output" for p in parts[:-1]) or parts[-1].startswith("."):
        return False
    return path.suffix.lower() in SOURCE_SUFFIXES and path.is_file()


def theme_folders(root: Path) -> set[Path]:
    """The theme folders below `root` (each holds a theme.yaml): their YAML is a theme's, not a source."""
    return {p.parent for p in root.rglob(THEME_FILE)}


def is_excluded(source: str, patterns: Sequence[str]) -> bool:
    """True when the source path, or a folder on it, matches one of the glob patterns, matched from the
    right as pathlib does: "drafts" leaves out every drafts/ folder, "*.draft.yaml" such files anywhere,
    "events/old/*" everything in that folder."""
    path = PurePath(source)
    candidates = [path, *(p for p in path.parents if p.name)]
    return any(c.match(pattern) for pattern in patterns for c in candidates)


def stem_of(source: str) -> str:
    """The output file stem of a source: its file name without suffix; "stdin" for standard input."""
    return "stdin" if source == STDIN else Path(source).stem


def selection_stem(stem: str, only: Sequence[str]) -> str:
    """The file stem of a source reduced to some sessions or days: "key-outcomes--day-2-b--day-1", the
    naming --split uses, so that a selection never overwrites the full build's files."""
    return "--".join([stem, *(sid.replace("/", "-") for sid in only)])


def plan(sources: Sequence[str], only: Sequence[str] = (), split: bool = False) -> list[Target]:
    """The targets of a build, in order. With `only`, one target named by its selection ("<stem>--day-2-b");
    with `split`, one target per (selected) session, named the same way. Reads standard input once when a
    source is "-". Raises SourceInvalid when a split source cannot be read, OutputError when two targets
    would write the same files."""
    targets: list[Target] = []
    for source in sources:
        text = sys.stdin.read() if source == STDIN else None
        base = Target(source, stem_of(source), tuple(only), text)
        if not split:
            if only:  # named by what it holds: the source's own names belong to its full build
                base = base._replace(stem=selection_stem(base.stem, only))
            targets.append(base)
            continue
        event = read_target(Target(source, base.stem, (), text))
        try:
            ids = event.resolve(tuple(only)) if only else list(event.session_ids())
        except KeyError as unknown:
            raise _unknown_id(source, event, unknown.args[0]) from None
        # Its targets carry their sessions, so that the build does not parse the source again for each.
        for sid, selected in _each_session(event, ids):
            targets.append(Target(source, selection_stem(base.stem, (sid,)), (sid,), text, selected))
    check_collisions(targets)
    return targets


def _each_session(event: Event, ids: Sequence[str]) -> Iterator[tuple[str, Event]]:
    """Each session id of `ids` with the event reduced to that session, as event.select((sid,)) would give
    it, but in one pass: select resolves every id against all sessions, quadratic for a split of thousands."""
    known = event.session_ids()
    for sid in ids:
        d, s = known[sid]
        day = event.days[d]
        yield sid, replace(event, days=(replace(day, sessions=(day.sessions[s],)),))


def shard(targets: Sequence[Target], index: int, count: int) -> list[Target]:
    """Shard `index` (1-based) of `count`: a deterministic share by output name, so that the shards of a
    CI matrix cover every target exactly once whatever order the sources were given in."""
    if not 1 <= index <= count:
        raise OutputError(f"shard {index}/{count}: K must be between 1 and N")
    ordered = sorted(targets, key=lambda t: t.stem)
    return [t for i, t in enumerate(ordered) if i % count == index - 1]


def check_collisions(targets: Sequence[Target]) -> None:
    """Refuse a batch in which two targets would write the same output files."""
    seen: dict[str, Target] = {}
    problems = []
    for target in targets:
        other = seen.setdefault(target.stem, target)
        if other is not target and other.source != target.source:
            problems.append(
                f"{target.source}: would overwrite the outputs of {other.source} (both are named {target.stem!r})"
            )
    if problems:
        raise OutputError("\n".join(problems))


def read_target(target: Target) -> Event:
    """Load a target's event, reduced to its selection; raise SourceInvalid for bad input or unknown ids.

    A target planned from a split source carries its event already: it is returned as it is."""
    if target.event is not None:
        return target.event
    if target.text is not None:
        event = parse_model(decode(target.text.encode("utf-8", "surrogateescape"), "<stdin>"), Event, "<stdin>")
    else:
        event = load_event(target.source)
    if not target.only:
        return event
    try:
        return event.select(target.only)
    except KeyError as unknown:
        raise _unknown_id(target.source, event, unknown.args[0]) from None


def _unknown_id(source: str, event: Event, wanted: str) -> SourceInvalid:
    message = f"no session or day with the id {wanted!r} (ids: {', '.join(event.session_ids())})"
    return SourceInvalid([Diagnostic(source, 1, 1, "", message)])


def resolve_theme(spec: str | None, event: Event, source: str) -> Theme | None:
    """The theme a target uses: `spec` (--theme, relative to the working folder) if given, else the
    source's `theme:` (relative to the source's folder); None means the options' theme."""
    if spec:
        return cached_theme(spec, None)
    if event.theme:
        base = Path.cwd() if source == STDIN else Path(source).resolve().parent
        return cached_theme(event.theme, base)
    return None


def check_drawable(event: Event, theme: Theme, target: Target) -> None:
    """Refuse, at its line and column in the source, a character that no font of the theme can draw: the
    PDF embeds only the theme's fonts and would fail on it later, without a place. Where the theme and the
    event first meet, so `validate` and `build` agree. The characters of the whole event are checked against
    the fonts at once (a set difference); only when one is missing is the source read again to place it."""
    from ..loader import find_characters, read_text

    characters: set[str] = set()
    for text in _texts(event):
        characters.update(text)
    missing = sorted(_undrawable(characters, (*theme.font_families, theme.code_font)))
    if not missing:
        return
    file = "<stdin>" if target.text is not None or target.source == STDIN else target.source
    try:
        text = target.text if target.text is not None else read_text(Path(target.source))
        places = find_characters(text, file, missing)
    except SourceInvalid:
        places = {}
    families = ", ".join(theme.font_families)
    problems = []
    for ch in missing:
        where = places.get(ch, Diagnostic(file, 1, 1, "", ""))
        message = (
            f"no font of the theme can draw U+{ord(ch):04X} {ch!r} (fonts: {families}); "
            "add one that has it to the theme's fallback_fonts"
        )
        problems.append(where._replace(message=message))
    raise SourceInvalid(problems)


def place_of(target: Target, value: str) -> Diagnostic | None:
    """Where `value` (a text of the target's event) is written in the target's source, or None: a
    renderer's refusal of a valid text is then reported at its line, column and field too."""
    from ..loader import find_value, read_text

    file = "<stdin>" if target.text is not None or target.source == STDIN else target.source
    try:
        text = target.text if target.text is not None else read_text(Path(target.source))
    except SourceInvalid:
        return None
    return find_value(text, file, value)


def _undrawable(characters: set[str], families: tuple[str, ...]) -> set[str]:
    """The characters that no regular or bold face of `families` installed here maps to a glyph (white space
    and default-ignorable characters need none). Faces are looked up and read only while characters are
    left, so a text the first font covers costs one lookup."""
    from ..text.fonts import coverage, find_font
    from ..text.scripts import ignorable

    left = {ch for ch in characters if not ch.isspace()}
    for family in dict.fromkeys(families):
        for bold in (False, True):
            if not left:
                return left
            path = find_font(family, bold=bold)
            if path is not None:
                covered = coverage(path)
                left = {ch for ch in left if ord(ch) not in covered}
    return {ch for ch in left if not ignorable(ch)}


def _texts(node: object) -> Iterator[str]:
    """Every text of a model object and of the objects it holds."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from _texts(item)
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            if not f.name.startswith("_"):
                yield from _texts(getattr(node, f.name))


@functools.lru_cache(maxsize=64)
def cached_theme(spec: str, base: Path | None) -> Theme:
    """load_theme, once per process for each theme (themes are immutable once loaded)."""
    return load_theme(spec, base)
