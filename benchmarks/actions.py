"""The cost of actions: 800 sessions with three actions each against the same 800 sessions without.

Writes sessions-800-actions.yaml beside sessions-800.yaml (made by generate.py if missing): every session
gets three seeded actions (owner, due date, status, one or two SDG targets). Then builds each source in
each format in a fresh process, the two sources interleaved, REPEATS times, and prints the median time and
peak memory (max RSS) of each pair with the ratio, beside how much more the source and the document hold
(YAML events, pages or slides): the issue's budget is time within 15%, memory within 10%.

    python benchmarks/actions.py [--repeats N] [--formats docx,pdf,pptx]
"""

from __future__ import annotations

import argparse
import random
import statistics
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


def content(path: Path, fmt: str) -> str:
    """How much a built document holds: pages of a PDF, slides of a deck, kilobytes of a Word body."""
    import zipfile

    if fmt == "pdf":
        import pikepdf

        with pikepdf.open(path) as pdf:
            return f"{len(pdf.pages)} pages"
    with zipfile.ZipFile(path) as package:
        if fmt == "pptx":
            return f"{sum(1 for n in package.namelist() if n.startswith('ppt/slides/slide'))} slides"
        return f"{package.getinfo('word/document.xml').file_size // 1024} KB of document.xml"


def events(path: Path) -> int:
    """YAML events in a source: what parsing it costs, whatever is built from it."""
    import yaml

    return sum(1 for _ in yaml.parse(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--formats", default="docx,pdf,pptx")
    args = parser.parse_args()
    plain = DATA / "sessions-800.yaml"
    if not plain.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py")], check=True)
    actions = DATA / "sessions-800-actions.yaml"
    actions.write_text(with_actions(plain.read_text()))
    e0, e1 = events(plain), events(actions)
    print(f"source: {e0} -> {e1} YAML events ({(e1 / e0 - 1) * 100:+.0f}%)")
    for fmt in args.formats.split(","):
        runs: dict[Path, list[tuple[float, int]]] = {plain: [], actions: []}
        for _ in range(args.repeats):
            for source in (plain, actions):  # interleaved: the machine's drift touches both alike
                runs[source].append(measure(source, fmt))
        (t0, m0), (t1, m1) = (
            (statistics.median(t for t, _ in runs[s]), statistics.median(m for _, m in runs[s]))
            for s in (plain, actions)
        )
        with tempfile.TemporaryDirectory() as out:
            sizes = []
            for source in (plain, actions):
                subprocess.run(
                    [sys.executable, "-m", "reportgen", "build", str(source), "-f", fmt, "-o", out, "-q"],
                    check=True,
                    env={"SOURCE_DATE_EPOCH": "1767225600", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(HERE.parent)},
                )
                suffix = ".pdf" if fmt == "pdf" else f".{fmt}"
                sizes.append(content(Path(out) / f"{source.stem}{suffix}", fmt))
        print(
            f"{fmt}: {t0:.2f} s -> {t1:.2f} s ({(t1 / t0 - 1) * 100:+.1f}%), "
            f"{m0 / 1024:.0f} MB -> {m1 / 1024:.0f} MB ({(m1 / m0 - 1) * 100:+.1f}%); "
            f"document {sizes[0]} -> {sizes[1]}"
        )


if __name__ == "__main__":
    main()
