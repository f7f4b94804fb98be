"""KITTI 3D boxes from a pitched and rolled street camera, read back with the KITTI devkit's own formulas.

The devkit (C++/MATLAB only, see MEASURED.md) is reproduced from its readme and ``computeBox3D``: corners from h, w, l
about the bottom-centre ``location``, turned by ``rotation_y`` about the rectified camera's y axis, and projected by
``P2`` (labels live in rectified coordinates; points in the reference camera go through ``P2 · R0_rect``). The truth
is the object's own mesh from the sample's spec and the camera that rendered it.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from simvision.balance import deep_merge
from simvision.pipeline import generate
from simvision.registry import get_generator
from simvision.rle import decode
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.geometry import object_mesh
from simvision.writers.kitti import TYPES

PX_TOL = 0.01  # projected corner error, pixels
M_TOL = 0.01  # mesh vertices outside their label box, metres


def devkit_corners(h: float, w: float, length: float, loc: np.ndarray, ry: float) -> np.ndarray:
    """(8,3) box corners in rectified camera coordinates, exactly as the devkit's ``computeBox3D``."""
    R = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    x = np.array([1, 1, -1, -1, 1, 1, -1, -1]) * length / 2
    y = np.array([0, 0, 0, 0, -h, -h, -h, -h])
    z = np.array([1, -1, -1, 1, 1, -1, -1, 1]) * w / 2
    return (R @ np.stack([x, y, z])).T + loc


