"""The command line: a thin layer over build(); the only place exceptions become messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .errors import ExitCode, ReportgenError

if TYPE_CHECKING:
    from .build import SourceResult

FORMATS = ("docx", "pdf", "pptx")  # kept in step with renderers.BUILTIN by a test; importing it is slower


def _fail(message: str, code: ExitCode = ExitCode.FAILED) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(n.strip().lower() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'} (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(names))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportgen")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn one YAML source of key outcomes into a Word summary, a PDF brief and a PowerPoint deck."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o", "--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path), help="Output folder."
)
@click.option(
    "-f", "--formats", default=",".join(FORMATS), show_default=True, callback=_formats, help="Comma-separated formats."
)
@click.option("--paper", type=click.Choice(["A4", "Letter"], case_sensitive=False), help="Page size (default: A4).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: the source fails and nothing is written.")
def build(sources: tuple[str, ...], out_dir: Path, formats: tuple[str, ...], paper: str | None, strict: bool) -> None:
    """Build documents from each SOURCE ("-" reads standard input) into the output folder."""
    from .build import build as run_build
    from .options import RenderOptions

    options = RenderOptions(paper={"a4": "A4", "letter": "Letter"}[paper.lower()] if paper else None, strict=strict)

    def show(result: SourceResult) -> None:
        for line in result.warnings:
            click.echo(line, err=True)
        for line in result.errors:
            click.echo(line, err=True)
        if result.ok:
            click.echo(f"{result.source}: wrote {', '.join(str(p) for p in result.outputs)}")
        else:
            click.echo(f"{result.source}: failed; nothing written", err=True)

    report = run_build(sources, out_dir, formats, options, on_result=show)
    click.echo(report.summary(), err=bool(report.failed))
    if any(r.internal for r in report.failed):
        sys.exit(ExitCode.INTERNAL)
    if report.failed:
        sys.exit(ExitCode.FAILED)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
def validate(sources: tuple[str, ...]) -> None:
    """Check each SOURCE and list every problem as FILE:LINE:COL: path: message."""
    from .build import validate as run_validate

    problems = run_validate(sources)
    for problem in problems:
        click.echo(str(problem), err=True)
    bad = len({p.file for p in problems})
    click.echo(f"{len(sources) - bad} valid, {bad} invalid", err=bool(bad))
    if bad:
        sys.exit(ExitCode.FAILED)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the source format."""
    import json

    from .model import Event

    document = Event.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "reportgen source"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def main() -> None:
    """Entry point: run the CLI, turning expected failures into messages and bugs into exit code 3."""
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as usage:
        usage.show()
        sys.exit(ExitCode.USAGE)
    except click.exceptions.Abort:
        _fail("interrupted", ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
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
