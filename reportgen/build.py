"""Build: sources x formats -> files, written atomically, skipped when up to date, in parallel workers."""

from __future__ import annotations

import contextlib
import functools
import glob
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from . import __version__, renderers
from .errors import Diagnostic, OutputError, Reporter, ReportgenError, SourceInvalid, StrictModeFailure
from .loader import decode, load_event, parse_model
from .model import Event
from .options import RenderOptions, build_time_from_env
from .theme import Theme, load_theme

STDIN = "-"
"""Source name that reads the event from standard input (its outputs are named `stdin.*`)."""

MANIFEST = ".reportgen-manifest.json"
"""File in the output folder recording what each output was built from, for incremental builds."""

SOURCE_SUFFIXES = (".yaml", ".yml")

STALE_TEMP_SECONDS = 3600
"""Temporary files older than this in an output folder are left-overs of a killed build and are removed."""


class Target(NamedTuple):
    """One set of documents to build: a source, optionally reduced to some sessions, and its file stem."""

    source: str
    stem: str
    only: tuple[str, ...] = ()  # session or day ids; () means the whole event
    text: str | None = None  # the source text when it came from standard input

    @property
    def label(self) -> str:
        """The source, with the selection when there is one: "a.yaml", "a.yaml[day-2/b]"."""
        return f"{self.source}[{','.join(self.only)}]" if self.only else self.source


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


# -- finding sources and planning targets ---------------------------------------------------------------


def expand_sources(arguments: Iterable[str]) -> list[str]:
    """Files as given, folders as every *.yaml/*.yml below them (skipping hidden folders and output/),
    glob patterns as their matches; duplicates removed, order kept. Raises OutputError for a pattern or
    path that matches nothing."""
    found: list[str] = []
    missing: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if argument == STDIN or path.is_file():
            found.append(argument)
        elif path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if _is_source_in(p, path))
        elif matches := sorted(glob.glob(argument, recursive=True)):
            found.extend(m for m in matches if Path(m).is_file())
        else:
            missing.append(argument)
    if missing:
        raise OutputError("\n".join(f"{m}: no such file, folder or pattern" for m in missing))
    return list(dict.fromkeys(found))


