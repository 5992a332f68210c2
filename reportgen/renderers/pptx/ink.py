"""The logo's ink: the mean colour of its visible pixels, which the planner needs to decide where the logo
needs a plate. The deck's only use of Pillow; no python-pptx, so the handout, which draws the same plan, reads
it too."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...theme import Theme
    from .spec import Canvas


def logo_ink(theme: Theme, canvas: Canvas) -> str | None:
    """The mean colour ("#RRGGBB") of the visible pixels of the theme's logo, "" when none are visible: what
    the planner needs to decide where the logo would not stand out from a coloured ground. None when there
    is no logo, or no plain-coloured ground on the canvas to set it on (then the image is not decoded)."""
    image = theme.logo_image
    if image is None:
        return None
    layouts = canvas.layouts
    if layouts is not None and not any(frame.background for frame in (layouts.cover, layouts.section, layouts.content)):
        return None
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(image.data)) as picture:
        picture.draft("RGB", (64, 64))  # JPEG: decode at a fraction of the size
        small = picture.convert("RGBA").resize((32, 32))
    raw = small.tobytes()
    pixels = [raw[i : i + 4] for i in range(0, len(raw), 4) if raw[i + 3] >= 128]
    if not pixels:
        return ""
    mean = tuple(round(sum(p[channel] for p in pixels) / len(pixels)) for channel in range(3))
    return "#{:02X}{:02X}{:02X}".format(*mean)
