"""The command line: a thin layer over build(); the only place exceptions become messages and exit codes.

Parsed with the standard library's argparse: a build pays for its command line before it can fork its format
processes, and argparse costs a third of what click did (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .errors import ExitCode, ReportgenError, Stopped
from .progress import Progress, check_writable, cores, print_json, write_json

if TYPE_CHECKING:
    from .building import Target
    from .model import Event
    from .options import RenderOptions

STDOUT = "-"  # as --json or import's --out: standard output
FORMATS = ("docx", "pdf", "pptx", "handout")  # kept in step with renderers.BUILTIN by a test; importing it is slower
DEFAULT_FORMATS = ("docx", "pdf", "pptx")  # kept in step with renderers.DEFAULTS by a test
IMPORT_KINDS = ("text", "markdown", "docx")  # kept in step with importer.KINDS by a test


def _echo(line: str, err: bool = False) -> None:
    print(line, file=sys.stderr if err else sys.stdout, flush=err)


def _fail(message: str, code: int = ExitCode.FAILED) -> NoReturn:
    _echo(message, err=True)
    sys.exit(code)


# -- option values: each checks its text, and a bad one is a usage error (exit 2) naming the option -------


def _formats(value: str) -> tuple[str, ...]:
    names = tuple(n.strip().lower() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or 'nothing'} (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(names))


class _AddFormats(argparse.Action):
    """-f may be given more than once and adds to the formats: `-f docx -f pdf` is `-f docx,pdf`, where
    argparse would keep the last one alone."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        before = getattr(namespace, self.dest)
        before = () if before is self.default else before  # the first -f replaces the default
        setattr(namespace, self.dest, tuple(dict.fromkeys((*before, *values))))


def _shard(value: str) -> tuple[int, int]:
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(k), int(n)


def _paper(value: str) -> str:
    for name in ("A4", "Letter"):
        if value.lower() == name.lower():
            return name
    raise argparse.ArgumentTypeError(f"{value!r} (choose from: A4, Letter)")


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _encoding(name: str) -> str:
    """Check an --encoding name; a usage error (exit 2) names an unknown one."""
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r} (e.g. utf-8, cp1252, latin-1)") from None


def _targets(args: argparse.Namespace) -> list[Target]:
    from .building import expand_sources, plan, shard
    from .building.editions import with_editions

    targets = plan(expand_sources(args.sources, args.exclude), only=args.only, split=bool(args.split))
    targets = with_editions(targets, args.languages)
    return shard(targets, *args.shard) if args.shard else targets


# -- the commands: each takes the parsed arguments ------------------------------------------------------


def build(args: argparse.Namespace) -> None:
    """Build documents from each SOURCE: files, folders (every *.yaml below) or globs; "-" reads stdin."""
    from .building import build as run_build
    from .options import RenderOptions

    options = RenderOptions(paper=args.paper, strict=args.strict, previous=_previous(args.since))
    targets = _targets(args)
    if args.json_path is not None and str(args.json_path) != STDOUT:
        check_writable(args.json_path)  # before the build, not after it
    for warning in _since_warnings(options, targets):
        _echo(f"warning: {warning}", err=True)
    progress = Progress(len(targets), quiet=args.quiet, verbose=args.verbose)
    try:
        report = run_build(
            targets,
            args.out_dir,
            args.formats,
            options,
            on_result=progress.show,
            jobs=args.jobs or cores(),
            force=args.force,
            theme=args.theme,
        )
    finally:
        progress.close()
    if not args.quiet:
        for warning in report.warnings:
            _echo(warning, err=True)
    for problem in report.errors:
        _echo(f"error: {problem}", err=True)
    unwritten = None
    if args.json_path is not None and str(args.json_path) == STDOUT:
        print_json(report)
    elif args.json_path is not None:
        unwritten = write_json(args.json_path, report)
    if unwritten:
        _echo(f"error: {unwritten}", err=True)
    failed = bool(report.failed or report.errors or unwritten)
    if not args.quiet or failed:
        _echo(report.summary(), err=True)
    if any(r.internal for r in report.failed):
        sys.exit(ExitCode.INTERNAL)
    if failed:
        sys.exit(ExitCode.FAILED)
    if args.check:
        _run_checks([path for result in report.results for path in result.outputs], as_json=False)


def _previous(since: str | None) -> Event | None:
    """The last meeting's source for --since, loaded (and checked) once for every target; None without it."""
    if since is None:
        return None
    from .loader import load_event

    return load_event(since)


