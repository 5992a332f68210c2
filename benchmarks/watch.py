"""Watch mode's rebuild against a cold build: the seed's three formats, after a save, in the warm process.

    python benchmarks/watch.py                 # 10 rounds
    python benchmarks/watch.py --repeat 20

Cold: `python -m reportgen build SEED --force -o TMP` as a fresh process, as a user runs it. Warm: what
`reportgen watch` does after a save, timed in its own process (reportgen.watch.Watcher.rebuild) from the
changed file's name to the three files written; the source's title alternates so that every save really
changes it. Prints both medians and the ratio warm/cold (the target: under 0.5).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "key-outcomes.yaml"
EPOCH = "1767225600"


def cold(source: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "reportgen", "build", str(source), "--force", "-q", "-o", str(out)]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    sys.path.insert(0, str(ROOT))
    from reportgen.cli import FORMATS, _cores
    from reportgen.options import RenderOptions
    from reportgen.watch import Watcher

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "key-outcomes.yaml"
        shutil.copy(SEED, source)
        text = source.read_text()
        colds = [cold(source, work / "cold") for _ in range(args.repeat)]
        watcher = Watcher([str(source)], work / "warm", FORMATS, RenderOptions(), jobs=_cores())
        watcher.build()
        warms = []
        for i in range(args.repeat):
            source.write_text(text.replace("title: Day 1", f"title: Day 1 ({i})", 1))
            start = time.perf_counter()
            report = watcher.rebuild([str(source)])
            warms.append(time.perf_counter() - start)
            assert report is not None and report.count("built") == 1, report and report.summary()
    c, w = statistics.median(colds), statistics.median(warms)
    print(f"cold build  {c * 1000:7.0f} ms (median of {len(colds)}; {min(colds) * 1000:.0f}-{max(colds) * 1000:.0f})")
    print(f"warm rebuild{w * 1000:7.0f} ms (median of {len(warms)}; {min(warms) * 1000:.0f}-{max(warms) * 1000:.0f})")
    print(f"warm/cold   {w / c:7.2f}   ({_cores()} cores)")


if __name__ == "__main__":
    main()
