"""Street clips: the motion of a sampled street (plain data, :class:`MotionSpec`) and the World at any frame.

The street is sampled once; motion is drawn on top of it and the World of frame ``f`` is a pure function of
``(spec, motion, f)``. The ego camera drives along its lane (with a small pitch and roll vibration); moving
vehicles and two-wheelers (rider and cycle together) follow their lanes, parked cars stay; walking pedestrians
follow the sidewalk with their walk cycle advancing, crossing ones walk across the road and stop at the kerb;
walking animals walk straight on with their gait advancing; standing pedestrians and animals stay; a junction's
signals may change (green to amber, amber to red, red to green) at some frame. No collisions: movers are accepted one by one,
each at the first of (its speed, half of it, standing) whose 3D boxes over the clip meet no box of the objects
accepted before (at their trajectories) or not yet accepted (where they stand), so standing always fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal

import numpy as np

from simvision.scenes.street import palette, road
from simvision.scenes.street.geometry import EGO_KIND, FLAT, box3d, compile_world, local_mesh, object_mesh
from simvision.scenes.street.spec import ObjectSpec, StreetSpec
from simvision.world.camera import camera_axes
from simvision.world.mesh import Mesh
from simvision.world.motion import FrameWorld, apply, falling_particles, moved_lamps, moved_object, relative
from simvision.world.spec import CameraSpec, _Spec
from simvision.world.world import oriented_box

# Plausible speeds, m/s (urban 20-50 km/h for cars; walking 1.1-1.7 m/s)
SPEEDS: dict[str, tuple[float, float]] = {
    "car": (6.0, 13.0),
    "truck": (5.0, 10.0),
    "bus": (5.0, 10.0),
    "bicycle": (3.5, 6.5),
    "motorcycle": (8.0, 14.0),
    "person": (1.1, 1.7),
}
# Walking animals, m/s (a walk, not a trot; stray dogs and urban foxes amble, cattle and sheep plod)
ANIMAL_SPEEDS: dict[str, tuple[float, float]] = {
    "dog_small": (0.7, 1.3),
    "dog_medium": (0.9, 1.6),
    "dog_large": (1.0, 1.8),
    "cat": (0.5, 1.0),
    "fox": (0.8, 1.4),
    "deer": (1.0, 1.7),
    "boar": (0.8, 1.3),
    "horse": (1.3, 1.8),
    "cow": (0.8, 1.2),
    "sheep": (0.6, 1.1),
}
ANIMAL_STRIDE = 1.1  # metres per gait cycle per metre at the withers (a horse walks ~1.8 m a cycle at 1.6 m)
EGO_SPEED = (5.0, 12.0)
STEP_M = 1.45  # metres per walk cycle (two steps) at stride 1
PHASES = 24  # the walk cycle is posed at 1/24 steps (built poses are cached and shared across frames)
EGO_SIZE = (5.0, 2.0, 1.6)
KERB_STOP = 0.4  # crossing pedestrians stop this far inside the road edge
CLEARANCE = (
    4.2  # metres: parts of an object above this (a lamp's or a signal's arm over the road) are driven under
)


class MoverSpec(_Spec):
    """One moving object. ``path``: ``lane`` follows the road at lateral offset ``t0`` from station ``s0`` in
    ``direction`` (+1 towards +s); ``line`` walks straight along its yaw for at most ``reach`` metres."""

    id: int
    path: Literal["lane", "line"]
    speed: float
    direction: int = 1
    s0: float = 0.0
    t0: float = 0.0
    reach: float = 1e9
    cycles_per_s: float = 0.0  # walk-cycle rate (0: rigid)


class MotionSpec(_Spec):
    frames: int
    fps: float
    ego_speed: float
    pitch_amp_deg: float
    pitch_hz: float
    pitch_phase: float
    roll_amp_deg: float
    roll_hz: float
    roll_phase: float
    movers: tuple[MoverSpec, ...]
    # (frame, lit lens) changes of the junction's signals: from that frame on they show lens 0 red, 1 amber, 2 green
    signals: tuple[tuple[int, int], ...] = ()


def road_coords(layout, x: float, y: float) -> tuple[float, float]:  # noqa: ANN001 - LayoutSpec
    """(s, t) road coordinates of a ground point (the inverse of :func:`road.to_world`)."""
    k = layout.curvature
    if abs(k) < 1e-9:
        return float(y), float(-x)
    r = 1.0 / k
    dist = float(np.hypot(x + r, y))
    t = r - np.sign(r) * dist
    th = float(np.arctan2(y / (r - t), (x + r) / (r - t)))
    return th / k, t


def _pose(spec: StreetSpec, obj: ObjectSpec, m: MoverSpec | None, tau: float) -> tuple[np.ndarray, float]:
    """Ground position and yaw of ``obj`` at time ``tau`` seconds."""
    p0, yaw0 = np.asarray(obj.position, np.float64), float(obj.yaw)
    if m is None or m.speed == 0.0:
        return p0, yaw0
    if m.path == "line":
        d = min(m.speed * tau, m.reach)
        return p0 + d * np.array([np.cos(yaw0), np.sin(yaw0), 0.0]), yaw0
    s = m.s0 + m.direction * m.speed * tau
    p = road.to_world(spec.layout, s, m.t0, p0[2])
    return p, yaw0 + float(road.heading(spec.layout, s) - road.heading(spec.layout, m.s0))


def camera_at(spec: StreetSpec, motion: MotionSpec, tau: float):  # noqa: ANN201 - CameraSpec
    """The ego camera at time ``tau``: along its lane, turned with the road, vibrating in pitch and roll."""
    cam = spec.camera
    s = motion.ego_speed * tau
    _, t = road_coords(spec.layout, cam.position[0], cam.position[1])
    pos = road.to_world(spec.layout, s, t, cam.position[2])
    pitch = motion.pitch_amp_deg * np.sin(2 * np.pi * motion.pitch_hz * tau + motion.pitch_phase)
    roll = motion.roll_amp_deg * np.sin(2 * np.pi * motion.roll_hz * tau + motion.roll_phase)
    return cam.model_copy(
        update={
            "position": tuple(float(v) for v in pos),
            "yaw_deg": cam.yaw_deg + float(np.degrees(road.heading(spec.layout, s))),
            "pitch_deg": cam.pitch_deg + float(pitch),
            "roll_deg": cam.roll_deg + float(roll),
        }
    )


def _camera_pose(cam: CameraSpec) -> np.ndarray:
    """(4,4) camera-to-world transform of a camera spec."""
    m = np.eye(4)
    m[:3, :3] = camera_axes(cam.yaw_deg, cam.pitch_deg, cam.roll_deg)
    m[:3, 3] = cam.position
    return m


# --- sampling ------------------------------------------------------------------------------------------------------
def _candidate(rng: np.random.Generator, spec: StreetSpec, obj: ObjectSpec) -> MoverSpec | None:
    """The motion ``obj`` would have unhindered (drawn for every object in order, so draws never depend on
    collisions), or None for objects that stay."""
    speed_lo_hi = SPEEDS.get(obj.cls if obj.cls != "rider" else obj.kind)
    u = float(rng.random())
    if obj.cls in ("car", "truck", "bus", "bicycle", "motorcycle", "rider") and not {
        "parked",
        "driveway",
    } & set(obj.tags):
        kind = obj.kind if obj.cls in ("bicycle", "motorcycle") else obj.cls
        lo, hi = SPEEDS.get(kind, SPEEDS["car"])
        s, t = road_coords(spec.layout, obj.position[0], obj.position[1])
        direction = 1 if t < 0 else -1
        return MoverSpec(id=obj.id, path="lane", speed=round(lo + u * (hi - lo), 4), direction=direction,
                         s0=round(s, 6), t0=round(t, 6))  # fmt: skip
    if obj.cls == "person" and obj.asset is not None:
        pose = obj.asset["params"].get("pose")
        if pose not in ("walk", "cross") or speed_lo_hi is None:
            return None
        lo, hi = speed_lo_hi
        speed = round(lo + u * (hi - lo), 4)
        stride = float(obj.asset["params"].get("stride", 1.0))
        rate = round(speed / (STEP_M * max(stride, 0.3)), 4)
        if pose == "cross":
            s, t = road_coords(spec.layout, obj.position[0], obj.position[1])
            half = spec.layout.road_half - KERB_STOP
            heading = float(road.heading(spec.layout, s))
            left = np.sin(obj.yaw - heading - np.pi / 2) > 0  # walking towards +t (the road's left)
            reach = max(0.0, (half - t) if left else (t + half))
            return MoverSpec(id=obj.id, path="line", speed=speed, reach=round(reach, 4), cycles_per_s=rate)
        s, t = road_coords(spec.layout, obj.position[0], obj.position[1])
        along = np.cos(obj.yaw - float(road.heading(spec.layout, s)) - np.pi / 2)
        return MoverSpec(id=obj.id, path="lane", speed=speed, direction=1 if along >= 0 else -1,
                         s0=round(s, 6), t0=round(t, 6), cycles_per_s=rate)  # fmt: skip
    if obj.cls == "animal" and obj.asset is not None and obj.asset["params"].get("walking"):
        lo, hi = ANIMAL_SPEEDS.get(obj.kind, (0.8, 1.4))
        speed = round(lo + u * (hi - lo), 4)
        rate = round(speed / (ANIMAL_STRIDE * float(obj.asset["params"]["withers"])), 4)
        return MoverSpec(id=obj.id, path="line", speed=speed, cycles_per_s=rate)
    return None


def collision_box(obj: ObjectSpec) -> np.ndarray:
    """(7,) the 3D box of the object's mesh below :data:`CLEARANCE` (its whole box when nothing is below)."""
    local = local_mesh(obj)
    low = local.vertices[local.vertices[:, 2] <= CLEARANCE]
    if len(low) < 2:
        return box3d(obj)
    empty = np.zeros((0, 3), np.int32)
    return oriented_box(Mesh(low, empty, np.zeros(0, np.int8)), obj.position, obj.yaw)


