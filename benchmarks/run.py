"""Time reportgen against pandoc and the direct script, side by side, and check the performance targets.

Every measurement is a fresh process, as a user runs it: imports count. Wall time is measured around the
process; CPU time (user + sys) and peak memory (max RSS) come from os.wait4, which includes every
descendant the process waited for (pandoc's groff and ghostscript, reportgen's -j workers).

    python benchmarks/generate.py                 # once: the inputs, into benchmarks/.data
    python benchmarks/run.py                      # everything (long: 8,000 sessions take many minutes)
    python benchmarks/run.py --sizes seed,8,80,800 --extras --json a.json
    python benchmarks/run.py --sizes 8000 --no-extras --json b.json
    python benchmarks/run.py --report a.json b.json        # one table and the targets from several runs

Sizes are "seed" (data/key-outcomes.yaml) and the generated 8, 80, 800 and 8000 sessions. The extras
are: `reportgen --help` against importing the three libraries, -j2 against -j1 on 200 small sources, and
an unchanged rebuild of those against their first build.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
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
FORMATS = ("docx", "pdf", "pptx")
ALL = "all"  # the three formats: one process for reportgen and the direct script, three runs of pandoc
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every run, so reportgen and pandoc stamp a fixed time

# -- running one measurement -------------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed run: wall seconds, CPU seconds (user + sys, descendants included), peak RSS in MiB, and
    the CPU seconds other processes on the machine used meanwhile (interference; 0 on a quiet machine)."""

    wall: float
    cpu: float
    rss: float
    others: float = 0.0


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


