"""Generate the synthetic sources the benchmarks time: seeded, so every run measures the same bytes.

Writes into DIR (default: benchmarks/.data, which git ignores):

    sessions-8.yaml      sessions-8.md        one day of 8 sessions
    sessions-80.yaml     sessions-80.md       8 days of 10 sessions
    sessions-800.yaml    sessions-800.md      80 days of 10 sessions
    sessions-8000.yaml   sessions-8000.md     800 days of 10 sessions
    seed.md                                   data/key-outcomes.yaml as Markdown, for pandoc
    small/event-001.yaml ... event-200.yaml   200 small events of about 8 sessions each

Each session has a code (A, B, ...), a title, a moderator and rapporteur on about half of them, and 2-5
outcomes of 8-25 words drawn from the vocabulary of conference outcomes. The Markdown twin of each source
is what pandoc reads: `# title`, `## day`, `### code: title`, the roles line, `- outcome`.

    python benchmarks/generate.py [DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import string
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE / ".data"
SEED_SOURCE = HERE.parent / "data" / "key-outcomes.yaml"

SIZES = (8, 80, 800, 8000)
SESSIONS_PER_DAY = 10
SMALL_COUNT = 200
SMALL_SESSIONS = 8

# -- vocabulary --------------------------------------------------------------------------------------------

VERBS = (
    "Translate", "Develop", "Create", "Strengthen", "Advance", "Improve", "Coordinate", "Apply", "Make",
    "Include", "Avoid", "Emphasize", "Focus on", "Tackle", "Incorporate", "Analyse", "Build", "Share",
    "Support", "Align", "Invest in", "Map", "Prioritise", "Engage", "Monitor", "Measure", "Publish",
    "Establish", "Scale up", "Promote", "Ensure", "Review", "Integrate", "Harmonise", "Fund", "Train",
)  # fmt: skip
ADJECTIVES = (
    "meaningful", "transparent", "local", "national", "global", "shared", "responsible", "sustainable",
    "long-term", "ambitious", "practical", "common", "clear", "independent", "inclusive", "credible",
    "small-scale", "informal", "formal", "regional", "joint", "public", "private", "affected", "vulnerable",
    "sector-wide", "multi-stakeholder", "evidence-based", "gender-sensitive", "community-led",
)  # fmt: skip
NOUNS = (
    "commitments", "actions", "value chains", "supply chains", "stakeholders", "due diligence", "partnerships",
    "root causes", "child labour", "action plans", "learning", "results", "communities", "businesses",
    "mindsets", "standards", "metrics", "governments", "guidance", "remediation", "monitoring", "incentives",
    "definitions", "reporting", "systems", "companies", "suppliers", "workers", "farmers", "cooperatives",
    "trade unions", "civil society", "inspectors", "schools", "households", "wages", "living incomes",
    "data", "grievance mechanisms", "audits", "certification", "traceability", "trust", "capacity",
    "legislation", "enforcement", "social protection", "education", "policies", "investors", "buyers",
    "procurement", "risks", "impacts", "evidence", "pilots", "lessons", "tools", "networks", "platforms",
)  # fmt: skip
LINKS = (
    "with", "for", "across", "through", "among", "between", "within", "beyond", "alongside", "by way of",
    "in line with", "together with", "on behalf of", "as part of", "throughout",
)  # fmt: skip
CLOSINGS = (
    "and report on progress every year", "with the support of governments", "so that no one is left behind",
    "and know you are not alone", "even outside your particular supply chain", "before the next review",
    "at local and national level", "using best practice from pilot countries", "in the informal sector",
    "with Pathfinder countries taking the lead", "and avoid reinventing the wheel", "at every tier",
)  # fmt: skip
TITLE_TOPICS = (
    "Doing due diligence", "Transparency & Traceability", "Monitoring of child labour", "Remediation",
    "Due diligence legislation", "Area-based approaches", "Living incomes", "Responsible sourcing",
    "Social dialogue", "Data for action", "Education and skills", "Public procurement", "Finance and investors",
    "Smallholder farmers", "Informal economy", "Forced labour risks", "Grievance mechanisms", "Certification",
)  # fmt: skip
TITLE_TAILS = (
    "what lessons can be learnt", "from commitments to action", "a collaborative approach",
    "the role of business", "what works and why", "next steps", "scaling up", "the view from the ground",
    "tools and metrics", "building trust",
)  # fmt: skip
FIRST_NAMES = (
    "Amélie", "João", "Fatima", "Kwame", "Priya", "Lars", "Mei", "Carlos", "Aisha", "Tomás", "Ingrid",
    "Olusegun", "Hana", "Mateo", "Zeynep", "Nikolai", "Grace", "Ravi", "Sofia", "Jean-Pierre",
)  # fmt: skip
LAST_NAMES = (
    "Lefèvre", "Gonçalves", "Mensah", "Sharma", "Andersen", "Chen", "Rodríguez", "Diallo", "Novak", "Okafor",
    "Tanaka", "García", "Yılmaz", "Petrov", "Müller", "O'Brien", "Nguyen", "Kowalski", "Haddad", "Silva",
)  # fmt: skip


def _outcome(rng: random.Random) -> str:
    """One outcome sentence of 8-25 words, in the imperative like the seed's, built from whole phrases."""

    def object_phrase() -> list[str]:
        adjective = [rng.choice(ADJECTIVES)] if rng.random() < 0.5 else []
        return adjective + rng.choice(NOUNS).split()

    target = rng.randint(8, 25)
    words = rng.choice(VERBS).split() + object_phrase()
    while len(words) < target:
        roll = rng.random()
        if roll < 0.15:
            unit = rng.choice(CLOSINGS).split()
        elif roll < 0.35:
            unit = ["and", *rng.choice(VERBS).lower().split(), *object_phrase()]
        else:
            unit = rng.choice(LINKS).split() + object_phrase()
        if len(words) + len(unit) > 25:
            if len(words) >= 8:
                break
            continue
        if unit[0] == "and" and rng.random() < 0.5:
            words[-1] += ","
        words += unit
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _session(rng: random.Random, index: int) -> dict[str, Any]:
    title = rng.choice(TITLE_TOPICS)
    if rng.random() < 0.6:
        title = f"{title}: {rng.choice(TITLE_TAILS)}"
    session: dict[str, Any] = {"code": _code(index), "title": title}
    if rng.random() < 0.5:
        session["moderator"] = _person(rng)
        session["rapporteur"] = _person(rng)
    session["outcomes"] = [_outcome(rng) for _ in range(rng.randint(2, 5))]
    return session