def _rects(boxes: np.ndarray) -> np.ndarray:
    """(..., 7) boxes -> (..., 4, 2) ground rectangles."""
    c, s = np.cos(boxes[..., 6]), np.sin(boxes[..., 6])
    hl, hw = boxes[..., 3] / 2, boxes[..., 4] / 2
    sx, sy = np.array([1, -1, -1, 1]), np.array([1, 1, -1, -1])
    lx, ly = sx * hl[..., None], sy * hw[..., None]
    x = boxes[..., 0:1] + lx * c[..., None] - ly * s[..., None]
    y = boxes[..., 1:2] + lx * s[..., None] + ly * c[..., None]
    return np.stack([x, y], axis=-1)


def boxes_overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N,) whether 3D boxes a[i] and b[i] (each (N,7), yaw about Z) intersect: separating axes on the ground,
    then the height intervals."""
    ra, rb = _rects(a), _rects(b)
    hit = np.ones(len(a), bool)
    for poly in (ra, rb):
        for e in range(2):
            edge = poly[:, e + 1] - poly[:, e]
            axis = np.stack([-edge[:, 1], edge[:, 0]], axis=-1)
            pa, pb = np.einsum("nkd,nd->nk", ra, axis), np.einsum("nkd,nd->nk", rb, axis)
            hit &= ~((pa.max(1) <= pb.min(1)) | (pb.max(1) <= pa.min(1)))
    za = (a[:, 2] - a[:, 5] / 2, a[:, 2] + a[:, 5] / 2)
    zb = (b[:, 2] - b[:, 5] / 2, b[:, 2] + b[:, 5] / 2)
    return hit & (za[0] < zb[1]) & (zb[0] < za[1])


def _track(
    spec: StreetSpec, obj: ObjectSpec, box0: np.ndarray, m: MoverSpec | None, times: np.ndarray
) -> np.ndarray:
    """(T,7) the object's 3D box at each time (its frame-0 box carried by its root motion)."""
    p0, y0 = np.asarray(obj.position, np.float64), float(obj.yaw)
    out = np.repeat(box0[None], len(times), axis=0)
    for k, tau in enumerate(times):
        p, yaw = _pose(spec, obj, m, float(tau))
        out[k, :3] = apply(relative(p0, y0, p, yaw), box0[:3])
        out[k, 6] = box0[6] + yaw - y0
    return out


