"""The value every asset builder returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simvision.world.mesh import Mesh

Size = tuple[float, float, float]


@dataclass(frozen=True)
class Asset:
    """A mesh in the local frame, its slot names (``mesh.slots`` index them) and named anchor points.

    ``anchors`` maps a name to an (N,3) array in the local frame, e.g. ``plate_front`` -> the plate quad's four
    corners (top-left, top-right, bottom-right, bottom-left seen from outside) on which the plate text is drawn.
    ``size`` is the declared footprint (length, width, height) the mesh stays inside, centred on the origin in
    x and y, from the ground up.
    """

    mesh: Mesh
    slots: tuple[str, ...]
    size: Size
    anchors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def triangle_count(self) -> int:
        return len(self.mesh.faces)