def _code(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: a day never holds more than a few, but stay unique regardless."""
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def make_event(sessions: int, seed: int, per_day: int = SESSIONS_PER_DAY, name: str = "") -> dict[str, Any]:
    """A source (as plain data) of `sessions` sessions spread over days of at most `per_day` each."""
    rng = random.Random(seed)
    days = []
    remaining, number = sessions, 1
    while remaining > 0:
        count = min(per_day, remaining)
        days.append({"title": f"Day {number}", "sessions": [_session(rng, i) for i in range(count)]})
        remaining -= count
        number += 1
    event = {
        "title": name or f"Global Forum on Responsible Supply Chains ({sessions:,} sessions)",
        "subtitle": "Key outcomes of the breakout sessions",
        "date": "24–25 June 2026",
        "venue": "World Conference Centre, The Hague",
        "organiser": "Alliance 8.7 Secretariat & Partners",
    }
    return {"event": event, "days": days}


# -- writing -----------------------------------------------------------------------------------------------


def to_yaml(data: dict[str, Any]) -> str:
    """The source as a person would write it: keys in order, text unwrapped, non-ASCII kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def roles_line(session: dict[str, Any]) -> str:
    """ "Moderator: …  ·  Rapporteur: …", or "" when the session names neither."""
    labels = (("moderator", "Moderator"), ("rapporteur", "Rapporteur"))
    return "  ·  ".join(f"{label}: {session[key]}" for key, label in labels if session.get(key))


def _md_escape(text: str) -> str:
    """Text as a literal Markdown inline: characters pandoc would read as markup are backslash-escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|$~^@" else ch for ch in text)


def to_markdown(data: dict[str, Any]) -> str:
    """The Markdown twin of a source: # title, ## day, ### session, its roles line, - outcomes."""
    meta = data["event"]
    lines = [f"# {_md_escape(meta['title'])}", ""]
    details = [meta.get(k) for k in ("subtitle", "date", "venue", "organiser") if meta.get(k)]
    if details:
        lines += [_md_escape(" · ".join(details)), ""]
    for day in data["days"]:
        lines += [f"## {_md_escape(day['title'])}", ""]
        for session in day["sessions"]:
            lines += [f"### {_md_escape(session['code'])}: {_md_escape(session['title'])}", ""]
            if roles := roles_line(session):
                lines += [_md_escape(roles), ""]
            lines += [f"- {_md_escape(o)}" for o in session["outcomes"]]
            lines.append("")
    return "\n".join(lines)


def generate(out_dir: Path, seed: int = 2026) -> list[Path]:
    """Write every benchmark input into `out_dir`; return the paths written. Same seed, same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        data = make_event(size, seed + size)
        for suffix, text in ((".yaml", to_yaml(data)), (".md", to_markdown(data))):
            path = out_dir / f"sessions-{size}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    seed_md = out_dir / "seed.md"
    seed_md.write_text(to_markdown(yaml.safe_load(SEED_SOURCE.read_text(encoding="utf-8"))), encoding="utf-8")
    written.append(seed_md)
    small = out_dir / "small"
    small.mkdir(exist_ok=True)
    for n in range(1, SMALL_COUNT + 1):
        data = make_event(SMALL_SESSIONS, seed * 1000 + n, name=f"Regional Forum {n}: key outcomes")
        path = small / f"event-{n:03d}.yaml"
        path.write_text(to_yaml(data), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_DIR, help=f"default: {DEFAULT_DIR}")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    args = parser.parse_args()
    written = generate(args.out_dir, args.seed)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({total / 1e6:.1f} MB) into {args.out_dir}")


if __name__ == "__main__":
    main()