def _hits(tracks: np.ndarray, others: np.ndarray) -> bool:
    """Whether any of ``tracks`` (A,T,7) meets any of ``others`` (B,T,7) at the same time, except pairs that
    already touch at frame 0 (placed together on purpose)."""
    if len(tracks) == 0 or len(others) == 0:
        return False
    a = np.broadcast_to(tracks[:, None], (len(tracks), len(others), *tracks.shape[1:]))
    b = np.broadcast_to(others[None], a.shape)
    reach = np.hypot(a[..., 3], a[..., 4]) / 2 + np.hypot(b[..., 3], b[..., 4]) / 2
    near = np.hypot(a[..., 0] - b[..., 0], a[..., 1] - b[..., 1]) < reach
    if not near.any():
        return False
    idx = np.nonzero(near)
    hit = np.zeros(near.shape, bool)
    hit[idx] = boxes_overlap(a[idx], b[idx])
    return bool((hit[..., 1:].any(axis=-1) & ~hit[..., 0]).any())


def sample_motion(rng: np.random.Generator, spec: StreetSpec, frames: int, fps: float) -> MotionSpec:
    """Draw the clip's motion; every draw is made before any collision test, so counts stay fixed."""
    ego_speed = round(float(rng.uniform(*EGO_SPEED)), 4)
    vib = [round(float(v), 4) for v in (rng.uniform(0.05, 0.25), rng.uniform(1.0, 3.0), rng.uniform(0, 2 * np.pi),
                                        rng.uniform(0.03, 0.15), rng.uniform(0.8, 2.5), rng.uniform(0, 2 * np.pi))]  # fmt: skip
    # ground stays; the bonnet rides with the camera (the ego vehicle below stands for the whole car)
    objs = [
        o
        for o in spec.objects
        if o.kind not in ("road", "sidewalk", "terrain", EGO_KIND) and o.kind not in FLAT
    ]
    wanted = {o.id: _candidate(rng, spec, o) for o in objs}
    # a rider and their cycle move as one: the cycle's draw serves both
    by_group: dict[int, list[ObjectSpec]] = {}
    for o in objs:
        by_group.setdefault(o.group if o.group else -o.id, []).append(o)
    times = np.arange(frames + 1) / fps
    boxes0 = {o.id: collision_box(o) for o in objs}
    units = []
    for members in by_group.values():
        lead = next((wanted[o.id] for o in members if wanted[o.id] is not None and o.cls != "rider"), None)
        lead = lead or next((wanted[o.id] for o in members if wanted[o.id] is not None), None)
        if lead is not None:
            units.append((members, lead))
    # crossing and walking people first (they are obstacles to traffic), then traffic front to back, ego last
    units.sort(key=lambda u: (u[1].path != "line", u[1].cycles_per_s == 0, -u[1].direction * u[1].s0))
    _, ego_t = road_coords(spec.layout, spec.camera.position[0], spec.camera.position[1])
    ego_at = road.to_world(
        spec.layout, 0.5, ego_t, 0.0
    )  # the ego vehicle's footprint, as sample() reserved it
    ego_obj = ObjectSpec(id=0, cls="ego", kind="ego", position=tuple(float(v) for v in ego_at),
                         yaw=road.yaw_along(spec.layout, 0.5), size=EGO_SIZE, materials=())  # fmt: skip
    ego_box = np.array([ego_at[0], ego_at[1], EGO_SIZE[2] / 2, *EGO_SIZE, ego_obj.yaw])
    rest = {o.id: np.repeat(boxes0[o.id][None], len(times), axis=0) for o in objs}
    rest[0] = np.repeat(ego_box[None], len(times), axis=0)
    boxes0[0] = ego_box
    groups = {o.id: (o.group or -o.id) for o in objs} | {0: 0}
    accepted: dict[int, MoverSpec] = {}
    ego_mover = MoverSpec(id=0, path="lane", speed=ego_speed, direction=1, s0=0.5, t0=round(ego_t, 6))
    for members, lead in [*units, ([ego_obj], ego_mover)]:
        ids = {o.id for o in members}
        group = groups[members[0].id]
        others_ids = [i for i in rest if i not in ids and groups[i] != group]
        others = np.stack([rest[i] for i in others_ids]) if others_ids else np.zeros((0, len(times), 7))
        for speed in (lead.speed, round(lead.speed / 2, 4), 0.0):
            # the walk cycle slows with the pace (a halved pace at the full cadence would slide the feet)
            rate = round(lead.cycles_per_s * speed / lead.speed, 6) if lead.speed > 0 else lead.cycles_per_s
            m = lead.model_copy(update={"speed": speed, "cycles_per_s": rate})
            tracks = np.stack([_track(spec, o, boxes0[o.id], _at(m, o, spec), times) for o in members])
            if speed == 0.0 or not _hits(tracks, others):
                break
        for o, tr in zip(members, tracks, strict=True):
            rest[o.id] = tr
            accepted[o.id] = _at(m, o, spec)
    movers = tuple(accepted[i] for i in sorted(accepted) if i != 0 and accepted[i].speed > 0)
    return MotionSpec(frames=frames, fps=fps, ego_speed=accepted[0].speed, pitch_amp_deg=vib[0], pitch_hz=vib[1],
                      pitch_phase=vib[2], roll_amp_deg=vib[3], roll_hz=vib[4], roll_phase=vib[5], movers=movers,
                      signals=_signals(rng, spec, frames))  # fmt: skip


