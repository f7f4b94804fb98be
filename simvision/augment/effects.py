"""The effect registry: every effect by name, and the scene-file union of their configs."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from simvision.augment import camera, light, paper, sensor
from simvision.augment.base import Effect

EFFECTS: dict[str, Effect] = {e.name: e for m in (paper, camera, light, sensor) for e in getattr(m, "EFFECTS", ())}

EffectEntry = Annotated[Union[tuple(e.config for e in EFFECTS.values())], Field(discriminator="name")]  # noqa: UP007
