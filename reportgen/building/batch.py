"""Building a batch: each target loaded, rendered and written; up-to-date ones skipped; results reported."""

from __future__ import annotations

import contextlib
import hashlib
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from .. import renderers
from ..errors import RenderError, Reporter, ReportgenError, SourceInvalid, StrictModeFailure
from ..model import Event
from ..options import RenderOptions, build_time_from_env
from ..theme import Theme
from . import workers
from .editions import read_edition
from .files import outputs_of, prepare_output_dir, write_all
from .manifest import Manifest, _fingerprint, _settings_digest, theme_digest
from .targets import (
    STDIN,
    Target,
    cached_theme,
    check_collisions,
    check_drawable,
    place_of,
    read_target,
    resolve_theme,
    stem_of,
)
from .workers import render_all, start_children, stopped_by_signals


class Result:
    """What happened to one target: the files written, or the messages explaining why not."""

    def __init__(self, target: Target, status: str = "built", outputs: list[Path] | None = None) -> None:
        self.target = target
        self.status = status  # "built", "failed" or "up to date"
        self.outputs: list[Path] = outputs if outputs is not None else []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.stale: list[Path] = []  # previous outputs kept after a failure
        self.seconds = 0.0
        self.internal = False  # failed because of a bug in reportgen, not because of the input
        self.theme: list[str] | None = None  # [theme folder, digest] when a theme other than the options' was used

    def __repr__(self) -> str:
        return f"Result({self.source!r}, {self.status!r}, outputs={self.outputs!r}, errors={self.errors!r})"

    @property
    def source(self) -> str:
        """The target's label (source file and selection)."""
        return self.target.label

    @property
    def ok(self) -> bool:
        """True when every requested output exists and is current."""
        return not self.errors


class BuildReport:
    """The results of a batch, in the order of its targets."""

    def __init__(self, results: list[Result] | None = None) -> None:
        self.results: list[Result] = results if results is not None else []
        self.errors: list[str] = []  # of the batch rather than of a target: the manifest could not be saved
        self.warnings: list[str] = []  # a damaged manifest, ignored

    @property
    def failed(self) -> list[Result]:
        """Results of the targets that could not be built."""
        return [r for r in self.results if not r.ok]

    def count(self, status: str) -> int:
        """Number of results with the given status."""
        return sum(r.status == status for r in self.results)

    def summary(self) -> str:
        """One line for the end of a batch, e.g. "2 built, 1 failed, 5 up to date"."""
        line = f"{self.count('built')} built, {self.count('failed')} failed, {self.count('up to date')} up to date"
        stale = [p for r in self.results for p in r.stale]
        if stale:
            line += f"; kept older outputs: {', '.join(str(p) for p in stale)}"
        return line

    def to_json(self) -> dict[str, object]:
        """The machine-readable report written by --json."""
        return {
            "summary": {s.replace(" ", "_"): self.count(s) for s in ("built", "failed", "up to date")},
            "errors": self.errors,
            "warnings": self.warnings,
            "targets": [
                {
                    "source": r.target.source,
                    "only": list(r.target.only),
                    "status": r.status,
                    "seconds": round(r.seconds, 4),
                    "outputs": [{"path": str(p), "sha256": _sha256_file(p)} for p in r.outputs],
                    "stale": [str(p) for p in r.stale],
                    "errors": r.errors,
                    "warnings": r.warnings,
                }
                for r in self.results
            ],
        }


def _sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def source_time(source: str) -> datetime:
    """The time stamped into a source's outputs: SOURCE_DATE_EPOCH, else the source file's modification time."""
    mtime = None
    if source != STDIN:
        with contextlib.suppress(OSError):
            mtime = datetime.fromtimestamp(int(Path(source).stat().st_mtime), tz=UTC)
    return build_time_from_env(mtime)


def build_target(
    target: Target,
    out_dir: Path,
    formats: Sequence[str],
    options: RenderOptions,
    theme: str | None = None,
    jobs: int = 1,
) -> Result:
    """Load, render and write one target; expected failures become messages in the result.

    With `jobs` > 1 its formats render in several processes, forked before the source is read so that they
    import their rendering libraries meanwhile (start_children)."""
    started = time.perf_counter()
    result = Result(target)
    report = Reporter()
    children = start_children(formats, jobs)
    try:
        # An edition's event is translated, with a warning for each text left in the source's words.
        event = read_target(target) if target.language is None else read_edition(target, report)
        if options.build_time is None:
            options = replace(options, build_time=source_time(target.source))
        chosen = resolve_theme(theme, event, target.source)
        if chosen is not None:
            options = replace(options, theme=chosen)
            result.theme = [str(chosen.folder), theme_digest(chosen)]
        for warning in options.theme.warnings():
            report.warning(warning)
        started_children, children = children, {}  # render_all collects them from here on
        theme_of_target = options.theme
        # The PDF, the one format that cannot substitute a font of its own, would fail on a character no font
        # of the theme has, without a place: refused here with it, while the format processes start.
        check = (lambda: check_drawable(event, theme_of_target, target)) if "pdf" in formats else None
        documents = render_all(event, formats, options, report, children=started_children, check=check)
        if options.strict and report.warnings:
            raise StrictModeFailure([f"{target.label}: {w}" for w in report.warnings])
        # All or nothing: every file is written in full and every destination checked before any is replaced.
        files = list(zip(outputs_of(target, out_dir, formats), documents.values(), strict=True))
        write_all(files)
        result.outputs.extend(path for path, _ in files)
    except SourceInvalid as invalid:
        result.errors.extend(str(d) for d in invalid.diagnostics)
    except ReportgenError as error:
        place = place_of(target, error.text) if isinstance(error, RenderError) and error.text else None
        result.errors.append(str(place._replace(message=str(error))) if place else f"{target.label}: {error}")
    except Exception as bug:
        result.internal = True
        result.errors.append(f"{target.label}: internal error: {type(bug).__name__}: {bug} (a bug in reportgen)")
    finally:
        for child in children.values():  # the source could not be loaded: the children are not needed
            child.collect(abandon=True)
    if result.errors:
        result.status = "failed"
        result.stale = [p for p in outputs_of(target, out_dir, formats) if p.exists()]
    result.warnings = [f"{target.label}: warning: {w}" for w in report.warnings]
    result.seconds = time.perf_counter() - started
    return result


