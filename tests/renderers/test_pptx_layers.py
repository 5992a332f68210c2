"""The deck renderer's layers: the planner is pure (no python-pptx, no Pillow), and python-pptx still loads
as soon as the registry hands out the renderer, as a build's workers expect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "data" / "key-outcomes.yaml"


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()


def test_the_planner_imports_and_plans_without_python_pptx_or_pillow() -> None:
    code = (
        "import sys\n"
        "from reportgen.renderers.pptx.plan import plan_slides\n"
        "print(sorted({'pptx', 'PIL'} & set(sys.modules)))\n"
        "from reportgen.errors import Reporter\n"
        "from reportgen.loader import load_event\n"
        "from reportgen.theme import Theme\n"
        f"plan = plan_slides(load_event({str(SEED)!r}), Theme(), Reporter())\n"
        "print(len(plan), plan[0].kind.name, plan[1].kind.name)\n"
        "print(sorted({'pptx', 'PIL'} & set(sys.modules)))\n"
    )
    imported, planned, after = _run(code)
    assert imported == after == "[]"
    count, first, second = planned.split()
    assert int(count) > 3 and (first, second) == ("TITLE", "AGENDA")


def test_the_registry_loads_python_pptx_with_the_renderer() -> None:
    code = (
        "import sys\nimport reportgen.renderers.pptx\nprint('pptx' in sys.modules)\n"
        "from reportgen import renderers\nrenderer = renderers.get('pptx')\n"
        "print('pptx' in sys.modules, renderer is renderers.get('pptx'), renderer.name)\n"
    )
    assert _run(code) == ["False", "True True pptx"]
