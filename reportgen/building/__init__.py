"""Build: sources x formats -> files, written atomically, skipped when up to date, in parallel workers.

The package's modules: targets (what to build), files (the output folder), manifest (incremental builds),
workers (a target's formats rendered at once), batch (build, validate and their results).
"""

from __future__ import annotations

from .batch import BuildReport, Result, build, validate
from .files import STALE_TEMP_SECONDS, outputs_of, prepare_output_dir, write_atomically
from .targets import STDIN, Target, cached_theme, expand_sources, plan, read_target, shard, stem_of

__all__ = [
    "STALE_TEMP_SECONDS",
    "STDIN",
    "BuildReport",
    "Result",
    "Target",
    "build",
    "cached_theme",
    "expand_sources",
    "outputs_of",
    "plan",
    "prepare_output_dir",
    "read_target",
    "shard",
    "stem_of",
    "validate",
    "write_atomically",
]
