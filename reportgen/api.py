"""The Python API: load a source, render an event, build files; what `import reportgen` offers.

Every name here is re-exported lazily by the package (`reportgen.load`, `reportgen.build`, ...), so that
importing reportgen stays as cheap as the command line's --help. docs/api.md shows each one at work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .building import BuildReport, Result
    from .model import Event
    from .options import RenderOptions

FORMATS = ("docx", "pdf", "pptx")  # the formats built by default; "handout" is built when asked for


def load(source: str | Path, language: str | None = None) -> Event:
    """Read a source into an Event: a Path or a file name, or YAML text (a str holding a line break).
    With `language`, a file's edition in that language, translated by STEM.LANG.po beside it (texts it
    leaves untranslated keep the source's words; `reportgen validate --language` lists them).

    Raises SourceInvalid, whose str() lists every problem as FILE:LINE:COL: path: message."""
    from .loader import load_event, parse_model
    from .model import Event

    if isinstance(source, str) and "\n" in source:
        if language is not None:
            raise ValueError("an edition is read from a source file and the PO file beside it, not from text")
        return parse_model(source, Event, "<text>")
    if language is not None:
        from .building.editions import edition_of

        return edition_of(str(source), language).event
    return load_event(source)


def from_data(data: Mapping[str, Any]) -> Event:
    """Validate plain data (dicts, lists, text, numbers) shaped like a source into an Event, by the same
    rules as a YAML file; raises SourceInvalid listing every problem."""
    from .loader import from_data as validate_data
    from .model import Event

    return validate_data(Event, data)


def render(event: Event, format: str, options: RenderOptions | None = None) -> bytes:
    """Render a loaded event in one format ("docx", "pdf", "pptx", "handout") and return the document's bytes.

    `options` (a RenderOptions) chooses the theme, paper and build time; by default the default theme, and
    SOURCE_DATE_EPOCH or a fixed date for the timestamps, so the same event always gives the same bytes."""
    from .errors import Reporter
    from .options import RenderOptions as Options
    from .renderers import get

    return get(format).render(event, options or Options(), Reporter())


def build(
    sources: str | Path | Iterable[str | Path],
    out_dir: str | Path = "output",
    formats: Sequence[str] = FORMATS,
    *,
    only: Sequence[str] = (),
    split: bool = False,
    exclude: Sequence[str] = (),
    theme: str | None = None,
    paper: str | None = None,
    strict: bool = False,
    force: bool = False,
    jobs: int = 1,
    on_result: Callable[[Result], None] | None = None,
    languages: Sequence[str] = (),
) -> BuildReport:
    """Build documents as `reportgen build` does and return its BuildReport (`.failed` lists the failures,
    `.results` every target, `.summary()` the closing line); a bad source does not stop the others.

    `sources` are files, folders or globs; `only` session or day ids; `split` one set of files per session;
    `exclude` glob patterns of sources to leave out of folders; `theme` a built-in name or theme folder that
    overrides the sources' own; `languages` the editions to build ("fr", or "all": the source's and every
    STEM.LANG.po beside it). Raises OutputError when nothing matches or the folder is unusable."""
    from .building import build as run_build
    from .building import expand_sources, plan
    from .building.editions import with_editions
    from .options import RenderOptions as Options

    names = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    targets = with_editions(plan(expand_sources(names, exclude=exclude), only=only, split=split), languages)
    options = Options(paper=paper, strict=strict)
    return run_build(targets, Path(out_dir), formats, options, on_result=on_result, jobs=jobs, force=force, theme=theme)
