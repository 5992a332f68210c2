"""The cost of actions: 800 sessions with three actions each against the same 800 sessions without.

Writes sessions-800-actions.yaml beside sessions-800.yaml (made by generate.py if missing): every session
gets three seeded actions (owner, due date, status, one or two SDG targets). Then builds each source in
each format in a fresh process, best of REPEATS, and prints the time and peak memory (max RSS) of each
pair with the ratio. The issue's budget: time within 15%, memory within 10%.

    python benchmarks/actions.py [--repeats N]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
OWNERS = ("ILO", "Alliance 8.7 Secretariat", "National pathfinder focal points", "Business networks", "UNICEF")
STATUSES = ("open", "open", "in progress", "done", "dropped")
TARGETS = ("8.7", "12.6", "16.2", "17.17", "4.1", "1.3")


def with_actions(text: str, seed: int = 7) -> str:
    """The source `text` (a generated one: plain YAML) with three seeded actions in every session."""
    import yaml

    rng = random.Random(seed)
    data = yaml.safe_load(text)
    n = 0
    for day in data["days"]:
        for session in day["sessions"]:
            session["actions"] = []
            for _ in range(3):
                n += 1
                session["actions"].append(
                    {
                        "action": f"Publish the follow-up note {n} with the partners of the session",
                        "owner": rng.choice(OWNERS),
                        "due": f"20{rng.randint(26, 28)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "status": rng.choice(STATUSES),
                        "id": f"action-{n}",
                        "sdg": rng.sample(TARGETS, rng.randint(1, 2)),
                    }
                )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


_RUN = """
import resource, sys, time
from reportgen.cli import main
start = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def measure(source: Path, fmt: str) -> tuple[float, int]:
    """Seconds and peak kilobytes (max RSS) of one `reportgen build` of `source` in `fmt`, in a process of
    its own, rendering in that process (-j 1 renders in place)."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", _RUN, "build", str(source), "-f", fmt, "-o", out, "-q", "-j", "1", "--force"],
            check=True,
            capture_output=True,
            text=True,
            env={"SOURCE_DATE_EPOCH": "1767225600", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(HERE.parent)},
        )
    seconds, peak = done.stderr.split()[-2:]
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    plain = DATA / "sessions-800.yaml"
    if not plain.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py")], check=True)
    actions = DATA / "sessions-800-actions.yaml"
    actions.write_text(with_actions(plain.read_text()))
    for fmt in ("docx", "pdf", "pptx"):
        results = []
        for source in (plain, actions):
            runs = [measure(source, fmt) for _ in range(args.repeats)]
            results.append((min(t for t, _ in runs), max(m for _, m in runs)))
        (t0, m0), (t1, m1) = results
        print(
            f"{fmt}: {t0:.2f} s -> {t1:.2f} s ({(t1 / t0 - 1) * 100:+.1f}%), "
            f"{m0 / 1024:.0f} MB -> {m1 / 1024:.0f} MB ({(m1 / m0 - 1) * 100:+.1f}%)"
        )


if __name__ == "__main__":
    main()