SIGNAL_NEXT = {2: 1, 1: 0, 0: 2}  # green -> amber -> red -> green
SIGNAL_CHANGE_PROB = 0.35  # a clip at a junction sees its signals change (amber lasts 3-4 s, a phase 20-60 s)


def _signals(rng: np.random.Generator, spec: StreetSpec, frames: int) -> tuple[tuple[int, int], ...]:
    """Drawn last and always twice, so the draws above never depend on it."""
    u_change, u_frame = rng.random(2)
    lights = [o for o in spec.objects if o.kind == "traffic_light"]
    if not lights or frames < 2 or u_change >= SIGNAL_CHANGE_PROB:
        return ()
    return ((1 + int(u_frame * (frames - 1)), SIGNAL_NEXT[lights[0].variant]),)


def signal_at(motion: MotionSpec, f: int) -> int | None:
    """The lit lens the signals show at frame ``f`` after a change, or None while they show their sampled one."""
    state = None
    for frame, lens in motion.signals:
        if frame <= f:
            state = lens
    return state


def _at(m: MoverSpec, o: ObjectSpec, spec: StreetSpec) -> MoverSpec:
    """A unit's motion for one of its members (a rider keeps its own lane offset, the cycle's speed)."""
    if m.path == "lane" and o.id != m.id and o.id != 0:
        s, t = road_coords(spec.layout, o.position[0], o.position[1])
        return m.model_copy(update={"id": o.id, "s0": round(s, 6), "t0": round(t, 6), "cycles_per_s": 0.0})
    return m.model_copy(update={"id": o.id})


