"""Processes of a build: forked ones that each render one format of a target, the pool that builds targets at
once, and how a signal stops them all."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import renderers
from ..errors import Reporter, ReportgenError, Stopped
from ..model import Event
from ..options import RenderOptions
from . import files

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WORKER_GRACE_SECONDS = 3.0
"""How long a stopped worker has to remove its temporary files and leave before it is killed."""


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Within this, SIGTERM and SIGINT raise Stopped in this process (once: a second signal while it stops
    changes nothing), so that its workers are stopped and its temporary files removed by the code they
    unwind through. Only in the main thread, where Python runs signal handlers; elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        if not raised:
            raised.append(signum)
            raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _worker_started() -> None:
    """In each pool worker: SIGINT is left to the main process (a terminal's Ctrl-C reaches the whole group,
    and the main process then stops the workers); SIGTERM removes the worker's temporary files and ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)


def _worker_stopped(signum: int, _frame: object) -> None:
    files.remove_live_temporaries()
    os._exit(128 + signum)


@contextlib.contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes building targets; on any exception (Stopped, too), the workers are sent
    SIGTERM, given WORKER_GRACE_SECONDS to remove their temporary files, then killed, and all are reaped
    before the exception goes on: none is left running, adopted by init."""
    from concurrent.futures import ProcessPoolExecutor

    with _frozen_for_fork():  # the workers are forked at the first submit
        executor = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started)
        try:
            yield executor
        except BaseException:
            _stop(executor)
            raise
        executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    processes: list[Any] = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + WORKER_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    executor.shutdown(wait=False, cancel_futures=True)


def render_all(
    event: Event,
    formats: Sequence[str],
    options: RenderOptions,
    report: Reporter,
    children: dict[str, _Child] | None = None,
    check: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Render `event` in every format, in memory; raise the failure of the first format (in `formats`
    order) that fails, so nothing is written.

    Formats in `children` (see start_children) render at the same time in those forked processes, which
    are always collected; the others render here. Documents and warnings are the same as one after the
    other, in order. `check`, when given, runs here once the children have their event (it overlaps their
    work); an exception from it stops them and is raised.
    """
    children = children or {}
    outcomes: dict[str, tuple[bytes | None, BaseException | None, list[str]]] = {}
    failed = True  # until this process's formats are done: on any exception the children are stopped
    try:
        for child in children.values():
            child.start(event, options)
        if check is not None:
            check()
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
