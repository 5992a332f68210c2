"""The command line: a thin layer over build(); the only place exceptions become messages and exit codes."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .errors import ExitCode, ReportgenError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .build import BuildReport, Result, Target

FORMATS = ("docx", "pdf", "pptx")  # kept in step with renderers.BUILTIN by a test; importing it is slower
IMPORT_KINDS = ("text", "markdown", "docx")  # kept in step with importer.KINDS by a test


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(n.strip().lower() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'} (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(names))


def _shard(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(k), int(n)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def cli(debug: bool) -> None:
    """Turn one YAML source of key outcomes into a Word summary, a PDF brief and a PowerPoint deck."""


def _targets(
    sources: tuple[str, ...], only: tuple[str, ...], split: bool, shard: tuple[int, int] | None
) -> list[Target]:
    from .build import expand_sources, plan
    from .build import shard as take_shard

    targets = plan(expand_sources(sources), only=only, split=split)
    return take_shard(targets, *shard) if shard else targets


_SELECTION = [
    click.option("--only", multiple=True, metavar="ID", help="Build only this session or day id (see `list`)."),
    click.option("--split", type=click.Choice(["sessions"]), help="One set of documents per session."),
    click.option("--shard", callback=_shard, metavar="K/N", help="Build the K-th of N deterministic shares."),
]


def _selection(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_SELECTION):
        function = option(function)
    return function


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="output",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Output folder.",
)
@click.option(
    "-f",
    "--formats",
    default=",".join(FORMATS),
    show_default=True,
    callback=_formats,
    help="Comma-separated formats.",
)
@click.option("--paper", type=click.Choice(["A4", "Letter"], case_sensitive=False), help="Page size (default: A4).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: the source fails and nothing is written.")
@click.option("-t", "--theme", metavar="NAME|PATH", help="A built-in theme or a theme folder (overrides `theme:`).")
@_selection
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: number of cores).")
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write a machine-readable report here.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print timings for each target.")
def build(
    sources: tuple[str, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    paper: str | None,
    strict: bool,
    theme: str | None,
    only: tuple[str, ...],
    split: str | None,
    shard: tuple[int, int] | None,
    jobs: int | None,
    force: bool,
    json_path: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build documents from each SOURCE: files, folders (every *.yaml below) or globs; "-" reads stdin."""
    from .build import build as run_build
    from .options import RenderOptions

    options = RenderOptions(paper={"a4": "A4", "letter": "Letter"}[paper.lower()] if paper else None, strict=strict)
    targets = _targets(sources, only, bool(split), shard)
    progress = _Progress(len(targets), quiet=quiet, verbose=verbose)
    try:
        report = run_build(
            targets,
            out_dir,
            formats,
            options,
            on_result=progress.show,
            jobs=jobs or _cores(),
            force=force,
            theme=theme,
        )
    finally:
        progress.close()
    if json_path is not None:
        _write_json(json_path, report)
    if not quiet or report.failed:
        click.echo(report.summary(), err=bool(report.failed))
    if any(r.internal for r in report.failed):
        sys.exit(ExitCode.INTERNAL)
    if report.failed:
        sys.exit(ExitCode.FAILED)


def _write_json(path: Path, report: BuildReport) -> None:
    import json

    from .build import write_atomically

    write_atomically(path, json.dumps(report.to_json(), indent=2, ensure_ascii=False).encode() + b"\n")


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class _Progress:
    """A progress bar on an interactive terminal; plain lines when piped, under CI, or with -v."""

    def __init__(self, total: int, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.bar = None
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        if interactive and not quiet and not verbose and total > 1:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("building", total=total)

    def show(self, result: Result) -> None:
        for line in result.errors:
            self._echo(line, err=True)
        if not result.ok:
            kept = f"; previous outputs kept: {', '.join(map(str, result.stale))}" if result.stale else ""
            self._echo(f"{result.source}: failed; nothing written{kept}", err=True)
        if not self.quiet:
            for line in result.warnings:
                self._echo(line, err=True)
            if result.ok and (self.bar is None or self.verbose):
                timing = f" ({result.seconds:.2f} s)" if self.verbose else ""
                what = "up to date" if result.status == "up to date" else "wrote " + ", ".join(map(str, result.outputs))
                self._echo(f"{result.source}: {what}{timing}")
        if self.bar is not None:
            self.bar.advance(self.task)

    def _echo(self, line: str, err: bool = False) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=err)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Also render in memory; any warning makes the source invalid.")
@click.option("-t", "--theme", metavar="NAME|PATH", help="Check with this theme instead of the sources' own.")
def validate(sources: tuple[str, ...], strict: bool, theme: str | None) -> None:
    """Check each SOURCE and list every problem as FILE:LINE:COL: path: message."""
    from .build import expand_sources
    from .build import validate as run_validate

    results = run_validate(expand_sources(sources), strict=strict, theme=theme)
    for problems in results.values():
        for problem in problems:
            click.echo(problem, err=True)
    bad = sum(bool(p) for p in results.values())
    click.echo(f"{len(results) - bad} valid, {bad} invalid", err=bool(bad))
    if bad:
        sys.exit(ExitCode.FAILED)