def _is_source_in(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    if any(p.startswith(".") or p == "output" for p in parts[:-1]) or parts[-1].startswith("."):
        return False
    return path.suffix.lower() in SOURCE_SUFFIXES and path.is_file()


def stem_of(source: str) -> str:
    """The output file stem of a source: its file name without suffix; "stdin" for standard input."""
    return "stdin" if source == STDIN else Path(source).stem


def plan(sources: Sequence[str], only: Sequence[str] = (), split: bool = False) -> list[Target]:
    """The targets of a build, in order. With `split`, one target per (selected) session, named
    "<stem>--day-2-b". Reads standard input once when a source is "-". Raises SourceInvalid when a
    split source cannot be read, OutputError when two targets would write the same files."""
    targets: list[Target] = []
    for source in sources:
        text = sys.stdin.read() if source == STDIN else None
        base = Target(source, stem_of(source), tuple(only), text)
        if not split:
            targets.append(base)
            continue
        event = read_target(Target(source, base.stem, (), text))
        try:
            ids = event.resolve(tuple(only)) if only else list(event.session_ids())
        except KeyError as unknown:
            raise _unknown_id(source, event, unknown.args[0]) from None
        for sid in ids:
            targets.append(Target(source, f"{base.stem}--{sid.replace('/', '-')}", (sid,), text))
    check_collisions(targets)
    return targets


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


# -- building one target ------------------------------------------------------------------------------


def read_target(target: Target) -> Event:
    """Load a target's event, reduced to its selection; raise SourceInvalid for bad input or unknown ids."""
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


def source_time(source: str) -> datetime:
    """The time stamped into a source's outputs: SOURCE_DATE_EPOCH, else the source file's modification time."""
    mtime = None
    if source != STDIN:
        with contextlib.suppress(OSError):
            mtime = datetime.fromtimestamp(int(Path(source).stat().st_mtime), tz=UTC)
    return build_time_from_env(mtime)


def render_all(
    event: Event,
    formats: Sequence[str],
    options: RenderOptions,
    report: Reporter,
    children: dict[str, _Child] | None = None,
) -> dict[str, bytes]:
    """Render `event` in every format, in memory; raise the failure of the first format (in `formats`
    order) that fails, so nothing is written.

    Formats in `children` (see start_children) render at the same time in those forked processes, which
    are always collected; the others render here. Documents and warnings are the same as one after the
    other, in order.
    """
    children = children or {}
    outcomes: dict[str, tuple[bytes | None, BaseException | None, list[str]]] = {}
    failed = True  # until this process's formats are done: on any exception the children are stopped
    try:
        for child in children.values():
            child.start(event, options)
        for name in formats:
            if name in children:
                continue
            own = Reporter()
            try:
                outcomes[name] = (renderers.get(name).render(event, options, own), None, own.warnings)
            except ReportgenError as failure:
                outcomes[name] = (None, failure, own.warnings)
                break
        else:
            failed = False
    finally:
        for name, child in children.items():  # the children render later formats: an earlier failure wins
            outcomes[name] = child.collect(abandon=failed)
    documents: dict[str, bytes] = {}
    for name in formats:
        data, error, warnings = outcomes.get(name, (None, None, []))
        for warning in warnings:
            report.warning(warning)
        if error is not None:
            raise error
        if data is not None:
            documents[name] = data
    return documents


def start_children(formats: Sequence[str], jobs: int) -> dict[str, _Child]:
    """Fork a process for each of the last `jobs` - 1 formats (at most all but the first) when `jobs` > 1
    and fork is safe; {} otherwise, and fewer when the system refuses a fork (this process renders the rest).

    Each child imports its rendering library at once and then waits for the event (_Child.start), so a
    caller that starts them before loading the source overlaps the two. On two cores the deck, last, goes to
    the child: it takes about as long as the Word and PDF documents together (a third process for three
    formats on two cores was slower, docs/benchmarks.md).
    """
    if jobs < 2 or len(formats) < 2 or not _can_fork():
        return {}
    children: dict[str, _Child] = {}
    with _frozen_for_fork():
        for name in formats[len(formats) - min(jobs - 1, len(formats) - 1) :]:
            try:
                children[name] = _Child(name)
            except OSError:  # no more processes or memory: render here what is not forked yet
                break
    return children


@contextlib.contextmanager
def _frozen_for_fork() -> Iterator[None]:
    """Fork inside this: every object alive now is kept out of the garbage collector's sight in the
    children, which inherit them for their whole life (modules, the theme, the event) and would otherwise
    copy every page those sit on to scan them (about 3% of a small build, benchmarks/). This process
    collects them again afterwards, so a long-lived caller of build() frees what it drops."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _can_fork() -> bool:
    """Fork only where it is the platform's normal way (Linux) and no other thread could hold a lock."""
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


class _Child:
    """One format rendered in a forked copy of this process.

    It is forked before the event is known and imports its renderer straight away; start() hands it the
    event and the options (pickled into an in-memory file, so the parent never waits on a full pipe), and
    collect() takes back the document, the error or the warnings, pickled through a pipe.
    """

    def __init__(self, name: str) -> None:
        """Fork the child; raises OSError (and leaves nothing open) when the system refuses."""
        self.name = name
        descriptors: list[int] = []
        try:
            self.payload = os.memfd_create(f"reportgen-{name}")
            descriptors.append(self.payload)
            go_read, self.go = os.pipe()
            descriptors += (go_read, self.go)
            read, write = os.pipe()
            descriptors += (read, write)
            self.pid = os.fork()
        except OSError:
            for descriptor in descriptors:
                os.close(descriptor)
            raise
        if self.pid == 0:  # the child: render, send, and leave without running the parent's clean-up
            os.close(read)
            os.close(self.go)
            try:
                self._serve(go_read, write)
            finally:
                os._exit(0)
        os.close(go_read)
        os.close(write)
        self.pipe = read

    def _serve(self, go: int, pipe: int) -> None:
        import pickle

        own = Reporter()
        try:
            renderer = renderers.get(self.name)  # while the parent is still loading the source
            with os.fdopen(go, "rb") as signal:
                size = signal.read(8)
            if len(size) < 8:
                return  # the parent gave up before sending an event: nothing to do
            event, options = pickle.loads(os.pread(self.payload, int.from_bytes(size, "little"), 0))
            payload: tuple[object, ...] = (renderer.render(event, options, own), None, own.warnings)
        except BaseException as error:  # reported by the parent, as if raised there
            payload = (None, error, own.warnings)
        try:
            blob = pickle.dumps(payload)
        except Exception as unpicklable:  # an exception that cannot be pickled: keep its name and message
            failure = RuntimeError(f"{type(payload[1]).__name__}: {payload[1] or unpicklable}")
            blob = pickle.dumps((None, failure, own.warnings))
        with os.fdopen(pipe, "wb") as out:
            out.write(blob)

    def start(self, event: Event, options: RenderOptions) -> None:
        """Give the child the event to render; it begins as soon as its renderer is imported."""
        import pickle

        blob = pickle.dumps((event, options), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(blob)
        while view:
            view = view[os.pwrite(self.payload, view, len(blob) - len(view)) :]
        os.write(self.go, len(blob).to_bytes(8, "little"))

    def collect(self, abandon: bool = False) -> tuple[bytes | None, BaseException | None, list[str]]:
        """Wait for the child and return (document, error, warnings); with `abandon`, stop it first."""
        import pickle
        import signal

        if abandon:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        os.close(self.go)
        os.close(self.payload)
        with os.fdopen(self.pipe, "rb") as pipe:
            blob = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if abandon:
            return None, None, []
        if not blob:
            return None, RuntimeError(f"the process rendering {self.name} ended ({_describe_status(status)})"), []
        data, error, warnings = pickle.loads(blob)
        return data, error, warnings


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


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


def outputs_of(target: Target, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """The files a target writes, in format order."""
    return [out_dir / (target.stem + renderers.suffix(name)) for name in formats]


def resolve_theme(spec: str | None, event: Event, source: str) -> Theme | None:
    """The theme a target uses: `spec` (--theme, relative to the working folder) if given, else the
    source's `theme:` (relative to the source's folder); None means the options' theme."""
    if spec:
        return cached_theme(spec, None)
    if event.theme:
        base = Path.cwd() if source == STDIN else Path(source).resolve().parent
        return cached_theme(event.theme, base)
    return None


@functools.lru_cache(maxsize=64)
def cached_theme(spec: str, base: Path | None) -> Theme:
    """load_theme, once per process for each theme (themes are immutable once loaded)."""
    return load_theme(spec, base)


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
        event = read_target(target)
        if options.build_time is None:
            options = replace(options, build_time=source_time(target.source))
        chosen = resolve_theme(theme, event, target.source)
        if chosen is not None:
            options = replace(options, theme=chosen)
            result.theme = [str(chosen.folder), theme_digest(chosen)]
        for warning in options.theme.warnings():
            report.warning(warning)
        started_children, children = children, {}  # render_all collects them from here on
        documents = render_all(event, formats, options, report, children=started_children)
        if options.strict and report.warnings:
            raise StrictModeFailure([f"{target.label}: {w}" for w in report.warnings])
        for path, data in zip(outputs_of(target, out_dir, formats), documents.values(), strict=True):
            try:
                write_atomically(path, data)
            except OSError as error:
                raise OutputError(f"{path}: cannot be written: {error.strerror or error}") from None
            result.outputs.append(path)
    except SourceInvalid as invalid:
        result.errors.extend(str(d) for d in invalid.diagnostics)
    except ReportgenError as error:
        result.errors.append(f"{target.label}: {error}")
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


# -- incremental builds ---------------------------------------------------------------------------------


def theme_digest(theme: Theme) -> str:
    """A digest of a theme's settings and files, and of the font files installed on this machine."""
    from .text.fonts import installed_fonts_digest

    return hashlib.sha256(f"{theme.fingerprint()}\0{installed_fonts_digest()}".encode()).hexdigest()


def _settings_digest(formats: Sequence[str], options: RenderOptions, theme: str | None) -> str:
    """Everything besides the source that affects the outputs: version, formats, options, theme, fonts."""
    settings = {
        "version": __version__,
        "formats": list(formats),
        "options": [options.page_size, options.strict, str(options.build_time)],
        "theme": theme_digest(cached_theme(theme, None) if theme else options.theme),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def _fingerprint(target: Target, settings: str) -> str | None:
    """What a target's outputs were built from; None when it cannot be known (standard input)."""
    if target.text is not None or target.source == STDIN:
        return None
    try:
        stat = Path(target.source).stat()
        data = Path(target.source).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data)
    digest.update(json.dumps([settings, list(target.only), int(stat.st_mtime)]).encode())
    return digest.hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


class Manifest:
    """The record in the output folder of what each target was last built from and what it wrote."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        try:
            entries = json.loads(self.path.read_text())["targets"]
            self.entries: dict[str, dict[str, object]] = entries if isinstance(entries, dict) else {}
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}
        self.changed = False

    def is_current(self, target: Target, fingerprint: str | None, outputs: list[Path]) -> bool:
        """True when the target's outputs exist unchanged and were built from the same inputs."""
        entry = self.entries.get(target.stem)
        if fingerprint is None or not entry or entry.get("fingerprint") != fingerprint:
            return False
        stamps = entry.get("outputs", {})
        if not (isinstance(stamps, dict) and all(stamps.get(p.name) == _stamp(p) for p in outputs)):
            return False
        recorded = entry.get("theme")  # the source's own `theme:`, whose files may have changed since
        if isinstance(recorded, list) and len(recorded) == 2:
            try:
                return bool(theme_digest(cached_theme(str(recorded[0]), None)) == recorded[1])
            except ReportgenError:
                return False
        return True

    def record(self, result: Result, fingerprint: str | None) -> None:
        """Remember a successful build; forget a failed one so it is retried."""
        if result.status == "built" and fingerprint is not None:
            outputs = {p.name: _stamp(p) for p in result.outputs}
            self.entries[result.target.stem] = {"fingerprint": fingerprint, "outputs": outputs, "theme": result.theme}
            self.changed = True
        elif result.status == "failed" and self.entries.pop(result.target.stem, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the manifest atomically (sorted, so it diffs well) if anything changed."""
        if not self.changed:
            return
        data = json.dumps({"version": 1, "targets": self.entries}, indent=1, sort_keys=True).encode()
        write_atomically(self.path, data + b"\n")


# -- the batch ------------------------------------------------------------------------------------------


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
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in out_dir.glob(".*.tmp"):  # left by a build that was killed mid-write
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:  # younger ones may belong to a build running now
                leftover.unlink()


def build(
    sources: Iterable[str] | Sequence[Target],
    out_dir: Path,
    formats: Sequence[str] = tuple(renderers.available()),
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
            from concurrent.futures import ProcessPoolExecutor

            with _frozen_for_fork(), ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
                futures = [
                    (i, fp, pool.submit(build_target, t, out_dir, formats, options, theme)) for i, t, fp in pending
                ]
                for index, fingerprint, future in futures:
                    finish(index, future.result(), fingerprint)
        else:
            # One target: its formats render at once (build_target forks them); several: one after the other
            # (jobs is 1).
            for index, target, fingerprint in pending:
                finish(index, build_target(target, out_dir, formats, options, theme, jobs), fingerprint)
    finally:
        manifest.save()
    report.results = [r for r in slots if r is not None]
    return report


def validate(sources: Iterable[str], strict: bool = False, theme: str | None = None) -> dict[str, list[str]]:
    """Check every source (and the theme it uses); source -> its problems, [] when valid.

    With `strict`, each source is also rendered in memory in every format, and any warning (a session
    split over slides, a fallback font, low contrast) counts as a problem: what `build --strict` would refuse.
    """
    found: dict[str, list[str]] = {}
    for source in sources:
        problems: list[str] = []
        try:
            event = read_target(Target(source, stem_of(source), (), sys.stdin.read() if source == STDIN else None))
            chosen = resolve_theme(theme, event, source)
            if strict:
                report = Reporter()
                options = RenderOptions(theme=chosen) if chosen else RenderOptions()
                for warning in options.theme.warnings():
                    report.warning(warning)
                render_all(event, renderers.available(), options, report)
                problems.extend(f"{source}: warning: {w}" for w in report.warnings)
        except SourceInvalid as invalid:
            problems.extend(str(d) for d in invalid.diagnostics)
        except ReportgenError as error:
            problems.append(f"{source}: {error}")
        found[source] = problems
    return found
