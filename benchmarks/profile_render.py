"""Profile reportgen with cProfile: where the time of loading a source and rendering each format goes.

    python benchmarks/profile_render.py 800                 # load, then docx, pdf and pptx, one by one
    python benchmarks/profile_render.py 8000 -f pptx --top 30
    python benchmarks/profile_render.py seed --cli          # a whole `reportgen build`, imports included
    python benchmarks/profile_render.py 800 --rev 9d6a775   # reportgen as of a commit (as run.py --rev)

SIZE is "seed" (data/key-outcomes.yaml), a generated size (8, 80, 800, 8000) or a path to a source.
Without --cli the renderers are imported before profiling starts, so each profile is the render alone; the
import times are printed separately. --cli profiles `reportgen build SOURCE -f FORMATS -j1 --force` in
this process, the way a user's run spends it (imports, font look-ups, manifest, writing).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("docx", "pdf", "pptx")


def source_path(size: str) -> Path:
    if size == "seed":
        return HERE.parent / "data" / "key-outcomes.yaml"
    if size.isdigit():
        return HERE / ".data" / f"sessions-{size}.yaml"
    return Path(size)


def _where(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name  # a builtin, e.g. <method 'find' of 'lxml.etree._Element' objects>
    for marker in ("site-packages/", "/reportgen/", "/lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            if marker == "/reportgen/":
                filename = "reportgen/" + filename
            break
    return f"{filename}:{line}({name})"


def peak() -> str:
    """This process's peak resident memory so far."""
    return f"peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"


def summary(profile: cProfile.Profile, top: int) -> str:
    """The `top` functions by own time and by cumulative time, one compact line each."""
    stats = pstats.Stats(profile)
    rows = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _cc, _nc, tt, _ct, _callers in rows.values())
    lines = [f"total {total:.3f} s of profiled time", "", "by own time:", "    calls    own s    cum s  function"]
    by_own = sorted(rows.items(), key=lambda item: item[1][2], reverse=True)[:top]
    lines += [f"{nc:9d} {tt:8.3f} {ct:8.3f}  {_where(func)}" for func, (_cc, nc, tt, ct, _c) in by_own]
    lines += ["", "by cumulative time:", "    calls    own s    cum s  function"]
    by_cum = sorted(rows.items(), key=lambda item: item[1][3], reverse=True)[:top]
    lines += [f"{nc:9d} {tt:8.3f} {ct:8.3f}  {_where(func)}" for func, (_cc, nc, tt, ct, _c) in by_cum]
    return "\n".join(lines)


def profile_renders(source: Path, formats: list[str], top: int, save: Path | None) -> None:
    started = time.perf_counter()
    import reportgen
    from reportgen.errors import Reporter
    from reportgen.options import RenderOptions
    from reportgen.renderers import get

    print(f"import reportgen: {time.perf_counter() - started:.3f} s")
    for name in formats:
        started = time.perf_counter()
        get(name)
        print(f"import the {name} renderer: {time.perf_counter() - started:.3f} s")

    profile = cProfile.Profile()
    started = time.perf_counter()
    event = profile.runcall(reportgen.load_event, str(source))
    print(f"\n== load_event({source.name}): {time.perf_counter() - started:.3f} s wall; {peak()} ==")
    print(f"{len(event.days)} days, {len(event.sessions)} sessions, {event.outcome_count} outcomes")
    print(summary(profile, top))
    _save(profile, save, "load")

    options = RenderOptions()
    for name in formats:
        profile = cProfile.Profile()
        renderer = get(name)
        started = time.perf_counter()
        data = profile.runcall(renderer.render, event, options, Reporter())
        print(f"\n== render {name}: {time.perf_counter() - started:.3f} s wall, {len(data):,} bytes; {peak()} ==")
        print(summary(profile, top))
        _save(profile, save, name)


def profile_cli(source: Path, formats: list[str], top: int, save: Path | None) -> None:
    with tempfile.TemporaryDirectory() as out:
        sys.argv = ["reportgen", "build", str(source), "-o", out, "-f", ",".join(formats), "-j1", "--force", "-q"]
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        try:
            from reportgen.cli import main

            main()
        except SystemExit as done:
            if done.code not in (0, None):
                raise
        finally:
            profile.disable()
        elapsed = time.perf_counter() - started
        print(f"== reportgen build {source.name} -f {','.join(formats)}: {elapsed:.3f} s wall; {peak()} ==")
        print(summary(profile, top))
        _save(profile, save, "cli-" + "-".join(formats))


def _save(profile: cProfile.Profile, folder: Path | None, name: str) -> None:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(folder / f"{name}.prof")  # for snakeviz, or python -m pstats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help='"seed", 8, 80, 800, 8000 or a path to a source')
    parser.add_argument("-f", "--formats", default=",".join(FORMATS))
    parser.add_argument("--top", type=int, default=15, help="functions to list (default: 15)")
    parser.add_argument("--cli", action="store_true", help="profile a whole `reportgen build`, imports included")
    parser.add_argument("--save", type=Path, help="also write the raw .prof files into this folder")
    parser.add_argument("--rev", help="profile reportgen as of this git revision (default: the working tree)")
    args = parser.parse_args()
    if args.rev and os.environ.get("REPORTGEN_PROFILE_TREE") is None:
        # Export that revision (git archive) and start again with it first on the path.
        from run import DATA, export_tree

        tree = export_tree(args.rev, DATA / "trees" / args.rev)
        os.environ["REPORTGEN_PROFILE_TREE"] = str(tree)
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))
        os.execv(sys.executable, [sys.executable, *sys.argv])
    if not args.rev:
        sys.path.insert(0, str(HERE.parent))  # this working tree, not whichever reportgen is installed
    import reportgen

    print(f"reportgen from {Path(reportgen.__file__).parent}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    source = source_path(args.size)
    if not source.exists():
        parser.error(f"{source} does not exist; run python benchmarks/generate.py first")
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.cli:
        profile_cli(source, formats, args.top, args.save)
    else:
        profile_renders(source, formats, args.top, args.save)


if __name__ == "__main__":
    main()
