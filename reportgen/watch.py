"""Watch mode: build, then rebuild what changed whenever a source or its theme is saved, in one warm process.

The process keeps the rendering libraries imported, the fonts parsed and the themes read, so a rebuild costs
the rendering alone. The build's manifest decides what is out of date, exactly as `reportgen build` does;
a theme file's change rereads the themes. File events come from watchfiles (Rust's notify: inotify,
FSEvents, ReadDirectoryChangesW), debounced so that an editor's save is one rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError, ReportgenError

if TYPE_CHECKING:
    import threading

    from .building import BuildReport, Result, Target
    from .options import RenderOptions

DEBOUNCE_MS = 150
"""How long after the last file event a rebuild starts: one save is often several events."""

READY_MS = 300
"""How soon after the file watcher starts it reports that it runs (its first, empty, batch of changes)."""


class Watcher:
    """The sources, the theme folders their last build used, and a rebuild of whatever changed."""

    def __init__(
        self,
        arguments: Sequence[str],
        out_dir: Path,
        formats: Sequence[str],
        options: RenderOptions,
        *,
        theme: str | None = None,
        exclude: Sequence[str] = (),
        only: Sequence[str] = (),
        split: bool = False,
        jobs: int = 1,
        on_result: Callable[[Result], None] | None = None,
        languages: Sequence[str] = (),
    ) -> None:
        if "-" in arguments:
            raise OutputError("watch reads files: standard input ('-') cannot be watched")
        self.arguments, self.out_dir, self.formats, self.options = list(arguments), out_dir, formats, options
        self.theme, self.exclude, self.only, self.split, self.jobs = theme, exclude, only, split, jobs
        self.on_result = on_result
        self.languages = languages  # editions to build too (build --language); their PO files are watched
        self.theme_folders: set[Path] = set()

    def targets(self) -> list[Target]:
        """The targets now: a folder's new sources join, removed ones leave."""
        from .building import expand_sources, plan
        from .building.editions import with_editions

        targets = plan(expand_sources(self.arguments, self.exclude), only=self.only, split=self.split)
        return with_editions(targets, self.languages)

    def build(self, force: bool = False, jobs: int | None = None) -> BuildReport:
        """Build what is out of date (everything with `force`), and note the theme folders used."""
        from .building import build
        from .theme import find_theme

        report = build(
            self.targets(),
            self.out_dir,
            self.formats,
            self.options,
            on_result=self.on_result,
            jobs=self.jobs if jobs is None else jobs,
            force=force,
            theme=self.theme,
        )
        folders = {Path(r.theme[0]) for r in report.results if r.theme}
        if self.theme:
            folders.add(find_theme(self.theme).parent)
        if self.options.theme.folder is not None:
            folders.add(self.options.theme.folder)
        # Added to, never replaced: an up-to-date target's result does not say which theme it was built with.
        self.theme_folders |= {f.resolve() for f in folders}
        return report

    def roots(self) -> list[Path]:
        """The folders to watch: each source's folder (an editor saves by replacing the file), each theme's."""
        roots = {(Path(a) if Path(a).is_dir() else Path(a).parent).resolve() for a in self.arguments}
        return sorted(roots | self.theme_folders)

    def relevant(self, path: str) -> str | None:
        """ "source" or "theme" for a changed file that matters, None for any other (the outputs, say)."""
        changed = Path(path).resolve()
        if any(changed.is_relative_to(f) for f in self.theme_folders):
            return "theme"
        out = self.out_dir.resolve()
        if changed.is_relative_to(out) or changed.name.startswith("."):
            return None
        if changed.suffix.lower() == ".po":  # a translation: the manifest tells which edition it rebuilds
            return "source" if self.languages else None
        for argument in self.arguments:
            given = Path(argument).resolve()
            if changed == given or (given.is_dir() and changed.is_relative_to(given)):
                return "source" if changed.suffix.lower() in (".yaml", ".yml") else None
            if not given.exists() and changed.match(argument):  # a glob
                return "source"
        return None

    def rebuild_if_stale(self) -> BuildReport | None:
        """Build what changed since the last build, or nothing (None): the manifest knows what is current."""
        from .building import outputs_of
        from .building.manifest import Manifest, _fingerprint, _settings_digest

        targets = self.targets()
        manifest = Manifest(self.out_dir)
        settings = _settings_digest(self.formats, self.options, self.theme)
        if all(
            manifest.is_current(t, _fingerprint(t, settings), outputs_of(t, self.out_dir, self.formats))
            for t in targets
        ):
            return None
        return self.build()

    def rebuild(self, changed: Iterable[str]) -> BuildReport | None:
        """Rebuild after `changed` files: None when none of them matters. A theme's change rereads the
        themes and rebuilds every target (the manifest would too; this skips its question per target)."""
        from .building import cached_theme

        kinds = [kind for kind in map(self.relevant, changed) if kind is not None]
        if not kinds:
            return None
        if "theme" in kinds:
            cached_theme.cache_clear()
        # One saved source renders here, format after format: in a warm process that is about twice as fast
        # as forking a process per format (benchmarks/watch.py), whose copy of a large heap costs more.
        single = kinds == ["source"]
        return self.build(force="theme" in kinds, jobs=1 if single else None)


def watch(
    watcher: Watcher,
    on_report: Callable[[BuildReport], None],
    on_error: Callable[[str], None],
    stop_event: threading.Event | None = None,
    ready: Callable[[list[Path]], None] | None = None,
) -> None:
    """Build, then rebuild on every relevant change until `stop_event` is set; KeyboardInterrupt (Ctrl-C)
    ends it too and is raised. A bad source is reported in its build's report and watched on; a build
    that cannot start (a source deleted, the output folder unusable) goes to `on_error`, and the watch
    goes on until it is fixed."""
    from watchfiles import watch as file_changes

    def attempt(run: Callable[[], BuildReport | None]) -> None:
        try:
            report = run()
        except ReportgenError as error:
            on_error(str(error))
            return
        if report is not None:
            on_report(report)

    attempt(watcher.build)
    while stop_event is None or not stop_event.is_set():
        roots = [r for r in watcher.roots() if r.exists()]
        watching = False
        for changes in file_changes(
            *roots,
            debounce=DEBOUNCE_MS,
            stop_event=stop_event,
            raise_interrupt=True,
            yield_on_timeout=True,
            rust_timeout=READY_MS,
        ):
            if not watching:
                # The watcher runs now: catch up with a save made before it did (the manifest knows), and say so.
                watching = True
                attempt(watcher.rebuild_if_stale)
                if ready is not None:
                    ready(roots)
            if changes:
                paths = [path for _, path in changes]
                attempt(lambda: watcher.rebuild(paths))  # noqa: B023 - called at once, in this iteration
            if [r for r in watcher.roots() if r.exists()] != roots:  # a source uses another theme now
                break
