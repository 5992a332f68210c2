"""Time reportgen against pandoc and the direct script, side by side, and check the performance targets.

Every measurement is a fresh process, as a user runs it: imports count. Wall time is measured around the
process; CPU time (user + sys) and peak memory (max RSS) come from os.wait4, which includes every
descendant the process waited for (pandoc's groff and ghostscript, reportgen's -j workers). Before each
run the runner waits (up to --wait seconds) for the machine to be quiet, and it records how much CPU other
processes used during the run, so that a disturbed figure can be told from a slow one.

    python benchmarks/generate.py                 # once: the inputs, into benchmarks/.data
    python benchmarks/run.py                      # everything (8,000 sessions alone take over half an hour)
    python benchmarks/run.py --sizes seed,8,80,800 --json a.json
    python benchmarks/run.py --sizes 8000 --no-extras --json b.json
    python benchmarks/run.py --report a.json b.json        # one table and the targets from several runs

Sizes are "seed" (data/key-outcomes.yaml) and the generated 8, 80, 800 and 8000 sessions. For each size
and each format, and for all three formats, it times reportgen (`reportgen build --force`, as a user runs
it: one source's formats render at once on as many cores as there are; and again with -j1, one after the
other in one process), the direct script (benchmarks/direct.py) and pandoc (Markdown twin; PDF through
groff ms). pandoc makes one
format per run, so its "all three" is the sum of its three runs of the same round. The extras are
`reportgen --help` against importing the three libraries, -j2 against -j1 on 200 small sources, and an
unchanged rebuild of those against their first build. A command still running after --timeout seconds is
killed and its figure shown as a lower bound (">").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
SEED = ROOT / "data" / "key-outcomes.yaml"
DIRECT = HERE / "direct.py"

SIZES = ("seed", "8", "80", "800", "8000")
DEFAULT_REPEAT = {"seed": 5, "8": 5, "80": 5, "800": 3, "8000": 1}
TOOLS = ("reportgen", "direct", "pandoc")
FORMATS = ("docx", "pdf", "pptx")
ALL = "all"  # the three formats: one invocation of reportgen and the direct script, three runs of pandoc
SERIAL = "all -j1"  # reportgen's three formats one after the other in one process
KINDS = (*FORMATS, ALL, SERIAL)
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every run, so reportgen and pandoc stamp a fixed time
MIB_PER_GB = 1e9 / 2**20  # the memory target's "1 GB", in the MiB that ru_maxrss is reported in

# -- running one measurement -------------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed run: wall seconds, CPU seconds (user + sys, descendants included), peak RSS in MiB, the
    CPU seconds other processes used meanwhile (0 on a quiet machine), and whether it was cut off."""

    wall: float
    cpu: float
    rss: float
    others: float = 0.0
    timed_out: bool = False


class CommandFailed(Exception):
    pass


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores); 0 where /proc/stat is absent."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    return (sum(values) - values[3] - values[4]) / _TICK  # minus idle and iowait


class Quiet:
    """Waits before each run until the machine is quiet: under `limit` cores busy for a whole second.

    On a shared machine (other people's tests) that may never happen: after one wait of `patience` seconds
    in vain, later waits give up after 2 seconds until the machine has been seen quiet again, so a busy
    machine slows the benchmark down only a little. `patience` 0 turns waiting off.
    """

    def __init__(self, patience: float, limit: float = 0.15) -> None:
        self.patience, self.limit = patience, limit
        self.busy = False

    def wait(self) -> None:
        if self.patience <= 0:
            return
        longest = 2.0 if self.busy else self.patience
        started = time.perf_counter()
        while time.perf_counter() - started < longest:
            before = busy_seconds()
            time.sleep(1.0)
            if busy_seconds() - before < self.limit:
                self.busy = False
                return
        self.busy = True


