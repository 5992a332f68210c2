"""Watch mode: a saved source is rebuilt in all three formats; a theme's change rereads it; Ctrl-C stops."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reportgen.options import RenderOptions
from reportgen.watch import Watcher

from .conftest import DATA, ROOT

pytest.importorskip("watchfiles")

SEED = DATA / "key-outcomes.yaml"
OUTPUTS = ("key-outcomes.docx", "key-outcomes.pdf", "key-outcomes.pptx")


class Lines:
    """A child process's stderr, line by line, read in a thread so that waiting can time out."""

    def __init__(self, stream: object) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"no {text!r} within {timeout} s; stderr so far: {''.join(self.seen)}")


def test_a_saved_source_is_rebuilt_in_all_three_formats_and_ctrl_c_stops(tmp_path: Path) -> None:
    source = tmp_path / "key-outcomes.yaml"
    shutil.copy(SEED, source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}
    command = [sys.executable, "-m", "reportgen", "watch", str(source), "-o", str(tmp_path / "out")]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env) as process:
        try:
            lines = Lines(process.stderr)
            lines.wait_for("watching")
            before = {name: (tmp_path / "out" / name).read_bytes() for name in OUTPUTS}
            source.write_text(source.read_text().replace("title: Day 1", "title: Day One", 1))
            lines.wait_for("1 built, 0 failed")
            after = {name: (tmp_path / "out" / name).read_bytes() for name in OUTPUTS}
            assert all(after[name] != before[name] for name in OUTPUTS)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 0
            lines.wait_for("stopped", timeout=5)
        finally:
            if process.poll() is None:
                process.kill()
    assert "Traceback" not in "".join(lines.seen)


def test_only_sources_and_themes_count_as_changes(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.yaml")
    (tmp_path / "notes.txt").write_text("x")
    watcher = Watcher([str(tmp_path)], tmp_path / "output", ["docx"], RenderOptions())
    assert watcher.relevant(str(tmp_path / "a.yaml")) == "source"
    assert watcher.relevant(str(tmp_path / "notes.txt")) is None
    assert watcher.relevant(str(tmp_path / "output" / "a.docx")) is None
    assert watcher.relevant(str(tmp_path / ".a.yaml.swp")) is None
    assert watcher.rebuild([str(tmp_path / "notes.txt")]) is None


def test_a_themes_change_rebuilds_with_the_theme_read_again(tmp_path: Path) -> None:
    from reportgen.cli import main

    main(["theme", "init", str(tmp_path / "acme")])
    source = tmp_path / "event.yaml"
    source.write_text(SEED.read_text() + "theme: acme\n")
    watcher = Watcher([str(source)], tmp_path / "out", ["docx"], RenderOptions(), jobs=1)
    assert watcher.build().count("built") == 1
    assert (tmp_path / "acme").resolve() in watcher.roots()
    theme_file = tmp_path / "acme" / "theme.yaml"
    assert watcher.rebuild([str(source)]) is not None  # the source did not change: the manifest skips it
    theme_file.write_text(theme_file.read_text().replace("#1B3A5C", "#AA0000"))
    report = watcher.rebuild([str(theme_file)])
    assert report is not None and report.count("built") == 1


def test_standard_input_cannot_be_watched(tmp_path: Path) -> None:
    from reportgen.errors import OutputError

    with pytest.raises(OutputError, match="standard input"):
        Watcher(["-"], tmp_path, ["docx"], RenderOptions())
