"""Time two revisions of reportgen against each other, interleaved, on the same inputs in the same minutes.

    python benchmarks/generate.py                            # once: the inputs, into benchmarks/.data
    python benchmarks/ab.py d30fe79                          # that revision (A) against the working tree (B)
    python benchmarks/ab.py d30fe79 HEAD --sizes seed,800 --repeat 15

Each round runs A then B (then B then A in the next round, so neither always goes first) as fresh
processes, `python -m reportgen build SOURCE --force -o TMP` with every format, as a user runs it. It prints
each case's medians, the ratio B/A and how far single runs spread. Both revisions run with this Python and
its installed libraries; A is exported with `git archive` into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DATA, EPOCH, SEED, export_tree


def source_of(size: str) -> Path:
    return SEED if size == "seed" else DATA / f"sessions-{size}.yaml"


def timed(tree: Path, source: Path, out: Path, formats: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte code is written and reused, as for an installed package
    command = [sys.executable, "-m", "reportgen", "build", str(source), "--force", "-q", "-o", str(out), "-f", formats]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=tree)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="the baseline revision")
    parser.add_argument("b", nargs="?", help="the revision to compare (default: the working tree)")
    parser.add_argument("--sizes", default="seed,800", help="comma-separated: seed, 8, 80, 800, 8000")
    parser.add_argument("--formats", default="docx,pdf,pptx")
    parser.add_argument("--repeat", type=int, default=11, help="rounds (default: 11)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        trees = {"A": export_tree(args.a, root / "a")}
        trees["B"] = export_tree(args.b, root / "b") if args.b else Path(__file__).resolve().parent.parent
        for size in args.sizes.split(","):
            source = source_of(size)
            samples: dict[str, list[float]] = {"A": [], "B": []}
            for name in trees:  # one untimed run each: byte code and font caches written
                timed(trees[name], source, root / "out", args.formats)
            for round_ in range(args.repeat):
                order = ("A", "B") if round_ % 2 == 0 else ("B", "A")
                for name in order:
                    samples[name].append(timed(trees[name], source, root / "out", args.formats))
            a, b = (statistics.median(samples[n]) for n in ("A", "B"))
            spread = {n: f"{min(s):.3f}-{max(s):.3f}" for n, s in samples.items()}
            print(
                f"{size:>5} {args.formats}: A {a:.3f} s ({spread['A']}), B {b:.3f} s ({spread['B']}), "
                f"B/A = {b / a:.3f} (medians of {args.repeat})"
            )


if __name__ == "__main__":
    main()