def group_rss(group: int) -> float:
    """The resident memory, in MiB, of every process in a process group, summed (0 without /proc)."""
    total = 0
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp
                total += int(fields[21])  # rss, in pages
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path, timeout: float, tree_memory: bool = False) -> Sample:
    """Run `argv` to completion in a fresh process (killed with its descendants after `timeout` seconds);
    raise CommandFailed with its stderr on a non-zero exit. ru_maxrss is the peak of the largest single
    process; with `tree_memory` the process group's summed RSS is also sampled every 50 ms, and the peak is
    the larger of the two (for runs whose processes work at the same time)."""
    with tempfile.TemporaryFile() as err:
        busy = busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,  # its own process group, so a timeout ends groff and gs too
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        peak = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, group_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if tree_memory:
            sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            done.set()
            if tree_memory:
                sampler.join()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; tell Popen
        if process.returncode != 0 and not expired.is_set():
            err.seek(0)
            raise CommandFailed(f"{' '.join(argv)}: exit {process.returncode}\n{err.read().decode(errors='replace')}")
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, busy_seconds() - busy - cpu)
    return Sample(wall, cpu, max(usage.ru_maxrss / 1024, peak), round(others, 3), expired.is_set())


def combine(samples: Sequence[Sample]) -> Sample:
    """Several runs as one measurement: times and interference add up, memory is the peak."""
    return Sample(
        wall=sum(s.wall for s in samples),
        cpu=sum(s.cpu for s in samples),
        rss=max(s.rss for s in samples),
        others=sum(s.others for s in samples),
        timed_out=any(s.timed_out for s in samples),
    )


@dataclass
class Case:
    """One thing to time: a label, and a function that, given a fresh empty folder, returns the command."""

    key: str  # "800/reportgen/all"
    size: str
    tool: str
    fmt: str
    command: Callable[[Path], list[str]]
    tree_memory: bool = False  # sample the summed memory of its processes (see run_once)


@dataclass
class Result:
    """Every sample of one case, and their medians."""

    key: str
    size: str
    tool: str
    fmt: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss for s in self.samples)

    @property
    def others(self) -> float:
        return max(s.others for s in self.samples)

    @property
    def censored(self) -> bool:
        """True when a run was cut off, so the medians are lower bounds."""
        return any(s.timed_out for s in self.samples)


def measure(
    cases: Sequence[Case],
    repeat: int,
    env: dict[str, str],
    scratch: Path,
    timeout: float,
    log: bool = True,
    quiet: Quiet | None = None,
) -> list[Result]:
    """Run every case `repeat` times, interleaved (case 1, 2, ..., then again), so drift hits all alike."""
    results = {c.key: Result(c.key, c.size, c.tool, c.fmt) for c in cases}
    for round_ in range(1, repeat + 1):
        for case in cases:
            folder = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
            if quiet:
                quiet.wait()
            try:
                sample = run_once(case.command(folder), env, folder, timeout, case.tree_memory)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            results[case.key].samples.append(sample)
            if log:
                cut = f"  CUT OFF after {timeout:.0f} s" if sample.timed_out else ""
                print(
                    f"  [{round_}/{repeat}] {case.key:<26} {sample.wall:8.3f} s wall {sample.cpu:8.3f} s cpu"
                    f" {sample.rss:7.0f} MiB  (others {sample.others:.2f} s cpu){cut}",
                    file=sys.stderr,
                    flush=True,
                )
    return list(results.values())


def pandoc_totals(results: Sequence[Result]) -> list[Result]:
    """pandoc's "all three" per size: its three runs of the same round, added up."""
    by_key = {r.key: r for r in results}
    totals = []
    for size in dict.fromkeys(r.size for r in results if r.tool == "pandoc"):
        parts = [by_key.get(f"{size}/pandoc/{fmt}") for fmt in FORMATS]
        if all(parts):
            rounds = zip(*(p.samples for p in parts if p), strict=True)
            totals.append(Result(f"{size}/pandoc/{ALL}", size, "pandoc", ALL, [combine(r) for r in rounds]))
    return totals


# -- the commands ----------------------------------------------------------------------------------------


