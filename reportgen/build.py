"""Build: sources x formats -> files, written atomically, with one result per source for the batch summary."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from . import renderers
from .errors import Diagnostic, OutputError, Reporter, ReportgenError, SourceInvalid, StrictModeFailure
from .loader import decode, load_event, parse_model
from .model import Event
from .options import RenderOptions, build_time_from_env

STDIN = "-"
"""Source name that reads the event from standard input (its outputs are named `stdin.*`)."""


@dataclass
class SourceResult:
    """What happened to one source: the files written, or the messages explaining why not."""

    source: str
    outputs: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    internal: bool = False  # failed because of a bug in reportgen, not because of the input

    @property
    def ok(self) -> bool:
        """True when every requested output was written."""
        return not self.errors


@dataclass
class BuildReport:
    """The results of a batch, in the order the sources were given."""

    results: list[SourceResult] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceResult]:
        """Results of the sources that produced no output."""
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        """One line for the end of a batch, e.g. "2 built, 1 failed"."""
        built = len(self.results) - len(self.failed)
        return f"{built} built, {len(self.failed)} failed"


def stem_of(source: str) -> str:
    """The output file stem of a source: its file name without suffix; "stdin" for standard input."""
    return "stdin" if source == STDIN else Path(source).stem


def read_source(source: str) -> Event:
    """Load a source path, or standard input when `source` is "-"."""
    if source == STDIN:
        return parse_model(decode(sys.stdin.buffer.read(), "<stdin>"), Event, "<stdin>")
    return load_event(source)


def source_time(source: str) -> datetime:
    """The time stamped into a source's outputs: SOURCE_DATE_EPOCH, else the source file's modification time."""
    mtime = None
    if source != STDIN:
        try:
            mtime = datetime.fromtimestamp(int(Path(source).stat().st_mtime), tz=UTC)
        except OSError:
            pass
    return build_time_from_env(mtime)


def render_all(event: Event, formats: Sequence[str], options: RenderOptions, report: Reporter) -> dict[str, bytes]:
    """Render `event` in every format, in memory; raise on the first failure so nothing is written."""
    return {name: renderers.get(name).render(event, options, report) for name in formats}


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a unique temporary file in the same folder and os.replace().

    Readers see the old file or the new one, never a part; the temporary file is removed on any failure.
    """
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def prepare_output_dir(out_dir: Path) -> None:
    """Create the output folder if needed; raise OutputError when it cannot hold our files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: the output path exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output folder: {error.strerror or error}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"{out_dir}: the output folder is not writable")


def check_collisions(sources: Sequence[str]) -> None:
    """Refuse a batch in which two sources would write the same output files."""
    seen: dict[str, str] = {}
    problems = []
    for source in sources:
        stem = stem_of(source)
        if stem in seen and seen[stem] != source:
            problems.append(f"{source}: would overwrite the outputs of {seen[stem]} (both are named {stem!r})")
        seen.setdefault(stem, source)
    if problems:
        raise OutputError("\n".join(problems))


def build_one(source: str, out_dir: Path, formats: Sequence[str], options: RenderOptions) -> SourceResult:
    """Load, render and write one source; expected failures become messages in the result."""
    result = SourceResult(source)
    report = Reporter()
    try:
        event = read_source(source)
        if options.build_time is None:
            options = replace(options, build_time=source_time(source))
        documents = render_all(event, formats, options, report)
        if options.strict and report.warnings:
            raise StrictModeFailure([f"{source}: {w}" for w in report.warnings])
        for name, data in documents.items():
            target = out_dir / (stem_of(source) + renderers.get(name).suffix)
            try:
                write_atomically(target, data)
            except OSError as error:
                raise OutputError(f"{target}: cannot be written: {error.strerror or error}") from None
            result.outputs.append(target)
    except SourceInvalid as invalid:
        result.errors.extend(str(d) for d in invalid.diagnostics)
    except ReportgenError as error:
        result.errors.append(f"{source}: {error}")
    except Exception as bug:  # noqa: BLE001 - one source's bug must not stop the batch; it is flagged as a bug
        result.internal = True
        result.errors.append(f"{source}: internal error: {type(bug).__name__}: {bug} (a bug in reportgen)")
    result.warnings = [f"{source}: warning: {w}" for w in report.warnings]
    return result


def build(
    sources: Iterable[str],
    out_dir: Path,
    formats: Sequence[str] = tuple(renderers.available()),
    options: RenderOptions | None = None,
    on_result: Callable[[SourceResult], None] | None = None,
) -> BuildReport:
    """Build every source into `out_dir`; a bad source does not stop the others.

    Raises OutputError before anything is rendered when the folder is unusable or two sources would
    write the same files; UnknownFormat when a format is not registered.
    """
    sources = list(sources)
    options = options or RenderOptions()
    for name in formats:
        renderers.get(name)
    check_collisions(sources)
    prepare_output_dir(out_dir)
    report = BuildReport()
    for source in sources:
        result = build_one(source, out_dir, formats, options)
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def validate(sources: Iterable[str]) -> list[Diagnostic]:
    """Load every source and return every problem found, across all of them."""
    problems: list[Diagnostic] = []
    for source in sources:
        try:
            read_source(source)
        except SourceInvalid as invalid:
            problems.extend(invalid.diagnostics)
    return problems
