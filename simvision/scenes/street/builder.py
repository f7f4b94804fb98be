"""Accumulates the objects of one street scene: ids, footprints and lamps, in placement order."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simvision.scenes.street.placement import Ground, footprint
from simvision.scenes.street.spec import LampSpec, MaterialSpec, ObjectSpec


@dataclass
class SceneBuilder:
    ground: Ground = field(default_factory=Ground)
    objects: list[ObjectSpec] = field(default_factory=list)
    lamps: list[LampSpec] = field(default_factory=list)
    groups: int = 0

    def new_group(self) -> int:
        self.groups += 1
        return self.groups

    def add(
        self,
        cls: str,
        kind: str,
        position: np.ndarray | tuple,
        yaw: float,
        size: tuple[float, float, float],
        materials: tuple[MaterialSpec, ...],
        variant: int = 0,
        group: int = 0,
        tags: tuple[str, ...] = (),
        asset: dict | None = None,
    ) -> ObjectSpec:
        obj = ObjectSpec(
            id=len(self.objects) + 1,
            cls=cls,
            kind=kind,
            position=tuple(round(float(v), 4) for v in position),
            yaw=round(float(yaw), 5),
            size=tuple(round(float(v), 4) for v in size),
            variant=variant,
            materials=materials,
            group=group,
            tags=tags,
            asset=asset,
        )
        self.objects.append(obj)
        return obj

    def try_place(
        self,
        position: np.ndarray,
        yaw: float,
        length: float,
        width: float,
        margin: float = 0.3,
        post: bool = False,
    ) -> bool:
        """Reserve a footprint at ``position`` if nothing is there yet (``post``: a thin post, which may stand in
        a grass verge)."""
        return self.ground.claim(footprint(position[0], position[1], yaw, length, width, margin), post)
