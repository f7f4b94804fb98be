"""Camera mountings: a dashcam behind the windscreen or a roof rig in the ego lane, a CCTV camera on a pole at the
kerb, or a pedestrian's eyes on the sidewalk. The camera is drawn before anything is placed, so its spot is
reserved (no object stands inside the ego vehicle, the pole or the pedestrian holding the camera, and a kerb-side
camera's sidewalk is kept clear just ahead of it, as one would choose the spot)."""

from __future__ import annotations

import numpy as np

from simvision.canvas import Canvas
from simvision.scenes.street import assets, road, traffic
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import EGO, VEHICLE_MOUNTS, CameraParams
from simvision.scenes.street.spec import CameraSpec, LayoutSpec, ObjectSpec
from simvision.world.assets.bonnet import sample_paint, solve_bonnet

CLEAR = 14.0  # metres of sidewalk kept free ahead of a kerb-side camera, from 1 m behind it
BEHIND = 6.0  # ... and from this far behind a pole-top camera (a street tree's crown, up to ~11 m across, behind it
# would wrap around the camera)


def _position(rng: np.random.Generator, layout: LayoutSpec, mount: str) -> tuple[float, int]:
    """(t across the road, side: -1 right kerb, +1 left kerb, 0 in a lane) of the camera at s = 0."""
    if mount in VEHICLE_MOUNTS:
        return traffic.lane_t(layout, traffic.camera_lane(layout)) + float(rng.uniform(-0.4, 0.4)), 0
    side = -1 if rng.random() < 0.5 else 1
    if mount == "cctv":  # a pole just behind the kerb
        return side * (layout.road_half + float(rng.uniform(0.3, 0.8))), side
    inner = max(0.7, layout.sidewalk_width - 0.4)
    return side * (layout.road_half + float(rng.uniform(0.6, inner))), side


def place_camera(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, c: CameraParams, canvas: Canvas
) -> CameraSpec:
    """The camera of ``c.mount``; reserves its footprint in ``b``."""
    t, side = _position(rng, layout, c.mount)
    along = road.yaw_along(layout, 0.5)
    if side == 0:
        b.try_place(road.to_world(layout, 0.5, t), along, 5.0, 2.0, margin=0.5)  # the ego vehicle
    else:  # the pole or the pedestrian, and a clear view along its sidewalk (no tree crown filling the frame)
        tc = side * (layout.road_half + layout.sidewalk_width / 2)
        back = BEHIND if c.mount == "cctv" else 1.0
        b.try_place(
            road.to_world(layout, (CLEAR - back) / 2, tc),
            along,
            CLEAR + back,
            layout.sidewalk_width,
            margin=0.0,
        )
    height = c.height.sample(rng)
    # a kerb-side camera turns towards the road: counter-clockwise (yaw > 0) from the right kerb (side -1)
    yaw = c.yaw_deg.sample(rng) * (-side if side else 1)
    pos = road.to_world(layout, 0.0, t, height)
    return CameraSpec(
        position=tuple(round(float(v), 4) for v in pos),
        yaw_deg=round(yaw, 4),
        pitch_deg=round(c.pitch_deg.sample(rng), 4),
        roll_deg=round(c.roll_deg.sample(rng), 4),
        focal_mm=round(c.focal_mm.sample(rng), 4),
        # the whole canvas is rendered: a margin for camera effects widens the sensor, not the focal length, so
        # the output frame in its middle is exactly the view without a margin
        sensor_mm=36.0 * canvas.width / canvas.frame[2],
    )


def bonnet(
    rng: np.random.Generator, b: SceneBuilder, camera: CameraSpec, c: CameraParams, canvas: Canvas
) -> ObjectSpec | None:
    """The ego car's bonnet (and dashboard) in front of a vehicle mount's camera, with ``c.bonnet.prob``: added
    last (the other objects keep their ids), at the camera, turned to its heading; no draw at all when the
    mount has no car, so those scenes keep their bytes. Its paint is drawn as other cars' is (fleet shares)."""
    p = c.bonnet
    if p.prob <= 0 or c.mount not in VEHICLE_MOUNTS or rng.random() >= p.prob:
        return None
    rows = p.rows.sample(rng)
    dash = p.dashboard.sample(rng) * rows if rng.random() < p.dashboard_prob else 0.0
    paint = sample_paint(rng)
    fx = camera.focal_mm / camera.sensor_mm * canvas.width
    params = solve_bonnet(rng, rows, dash, camera.pitch_deg, fx, canvas.frame[3], camera.position[2], paint)
    ref = assets.ref("bonnet", params)
    return b.add(
        EGO,
        "bonnet",
        camera.position,
        np.deg2rad(camera.yaw_deg) + np.pi / 2,  # the camera's forward (yaw 0: +Y) is the asset's local +x
        assets.footprint(ref),
        assets.materials(ref, lit=False),
        asset=ref,
    )
