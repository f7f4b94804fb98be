"""The Blender Cycles renderer: the only package that imports ``bpy`` (the optional ``blender`` extra).

``render_world(world, settings)`` builds the :class:`~simvision.world.world.World` in this process's Blender (kept alive between frames:
each frame clears and rebuilds the scene, it never restarts Blender), renders the beauty image, then takes the
labels from a hard-edged object-index + depth pass with fog and particles hidden.
"""

from __future__ import annotations

from typing import Any


def render_world(world: Any, settings: Any) -> Any:
    from simvision.render.blender.frame import render_frame

    return render_frame(world, settings)


def available() -> bool:
    """Whether ``bpy`` (and OpenEXR, to read the label pass) can be imported here."""
    import importlib.util

    return importlib.util.find_spec("bpy") is not None and importlib.util.find_spec("OpenEXR") is not None