def _since_warnings(options: RenderOptions, targets: Sequence[Target]) -> list[str]:
    """The actions --since cannot match (a text on several actions), said once per source, not per format."""
    if options.previous is None:
        return []
    from .building import read_target
    from .since import compare

    found: list[str] = []
    for target in targets:
        try:
            event = read_target(target)
        except ReportgenError:
            continue  # the build reports it
        found += compare(options.previous, event, options.timestamp.date()).warnings
    return list(dict.fromkeys(found))


def check(args: argparse.Namespace) -> None:
    """Check built .pdf, .docx and .pptx files for accessibility: PDF/UA-1, and rules for Word and PowerPoint.

    Each finding is FILE: PLACE: SEVERITY: RULE: hint, PLACE a page, slide or paragraph; exit 1 on errors."""
    _run_checks(args.files, as_json=args.as_json)


def _run_checks(paths: Sequence[Path], *, as_json: bool) -> None:
    from .check import check as run_check
    from .check import summary

    findings = run_check(paths)
    if as_json:
        import json

        _echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            _echo(str(finding))
        _echo(summary(len(paths), findings), err=any(f.severity == "error" for f in findings))
    if any(f.severity == "error" for f in findings):
        sys.exit(ExitCode.FAILED)


def watch(args: argparse.Namespace) -> None:
    """Build each SOURCE, then rebuild what changed whenever a source or its theme is saved; Ctrl-C stops."""
    from .options import RenderOptions
    from .watch import Watcher
    from .watch import watch as run_watch

    progress = Progress(0, quiet=args.quiet, verbose=args.verbose)
    watcher = Watcher(
        args.sources,
        args.out_dir,
        args.formats,
        RenderOptions(paper=args.paper, strict=args.strict),
        theme=args.theme,
        exclude=args.exclude,
        only=args.only,
        split=bool(args.split),
        jobs=args.jobs or cores(),
        on_result=progress.show,
        languages=args.languages,
    )

    def ready(roots: list[Path]) -> None:
        _echo(f"watching {', '.join(map(str, roots))} (Ctrl-C to stop)", err=True)

    try:
        run_watch(
            watcher,
            lambda report: _echo(report.summary(), err=True),
            lambda e: _echo(f"error: {e}", err=True),
            ready=ready,
        )
    except KeyboardInterrupt:
        _echo("stopped", err=True)