def build(
    sources: Iterable[str] | Sequence[Target],
    out_dir: Path,
    formats: Sequence[str] = tuple(renderers.defaults()),
    options: RenderOptions | None = None,
    on_result: Callable[[Result], None] | None = None,
    jobs: int = 1,
    force: bool = False,
    theme: str | None = None,
) -> BuildReport:
    """Build every target into `out_dir`; a bad source does not stop the others.

    `sources` are source paths (each one whole target) or planned Targets. `theme` (a built-in name or a
    theme folder) overrides the sources' own `theme:`. Targets whose outputs are up
    to date are skipped unless `force`. With `jobs` > 1 targets are built in that many worker processes.
    Raises OutputError before anything is rendered when the folder is unusable or two targets would
    write the same files; UnknownFormat when a format is not registered.
    """
    items = list(sources)
    targets = [t if isinstance(t, Target) else Target(str(t), stem_of(str(t))) for t in items]
    options = options or RenderOptions()
    for name in formats:
        renderers.suffix(name)  # an unknown format fails the build before anything is done
    check_collisions(targets)
    if theme:
        cached_theme(theme, None)  # a bad --theme fails the whole build before anything is rendered
    prepare_output_dir(out_dir)
    report = BuildReport()
    manifest = Manifest(out_dir)
    if manifest.warning:
        report.warnings.append(f"warning: {manifest.warning}")
    # Also the first question to fontconfig, which the format processes forked later inherit answered.
    settings = _settings_digest(formats, options, theme)
    pending: list[tuple[int, Target, str | None]] = []
    slots: list[Result | None] = [None] * len(targets)

    def finish(index: int, result: Result, fingerprint: str | None) -> None:
        slots[index] = result
        manifest.record(result, fingerprint)
        if on_result is not None:
            on_result(result)

    for index, target in enumerate(targets):
        fingerprint = _fingerprint(target, settings)
        outputs = outputs_of(target, out_dir, formats)
        if not force and manifest.is_current(target, fingerprint, outputs):
            finish(index, Result(target, status="up to date", outputs=outputs), fingerprint)
        else:
            pending.append((index, target, fingerprint))
    try:
        if jobs > 1 and len(pending) > 1:
            with stopped_by_signals(), workers.pool(min(jobs, len(pending))) as pool:
                futures = [
                    (i, fp, pool.submit(build_target, t, out_dir, formats, options, theme)) for i, t, fp in pending
                ]
                for index, fingerprint, future in futures:
                    finish(index, future.result(), fingerprint)
        else:
            # One target: its formats render at once (build_target forks them); several: one after the other
            # (jobs is 1).
            with stopped_by_signals():
                for index, target, fingerprint in pending:
                    finish(index, build_target(target, out_dir, formats, options, theme, jobs), fingerprint)
    finally:
        unsaved = manifest.save()
    if unsaved:
        report.errors.append(unsaved)
    report.results = [r for r in slots if r is not None]
    return report


def validate(
    sources: Iterable[str],
    strict: bool = False,
    theme: str | None = None,
    warnings: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Check every source (and the theme it uses); source -> its problems, [] when valid.

    With `strict`, each source is also rendered in memory in every format, and any warning (a session
    split over slides, a fallback font, low contrast) counts as a problem: what `build --strict` would refuse.
    Without, the formats whose theme has a template are rendered (a template `build` would refuse is a
    problem), and the theme's warnings, as `build` prints them, are added to `warnings` when given.
    """
    found: dict[str, list[str]] = {}
    for source in sources:
        problems: list[str] = []
        try:
            target = Target(source, stem_of(source), (), sys.stdin.read() if source == STDIN else None)
            event = read_target(target)
            chosen = resolve_theme(theme, event, source)
            check_drawable(event, chosen or RenderOptions().theme, target)  # as a build of every format would
            if strict:
                report = Reporter()
                options = RenderOptions(theme=chosen) if chosen else RenderOptions()
                for warning in options.theme.warnings():
                    report.warning(warning)
                render_all(event, renderers.defaults(), options, report)
                problems.extend(f"{source}: warning: {w}" for w in report.warnings)
            else:
                _check_templates(event, chosen, source, warnings)
        except SourceInvalid as invalid:
            problems.extend(str(d) for d in invalid.diagnostics)
        except ReportgenError as error:
            problems.append(f"{source}: {error}")
        found[source] = problems
    return found


def _check_templates(event: Event, chosen: Theme | None, source: str, warnings: dict[str, list[str]] | None) -> None:
    """validate without --strict: the theme's warnings, in build's words, and its templates tried in memory
    (raising the RenderError build would give)."""
    options = RenderOptions(theme=chosen) if chosen else RenderOptions()
    report = Reporter()
    for warning in options.theme.warnings():
        report.warning(warning)
    templated = [name for name in ("docx", "pptx") if options.theme.reference(name) is not None]
    if templated:
        render_all(event, templated, options, Reporter())  # their own warnings are --strict's business
    if warnings is not None and report.warnings:
        warnings.setdefault(source, []).extend(f"{source}: warning: {w}" for w in report.warnings)
