"""Detailed procedural assets: one parametric builder per family, many variants from a seed.

Each family has a sampler ``sample_*(rng, ...) -> Params`` (plain, JSON-serialisable data) and a deterministic
builder ``build_*(params, ...) -> Asset``. An :class:`Asset` is a :class:`~simvision.geometry.mesh.Mesh` in the
local frame (x forward, y left, z up, origin on the ground under the centre), the names of its material slots and
named anchor points (number plate corners, a rider's saddle) the renderers or labels need.
"""

from simvision.world.assets.base import Asset

__all__ = ["Asset"]
