"""The effect registry: every effect by name, and the scene-file union of their configs."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from simvision.augment import camera, sensor
from simvision.augment.base import Effect

_MODULES = (camera, sensor)
try:  # paper and light effects live in their own modules
    from simvision.augment import light, paper

    _MODULES = (paper, camera, light, sensor)
except ImportError:  # pragma: no cover - during development only
    pass

EFFECTS: dict[str, Effect] = {e.name: e for m in _MODULES for e in m.EFFECTS}

EffectEntry = Annotated[Union[tuple(e.config for e in EFFECTS.values())], Field(discriminator="name")]  # noqa: UP007