def reportgen_command() -> list[str]:
    """The `reportgen` a user runs: the console script on PATH, else python -m reportgen."""
    found = shutil.which("reportgen")
    return [found] if found else [sys.executable, "-m", "reportgen"]


def pandoc_pdf_engine() -> str | None:
    """pandoc's groff ms engine: called "ms" since pandoc 3, "pdfroff" before; None without pandoc/groff."""
    if not shutil.which("pandoc") or not shutil.which("groff"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "probe.md"
        source.write_text("# probe\n\n- one\n")
        for engine in ("ms", "pdfroff"):
            argv = ["pandoc", str(source), f"--pdf-engine={engine}", "-o", str(Path(tmp) / "probe.pdf")]
            if subprocess.run(argv, capture_output=True).returncode == 0:
                return engine
    return None


def inputs(size: str) -> tuple[Path, Path]:
    """The YAML source and its Markdown twin for a size."""
    if size == "seed":
        return SEED, DATA / "seed.md"
    return DATA / f"sessions-{size}.yaml", DATA / f"sessions-{size}.md"


def size_cases(size: str, tools: Sequence[str], pdf_engine: str | None) -> list[Case]:
    """reportgen and the direct script per format and for all three, and pandoc per format, on one size."""
    source, markdown = inputs(size)
    rg = reportgen_command()
    cases = []
    for fmt in (*FORMATS, ALL, SERIAL):
        formats = ",".join(FORMATS) if fmt in (ALL, SERIAL) else fmt
        jobs = ["-j1"] if fmt == SERIAL else []  # else the default: as many processes as cores

        def reportgen(out: Path, formats: str = formats, jobs: list[str] = jobs) -> list[str]:
            return [*rg, "build", str(source), "-o", str(out / "output"), "-f", formats, *jobs, "--force"]

        def direct(out: Path, formats: str = formats) -> list[str]:
            return [sys.executable, str(DIRECT), str(source), "-o", str(out / "output"), "-f", formats]

        def pandoc(out: Path, fmt: str = fmt) -> list[str]:
            return pandoc_argv(markdown, out / f"{markdown.stem}.{fmt}", pdf_engine or "ms")

        if "reportgen" in tools:
            # Formats at once in several processes: their memory adds up (sampled only at 8,000 sessions, where
            # memory is a target, since sampling costs CPU that small runs would feel).
            summed = fmt == ALL and size == "8000"
            cases.append(Case(f"{size}/reportgen/{fmt}", size, "reportgen", fmt, reportgen, summed))
        if "direct" in tools and fmt != SERIAL:
            cases.append(Case(f"{size}/direct/{fmt}", size, "direct", fmt, direct))
        if "pandoc" in tools and pdf_engine is not None and fmt not in (ALL, SERIAL):
            cases.append(Case(f"{size}/pandoc/{fmt}", size, "pandoc", fmt, pandoc))
    return cases


def pandoc_argv(markdown: Path, target: Path, pdf_engine: str) -> list[str]:
    argv = ["pandoc", str(markdown), "-o", str(target)]
    if target.suffix == ".pptx":
        # One slide per session (###); without it pandoc takes the level of the first heading followed by
        # text (the title and its subtitle line) and puts the whole event on one slide.
        argv.append("--slide-level=3")
    if target.suffix == ".pdf":
        argv.append(f"--pdf-engine={pdf_engine}")
    return argv


# -- the extras --------------------------------------------------------------------------------------------


def startup_cases() -> list[Case]:
    """`reportgen --help` against importing the three rendering libraries (and an empty interpreter)."""
    rg = reportgen_command()
    imports = "import docx, pptx, reportlab.platypus"
    return [
        Case("startup/reportgen --help", "startup", "reportgen", "--help", lambda _out: [*rg, "--help"]),
        Case("startup/import libraries", "startup", "python", "import", lambda _out: [sys.executable, "-c", imports]),
        Case("startup/python -c pass", "startup", "python", "pass", lambda _out: [sys.executable, "-c", "pass"]),
    ]


def jobs_cases() -> list[Case]:
    """200 small sources, all formats, into a fresh folder: one worker against two."""
    rg = reportgen_command()
    small = str(DATA / "small")

    def command(jobs: int) -> Callable[[Path], list[str]]:
        return lambda out: [*rg, "build", small, "-o", str(out / "output"), f"-j{jobs}"]

    return [Case(f"small/reportgen/-j{j}", "small", "reportgen", f"-j{j}", command(j)) for j in (1, 2)]


def scaling_cases() -> list[Case]:
    """The machine's own ceiling for -j2: two CPU-bound Python processes one after the other, then at once."""
    loop = f"{sys.executable} -c 'sum(i * i for i in range(25_000_000))'"
    series, at_once = f"{loop}; {loop}", f"{loop} & {loop}; wait"
    return [
        Case("cpu/python/2 loops in series", "cpu", "python", "2 loops in series", lambda _: ["sh", "-c", series]),
        Case("cpu/python/2 loops at once", "cpu", "python", "2 loops at once", lambda _: ["sh", "-c", at_once]),
    ]


def rebuild_results(repeat: int, env: dict[str, str], scratch: Path, timeout: float, quiet: Quiet) -> list[Result]:
    """The first build of the 200 small sources (default -j: every core), then an unchanged rebuild."""
    rg = reportgen_command()
    small = str(DATA / "small")
    first = Result("small/reportgen/first build", "small", "reportgen", "first build")
    again = Result("small/reportgen/unchanged rebuild", "small", "reportgen", "unchanged rebuild")
    for round_ in range(1, repeat + 1):
        folder = Path(tempfile.mkdtemp(prefix="rebuild-", dir=scratch))
        try:
            argv = [*rg, "build", small, "-o", str(folder / "output")]
            for result in (first, again):
                quiet.wait()
                result.samples.append(run_once(argv, env, folder, timeout))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(
            f"  [{round_}/{repeat}] first build {first.samples[-1].wall:.3f} s, rebuild {again.samples[-1].wall:.3f} s",
            file=sys.stderr,
            flush=True,
        )
    return [first, again]


# -- the code under test -----------------------------------------------------------------------------------


def export_tree(rev: str, dest: Path) -> Path:
    """Write reportgen and templates as of git revision `rev` into `dest` (read-only for the repository: git
    archive); return `dest`, to be put first on PYTHONPATH. Others can keep editing the working tree."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "reportgen", "templates"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def describe_tree(rev: str | None) -> str:
    """Which reportgen is measured: a commit, or the working tree and whether it has uncommitted changes."""

    def git(*args: str) -> str:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return out.stdout.strip()

    if rev:
        return f"git {rev} = {git('rev-parse', '--short', rev)} ({git('log', '-1', '--format=%s', rev)[:70]})"
    dirty = git("status", "--porcelain", "--", "reportgen", "templates")
    head = git("rev-parse", "--short", "HEAD") or "?"
    return f"working tree at {ROOT} (HEAD {head}{', with uncommitted changes' if dirty else ''})"


# -- the machine -------------------------------------------------------------------------------------------


def _first_line(argv: Sequence[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "not found"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
        info["cpu"] = models[0] if models else platform.processor() or "unknown"
    except OSError:
        info["cpu"] = platform.processor() or "unknown"
    info["cores"] = str(os.cpu_count())
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = next(int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal"))
        info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "unknown"
    info["os"] = f"{platform.system()} {platform.release()}"
    info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["python"] = f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"
    for dist in ("reportgen", "python-docx", "python-pptx", "reportlab", "PyYAML", "fonttools"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = "not installed"
    try:
        import _rl_accel  # noqa: F401  # reportlab's optional C accelerator (the rl-accel package)

        info["reportlab accelerator"] = "rl-accel installed"
    except ImportError:
        info["reportlab accelerator"] = "none (rl-accel not installed: reportlab uses its pure-Python fallbacks)"
    info["pandoc"] = _first_line(["pandoc", "--version"])
    info["groff"] = _first_line(["groff", "--version"])
    info["ghostscript"] = _first_line(["gs", "--version"])
    info["reportgen command"] = " ".join(reportgen_command())
    return info


# -- the report --------------------------------------------------------------------------------------------


def _seconds(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.2f}" if x < 100 else f"{x:.1f}"


def _wall(r: Result) -> str:
    return (">" if r.censored else "") + _seconds(r.wall)


def _ratio(a: Result | None, b: Result | None) -> str:
    """a's median wall over b's, then the same for CPU time; a bound (">" or "<") when one of them was cut
    off, "?" when both were. A cut-off run's CPU time is no bound (its killed descendants are never
    accounted), so then the CPU ratio is left out."""
    if not a or not b:
        return "–"
    if a.censored and b.censored:
        return "?"
    if a.censored or b.censored:
        return f"{'>' if a.censored else '<'}{a.wall / b.wall:.2f} (–)"
    return f"{a.wall / b.wall:.2f} ({a.cpu / b.cpu:.2f})"


def table(results: dict[str, Result]) -> list[str]:
    """Markdown tables: every case's medians, then the ratios of reportgen to pandoc and to the direct script."""
    lines = [
        "| size | tool | formats | n | wall (s, median) | CPU (s, median) | peak RSS (MiB) | others' CPU (s, max) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    order = {s: i for i, s in enumerate((*SIZES, "startup", "cpu", "small"))}
    rows = sorted(
        results.values(),
        key=lambda r: (order.get(r.size, 99), KINDS.index(r.fmt) if r.fmt in KINDS else 9),
    )
    for r in rows:
        formats = {ALL: "docx,pdf,pptx", SERIAL: "docx,pdf,pptx -j1"}.get(r.fmt, r.fmt)
        cpu = "–" if r.censored else _seconds(r.cpu)  # killed descendants' CPU time is never accounted
        figures = f"{_wall(r)} | {cpu} | {r.rss:.0f} | {r.others:.2f}"
        lines.append(f"| {r.size} | {r.tool} | {formats} | {len(r.samples)} | {figures} |")
    sizes = [s for s in SIZES if any(f"{s}/reportgen/{f}" in results for f in (*FORMATS, ALL))]
    if sizes:
        lines += [
            "",
            "Ratios of median wall times, and in brackets of median CPU times (below 1: reportgen is faster):",
            "",
            "| size | formats | reportgen / pandoc | reportgen / direct | direct / pandoc |",
            "|---|---|---:|---:|---:|",
        ]
        for size in sizes:
            for fmt in (*FORMATS, ALL, SERIAL):
                rg = results.get(f"{size}/reportgen/{fmt}")
                direct, pandoc = (results.get(f"{size}/{tool}/{ALL if fmt == SERIAL else fmt}") for tool in TOOLS[1:])
                formats = {ALL: "all three", SERIAL: "all three, -j1"}.get(fmt, fmt)
                ratios = f"{_ratio(rg, pandoc)} | {_ratio(rg, direct)} | {_ratio(direct, pandoc)}"
                lines.append(f"| {size} | {formats} | {ratios} |")
    return lines


@dataclass
class Target:
    name: str
    figure: str = "not measured"
    passed: bool | None = None  # None: not measured in these results


def _compare(name: str, a: Result | None, b: Result | None, limit: float, strict: bool = True) -> Target:
    """Target "a / b below `limit`" (or at most, when not `strict`) on median wall times."""
    if not a or not b:
        return Target(name)
    ratio = a.wall / b.wall
    sign = "<" if strict else "<="
    figure = f"{_wall(a)} s vs {_wall(b)} s: ratio {ratio:.2f} (target {sign} {limit:.2f})"
    figure += f"; CPU {_seconds(a.cpu)} s vs {_seconds(b.cpu)} s: {a.cpu / b.cpu:.2f}"
    return Target(name, figure, ratio < limit if strict else ratio <= limit)


def _speedup(name: str, slow: Result | None, fast: Result | None, limit: float) -> Target:
    """Target "slow / fast at least `limit`" on median wall times."""
    if not slow or not fast:
        return Target(name)
    speedup = slow.wall / fast.wall
    figure = f"{_wall(slow)} s / {_wall(fast)} s = {speedup:.2f}x (target >= {limit:g}x)"
    return Target(name, figure, speedup >= limit)


def _context(target: Target) -> Target:
    """A figure shown beside the targets that is not itself a target."""
    return Target(target.name, target.figure.replace(" (target < 0.90)", ""))


def targets(results: dict[str, Result]) -> list[Target]:
    """The issue's performance targets, each with its measured figure."""
    get = results.get
    keys = ("seed/reportgen/all", "800/reportgen/all", "800/direct/all", "8000/reportgen/all")
    seed, r800, d800, r8000 = (get(k) for k in keys)
    found = [
        _compare("seed, all three formats, vs pandoc's three runs", seed, get("seed/pandoc/all"), 0.9),
        _context(_compare("(the same, -j1)", get(f"seed/reportgen/{SERIAL}"), get("seed/pandoc/all"), 0.9)),
        _compare("800 sessions, all three formats, vs pandoc's three runs", r800, get("800/pandoc/all"), 0.5),
        _compare("800 sessions, all three formats, vs the direct script", r800, d800, 1.0, strict=False),
        _compare("linear growth: time(8,000) / time(800), all formats", r8000, r800, 12, strict=False),
    ]
    name = "peak memory at 8,000 sessions, all formats"
    if r8000:
        figure = f"{r8000.rss:.0f} MiB = {r8000.rss * 2**20 / 1e9:.2f} GB (target < 1 GB = {MIB_PER_GB:.0f} MiB)"
        if one := get(f"8000/reportgen/{SERIAL}"):
            figure += f"; -j1: {one.rss:.0f} MiB"
        found.append(Target(name, figure, r8000.rss < MIB_PER_GB))
    else:
        found.append(Target(name))
    helped, imported = get("startup/reportgen --help"), get("startup/import libraries")
    found.append(_compare("`reportgen --help` vs importing the three libraries", helped, imported, 0.5))
    one, two = get("small/reportgen/-j1"), get("small/reportgen/-j2")
    found.append(_speedup("-j2 vs -j1 on 200 small sources", one, two, 1.7))
    serial, parallel = get("cpu/python/2 loops in series"), get("cpu/python/2 loops at once")
    if serial and parallel:  # context for the -j2 target, not a target itself
        found.append(
            Target(
                "(the machine's ceiling: two CPU-bound processes at once vs in series)",
                f"{serial.wall / parallel.wall:.2f}x",
            )
        )
    first, again = get("small/reportgen/first build"), get("small/reportgen/unchanged rebuild")
    found.append(_speedup("unchanged rebuild of 200 small sources vs their first build", first, again, 20))
    return found


def report(runs: Sequence[dict[str, object]]) -> str:
    """The whole report, in Markdown, from one or more saved runs (later runs win for the same case)."""
    results: dict[str, Result] = {}
    lines = []
    for run in runs:
        lines += [f"Run of {run['started']} (`{run['command']}`):", ""]
        lines += [f"- {k}: {v}" for k, v in run["machine"].items()]  # type: ignore[union-attr]
        lines.append("")
        for raw in run["results"]:  # type: ignore[union-attr]
            fields = {k: v for k, v in raw.items() if k != "samples"}
            results[raw["key"]] = Result(**fields, samples=[Sample(**s) for s in raw["samples"]])
    lines += table(results)
    lines += ["", "| target | measured | result |", "|---|---|---|"]
    for t in targets(results):
        verdict = "–" if t.passed is None else "PASS" if t.passed else "**FAIL**"
        lines.append(f"| {t.name} | {t.figure} | {verdict} |")
    return "\n".join(lines)


# -- the command line --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated, from: {', '.join(SIZES)}")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, from: {', '.join(TOOLS)}")
    parser.add_argument("--repeat", type=int, help="runs per case (default: 5; 3 for 800; 1 for 8000)")
    parser.add_argument("--extras", action=argparse.BooleanOptionalAction, default=True, help="startup, -j, rebuild")
    parser.add_argument("--startup-repeat", type=int, default=10, help="runs of the startup cases (default: 10)")
    parser.add_argument("--small-repeat", type=int, default=3, help="runs of the 200-source cases (default: 3)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is cut off (default: 600)")
    parser.add_argument("--wait", type=float, default=30, help="longest wait for a quiet machine (default: 30 s)")
    parser.add_argument("--rev", help="measure reportgen as of this git revision (default: the working tree)")
    parser.add_argument("--json", type=Path, help="also save the samples here (for --report)")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON", help="print the report of saved runs")
    args = parser.parse_args()

    if args.report:
        print(report([json.loads(p.read_text()) for p in args.report]))
        return

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    for kind, given, known in (("size", sizes, SIZES), ("tool", tools, TOOLS)):
        if unknown := [x for x in given if x not in known]:
            parser.error(f"unknown {kind} {', '.join(unknown)} (choose from: {', '.join(known)})")
    missing = [p for s in sizes for p in inputs(s) if not p.exists()]
    if args.extras and not (DATA / "small").is_dir():
        missing.append(DATA / "small")
    if missing:
        parser.error(f"missing inputs ({', '.join(map(str, missing))}); run python benchmarks/generate.py first")

    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    # As installed for a user: bytecode cached (pip compiles it at install; an editable install writes it on
    # first use), plain progress lines rather than CI mode.
    for name in ("PYTHONDONTWRITEBYTECODE", "CI", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE"):
        env.pop(name, None)
    pdf_engine = pandoc_pdf_engine() if "pandoc" in tools else None
    scratch = tempfile.TemporaryDirectory(prefix="reportgen-bench-")
    work = Path(scratch.name)
    if args.rev:
        tree = export_tree(args.rev, work / "tree")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    info = machine()
    info["pandoc pdf engine"] = pdf_engine or "pandoc not measured"
    info["reportgen measured"] = describe_tree(args.rev)
    print("\n".join(f"{k}: {v}" for k, v in info.items()), file=sys.stderr)

    quiet = Quiet(args.wait)
    results: list[Result] = []
    with scratch:
        # One untimed round on the seed: bytecode caches written, files in the page cache.
        measure(size_cases("seed", TOOLS, pdf_engine), 1, env, work, args.timeout, log=False)
        for size in sizes:
            repeat = args.repeat or DEFAULT_REPEAT[size]
            print(f"size {size}: {repeat} run(s) of each case", file=sys.stderr)
            results += measure(size_cases(size, tools, pdf_engine), repeat, env, work, args.timeout, quiet=quiet)
        results += pandoc_totals(results)
        if args.extras:
            print("startup", file=sys.stderr)
            results += measure(startup_cases(), args.startup_repeat, env, work, args.timeout, log=False, quiet=quiet)
            print("the machine's parallel ceiling", file=sys.stderr)
            results += measure(scaling_cases(), args.small_repeat, env, work, args.timeout, quiet=quiet)
            print("200 small sources: -j1 and -j2", file=sys.stderr)
            results += measure(jobs_cases(), args.small_repeat, env, work, args.timeout, quiet=quiet)
            print("200 small sources: first build and unchanged rebuild", file=sys.stderr)
            results += rebuild_results(args.small_repeat, env, work, args.timeout, quiet)

    run = {
        "started": started,
        "command": " ".join(["python benchmarks/run.py", *sys.argv[1:]]),
        "machine": info,
        "results": [asdict(r) for r in results],
    }
    if args.json:
        args.json.write_text(json.dumps(run, indent=1) + "\n")
    print(report([run]))


if __name__ == "__main__":
    main()