def wait_for_quiet(limit: float = 0.15, longest: float = 120.0) -> float:
    """Wait until the machine uses under `limit` cores for a whole second (other engineers' tests, say), at
    most `longest` seconds; return how long that took."""
    started = time.perf_counter()
    while time.perf_counter() - started < longest:
        before = busy_seconds()
        time.sleep(1.0)
        if busy_seconds() - before < limit:
            break
    return time.perf_counter() - started


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run `argv` to completion in a fresh process; raise CommandFailed with its stderr on a non-zero exit."""
    with tempfile.TemporaryFile() as err:
        busy = busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; tell Popen
        if process.returncode != 0:
            err.seek(0)
            raise CommandFailed(f"{' '.join(argv)}: exit {process.returncode}\n{err.read().decode(errors='replace')}")
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, busy_seconds() - busy - cpu)
    return Sample(wall, cpu, usage.ru_maxrss / 1024, round(others, 3))


def run_steps(steps: Sequence[Sequence[str]], env: dict[str, str], cwd: Path) -> Sample:
    """Run several commands one after the other as one measurement: times add up, memory is the peak."""
    samples = [run_once(argv, env, cwd) for argv in steps]
    return Sample(
        sum(s.wall for s in samples),
        sum(s.cpu for s in samples),
        max(s.rss for s in samples),
        sum(s.others for s in samples),
    )


@dataclass
class Case:
    """One thing to time: a label, and a function that prepares a fresh folder and returns the commands."""

    key: str  # "800/reportgen/all"
    size: str
    tool: str
    fmt: str
    steps: Callable[[Path], list[list[str]]]  # given a fresh empty folder, the commands to run in order


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


def measure(
    cases: Sequence[Case], repeat: int, env: dict[str, str], scratch: Path, log: bool = True, quiet: bool = True
) -> list[Result]:
    """Run every case `repeat` times, interleaved (case 1, 2, ..., then again), so drift hits all alike."""
    results = {c.key: Result(c.key, c.size, c.tool, c.fmt) for c in cases}
    for round_ in range(1, repeat + 1):
        for case in cases:
            folder = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
            if quiet:
                wait_for_quiet()
            try:
                sample = run_steps(case.steps(folder), env, folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            results[case.key].samples.append(sample)
            if log:
                print(
                    f"  [{round_}/{repeat}] {case.key:<26} {sample.wall:8.3f} s wall {sample.cpu:8.3f} s cpu"
                    f" {sample.rss:7.0f} MiB  (others {sample.others:.2f} s cpu)",
                    file=sys.stderr,
                    flush=True,
                )
    return list(results.values())


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


def size_cases(size: str, pdf_engine: str | None) -> list[Case]:
    """reportgen, the direct script and pandoc, per format and for all three, on one size."""
    source, markdown = inputs(size)
    rg = reportgen_command()
    cases = []
    for fmt in (*FORMATS, ALL):
        formats = ",".join(FORMATS) if fmt == ALL else fmt

        def reportgen_steps(out: Path, formats: str = formats) -> list[list[str]]:
            return [[*rg, "build", str(source), "-o", str(out / "output"), "-f", formats, "-j1", "--force"]]

        def direct_steps(out: Path, formats: str = formats) -> list[list[str]]:
            return [[sys.executable, str(DIRECT), str(source), "-o", str(out / "output"), "-f", formats]]

        cases.append(Case(f"{size}/reportgen/{fmt}", size, "reportgen", fmt, reportgen_steps))
        cases.append(Case(f"{size}/direct/{fmt}", size, "direct", fmt, direct_steps))
        if pdf_engine is not None:

            def pandoc_steps(out: Path, formats: str = formats) -> list[list[str]]:
                return [pandoc_argv(markdown, out / f"{markdown.stem}.{f}", pdf_engine) for f in formats.split(",")]

            cases.append(Case(f"{size}/pandoc/{fmt}", size, "pandoc", fmt, pandoc_steps))
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
        Case("startup/reportgen --help", "startup", "reportgen", "--help", lambda _out: [[*rg, "--help"]]),
        Case("startup/import libraries", "startup", "python", "import", lambda _out: [[sys.executable, "-c", imports]]),
        Case("startup/python -c pass", "startup", "python", "pass", lambda _out: [[sys.executable, "-c", "pass"]]),
    ]


def jobs_cases() -> list[Case]:
    """200 small sources, all formats, into a fresh folder: one worker against two."""
    rg = reportgen_command()
    small = str(DATA / "small")

    def steps(jobs: int) -> Callable[[Path], list[list[str]]]:
        return lambda out: [[*rg, "build", small, "-o", str(out / "output"), f"-j{jobs}"]]

    return [Case(f"small/reportgen/-j{j}", "small", "reportgen", f"-j{j}", steps(j)) for j in (1, 2)]


def rebuild_results(repeat: int, env: dict[str, str], scratch: Path, quiet: bool = True) -> list[Result]:
    """The first build of the 200 small sources (default -j: every core) and then an unchanged rebuild."""
    rg = reportgen_command()
    small = str(DATA / "small")
    first = Result("small/reportgen/first build", "small", "reportgen", "first build")
    again = Result("small/reportgen/unchanged rebuild", "small", "reportgen", "unchanged rebuild")
    for round_ in range(1, repeat + 1):
        folder = Path(tempfile.mkdtemp(prefix="rebuild-", dir=scratch))
        try:
            argv = [*rg, "build", small, "-o", str(folder / "output")]
            if quiet:
                wait_for_quiet()
            first.samples.append(run_once(argv, env, folder))
            if quiet:
                wait_for_quiet()
            again.samples.append(run_once(argv, env, folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(
            f"  [{round_}/{repeat}] first build {first.samples[-1].wall:.3f} s, rebuild {again.samples[-1].wall:.3f} s",
            file=sys.stderr,
            flush=True,
        )
    return [first, again]


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
    for dist in ("reportgen", "python-docx", "python-pptx", "reportlab", "PyYAML", "pydantic", "click", "fonttools"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = "not installed"
    info["pandoc"] = _first_line(["pandoc", "--version"])
    info["groff"] = _first_line(["groff", "--version"])
    info["ghostscript"] = _first_line(["gs", "--version"])
    info["reportgen command"] = " ".join(reportgen_command())
    return info


# -- the report --------------------------------------------------------------------------------------------


def _seconds(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.2f}" if x < 100 else f"{x:.1f}"


def _ratio(a: Result | None, b: Result | None) -> str:
    return f"{a.wall / b.wall:.2f}" if a and b else "–"


def table(results: dict[str, Result]) -> list[str]:
    """Markdown tables: every case's medians, then the ratios of reportgen to pandoc and to the direct script."""
    lines = [
        "| size | tool | formats | n | wall (s, median) | CPU (s, median) | peak RSS (MiB) | others' CPU (s, max) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results.values():
        formats = "docx,pdf,pptx" if r.fmt == ALL else r.fmt
        lines.append(
            f"| {r.size} | {r.tool} | {formats} | {len(r.samples)} | {_seconds(r.wall)} | {_seconds(r.cpu)}"
            f" | {r.rss:.0f} | {r.others:.2f} |"
        )
    sizes = [s for s in SIZES if f"{s}/reportgen/{ALL}" in results]
    if sizes:
        lines += [
            "",
            "Ratios of median wall times (below 1: reportgen is faster):",
            "",
            "| size | formats | reportgen / pandoc | reportgen / direct | direct / pandoc |",
            "|---|---|---:|---:|---:|",
        ]
        for size in sizes:
            for fmt in (*FORMATS, ALL):
                rg, direct, pandoc = (results.get(f"{size}/{tool}/{fmt}") for tool in ("reportgen", "direct", "pandoc"))
                formats = "all three" if fmt == ALL else fmt
                lines.append(
                    f"| {size} | {formats} | {_ratio(rg, pandoc)} | {_ratio(rg, direct)} | {_ratio(direct, pandoc)} |"
                )
    return lines


@dataclass
class Target:
    name: str
    figure: str
    passed: bool | None  # None: not measured in these results


def targets(results: dict[str, Result]) -> list[Target]:
    """The issue's performance targets, each with its measured figure."""

    def get(key: str) -> Result | None:
        return results.get(key)

    found: list[Target] = []

    seed_rg, seed_pd = get("seed/reportgen/all"), get("seed/pandoc/all")
    if seed_rg and seed_pd:
        ratio = seed_rg.wall / seed_pd.wall
        figure = f"{_seconds(seed_rg.wall)} s vs {_seconds(seed_pd.wall)} s: ratio {ratio:.2f} (target < 0.90)"
        found.append(Target("seed, all three formats, vs pandoc's three runs", figure, ratio < 0.9))
    else:
        found.append(Target("seed, all three formats, vs pandoc's three runs", "not measured", None))

    rg, pd, direct = get("800/reportgen/all"), get("800/pandoc/all"), get("800/direct/all")
    if rg and pd:
        ratio = rg.wall / pd.wall
        figure = f"{_seconds(rg.wall)} s vs {_seconds(pd.wall)} s: ratio {ratio:.2f} (target < 0.50)"
        found.append(Target("800 sessions, all three formats, under half of pandoc", figure, ratio < 0.5))
    else:
        found.append(Target("800 sessions, all three formats, under half of pandoc", "not measured", None))
    if rg and direct:
        ratio = rg.wall / direct.wall
        figure = f"{_seconds(rg.wall)} s vs {_seconds(direct.wall)} s: ratio {ratio:.2f} (target <= 1.00)"
        found.append(Target("800 sessions, all three formats, no slower than the direct script", figure, ratio <= 1.0))
    else:
        found.append(Target("800 sessions, all three formats, no slower than the direct script", "not measured", None))

    big = get("8000/reportgen/all")
    if big and rg:
        ratio = big.wall / rg.wall
        figure = f"{_seconds(big.wall)} s / {_seconds(rg.wall)} s = {ratio:.1f}x (target <= 12x)"
        found.append(Target("linear growth: time(8,000) / time(800), all formats", figure, ratio <= 12))
    else:
        found.append(Target("linear growth: time(8,000) / time(800), all formats", "not measured", None))
    if big:
        figure = f"{big.rss:.0f} MiB (target < 1024 MiB)"
        found.append(Target("peak memory at 8,000 sessions, all formats", figure, big.rss < 1024))
    else:
        found.append(Target("peak memory at 8,000 sessions, all formats", "not measured", None))

    helped, imported = get("startup/reportgen --help"), get("startup/import libraries")
    if helped and imported:
        ratio = helped.wall / imported.wall
        figure = f"{_seconds(helped.wall)} s vs {_seconds(imported.wall)} s: ratio {ratio:.2f} (target < 0.50)"
        found.append(Target("`reportgen --help` vs importing the three libraries", figure, ratio < 0.5))
    else:
        found.append(Target("`reportgen --help` vs importing the three libraries", "not measured", None))

    one, two = get("small/reportgen/-j1"), get("small/reportgen/-j2")
    if one and two:
        speedup = one.wall / two.wall
        figure = f"{_seconds(one.wall)} s / {_seconds(two.wall)} s = {speedup:.2f}x (target >= 1.70x)"
        found.append(Target("-j2 vs -j1 on 200 small sources", figure, speedup >= 1.7))
    else:
        found.append(Target("-j2 vs -j1 on 200 small sources", "not measured", None))

    first, again = get("small/reportgen/first build"), get("small/reportgen/unchanged rebuild")
    if first and again:
        speedup = first.wall / again.wall
        figure = f"{_seconds(first.wall)} s / {_seconds(again.wall)} s = {speedup:.1f}x (target >= 20x)"
        found.append(Target("unchanged rebuild of 200 small sources vs first build", figure, speedup >= 20))
    else:
        found.append(Target("unchanged rebuild of 200 small sources vs first build", "not measured", None))
    return found


def report(runs: Sequence[dict[str, object]]) -> str:
    """The whole report, in Markdown, from one or more saved runs (later runs win for the same case)."""
    results: dict[str, Result] = {}
    lines = []
    for run in runs:
        lines.append(f"Run of {run['started']} ({run['command']}):")
        lines.append("")
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
    parser.add_argument("--repeat", type=int, help="runs per case (default: 5, 3 for 800, 1 for 8000)")
    parser.add_argument("--extras", action=argparse.BooleanOptionalAction, default=True, help="startup, -j, rebuild")
    parser.add_argument("--startup-repeat", type=int, default=10, help="runs of the startup cases (default: 10)")
    parser.add_argument("--small-repeat", type=int, default=3, help="runs of the 200-source cases (default: 3)")
    parser.add_argument("--no-pandoc", action="store_true", help="leave pandoc out even when it is installed")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine before each run")
    parser.add_argument("--json", type=Path, help="also save the samples here (for --report)")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON", help="print the report of saved runs")
    args = parser.parse_args()

    if args.report:
        print(report([json.loads(p.read_text()) for p in args.report]))
        return

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)} (choose from: {', '.join(SIZES)})")
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
    pdf_engine = None if args.no_pandoc else pandoc_pdf_engine()
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    info = machine()
    info["pandoc pdf engine"] = pdf_engine or "pandoc not measured"
    print("\n".join(f"{k}: {v}" for k, v in info.items()), file=sys.stderr)

    quiet = not args.no_wait
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as scratch:
        # One untimed round on the seed: bytecode caches written, files in the page cache.
        measure(size_cases("seed", pdf_engine), 1, env, Path(scratch), log=False, quiet=False)
        for size in sizes:
            repeat = args.repeat or DEFAULT_REPEAT[size]
            print(f"size {size}: {repeat} run(s) of each case", file=sys.stderr)
            results += measure(size_cases(size, pdf_engine), repeat, env, Path(scratch), quiet=quiet)
        if args.extras:
            print("startup", file=sys.stderr)
            results += measure(startup_cases(), args.startup_repeat, env, Path(scratch), log=False, quiet=quiet)
            print("200 small sources: -j1 and -j2", file=sys.stderr)
            results += measure(jobs_cases(), args.small_repeat, env, Path(scratch), quiet=quiet)
            print("200 small sources: first build and unchanged rebuild", file=sys.stderr)
            results += rebuild_results(args.small_repeat, env, Path(scratch), quiet=quiet)

    run = {
        "started": started,
        "command": " ".join(["benchmarks/run.py", *sys.argv[1:]]),
        "machine": info,
        "results": [asdict(r) for r in results],
    }
    if args.json:
        args.json.write_text(json.dumps(run, indent=1) + "\n")
    print(report([run]))


if __name__ == "__main__":
    main()
