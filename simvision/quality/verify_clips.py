"""``verify`` for clips: flow re-derived from the written depth, camera poses and object poses; tracks and
velocities checked against positions.

Static pixels: the forward flow must equal the reprojection of the pixel's depth from one camera pose to the next
to within :data:`FLOW_TOL_PX`, widened by what the stored depth's quantisation (1/256 m, KITTI depth PNG) can move
it (the flow is monotonic in depth along a ray, so the true value lies between the reprojections at depth +- half a
step). Moving rigid objects: the same, through the recorded object pose. A pixel whose status says visible must
land on its own instance in the next frame. Track ids: unique per frame, the same object (class) for the whole
clip. Velocity: (next position - position) x fps.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simvision.io import read_depth, read_ids
from simvision.world.camera import PinholeCamera
from simvision.world.flow import APPROX, OUT, carried, decode_flo, lands_on_same

FLOW_TOL_PX = 0.01
DEPTH_STEP = 1 / 256  # metres per KITTI depth PNG unit
MIN_DEPTH = 1.0  # nearer pixels are left out of the flow check (their quantisation bound is loose)


def camera(cam: Mapping[str, Any]) -> PinholeCamera:
    return PinholeCamera(tuple(cam["position"]), cam["yaw_deg"], cam["pitch_deg"], cam["roll_deg"],
                         cam["focal_mm"], cam["sensor_mm"], cam["width"], cam["height"])  # fmt: skip


def _pose(rec: Mapping[str, Any], oid: int) -> np.ndarray:
    m = np.eye(4)
    p = rec["motion"]["poses"].get(str(oid))
    if p is not None:
        m[:3] = np.asarray(p, np.float64).reshape(3, 4)
    return m


def check_flow(
    out: Path, a: Mapping[str, Any], b: Mapping[str, Any], problems: list[str], key: str = "forward"
) -> dict[str, float]:
    """Flow ``key`` (forward or backward) of frame a against frame b's files; returns the largest errors (px)."""
    flow = decode_flo((out / a["files"]["flow"][key]).read_bytes())
    status = read_ids(out / a["files"]["flow"][f"{key}_status"]).astype(np.uint8)
    ids_a, ids_b = read_ids(out / a["files"]["maps"][0]), read_ids(out / b["files"]["maps"][0])
    depth = read_depth(out / a["files"]["depth"])
    cam_a, cam_b = camera(a["render"]["camera"]), camera(b["render"]["camera"])
    sky = {i["id"] for i in a["instances"] if i["class"] == "sky"}
    ids = set(a["motion"]["poses"]) | set(b["motion"]["poses"])
    motion = {int(i): _pose(b, int(i)) @ np.linalg.inv(_pose(a, int(i))) for i in ids}
    d = np.where(np.isfinite(depth), depth, np.inf)
    uv_lo, _, _ = carried(d - DEPTH_STEP / 2, ids_a, cam_a, cam_b, motion)
    uv_hi, _, _ = carried(d + DEPTH_STEP / 2, ids_a, cam_a, cam_b, motion)
    h, w = depth.shape
    centres = np.stack(np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5), axis=-1)
    got = flow.astype(np.float64) + centres
    lo, hi = np.minimum(uv_lo, uv_hi) - FLOW_TOL_PX, np.maximum(uv_lo, uv_hi) + FLOW_TOL_PX
    inside = ((got >= lo) & (got <= hi)).all(axis=-1)
    checked = (status & (OUT | APPROX) == 0) & ((d >= MIN_DEPTH) | np.isin(ids_a, list(sky)))
    checked &= np.isfinite(d) | np.isin(ids_a, list(sky))
    moving = np.isin(ids_a, [int(i) for i in ids])
    worst = {}
    for label, sel in (("static", checked & ~moving), ("moving", checked & moving)):
        err = np.where(inside, 0.0, np.maximum(lo - got, got - hi).max(axis=-1))[sel]
        worst[label] = float(err.max()) if err.size else 0.0
        if err.size and (err > 0).any():
            problems.append(f"{a['name']}: {label} pixels' {key} flow off the reprojection by up to {err.max():.4f} px "
                            f"({int((err > 0).sum())} pixels)")  # fmt: skip
    visible = status == 0
    lost = visible & ~lands_on_same(flow, ids_a, ids_b)
    if lost.any():
        problems.append(
            f"{a['name']}: {int(lost.sum())} visible pixels' {key} flow lands on another instance"
        )
    return worst


def check_tracks(frames: list[Mapping[str, Any]], problems: list[str]) -> None:
    """Track ids unique per frame and bound to one class over the clip; velocity = Δposition × fps."""
    cls_of: dict[int, str] = {}
    fps = frames[0]["clip"]["fps"]
    for k, rec in enumerate(frames):
        tracks = [i["track_id"] for i in rec["instances"]]
        if len(tracks) != len(set(tracks)):
            problems.append(f"{rec['name']}: track ids repeat within the frame")
        # a track id names one object of the clip's (single) scene spec, of its class, in every frame
        objects = {o["id"]: o["cls"] for o in rec["spec"].get("objects", [])}
        for inst in rec["instances"]:
            if cls_of.setdefault(inst["track_id"], inst["class"]) != inst["class"]:
                problems.append(f"{rec['name']}: track {inst['track_id']} changes class")
            want = objects.get(inst["track_id"], "sky" if inst["track_id"] == len(objects) + 1 else None)
            if want != inst["class"]:
                problems.append(
                    f"{rec['name']}: track {inst['track_id']} is not a {inst['class']} of the scene"
                )
        if k + 1 < len(frames):
            nxt = {i["track_id"]: i for i in frames[k + 1]["instances"]}
            for inst in rec["instances"]:
                other = nxt.get(inst["track_id"])
                if other is None or "position" not in inst:
                    continue
                want = (np.asarray(other["position"]) - np.asarray(inst["position"])) * fps
                if np.abs(want - np.asarray(inst["velocity"])).max() > 1e-4 * fps + 1e-6:
                    problems.append(f"{rec['name']}: track {inst['track_id']} velocity != Δposition × fps")


def check_clips(out: Path, records: list[dict[str, Any]], problems: list[str]) -> dict[str, float]:
    """Every clip's tracks, velocities and forward and backward flow; returns the largest flow errors (px)."""
    clips: dict[int, list[dict[str, Any]]] = {}
    for r in records:
        if "video_id" in r:
            clips.setdefault(r["video_id"], []).append(r)
    worst = {"static": 0.0, "moving": 0.0}
    for frames in clips.values():
        frames.sort(key=lambda r: r["frame_id"])
        check_tracks(frames, problems)
        for a, b in zip(frames, frames[1:], strict=False):
            for src, dst, key in ((a, b, "forward"), (b, a, "backward")):
                if key not in src["files"].get("flow", {}):
                    problems.append(f"{src['name']}: no {key} flow")
                    continue
                for k, v in check_flow(out, src, dst, problems, key).items():
                    worst[k] = max(worst[k], v)
    return worst
