"""A batch against a hostile output folder or a CI machine's signals: the manifest, our own writes, stops."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.building import build, expand_sources, files, manifest, validate
from reportgen.errors import OutputError
from reportgen.theme import Theme

from .conftest import CASES, DATA, ROOT, visible
from .test_cli import run

SEED = DATA / "key-outcomes.yaml"


def _built_once(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "seed.yaml"
    shutil.copy(SEED, source)
    out = tmp_path / "out"
    build([str(source)], out, ["docx"])
    return source, out


def test_a_fifo_as_the_manifest_does_not_hang_the_build(tmp_path: Path) -> None:
    source, out = _built_once(tmp_path)
    (out / manifest.MANIFEST).unlink()
    os.mkfifo(out / manifest.MANIFEST)  # no writer: a blocking open would wait for ever
    result = run("build", str(source), "-o", str(out), "-f", "docx")  # run() times out after 120 s
    assert result.returncode == 0, result.stderr
    assert "is not a regular file" in result.stderr and "every target is rebuilt" in result.stderr
    assert result.stderr.strip().endswith("1 built, 0 failed, 0 up to date")
    assert (out / manifest.MANIFEST).is_file()  # replaced by a good one


@pytest.mark.parametrize(
    ("plant", "reason"),
    [
        (lambda path: path.symlink_to("/dev/zero"), "is a symbolic link"),
        (lambda path: path.write_text("[" * 100_000), "nested too deeply"),
        (lambda path: path.write_bytes(b"\xff\xfe garbage"), ""),
        (lambda path: path.write_text('{"targets": [1, 2]}'), "'targets' is not a mapping"),
        (lambda path: path.write_text('{"targets": {"seed": 7}}'), None),  # a bad entry: just not used
    ],
    ids=["link-to-dev-zero", "deep-nesting", "not-json", "wrong-shape", "bad-entry"],
)
def test_a_damaged_manifest_means_rebuild_everything_with_a_warning(
    plant: object, reason: str | None, tmp_path: Path
) -> None:
    source, out = _built_once(tmp_path)
    (out / manifest.MANIFEST).unlink()
    plant(out / manifest.MANIFEST)  # type: ignore[operator]
    for _ in range(2):  # and the next build is not stuck with it: the manifest was replaced
        report = build([str(source)], out, ["docx"])
        assert not report.failed and not report.errors
        if reason is not None:
            (warning,) = report.warnings
            assert "every target is rebuilt" in warning and reason in warning
            reason = None
            assert report.count("built") == 1
        else:
            assert not report.warnings
    assert report.count("up to date") == 1
    assert not (out / manifest.MANIFEST).is_symlink()


def test_a_full_disk_while_saving_the_manifest_is_a_clean_failure_with_a_json_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = tmp_path / "seed.yaml", tmp_path / "out"
    shutil.copy(SEED, source)
    real = files.write_atomically

    def full(path: Path, data: bytes) -> None:
        if path.name == manifest.MANIFEST:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(manifest, "write_atomically", full)
    report = build([str(source)], out, ["docx"])
    assert report.count("built") == 1
    assert report.errors == [
        f"{out / manifest.MANIFEST}: cannot be written: No space left on device; the next build rebuilds every target"
    ]
    assert report.to_json()["errors"] == report.errors


def test_the_cli_reports_a_manifest_it_cannot_save_and_exits_1(tmp_path: Path) -> None:
    source, out = tmp_path / "seed.yaml", tmp_path / "out"
    shutil.copy(SEED, source)
    (out / manifest.MANIFEST).mkdir(parents=True)  # a folder where the manifest goes: as good as a full disk
    report_path = tmp_path / "report.json"
    result = run("build", str(source), "-o", str(out), "-f", "docx", "--json", str(report_path))
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    assert f"error: {out / manifest.MANIFEST}: cannot be written" in result.stderr
    written = json.loads(report_path.read_text())
    assert written["summary"]["built"] == 1 and written["errors"]
    assert visible(out) == ["seed.docx"]


def test_json_naming_a_folder_is_refused_before_building(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(SEED), "-o", str(out), "-f", "docx", "--json", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"error: {tmp_path}: cannot be written: a folder has this name"
    assert not out.exists()


@pytest.mark.parametrize("kind", ["device", "fifo", "empty-folder"])
def test_a_source_that_is_no_regular_file_or_a_folder_without_sources_is_an_error(kind: str, tmp_path: Path) -> None:
    if kind == "device":
        argument, why = "/dev/zero", "not a regular file, a folder or a pattern"
    elif kind == "fifo":
        argument, why = str(tmp_path / "event.yaml"), "not a regular file, a folder or a pattern"
        os.mkfifo(argument)
    else:
        argument, why = str(tmp_path / "empty"), "a folder with no *.yaml or *.yml source in it"
        Path(argument).mkdir()
    with pytest.raises(OutputError, match="no") as caught:
        expand_sources([argument])
    assert str(caught.value) == f"{argument}: {why}"
    result = run("build", argument, "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "0 built" not in result.stdout + result.stderr


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"])
def test_a_signal_to_the_main_process_stops_the_workers_and_keeps_finished_outputs(
    signum: int, code: int, tmp_path: Path
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for n in range(12):
        shutil.copy(DATA / "child-labour-forum-2026.yaml", sources / f"event{n:02}.yaml")
    out = tmp_path / "out"
    main = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", str(sources), "-o", str(out), "-j", "3", "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(main.pid)) < 3:
            assert main.poll() is None and time.monotonic() < deadline, "the batch never started its workers"
            time.sleep(0.02)
        time.sleep(0.5)  # the workers are busy rendering
        main.send_signal(signum)  # to the main process alone, as `timeout` or `kill` sends it
        started = time.monotonic()
        _, stderr = main.communicate(timeout=30)
        assert time.monotonic() - started < 8
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
    assert main.returncode == code, stderr
    assert f"stopped by {signal.Signals(signum).name}" in stderr and "Traceback" not in stderr
    assert not [pid for pid in workers if _running(pid)]
    assert not list(out.glob(".reportgen-*.tmp"))
    built = visible(out)
    assert len(built) < 36  # stopped before the end
    for name in built:  # every output kept is a finished one
        data = (out / name).read_bytes()
        assert (
            data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
            if name.endswith(".pdf")
            else data[:2] == b"PK"
        )


@pytest.mark.parametrize("case", ["bidi_control", "invisible_text", "unused_anchor"])
def test_validate_and_build_refuse_the_same_text_at_the_same_place(case: str, tmp_path: Path) -> None:
    source = str(CASES / "invalid" / f"{case}.yaml")
    checked = run("validate", source)
    built = run("build", source, "-o", str(tmp_path), "-f", "pdf")
    assert checked.returncode == built.returncode == 1
    located = [line for line in checked.stderr.splitlines() if line.startswith(f"{source}:")]
    assert located and all(line in built.stderr.splitlines() for line in located)
    assert not visible(tmp_path)


def test_a_character_no_font_of_the_theme_can_draw_is_refused_at_its_place_by_build_and_validate(
    make_theme: Callable[..., Theme], tmp_path: Path
) -> None:
    theme = make_theme(fallback_fonts=[])  # Calibri alone: no Devanagari
    source = tmp_path / "hindi.yaml"
    source.write_text(
        "event:\n  title: Forum\ndays:\n  - title: Day 1\n    sessions:\n"
        "      - code: A\n        title: Monitoring\n        outcomes: [Say नमस्ते twice.]\n",
        encoding="utf-8",
    )
    report = build([str(source)], tmp_path / "out", ["pdf"], theme=str(theme.folder))
    (failed,) = report.failed
    first = failed.errors[0]
    assert first.startswith(f"{source}:8:24: days[0].sessions[0].outcomes[0]: no font of the theme can draw U+")
    assert "add one that has it to the theme's fallback_fonts" in first
    assert validate([str(source)], theme=str(theme.folder))[str(source)] == failed.errors
    assert not build([str(source)], tmp_path / "out", ["docx"], theme=str(theme.folder)).failed  # Word substitutes


def test_a_title_too_long_for_any_slide_is_refused_at_its_place_quickly(tmp_path: Path) -> None:
    source = tmp_path / "long.yaml"
    title = "Stakeholders " * 340  # about 4,400 characters: no slide can hold it beside its outcomes
    source.write_text(
        f"event:\n  title: T\ndays:\n  - title: D\n    sessions:\n      - code: A\n        title: {title}\n"
        "        outcomes:\n          - x\n"
    )
    report = build([str(source)], tmp_path / "out", ["pptx"], jobs=1)
    [error] = report.failed[0].errors
    assert error.startswith(f"{source}:7:16: days[0].sessions[0].title: the slide title 'A: Stakeholders")
    assert "…' is too long to leave room for its content" in error and len(error) < 400


def test_import_refuses_a_fifo_or_a_device_instead_of_hanging_or_filling_memory(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    for notes in (str(fifo), "/dev/zero"):
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", "import", notes], capture_output=True, text=True, timeout=20
        )
        assert result.returncode == 1 and f"{notes}: is not a regular file" in result.stderr


def test_a_split_source_is_read_and_hashed_once_for_all_its_fingerprints(tmp_path: Path) -> None:
    from reportgen.building import manifest, plan
    from reportgen.building.manifest import _digest, _fingerprint

    source = tmp_path / "s.yaml"
    source.write_text(
        "event:\n  title: T\ndays:\n  - title: D\n    sessions:\n"
        + "".join(f"      - code: S{i}\n        title: Session {i}\n        outcomes: [x]\n" for i in range(20))
    )
    _digest.cache_clear()
    targets = plan([str(source)], split=True)
    assert len(targets) == 20
    prints = {_fingerprint(t, "settings") for t in targets}
    assert len(prints) == 20 and None not in prints  # one per session...
    assert manifest._digest.cache_info().misses == 1  # ...from one reading of the file


def test_an_editions_po_file_is_hashed_safely_and_once_for_all_its_split_targets(tmp_path: Path) -> None:
    import os
    import threading

    from reportgen.building import manifest, plan
    from reportgen.building.editions import with_editions
    from reportgen.building.manifest import _digest, _fingerprint

    source = tmp_path / "s.yaml"
    source.write_text(
        "event:\n  title: T\ndays:\n  - title: D\n    sessions:\n"
        + "".join(f"      - code: S{i}\n        title: Session {i}\n        outcomes: [x]\n" for i in range(5))
    )
    po = tmp_path / "s.fr.po"
    po.write_text('msgid ""\nmsgstr ""\n')
    _digest.cache_clear()
    targets = with_editions(plan([str(source)], split=True), ["fr"])
    assert len({_fingerprint(t, "settings") for t in targets}) == 5
    assert manifest._digest.cache_info().misses == 2  # the source once, its PO file once

    po.unlink()
    os.mkfifo(po)  # a FIFO where the PO file should be must not hang the build's fingerprints
    _digest.cache_clear()
    prints: list[str | None] = []
    worker = threading.Thread(target=lambda: prints.extend(_fingerprint(t, "settings") for t in targets), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "reading the FIFO hung"
    assert len(prints) == 5 and None not in prints
