"""Traffic signs, signals and poles placed as towns have them (issue 15): plates on posts near the kerb at
2-2.5 m, several per block side, signals at junctions facing the camera; sign meshes and their face decals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import load_scene
from simvision.scenes.street import models, road
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import sign_face
from simvision.world.assets import signs
from simvision.world.assets.primitives import signed_volume

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def specs():
    scene = load_scene(ROOT / "scenes" / "street.yaml")
    canvas = scene_canvas(scene)
    return [sample(rng_for(3, i, "scene"), scene.params, canvas) for i in range(12)]


@pytest.mark.parametrize("design", range(len(signs.DESIGNS)))
def test_sign_plate_is_closed_and_its_face_is_slot_0(design):
    w, h = signs.plate_size(np.random.default_rng(design), design)
    mesh = models.sign((0.03, w, h), design)
    assert signed_volume(mesh.vertices, mesh.faces) > 0
    front = mesh.faces[mesh.slots == 0]
    assert len(front) and np.allclose(mesh.vertices[front][..., 0], 0.015)
    assert (mesh.slots[mesh.slots != 0] == 1).all()
    lo, hi = mesh.vertices.min(axis=0), mesh.vertices.max(axis=0)
    assert hi[1] - lo[1] <= w + 1e-9 and lo[2] >= -1e-9 and hi[2] <= h + 1e-9
    img = signs.sign_image(design)
    assert img.dtype == np.uint8 and img.shape[1] == signs.PX and not img.flags.writeable
    assert all(0 <= c <= 1 for c in signs.face_colour(design))


def test_signs_stand_at_the_kerb_on_posts_at_plate_height(specs):
    for spec in specs:
        lay = spec.layout
        plates = [o for o in spec.objects if o.cls == "traffic sign"]
        assert len(plates) >= 6, "a street has several signs"
        poles = {o.group for o in spec.objects if o.cls == "pole"}
        for o in plates:
            assert o.group in poles, "every plate hangs on a pole"
            assert 2.0 - 1e-6 <= o.position[2] - road.KERB <= 4.0  # the bottom edge over the sidewalk
            assert 0.15 <= o.size[2] <= 1.0 and 0.5 <= o.size[1] <= 1.4
            # on its post, just in front of it
            x, y = o.position[0], o.position[1]
            post = [p for p in spec.objects if p.group == o.group and p.cls == "pole"]
            assert min(np.hypot(x - p.position[0], y - p.position[1]) for p in post) < 0.2
            if np.cos(o.yaw - road.yaw_along(lay, 0.0)) < 0 and lay.curvature == 0:  # facing the camera
                assert signs.DESIGNS[o.variant].name != "no_entry"
        sides = {np.sign(o.position[0]) for o in plates if lay.curvature == 0}
        assert not sides or sides == {-1.0, 1.0}


def test_a_junction_has_signals_facing_the_camera(specs):
    junctions = [s for s in specs if s.layout.junction_at is not None]
    assert junctions
    for spec in junctions:
        heads = [o for o in spec.objects if o.cls == "traffic light"]
        # facing the camera: local +x (the lenses) points back along -s; on a straight road -s is -Y
        towards = [o for o in heads if np.sin(o.yaw) < -0.9]
        assert len(towards) >= 2 or spec.layout.curvature != 0


def test_sign_face_decal_lies_on_the_front_face():
    design = signs.INDEX["speed_30"]
    from simvision.scenes.street.spec import MaterialSpec, ObjectSpec

    obj = ObjectSpec(
        id=1,
        cls="traffic sign",
        kind="sign",
        position=(1.0, 2.0, 2.3),
        yaw=0.7,
        size=(0.03, 0.7, 0.7),
        variant=design,
        materials=(MaterialSpec(color=(0.5, 0.5, 0.5)),),
    )
    decal = sign_face(obj)
    mesh = models.sign(obj.size, design).placed(obj.position, obj.yaw)
    front = mesh.vertices[np.unique(mesh.faces[mesh.slots == 0])]
    c = decal.corners
    n = np.cross(c[1] - c[0], c[3] - c[0])
    n /= np.linalg.norm(n)
    assert np.allclose((front - c[0]) @ n, 0, atol=1e-6)  # the face is the decal's plane
    # not mirrored: the image's rows run left to right as a viewer in front of the plate sees it (local +y)
    assert (c[1] - c[0]) @ np.array([-np.sin(obj.yaw), np.cos(obj.yaw), 0]) > 0
    assert (c[3] - c[0])[2] < 0  # and top to bottom
    u = (front - c[0]) @ (c[1] - c[0]) / np.sum((c[1] - c[0]) ** 2)
    v = (front - c[0]) @ (c[3] - c[0]) / np.sum((c[3] - c[0]) ** 2)
    assert u.min() >= -1e-6 and u.max() <= 1 + 1e-6 and v.min() >= -1e-6 and v.max() <= 1 + 1e-6
