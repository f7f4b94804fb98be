"""Number plates in Blender: the plate texture is the 2D renderer's raster, held in memory, and reads on the car."""

from __future__ import annotations

import dataclasses
import os

import cv2
import numpy as np
import pytest

from simvision.render.blender import available

if not available():
    if os.environ.get("CI"):
        pytest.fail("bpy/OpenEXR missing: `make test` installs the blender extra", pytrace=False)
    pytest.skip("the blender extra is not installed", allow_module_level=True)

from simvision.render.blender import decals, frame, render_world  # noqa: E402
from simvision.render.blender.session import bpy  # noqa: E402
from simvision.render.world2d import render_world_2d  # noqa: E402
from simvision.scene import default_scene_dir, load_scene  # noqa: E402
from tests.render.test_plates import closeup, ncc, plate_pixels, plated, rectified  # noqa: E402


@pytest.fixture(scope="module")
def scene():
    s = load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size("320x240")
    return s.__class__(**{**s.__dict__, "render": s.render.model_copy(update={"samples": 8})})


@pytest.fixture(scope="module")
def world(scene):
    from simvision.rng import rng_for
    from simvision.sample import scene_canvas
    from simvision.scenes.street.generator import sample
    from simvision.scenes.street.geometry import compile_world

    return compile_world(sample(rng_for(0, 1, "scene"), scene.params, scene_canvas(scene)))


def test_plate_texture_is_the_2d_raster_packed_in_memory(scene, world):
    obj = plated(world)[0]
    frame.build_scene(closeup(world, obj, 0), scene.render)
    b = bpy()
    name = f"{obj.cls}.{obj.id}"
    images = [im for im in b.data.images if im.name.startswith(f"{name}.decal")]
    assert len(images) == 1  # front and rear share one raster
    img = images[0]
    assert img.packed_file is not None and img.filepath == ""  # packed, no file behind it
    assert np.array_equal(decals.raster(img), obj.decals[0].image)
    ob = b.data.objects[name]
    assert decals.UV_LAYER in ob.data.uv_layers
    users = [
        m
        for m in ob.data.materials
        if any(n.type == "TEX_IMAGE" and n.image == img for n in m.node_tree.nodes)
    ]
    assert len(users) == 1
    # every plate face maps inside the image, every other face outside it
    uv = decals.loop_uvs(obj.mesh, obj.decals).reshape(-1, 3, 2)
    inside = (uv >= -0.02).all(axis=(1, 2))
    plate_slot = obj.decals[0].slot
    assert inside.any() and (obj.mesh.slots[inside] == plate_slot).all()


def seen_plate(world):
    """The first (vehicle, plate, close-up view) whose close-up camera sees the plate: in a parked row the camera
    2.5 m out from a plate can stand inside or behind the next car, which then hides the plate in both renders."""
    for obj in plated(world):
        for k in range(len(obj.decals)):
            view = dataclasses.replace(closeup(world, obj, k), width=240, height=136)
            mask = np.zeros((view.height, view.width), np.uint8)
            cv2.fillConvexPoly(mask, np.round(plate_pixels(view, obj, k)).astype(np.int32), 1)
            if (render_world_2d(view).maps[0][mask == 1] == obj.id).mean() > 0.98:
                return obj, k, view
    raise AssertionError("no plate of this street is seen by its close-up camera")


def test_blender_plate_looks_like_the_2d_one(scene, world):
    obj, k, view = seen_plate(world)
    bl, flat = render_world(view, scene.render), render_world_2d(view)
    assert (bl.maps[0] == flat.maps[0]).mean() > 0.99  # the plate is part of the vehicle in both
    quad = plate_pixels(view, obj, k)
    pw = int(np.linalg.norm(quad[1] - quad[0]))
    size = (pw, round(pw * obj.decals[0].image.shape[0] / obj.decals[0].image.shape[1]))
    a, b = rectified(bl.image, quad, size), rectified(flat.image, quad, size)
    assert ncc(a, b) > 0.8, ncc(a, b)
