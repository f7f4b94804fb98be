"""The canvas a generator renders: the output frame, plus an optional margin (overscan) around it.

A virtual camera in the degradation stage looks at the scene at an angle; to show background where a flat render
would end, the generator renders a larger canvas and the camera (or a final crop) takes the frame out of it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Canvas:
    """``width`` x ``height`` pixels rendered; ``frame`` = (x0, y0, w, h), the output image within them."""

    width: int
    height: int
    frame: tuple[int, int, int, int]

    @staticmethod
    def for_output(width: int, height: int, overscan: float = 0.0) -> Canvas:
        """A canvas with ``overscan`` (fraction of the frame size) of margin on every side."""
        mx, my = int(round(width * overscan)), int(round(height * overscan))
        return Canvas(width + 2 * mx, height + 2 * my, (mx, my, width, height))

    @property
    def output_shape(self) -> tuple[int, int]:
        """(H, W) of the output image."""
        return self.frame[3], self.frame[2]
