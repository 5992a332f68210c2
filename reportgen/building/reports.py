"""Shard reports combined: the --json reports of a CI matrix's jobs read back into one summary and verdict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputError

STATUSES = ("built", "failed", "up_to_date")


def read_report(path: Path) -> dict[str, Any]:
    """One report written by `build --json`; OutputError when it is missing or is not such a report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise OutputError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise OutputError(
            f"{path}: not JSON ({error}); expected a report written by `reportgen build --json`"
        ) from None
    if not (isinstance(document, dict) and isinstance(document.get("targets"), list)):
        raise OutputError(f"{path}: not a report written by `reportgen build --json` (no list of targets)")
    return document


def merge_reports(paths: Sequence[Path]) -> dict[str, Any]:
    """The reports' targets in one report, in the order given, with the summary counted again and
    "duplicates" naming every output that two reports claim (shards that overlap)."""
    targets: list[dict[str, Any]] = []
    owners: dict[str, Path] = {}
    duplicates: list[str] = []
    for path in paths:
        for target in read_report(path)["targets"]:
            targets.append(target)
            for output in target.get("outputs", []):
                name = str(output.get("path", "")) if isinstance(output, dict) else str(output)
                if name in owners and owners[name] != path:
                    duplicates.append(f"{name}: in {owners[name]} and {path}")
                owners.setdefault(name, path)
    summary = {s: sum(t.get("status", "").replace(" ", "_") == s for t in targets) for s in STATUSES}
    return {"summary": summary, "targets": targets, "reports": [str(p) for p in paths], "duplicates": duplicates}


def summary_line(merged: dict[str, Any]) -> str:
    """The closing line `build` prints, for the merged reports: "7 built, 1 failed, 12 up to date (4 reports)"."""
    s = merged["summary"]
    return f"{s['built']} built, {s['failed']} failed, {s['up_to_date']} up to date ({len(merged['reports'])} reports)"