def project(P: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """(N,2) pixels of (N,3) points under a 3x4 projection (the devkit's ``projectToImage``)."""
    uvw = np.c_[pts, np.ones(len(pts))] @ P.T
    return uvw[:, :2] / uvw[:, 2:]


def read_calib(path: Path) -> dict[str, np.ndarray]:
    rows = dict(line.split(": ", 1) for line in path.read_text().splitlines())
    return {k: np.array(v.split(), np.float64) for k, v in rows.items()}


def chain(calib: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``P2`` and ``P2 · R0_rect`` (R0_rect padded to 4x4 as the readme says)."""
    P2, R0 = calib["P2"].reshape(3, 4), np.eye(4)
    R0[:3, :3] = calib["R0_rect"].reshape(3, 3)
    return P2, P2 @ R0


def true_corners(vertices: np.ndarray, position: tuple[float, float, float], yaw: float) -> np.ndarray:
    """(8,3) world corners of the footprint box: the mesh's bounds in the object's own frame (turned by ``yaw``)."""
    c, s = math.cos(yaw), math.sin(yaw)
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    local = (vertices - position) @ rot  # world -> object frame (rot^T, row-wise)
    lo, hi = local.min(axis=0), local.max(axis=0)
    grid = np.stack(np.meshgrid(*zip(lo, hi, strict=True), indexing="ij"), axis=-1).reshape(8, 3)
    return grid @ rot.T + position


@pytest.fixture(scope="module")
def tilted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kitti") / "ds"
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("320x240")
    # Into the raw params too: strata and edge cases re-validate those with their overrides laid over them.
    tilt = {"camera": {"pitch_deg": {"min": 2.0, "max": 6.0}, "roll_deg": {"min": 0.8, "max": 1.5}}}
    raw = deep_merge(scene.raw_params, tilt)
    scene = replace(scene, raw_params=raw, params=scene.params.model_validate(raw), _variants={})
    generate(scene, out, n=3, seed=5, workers=1, formats="kitti")
    return out


def labeled(out: Path):
    """(record, spec, calib, instance, label columns) for every non-DontCare KITTI object."""
    model = get_generator("street").spec_model
    for path in sorted((out / "records").glob("*.json")):
        rec = json.loads(path.read_text())
        spec = model.model_validate(rec["spec"])
        assert abs(spec.camera.pitch_deg) > 1 and abs(spec.camera.roll_deg) > 0.5
        calib = read_calib(out / f"kitti/calib/{rec['name']}.txt")
        lines = (out / f"kitti/label_2/{rec['name']}.txt").read_text().splitlines()
        insts = [i for i in rec["instances"] if i["class"] in TYPES]
        for inst, line in zip(insts, lines, strict=True):
            cols = line.split()
            assert len(cols) == 15
            assert cols[0] == ("DontCare" if inst["too_faint"] else TYPES[inst["class"]])
            if cols[0] != "DontCare":
                yield rec, spec, calib, inst, cols


def test_label_boxes_project_onto_the_true_boxes(tilted):
    n = 0
    for _rec, spec, calib, inst, cols in labeled(tilted):
        cam = spec.pinhole()
        P2, P2R0 = chain(calib)
        # The rectified frame the calib implies (label point -> camera point) must be level: its y axis straight
        # down in the world, so that a turn about it (rotation_y) is a turn about the vertical.
        assert np.allclose(P2[:, 3], 0)
        to_cam = np.linalg.inv(cam.K) @ P2R0[:, :3]
        assert np.allclose(to_cam @ to_cam.T, np.eye(3), atol=1e-9)
        assert np.allclose(cam.rotation.T @ to_cam[:, 1], [0, 0, -1], atol=1e-9), "rect frame is not level"
        h, w, length, x, y, z, ry = (float(v) for v in cols[8:15])
        box = devkit_corners(h, w, length, np.array([x, y, z]), ry)
        obj = spec.objects[inst["id"] - 1]
        truth = true_corners(object_mesh(obj, spec).vertices, obj.position, obj.yaw)
        truth_px = cam.project(cam.to_camera(truth))
        for P in (P2, P2R0):  # the devkit's label projection, and the readme's chain without the lidar step
            uv = project(P, box)
            err = np.linalg.norm(uv[:, None] - truth_px[None], axis=2)  # corner orders differ
            match = err.argmin(axis=1)
            assert sorted(match) == list(range(8)), "label corners do not pair up with the true corners"
            assert err[range(8), match].max() < PX_TOL, (cols, err[range(8), match])
        n += 1
    assert n >= 10


def test_mesh_lies_in_its_label_box_which_is_tight(tilted):
    for _rec, spec, calib, inst, cols in labeled(tilted):
        cam = spec.pinhole()
        to_cam = np.linalg.inv(cam.K) @ chain(calib)[1][:, :3]  # rect -> camera, as the calib says
        obj = spec.objects[inst["id"] - 1]
        rect = cam.to_camera(object_mesh(obj, spec).vertices) @ to_cam  # camera -> rect (to_cam^T, row-wise)
        h, w, length, x, y, z, ry = (float(v) for v in cols[8:15])
        c, s = math.cos(ry), math.sin(ry)
        Ry = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
        local = (rect - [x, y, z]) @ Ry  # rect -> box frame: x along l, y down from the bottom, z along w
        lo, hi = np.array([-length / 2, -h, -w / 2]), np.array([length / 2, 0.0, w / 2])
        assert (local >= lo - M_TOL).all() and (local <= hi + M_TOL).all(), (cols, local.min(0), local.max(0))
        assert np.abs(local.min(axis=0) - lo).max() < M_TOL and np.abs(local.max(axis=0) - hi).max() < M_TOL


def test_alpha_and_visible_boxes(tilted):
    for rec, _spec, _calib, inst, cols in labeled(tilted):
        alpha, x, z, ry = float(cols[3]), float(cols[11]), float(cols[13]), float(cols[14])
        want = (ry - math.atan2(x, z) + math.pi) % (2 * math.pi) - math.pi
        assert abs((alpha - want + math.pi) % (2 * math.pi) - math.pi) < 1e-5
        mask = decode(inst["rle"], rec["height"], rec["width"])
        rows, xs = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        visible = [xs[0], rows[0], xs[-1] + 1, rows[-1] + 1]  # pixel edges
        assert [float(v) for v in cols[4:8]] == visible == inst["bbox"]
