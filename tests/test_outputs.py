"""Outputs survive hostile conditions: a killed build, a full disk, and two builds of one target at once."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.building import STALE_TEMP_SECONDS, build, files, prepare_output_dir, write_atomically
from reportgen.errors import OutputError

from .conftest import DATA, ROOT, visible

SEED = DATA / "key-outcomes.yaml"


def test_a_build_killed_mid_write_leaves_the_old_file_and_its_temporary_is_cleaned_later(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old and good")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "from pathlib import Path\n"
            "from reportgen.building import write_atomically\n"
            "os.fsync = lambda fd: time.sleep(60)  # a slow disk: the data is written, not yet renamed\n"
            f"write_atomically(Path({str(target)!r}), b'new' * 100_000)\n",
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while not [p for p in tmp_path.glob(".reportgen-*.tmp") if p.stat().st_size == 300_000]:
            assert time.monotonic() < deadline, "the child never wrote its temporary file"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert target.read_bytes() == b"old and good"
    (leftover,) = tmp_path.glob(".reportgen-*.tmp")
    prepare_output_dir(tmp_path)  # a young temporary may belong to a build running now: kept
    assert leftover.exists()
    old = time.time() - STALE_TEMP_SECONDS - 10
    os.utime(leftover, (old, old))
    prepare_output_dir(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


class _FullDisk:
    """A file that accepts `room` bytes and then fails as a full disk does."""

    def __init__(self, handle: object, room: int) -> None:
        self.handle, self.room = handle, room

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # type: ignore[attr-defined]

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.handle.write(data)  # type: ignore[attr-defined,no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.handle, name)


def test_a_full_disk_mid_build_keeps_the_previous_outputs_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "seed.yaml"
    shutil.copy(SEED, source)
    out = tmp_path / "out"
    build([str(source)], out, ["docx", "pdf"])
    before = {name: (out / name).read_bytes() for name in visible(out)}
    real_fdopen = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: _FullDisk(real_fdopen(fd, mode), 1000))
    source.write_text(source.read_text().replace("Day 2", "Day Two"))
    report = build([str(source)], out, ["docx", "pdf"])
    (failed,) = report.failed
    assert failed.errors == [f"{source}: {out / 'seed.docx'}: cannot be written: No space left on device"]
    assert failed.stale == [out / "seed.docx", out / "seed.pdf"]
    assert "kept older outputs" in report.summary()
    assert {name: (out / name).read_bytes() for name in visible(out)} == before
    assert not list(out.glob(".*.tmp"))


def test_a_really_full_tmpfs_keeps_the_previous_file(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs as root and must be able to mount a tmpfs: {mounted.stderr!r}")
        pytest.skip("mounting a tmpfs needs root")
    try:
        target = mount / "deck.pptx"
        write_atomically(target, b"x" * 40_000)
        with pytest.raises(OSError) as caught:
            write_atomically(target, b"y" * 50_000)
        assert caught.value.errno == errno.ENOSPC
        assert target.read_bytes() == b"x" * 40_000
        assert [p.name for p in mount.iterdir()] == ["deck.pptx"]
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_two_builds_of_one_target_at_once_never_leave_a_broken_file(tmp_path: Path) -> None:
    from docx import Document

    first, second = tmp_path / "a" / "event.yaml", tmp_path / "b" / "event.yaml"
    for path, title in ((first, "First"), (second, "Second")):
        path.parent.mkdir()
        path.write_text(SEED.read_text().replace("title: Key outcomes", f"title: {title}"))
    out = tmp_path / "out"
    for _ in range(4):
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "reportgen", "build", str(p), "-o", str(out), "-f", "docx", "-q", "--force"],
                cwd=ROOT,
            )
            for p in (first, second)
        ]
        assert [run.wait(timeout=120) for run in runs] == [0, 0]
        title = Document(str(out / "event.docx")).paragraphs[0].text
        assert title in ("First", "Second")
        assert not list(out.glob(".*.tmp"))


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)  # tests run as root in CI
    with pytest.raises(OutputError, match="the output folder is not writable"):
        prepare_output_dir(tmp_path)


def test_an_output_folder_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        prepare_output_dir(tmp_path / "file" / "out")


def test_only_our_own_temporary_files_are_ever_cleaned(tmp_path: Path) -> None:
    old = time.time() - STALE_TEMP_SECONDS - 10
    theirs = [tmp_path / name for name in (".draft.tmp", ".doc.pdf.abc.tmp", ".reportgen-notes.tmp")]
    ours = tmp_path / ".reportgen-4242-x1y2z3.tmp"
    for path in (*theirs, ours):
        path.write_text("x")
        os.utime(path, (old, old))
    prepare_output_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in theirs)


def test_a_folder_in_the_place_of_one_output_replaces_none_of_them(tmp_path: Path) -> None:
    source = tmp_path / "src.yaml"
    shutil.copy(SEED, source)
    out = tmp_path / "out"
    out.mkdir()
    (out / "src.docx").write_bytes(b"old docx")
    (out / "src.pdf").write_bytes(b"old pdf")
    (out / "src.pptx").mkdir()
    report = build([str(source)], out, ["docx", "pdf", "pptx"])
    (failed,) = report.failed
    assert failed.errors == [f"{source}: {out / 'src.pptx'}: cannot be written: a folder has this name"]
    assert (out / "src.docx").read_bytes() == b"old docx"
    assert (out / "src.pdf").read_bytes() == b"old pdf"
    assert not list(out.glob(".reportgen-*.tmp"))
