"""The effect registry: every effect by name, and the scene-file union of their configs."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from simvision.augment import camera, ink, light, paper, sensor
from simvision.augment.base import Effect

#: The order stages run in, whatever order a scene file lists them: the print ages on the flat sheet (measured against
#: the bare paper, before any shading), the paper deforms, light falls on it, the camera looks at it, the sensor
#: records it.
STAGES = ("ink", "paper", "light", "camera", "sensor")

EFFECTS: dict[str, Effect] = {e.name: e for m in (paper, ink, light, camera, sensor) for e in m.EFFECTS}

EffectEntry = Annotated[Union[tuple(e.config for e in EFFECTS.values())], Field(discriminator="name")]  # noqa: UP007
