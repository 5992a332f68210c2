"""Errors, diagnostics and the warning reporter: the one vocabulary every module uses to say what went wrong."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar, NamedTuple


class ExitCode(IntEnum):
    """Exit statuses of the command line."""

    OK = 0
    FAILED = 1  # an invalid source or a failed render; details already printed
    USAGE = 2  # a bad command line (argparse's code)
    INTERNAL = 3  # a bug in reportgen
    INTERRUPTED = 130  # SIGINT: 128 + 2, as a shell reports it
    CLOSED_PIPE = 141  # the reader of our output went away (128 + SIGPIPE, as the shell reports a killed writer)
    TERMINATED = 143  # SIGTERM: 128 + 15


class Diagnostic(NamedTuple):
    """One located problem, printed like compiler output so editors and CI logs can jump to it."""

    file: str
    line: int
    column: int
    path: str  # "days[0].sessions[1].outcomes"; "" for the document as a whole
    message: str  # "must list at least one outcome"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def without_file(self) -> str:
        """Return the diagnostic as text without its file name (for tests that do not care where it lives)."""
        text = str(self)
        return text[len(self.file) + 1 :]


class ReportgenError(Exception):
    """An expected failure whose str() is the whole message for the user."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED


class SourceInvalid(ReportgenError):
    """A source (or theme) file that cannot be loaded; carries every problem found, sorted."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class UnknownFormat(ReportgenError):
    """An output format name that no renderer is registered under."""

    def __init__(self, name: str, choices: list[str]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(f"unknown format {name!r} (choose from: {', '.join(choices)})")


class RenderError(ReportgenError):
    """A renderer could not produce its document from a valid event (missing font, impossible layout).
    `text`, when given, is the source's text at fault, so the build can report it at its line and column."""

    def __init__(self, message: str, text: str | None = None) -> None:
        super().__init__(message)
        self.text = text


class OutputError(ReportgenError):
    """The output folder or file cannot be written."""


class StrictModeFailure(ReportgenError):
    """Warnings were reported while --strict was in force."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__("warnings are errors in strict mode:\n" + "\n".join(f"  {w}" for w in warnings))


class Stopped(BaseException):
    """A batch stopped by SIGTERM or SIGINT: its workers are stopped, their temporary files removed, the
    outputs finished before it kept. A BaseException, like KeyboardInterrupt, so no `except Exception` keeps
    a target going."""

    def __init__(self, signum: int) -> None:
        import signal

        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.name}; the outputs finished before it are kept")

    def __reduce__(self) -> tuple[type[Stopped], tuple[int]]:
        return Stopped, (self.signum,)  # pickled across processes by its signal, not by its message

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended: 143, 130."""
        return 128 + self.signum


class Reporter:
    """Collects the warnings renderers and the loader report; renderers never print, the CLI decides."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, message: str) -> None:
        """Record one warning (kept in order, duplicates dropped)."""
        if message not in self.warnings:
            self.warnings.append(message)