@cli.command("list")
@click.argument("source")
def list_sessions(source: str) -> None:
    """Print the stable id, code and title of every session in SOURCE (ids for --only)."""
    from .build import STDIN, Target, read_target, stem_of

    event = read_target(Target(source, stem_of(source), (), sys.stdin.read() if source == STDIN else None))
    for sid, (d, s) in event.session_ids().items():
        click.echo(f"{sid}\t{event.days[d].title}\t{event.days[d].sessions[s].heading}")


@cli.command("plan")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path))
@click.option("-f", "--formats", default=",".join(FORMATS), show_default=True, callback=_formats)
@_selection
@click.option("--json", "as_json", is_flag=True, help="Print the targets as JSON.")
def plan_targets(
    sources: tuple[str, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    only: tuple[str, ...],
    split: str | None,
    shard: tuple[int, int] | None,
    as_json: bool,
) -> None:
    """List the targets a build would make, for an orchestrator of your own."""
    import json

    from .build import outputs_of

    targets = _targets(sources, only, bool(split), shard)
    rows = [
        {
            "source": t.source,
            "only": list(t.only),
            "outputs": [str(p) for p in outputs_of(t, out_dir, formats)],
        }
        for t in targets
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            click.echo(f"{row['source']}\t{','.join(row['only'])}\t{' '.join(row['outputs'])}")


@cli.command("import")
@click.argument("notes")
@click.option(
    "-o",
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    help="Write the source here (default: stdout).",
)
@click.option("--kind", type=click.Choice(IMPORT_KINDS), help="What NOTES is (default: guessed from its name).")
@click.option(
    "--encoding",
    metavar="NAME",
    callback=lambda _ctx, _param, value: _encoding(value),
    help="The text's encoding when not UTF-8, e.g. cp1252 (default: UTF-8, or UTF-16 with a byte-order mark).",
)
@click.option("--lenient", is_flag=True, help="Exit 0 even when some lines were not understood.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
def import_notes(
    notes: str, out_path: Path | None, kind: str | None, encoding: str | None, lenient: bool, force: bool
) -> None:
    """Turn NOTES (plain text, Markdown or .docx; "-" for stdin) into a commented reportgen source."""
    from .build import write_atomically
    from .importer import import_notes as run_import
    from .loader import MAX_SOURCE_BYTES

    if out_path is not None and out_path.exists() and not force:
        _fail(f"error: {out_path} exists; use --force to overwrite it")
    try:
        data = sys.stdin.buffer.read() if notes == "-" else Path(notes).read_bytes()
    except OSError as error:
        _fail(f"error: {notes}: cannot be read: {error.strerror or error}")
    if len(data) > MAX_SOURCE_BYTES:
        _fail(f"error: {notes}: {len(data):,} bytes; notes are limited to {MAX_SOURCE_BYTES:,} bytes")
    result = run_import(data, "<stdin>" if notes == "-" else notes, kind, encoding)
    for problem in result.problems:
        click.echo(problem, err=True)
    if out_path is None:
        click.echo(result.yaml, nl=False)
    else:
        write_atomically(out_path, result.yaml.encode())
    click.echo(f"{notes}: imported {result.summary}", err=True)
    if result.problems and not lenient:
        sys.exit(ExitCode.FAILED)


def _encoding(name: str | None) -> str | None:
    """Check an --encoding name; a usage error (exit 2) names an unknown one."""
    if name is None:
        return None
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise click.BadParameter(f"unknown encoding {name!r} (e.g. utf-8, cp1252, latin-1)") from None


@cli.command()
def themes() -> None:
    """List the built-in themes."""
    from .theme import builtin_themes, load_theme

    for name in builtin_themes():
        click.echo(f"{name}\t{load_theme(name).description or ''}")


@cli.group("theme")
def theme_group() -> None:
    """Work with themes."""


@theme_group.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--from", "origin", default="default", show_default=True, help="The built-in theme to start from.")
def theme_init(folder: Path, origin: str) -> None:
    """Copy a built-in theme into FOLDER to start a theme of your own."""
    import shutil

    from .theme import THEME_FILE, find_theme

    source = find_theme(origin).parent
    if folder.exists():
        _fail(f"error: {folder} already exists; choose a new folder")
    shutil.copytree(source, folder)
    text = (folder / THEME_FILE).read_text()
    (folder / THEME_FILE).write_text(text.replace(f"name: {origin}\n", f"name: {folder.name}\n", 1))
    click.echo(f"created {folder / THEME_FILE} from the {origin!r} theme; build with --theme {folder}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the source format."""
    import json

    from .loader import json_schema
    from .model import Event

    document = json_schema(Event)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "reportgen source"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def main() -> None:
    """Entry point: run the CLI, turning expected failures into messages and bugs into exit code 3."""
    debug = "--debug" in sys.argv
    # A run allocates most of its objects importing the rendering libraries and building documents, and
    # keeps them; the default thresholds (700, 10, 10) scan them over and over for cycles. Collecting less
    # often saves about 3% of a small build (benchmarks/) and still collects every cycle.
    gc.set_threshold(50_000, 20, 100)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as usage:
        usage.show()
        sys.exit(ExitCode.USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _fail("interrupted", ExitCode.INTERRUPTED)
    except ReportgenError as error:
        _fail(f"error: {error}", error.exit_code)
    except Exception as bug:
        if debug:
            raise
        _fail(
            f"internal error: {type(bug).__name__}: {bug}\n"
            "This is a bug in reportgen; run again with --debug for the traceback and report it.",
            ExitCode.INTERNAL,
        )