# --- the World at a frame ------------------------------------------------------------------------------------------
def animate(spec: StreetSpec, motion: MotionSpec) -> Callable[[int], FrameWorld]:
    """``frame(f) -> FrameWorld``: the world compiled once, moving objects carried frame by frame."""
    base = compile_world(spec)
    by_id = {o.id: o for o in spec.objects}
    movers = {m.id: m for m in motion.movers}
    row = {o.id: k for k, o in enumerate(base.objects)}
    ego = [o.id for o in spec.objects if o.kind == EGO_KIND]

    def frame(f: int) -> FrameWorld:
        tau = f / motion.fps
        objects = list(base.objects)
        poses, articulated = {}, set()
        for oid, m in movers.items():
            obj = by_id[oid]
            p, yaw = _pose(spec, obj, m, tau)
            rel = relative(np.asarray(obj.position, np.float64), obj.yaw, p, yaw)
            poses[oid] = rel
            if m.cycles_per_s > 0 and obj.asset is not None:
                params = obj.asset["params"]
                phase = round((params["phase"] + m.cycles_per_s * tau) * PHASES) / PHASES % 1.0
                posed = replace_asset(obj, phase)
                local = local_mesh(posed)
                mesh = local.placed(p, yaw)
                objects[row[oid]] = moved_object(
                    objects[row[oid]], rel, mesh, oriented_box(local, tuple(p), yaw)
                )
                articulated.add(oid)
            else:
                objects[row[oid]] = moved_object(objects[row[oid]], rel)
        lens = signal_at(motion, f)
        if (
            lens is not None
        ):  # the same lamps, another lit lens: slots and lens colour change, geometry does not
            heads = [o for o in spec.objects if o.kind == "traffic_light"]
            for o in (
                o for o in heads if o.variant == heads[0].variant
            ):  # the street's phase, not the crossing's
                switched = o.model_copy(update={"variant": lens, "materials": palette.traffic_light(lens)})
                objects[row[o.id]] = replace(
                    objects[row[o.id]], mesh=object_mesh(switched, spec), materials=switched.materials
                )
        camera = camera_at(spec, motion, tau)
        for oid in ego:  # rigid with the camera: the same pixels in every frame, zero flow
            poses[oid] = _camera_pose(camera) @ np.linalg.inv(_camera_pose(spec.camera))
            objects[row[oid]] = moved_object(objects[row[oid]], poses[oid])
        first = (spec.camera.position, spec.camera.yaw_deg)
        world = replace(
            base,
            camera=camera,
            objects=tuple(objects),
            lamps=moved_lamps(base.lamps, poses),  # head and tail lights ride with their cars
            particles=falling_particles(spec.weather, first, (camera.position, camera.yaw_deg), f, tau),
        )
        return FrameWorld(world, poses, frozenset(articulated))

    return frame


def replace_asset(obj: ObjectSpec, phase: float) -> ObjectSpec:
    """The object with its walk cycle at ``phase``."""
    asset = dict(obj.asset or {})
    asset["params"] = {**asset["params"], "phase": round(phase, 6)}
    return obj.model_copy(update={"asset": asset})
