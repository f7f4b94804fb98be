"""Blender's own motion vectors (Cycles' Vector pass) for one clip frame, to check the exact geometric flow with.

Not a source of labels: clips take their flow from geometry (:mod:`simvision.world.flow`). This renders frame ``f``
with every moving object and the camera keyframed at ``f - 1``, ``f`` and ``f + 1`` and reads Cycles' Vector pass,
so a test can compare the two (tests/render/blender/test_blender_vectors.py: median |difference| ~1e-4 px on
rigid pixels visible in both frames, i.e. float rounding).

Conventions of the pass (Blender 4.2, Cycles; found with a static scene whose camera only moves sideways, where the
exact flow is a known uniform shift):

- Cycles writes the Vector pass only with motion blur off; it then evaluates the scene one frame before and one
  frame after the current one, so the keys at ``f - 1`` and ``f + 1`` are what it measures.
- The four channels X, Y, Z, W of ``ViewLayer.Vector`` hold, per pixel, in pixels of the rendered resolution:
  (X, Y) = position in frame ``f - 1`` minus position in frame ``f`` ("to previous"), (Z, W) = position in frame
  ``f`` minus position in frame ``f + 1``, i.e. the *negated* forward flow. Both use Blender's raster y axis, which
  points up. So with simvision's convention (x right, y down, flow a -> b = landing point - pixel centre):
  ``forward = (-Z, +W)`` and ``backward = (X, -Y)``.
- The background (sky: no surface hit) gets a zero vector, even when the camera turns; the exact flow moves the sky
  with the camera's rotation, so comparisons leave sky pixels out.
- The EXR that Blender saves stores rows top first (as the index and depth passes), so no row flip is needed.
- Rendered like the label pass: one sample, a 0.01 px box filter (so each pixel's vector is that of the surface at
  its centre, as for the index and depth passes), flat material, no bounces, weather particles and fog hidden.
  Articulated objects (walk cycles) are keyed rigidly with their root: limbs get the root's motion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from simvision.render.blender.frame import _render, _save, _scratch, build_scene, label_pass_settings
from simvision.render.blender.session import bpy
from simvision.world.camera import PinholeCamera
from simvision.world.motion import FrameWorld, between
from simvision.world.world import World

KEY = 10  # the scene frame the rendered frame is keyed at (Blender frames; any frame >= 2 works)


@dataclass(frozen=True)
class Vectors:
    """Cycles' Vector pass of one frame in simvision's axes (pixels, x right, y down), with that render's labels."""

    forward: np.ndarray  # (H,W,2) float32: to frame f + 1
    backward: np.ndarray  # (H,W,2) float32: to frame f - 1
    ids: np.ndarray  # (H,W) int32 instance ids of the same render
    depth: np.ndarray  # (H,W) float32 planar depth (inf: sky)
    raw: np.ndarray  # (H,W,4) the pass as Blender wrote it (X, Y, Z, W)


def _keyframe(ob: Any, matrices: Mapping[int, np.ndarray]) -> None:
    """Key ``ob``'s whole transform at each Blender frame -> (4,4) matrix_world."""
    from mathutils import Matrix

    ob.rotation_mode = "QUATERNION"
    for frame, m in sorted(matrices.items()):
        ob.matrix_world = Matrix(np.asarray(m, np.float64).tolist())
        for path in ("location", "rotation_quaternion", "scale"):
            ob.keyframe_insert(path, frame=frame)
    for fc in ob.animation_data.action.fcurves:
        for k in fc.keyframe_points:
            k.interpolation = "LINEAR"


def _read(path: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import OpenEXR

    with OpenEXR.File(str(path)) as f:
        ch = f.channels()
        raw = np.stack([ch[f"ViewLayer.Vector.{c}"].pixels for c in "XYZW"], axis=-1).astype(np.float32)
        index = ch["ViewLayer.IndexOB.X"].pixels
        depth = ch["ViewLayer.Depth.Z"].pixels
    depth = np.where(depth >= 1e9, np.inf, depth).astype(np.float32)
    return raw, np.rint(index).astype(np.int32), depth


def render_vectors(
    world: World,
    settings: Any,
    camera_next: PinholeCamera,
    motion_next: Mapping[int, np.ndarray],
    camera_prev: PinholeCamera | None = None,
    motion_prev: Mapping[int, np.ndarray] | None = None,
) -> Vectors:
    """Render ``world`` (frame f) with Cycles' Vector pass. ``motion_next`` / ``motion_prev``: instance id ->
    (4,4) rigid transform carrying the object's frame-f world points to frame f + 1 / f - 1 (absent: static);
    ``camera_next`` / ``camera_prev``: the camera there (``camera_prev`` None: the camera stood still before f).
    Objects are built in world coordinates, so each moving one is keyed identity at f and its transform around it."""
    hidden, _ = build_scene(world, settings)
    b = bpy()
    scene = b.context.scene
    label_pass_settings(hidden)  # one sample, flat material, weather hidden: the vectors of geometry only
    scene.render.use_motion_blur = False  # Cycles writes the Vector pass only without motion blur
    scene.cycles.pixel_filter_type = "BOX"
    scene.cycles.filter_width = 0.01  # the single sample at the pixel centre
    scene.view_layers[0].use_pass_vector = True
    scene.frame_start, scene.frame_end = KEY - 1, KEY + 1
    cam = scene.camera
    prev = camera_prev if camera_prev is not None else world.pinhole()
    _keyframe(cam, {KEY - 1: prev.blender_matrix_world(), KEY: world.pinhole().blender_matrix_world(),
                    KEY + 1: camera_next.blender_matrix_world()})  # fmt: skip
    ids = set(motion_next) | set(motion_prev or {})
    for ob in scene.objects:
        if ob.type == "MESH" and ob.pass_index in ids and not ob.hide_render:
            eye = np.eye(4)
            _keyframe(ob, {KEY - 1: (motion_prev or {}).get(ob.pass_index, eye), KEY: eye,
                           KEY + 1: motion_next.get(ob.pass_index, eye)})  # fmt: skip
    scene.frame_set(KEY)
    _render()
    path = _scratch() / "vectors.exr"
    _save(path, "EXR")
    raw, index, depth = _read(path)
    forward = np.stack([-raw[..., 2], raw[..., 3]], axis=-1)
    backward = np.stack([raw[..., 0], -raw[..., 1]], axis=-1)
    return Vectors(forward, backward, index, depth, raw)


def clip_vectors(frame: Any, f: int, settings: Any) -> Vectors:
    """Cycles' vectors of clip frame ``f``; ``frame``: a scene kind's ``animate(spec, motion)`` (f -> FrameWorld).
    Articulated objects (walk cycles) are keyed rigidly with their root, so their limbs' vectors are approximate."""
    cur: FrameWorld = frame(f)
    nxt: FrameWorld = frame(f + 1)
    prv: FrameWorld | None = frame(f - 1) if f > 0 else None
    ids = set(cur.poses) | set(nxt.poses) | (set(prv.poses) if prv else set())
    motion_next = {i: between(cur, nxt, i) for i in ids}
    motion_prev = {i: between(cur, prv, i) for i in ids} if prv else None
    return render_vectors(
        cur.world, settings, nxt.world.pinhole(), motion_next,
        prv.world.pinhole() if prv else None, motion_prev,
    )  # fmt: skip