def merge_reports(args: argparse.Namespace) -> None:
    """Combine the --json reports of CI shards into one summary and exit code (1 when any target failed)."""
    import json

    from .building.reports import merge_reports as merge
    from .building.reports import summary_line

    merged = merge(args.reports)
    for target in merged["targets"]:
        for line in target.get("errors", []):
            _echo(str(line), err=True)
    for line in merged["duplicates"]:
        _echo(f"warning: built by two shards: {line}", err=True)
    if args.json_path is not None and str(args.json_path) == STDOUT:
        sys.stdout.write(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    elif args.json_path is not None:
        from .building import write_atomically

        write_atomically(args.json_path, json.dumps(merged, indent=2, ensure_ascii=False).encode() + b"\n")
    _echo(summary_line(merged), err=True)
    if merged["summary"]["failed"]:
        sys.exit(ExitCode.FAILED)


def validate(args: argparse.Namespace) -> None:
    """Check each SOURCE and list every problem as FILE:LINE:COL: path: message."""
    from .building import expand_sources
    from .building import validate as run_validate

    warnings: dict[str, list[str]] = {}
    sources = expand_sources(args.sources, args.exclude)
    results = run_validate(sources, strict=args.strict, theme=args.theme, warnings=warnings)
    for source, problems in results.items():
        for problem in problems:
            _echo(problem, err=True)
        for warning in warnings.get(source, []):  # the words build prints; only --strict makes them problems
            _echo(warning, err=True)
    if args.languages:
        for source in _incomplete_editions(sources, args.languages, args.strict):
            results[source] = [*results[source], "incomplete"]
    bad = sum(bool(p) for p in results.values())
    _echo(f"{len(results) - bad} valid, {bad} invalid", err=bool(bad))
    if bad:
        sys.exit(ExitCode.FAILED)


def _incomplete_editions(sources: Sequence[str], languages: Sequence[str], strict: bool) -> list[str]:
    """Print each edition's completeness (and, with `strict`, each untranslated text); return the sources
    whose editions cannot be read, or, with `strict`, are not complete."""
    from .building.editions import validate_editions

    failed = []
    for source, editions in validate_editions(sources, languages).items():
        for edition in editions:
            if isinstance(edition, str):
                _echo(edition, err=True)
                failed.append(source)
                continue
            _echo(f"{source}: {edition.completeness()}")
            if strict and edition.problems:
                for problem in edition.problems:
                    _echo(f"{problem}", err=True)
                failed.append(source)
    return list(dict.fromkeys(failed))


def translate(args: argparse.Namespace) -> None:
    """Create or update STEM.LANG.po beside each SOURCE for translators: new texts added, changed ones fuzzy."""
    from .editions.catalogue import is_language, update

    if not args.languages:
        _fail("error: translate needs the language to translate into: --language LANG, e.g. --language fr", 2)
    bad = [language for language in args.languages if not is_language(language)]
    if bad:
        _fail(f"error: --language {bad[0]!r}: give a language tag such as 'fr', 'ar' or 'pt-BR'", ExitCode.USAGE)
    for source in args.sources:
        for language in dict.fromkeys(args.languages):
            _echo(update(Path(source), language).summary(), err=True)


def list_sessions(args: argparse.Namespace) -> None:
    """Print the stable id, code and title of every session in SOURCE (ids for --only)."""
    from .building import STDIN, Target, read_target, stem_of

    source = args.source
    event = read_target(Target(source, stem_of(source), (), sys.stdin.read() if source == STDIN else None))
    for sid, (d, s) in event.session_ids().items():
        _echo(f"{sid}\t{event.days[d].title}\t{event.days[d].sessions[s].heading}")


def export_actions(args: argparse.Namespace) -> None:
    """Export the actions of SOURCE as CSV, JSON or iCalendar to-dos (stdout, or -o FILE)."""
    from .building import STDIN, Target, read_target, stem_of, write_atomically
    from .building.batch import source_time
    from .exports import export

    source = args.source
    event = read_target(Target(source, stem_of(source), (), sys.stdin.read() if source == STDIN else None))
    data = export(event, args.format, source_time(source))
    if args.out_path is None or str(args.out_path) == STDOUT:
        sys.stdout.buffer.write(data)
    else:
        write_atomically(args.out_path, data)


def plan_targets(args: argparse.Namespace) -> None:
    """List the targets a build would make, for an orchestrator of your own."""
    import json

    from .building import outputs_of

    rows = [
        {
            "source": t.source,
            "only": list(t.only),
            "outputs": [str(p) for p in outputs_of(t, args.out_dir, args.formats)],
        }
        for t in _targets(args)
    ]
    if args.as_json:
        _echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            _echo(f"{row['source']}\t{','.join(row['only'])}\t{' '.join(row['outputs'])}")


def import_notes(args: argparse.Namespace) -> None:
    """Turn NOTES (plain text, Markdown or .docx; "-" for stdin) into a commented reportgen source."""
    from .building import write_atomically
    from .importer import import_notes as run_import
    from .loader import MAX_SOURCE_BYTES

    notes, out_path = args.notes, args.out_path
    if out_path is not None and str(out_path) == STDOUT:
        out_path = None
    if out_path is not None and out_path.exists() and not args.force:
        _fail(f"error: {out_path} exists; use --force to overwrite it")
    from .safefile import Unreadable, read_regular

    try:  # notes are read as sources are: a FIFO cannot hang the import, nor /dev/zero fill memory
        data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1) if notes == "-" else read_regular(notes, MAX_SOURCE_BYTES)
    except Unreadable as why:
        _fail(f"error: {notes}: {why}")
    except OSError as error:
        _fail(f"error: {notes}: cannot be read: {error.strerror or error}")
    if len(data) > MAX_SOURCE_BYTES:
        _fail(f"error: {notes}: {len(data):,} bytes; notes are limited to {MAX_SOURCE_BYTES:,} bytes")
    result = run_import(data, "<stdin>" if notes == "-" else notes, args.kind, args.encoding)
    for problem in result.problems:
        _echo(problem, err=True)
    if out_path is None:
        sys.stdout.write(result.yaml)
    else:
        try:
            write_atomically(out_path, result.yaml.encode())
        except OSError as error:
            _fail(f"error: {out_path}: cannot be written: {error.strerror or error}")
    _echo(f"{notes}: imported {result.summary}", err=True)
    if result.problems and not args.lenient:
        sys.exit(ExitCode.FAILED)


def themes(_args: argparse.Namespace) -> None:
    """List the built-in themes."""
    from .theme import builtin_themes, load_theme

    for name in builtin_themes():
        _echo(f"{name}\t{load_theme(name).description or ''}")


