"""What a build shows while it runs and writes when it ends: the progress on the terminal, each target's
lines, and the --json report; for the command line."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .building import BuildReport, Result


def check_writable(path: Path) -> None:
    """Raise OutputError when a file of ours cannot be written at `path` (a folder there, no such folder)."""
    from .building.files import check_replaceable
    from .errors import OutputError

    check_replaceable(path)
    if not path.parent.is_dir():
        raise OutputError(f"{path}: cannot be written: the folder {path.parent} does not exist")


def print_json(report: BuildReport) -> None:
    """`--json -`: the report on standard output, which holds nothing else (progress goes to stderr)."""
    import json

    sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")


def write_json(path: Path, report: BuildReport) -> str | None:
    """Write the --json report; return why it could not be written, or None."""
    import json

    from .building import write_atomically
    from .errors import OutputError

    data = json.dumps(report.to_json(), indent=2, ensure_ascii=False).encode() + b"\n"
    try:
        check_writable(path)
        write_atomically(path, data)
    except OutputError as error:
        return str(error)
    except OSError as error:
        return f"{path}: cannot be written: {error.strerror or error}"
    return None


def cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class Progress:
    """A progress bar on an interactive terminal; plain lines when piped, under CI, or with -v."""

    def __init__(self, total: int, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.bar = None
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        if interactive and not quiet and not verbose and total > 1:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
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
                self._echo(f"{result.source}: {what}{timing}", err=True)
        if self.bar is not None:
            self.bar.advance(self.task)

    def _echo(self, line: str, err: bool = False) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr if err else sys.stdout, flush=err)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