def theme_init(args: argparse.Namespace) -> None:
    """Copy a built-in theme into FOLDER to start a theme of your own."""
    import shutil

    from .theme import THEME_FILE, find_theme

    folder, origin = args.folder, args.origin
    source = find_theme(origin).parent
    if folder.exists():
        _fail(f"error: {folder} already exists; choose a new folder")
    shutil.copytree(source, folder)
    text = (folder / THEME_FILE).read_text()
    (folder / THEME_FILE).write_text(text.replace(f"name: {origin}\n", f"name: {folder.name}\n", 1))
    _echo(f"created {folder / THEME_FILE} from the {origin!r} theme; build with --theme {folder}")


def schema(_args: argparse.Namespace) -> None:
    """Print the JSON Schema of the source format."""
    import json

    from .schema import json_schema

    document = json_schema()
    _echo(json.dumps(document, indent=2, ensure_ascii=False))


# -- the parser -----------------------------------------------------------------------------------------


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Callable[[argparse.Namespace], None],
) -> argparse.ArgumentParser:
    """A subcommand whose help is the first line of `run`'s docstring and whose description is all of it."""
    doc = run.__doc__ or ""
    parser = commands.add_parser(name, help=doc.split("\n")[0], description=doc)
    parser.set_defaults(run=run)
    return parser


def _sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help='A YAML file, a folder, a glob, or "-" for stdin.')
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="Leave out sources whose path or a folder on it matches GLOB, e.g. 'drafts' or '*.old.yaml'.",
    )


def _out_and_formats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--out",
        dest="out_dir",
        metavar="DIR",
        type=Path,
        default=Path("output"),
        help="Output folder (default: output).",
    )
    parser.add_argument(
        "-f",
        "--formats",
        type=_formats,
        action=_AddFormats,
        default=DEFAULT_FORMATS,
        help=f"Comma-separated formats ({', '.join(FORMATS)}), or the option again "
        f"(default: {','.join(DEFAULT_FORMATS)}).",
    )


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only", action="append", default=[], metavar="ID", help="Build only this session or day id (see `list`)."
    )
    parser.add_argument("--split", choices=["sessions"], help="One set of documents per session.")
    parser.add_argument("--shard", type=_shard, metavar="K/N", help="Build the K-th of N deterministic shares.")


def _language(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--language", dest="languages", action="append", default=[], metavar="LANG", help=what)


def parser() -> argparse.ArgumentParser:
    """The whole command line: `reportgen COMMAND ...`."""
    root = argparse.ArgumentParser(
        prog="reportgen",
        description="Turn one YAML source of key outcomes into a Word summary, a PDF brief and a PowerPoint deck.",
    )
    root.add_argument("--version", action="version", version=f"reportgen, version {__version__}")
    root.add_argument("--debug", action="store_true", help="Show tracebacks for internal errors.")
    commands = root.add_subparsers(title="commands", metavar="COMMAND", required=True)

    p = _command(commands, "build", build)
    _sources(p)
    _out_and_formats(p)
    p.add_argument(
        "--since",
        metavar="OLD",
        help="The last meeting's source: add what changed in the actions since then (done, new, moved, ...).",
    )
    p.add_argument(
        "--paper",
        type=_paper,
        metavar="{A4,Letter}",
        help="Page size (default: the theme's, A4 in the built-in themes).",
    )
    p.add_argument(
        "--strict", action="store_true", help="Treat warnings as errors: the source fails, nothing is written."
    )
    p.add_argument(
        "-t", "--theme", metavar="NAME|PATH", help="A built-in theme or a theme folder (overrides `theme:`)."
    )
    _selection(p)
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="Worker processes (default: number of cores).")
    p.add_argument("--force", action="store_true", help="Rebuild even what is up to date.")
    p.add_argument(
        "--json",
        dest="json_path",
        type=Path,
        metavar="FILE",
        help='Write a machine-readable report here ("-": stdout).',
    )
    p.add_argument("-q", "--quiet", action="store_true", help="Print errors only.")
    p.add_argument("-v", "--verbose", action="store_true", help="Print timings for each target.")
    p.add_argument("--check", action="store_true", help="Check what was built for accessibility (see `check`).")
    _language(p, "Build the edition in LANG (from STEM.LANG.po), or 'all': the source's and every PO's.")

    p = _command(commands, "watch", watch)
    _sources(p)
    _out_and_formats(p)
    p.add_argument("--paper", type=_paper, metavar="{A4,Letter}", help="Page size (default: the theme's).")
    p.add_argument("--strict", action="store_true", help="Treat warnings as errors, as build --strict does.")
    p.add_argument("-t", "--theme", metavar="NAME|PATH", help="A built-in theme or a theme folder.")
    p.add_argument("--only", action="append", default=[], metavar="ID", help="Build only this session or day id.")
    p.add_argument("--split", choices=["sessions"], help="One set of documents per session.")
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="Worker processes (default: number of cores).")
    p.add_argument("-q", "--quiet", action="store_true", help="Print errors only.")
    p.add_argument("-v", "--verbose", action="store_true", help="Print timings for each target.")
    _language(p, "Build the edition in LANG too, or 'all' (see build).")

    p = _command(commands, "check", check)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="A built .pdf, .docx or .pptx file.")
    p.add_argument("--json", dest="as_json", action="store_true", help="Print the findings as JSON.")

    p = _command(commands, "validate", validate)
    _sources(p)
    p.add_argument("--strict", action="store_true", help="Also render in memory; any warning makes the source invalid.")
    p.add_argument("-t", "--theme", metavar="NAME|PATH", help="Check with this theme instead of the sources' own.")
    _language(p, "Report how complete the edition in LANG is, or 'all' (--strict: fail unless complete).")

    p = _command(commands, "translate", translate)
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="A YAML source file.")
    _language(p, "The language to translate into, e.g. fr; give it again for more.")

    p = _command(commands, "merge-reports", merge_reports)
    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT", help="A report written by build --json.")
    p.add_argument(
        "--json", dest="json_path", type=Path, metavar="FILE", help='Write the merged report here ("-": stdout).'
    )

    p = _command(commands, "list", list_sessions)
    p.add_argument("source", metavar="SOURCE")

    p = _command(commands, "actions", export_actions)
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--format", choices=("csv", "json", "ics"), default="csv", help="What to write (default: csv).")
    p.add_argument("-o", "--out", dest="out_path", type=Path, metavar="FILE", help='Write here ("-" or none: stdout).')

    p = _command(commands, "plan", plan_targets)
    _sources(p)
    _out_and_formats(p)
    _selection(p)
    _language(p, "Plan the edition in LANG too, or 'all' (see build).")
    p.add_argument("--json", dest="as_json", action="store_true", help="Print the targets as JSON.")

    p = _command(commands, "import", import_notes)
    p.add_argument("notes", metavar="NOTES")
    p.add_argument(
        "-o", "--out", dest="out_path", type=Path, metavar="FILE", help='Write the source here ("-" or none: stdout).'
    )
    p.add_argument("--kind", choices=IMPORT_KINDS, help="What NOTES is (default: guessed from its name).")
    p.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="The text's encoding when not UTF-8, e.g. cp1252 (default: UTF-8, or UTF-16 with a byte-order mark).",
    )
    p.add_argument("--lenient", action="store_true", help="Exit 0 even when some lines were not understood.")
    p.add_argument("--force", action="store_true", help="Overwrite an existing --out file.")

    _command(commands, "themes", themes)

    group = commands.add_parser("theme", help="Work with themes.", description="Work with themes.")
    theme_commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    p = _command(theme_commands, "init", theme_init)
    p.add_argument("folder", type=Path, metavar="FOLDER")
    p.add_argument(
        "--from", dest="origin", default="default", help="The built-in theme to start from (default: default)."
    )

    _command(commands, "schema", schema)
    return root


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning expected failures into messages and bugs into exit code 3.

    Usage errors exit 2 (ExitCode.USAGE) with argparse's message; `--help` and `--version` exit 0."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in arguments
    # A run allocates most of its objects importing the rendering libraries and building documents, and
    # keeps them; the default thresholds (700, 10, 10) scan them over and over for cycles. Collecting less
    # often saves about 3% of a small build (benchmarks/) and still collects every cycle.
    gc.set_threshold(50_000, 20, 100)
    try:
        args = parser().parse_args(arguments)
        args.run(args)
    except Stopped as stopped:
        _fail(str(stopped), stopped.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _closed_pipe()
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


def _closed_pipe() -> NoReturn:
    """The reader of standard output went away (`reportgen plan ... | head`): stop quietly, as a program
    killed by SIGPIPE would, with nothing more written and no complaint when Python flushes at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitCode.CLOSED_PIPE)


def run() -> None:
    """The `reportgen` program: main(), then leave what the run allocated to the operating system.

    At exit the interpreter would search the run's millions of objects (the rendering libraries, the documents)
    for reference cycles before freeing them, about 60 ms of a 0.3 s build (docs/benchmarks.md). Frozen, they
    are skipped; everything else about exit (atexit handlers, flushing the standard streams) is unchanged. Not
    in main(), which tests and other callers run in a process that lives on."""
    try:
        main()
        sys.stdout.flush()  # a pipe closed after our last line fails here, not in the interpreter's exit
    except BrokenPipeError:
        _closed_pipe()
    finally:
        gc.freeze()
