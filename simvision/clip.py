"""Clips: one sample index renders ``sequence.frames`` frames of one moving scene, with motion labels and flow.

The scene is sampled once (``sample_spec``), its motion drawn from the ``motion`` stream, and frame ``f`` rendered
from the kind's ``animate(spec, motion)(f)``. Per frame: track ids (the instance ids, stable for the clip), each
object's 3D position, velocity (world and camera axes, m/s), speed and image-plane velocity (px/s), the camera pose,
and forward/backward optical flow (:mod:`simvision.world.flow`) with its status map. Velocity is the displacement to
the next frame times fps (the motion flow measures), so it holds on curves and at stops too.

Frames stream: at most two rendered frames are held, so memory stays flat over long clips. Files per frame are
those of a still sample (named ``<index>_<frame>``) plus ``flow/<name>.{fw,bw}.flo`` (Middlebury, float32, exact),
``flow/<name>.{fw,bw}.png`` (KITTI 16-bit, valid = visible in both frames) and ``flow/<name>.{fw,bw}.status.png``
(bits: 1 out of frame, 2 occluded, 4 articulated). The clip's commit marker ``clips/<index>.json`` is written last.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simvision.io import atomic_write
from simvision.record import dumps
from simvision.registry import get_generator
from simvision.render.world2d import render_world_2d
from simvision.rng import rng_for, scene_key
from simvision.sample import sample_name, sample_spec, write_entry
from simvision.scene import Scene
from simvision.types import Sample
from simvision.world.flow import encode_flo, encode_kitti_flow, flow_between
from simvision.world.motion import FrameWorld, apply, between

CLIPS = "clips"


def frame_name(index: int, frame: int) -> str:
    return f"{sample_name(index)}_{frame:04d}"


def marker(out: Path, index: int) -> Path:
    """The file whose presence means clip ``index`` is complete."""
    return out / CLIPS / f"{sample_name(index)}.json"


@dataclass
class Frame:
    """One rendered frame and what its labels need."""

    index: int
    state: FrameWorld
    sample: Sample
    forward: tuple[np.ndarray, np.ndarray] | None = None
    backward: tuple[np.ndarray, np.ndarray] | None = None


def sample_clip_motion(scene: Scene, seed: int, index: int, spec: Any) -> Any:
    kind = get_generator(scene.generator)
    seq = scene.sequence
    rng = rng_for(seed, index, "motion", scene=scene_key(scene.name))
    return kind.sample_motion(rng, spec, seq.frames, seq.fps)


def _render(scene: Scene, seed: int, index: int, state: FrameWorld, spec: Any) -> Sample:
    s = render_world_2d(state.world)
    meta = {"scene": scene.name, "generator": scene.generator, "seed": seed, "index": index,
            "spec": spec.model_dump(mode="json"), **s.meta}  # fmt: skip
    stratum, edges = scene.conditions(seed, index)
    return s.with_(meta={**meta, "stratum": stratum, "edge_cases": edges})


def _flow(a: Frame, b: Frame) -> tuple[np.ndarray, np.ndarray]:
    ids = set(a.state.poses) | set(b.state.poses)
    motion = {i: between(a.state, b.state, i) for i in ids}
    return flow_between(
        a.sample.depth, a.sample.maps[0], a.state.world.pinhole(),
        b.sample.depth, b.sample.maps[0], b.state.world.pinhole(),
        motion, a.state.articulated,
    )  # fmt: skip


def render_clip(
    scene: Scene, seed: int, index: int, spec: Any = None, motion: Any = None
) -> Iterator[tuple[Frame, FrameWorld]]:
    """Yield each frame (flow both ways filled in) with the world of the next frame (for velocities)."""
    spec = spec if spec is not None else sample_spec(scene, seed, index)
    motion = motion if motion is not None else sample_clip_motion(scene, seed, index, spec)
    at = get_generator(scene.generator).animate(spec, motion)
    frames = scene.sequence.frames
    state = at(0)
    cur = Frame(0, state, _render(scene, seed, index, state, spec))
    for f in range(1, frames + 1):
        nxt_state = at(f)
        if f == frames:  # the world one frame past the end: velocities of the last frame, nothing rendered
            yield cur, nxt_state
            return
        nxt = Frame(f, nxt_state, _render(scene, seed, index, nxt_state, spec))
        cur.forward = _flow(cur, nxt)
        nxt.backward = _flow(nxt, cur)
        yield cur, nxt_state
        cur = nxt


def _r(v: Any, n: int = 6) -> Any:
    return [round(float(x), n) for x in np.asarray(v).ravel()]


def motion_labels(frame: Frame, nxt: FrameWorld, first: FrameWorld, fps: float) -> dict[str, Any]:
    """Per-instance motion rows (by instance id) and the frame's camera and ego motion."""
    cam, cam_n = frame.state.world.pinhole(), nxt.world.pinhole()
    rows: dict[int, dict[str, Any]] = {}
    for k in range(len(frame.state.world.objects)):
        oid = k + 1
        c0 = np.asarray(first.world.objects[k].box3d, np.float64)[:3]
        if not np.isfinite(c0).all():
            continue
        p = apply(frame.state.pose(oid), c0)
        pn = apply(nxt.pose(oid), c0)
        v = (pn - p) * fps
        pc, pcn = cam.to_camera(p), cam_n.to_camera(pn)
        img_v = None
        if pc[2] > cam.clip_start and pcn[2] > cam_n.clip_start:
            img_v = _r((cam_n.project(pcn) - cam.project(pc)) * fps, 3)
        rows[oid] = {
            "track_id": oid,
            "position": _r(p),
            "velocity": _r(v),
            "velocity_cam": _r(cam.rotation @ v),
            "speed": round(float(np.linalg.norm(v)), 6),
            "image_velocity": img_v,
            "moving": oid in frame.state.poses and bool(np.linalg.norm(v) > 1e-6),
        }
    ego_v = (np.asarray(cam_n.position) - np.asarray(cam.position)) * fps
    return {"rows": rows, "ego_velocity": _r(ego_v), "ego_speed": round(float(np.linalg.norm(ego_v)), 6)}


def _status_png(status: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", status)
    if not ok:
        raise RuntimeError("could not encode flow status")
    return buf.tobytes()


def flow_files(name: str, frame: Frame) -> tuple[dict[str, str], dict[str, bytes]]:
    """The frame's flow files: record keys -> paths (``forward``, ``forward_kitti``, ``forward_status``, same for
    ``backward``) and paths -> bytes. The first frame has no backward flow, the last none forward."""
    keys: dict[str, str] = {}
    data: dict[str, bytes] = {}
    for key, tag, fl in (("forward", "fw", frame.forward), ("backward", "bw", frame.backward)):
        if fl is None:
            continue
        flow, status = fl
        files = {
            key: (f"flow/{name}.{tag}.flo", encode_flo(flow)),
            f"{key}_kitti": (f"flow/{name}.{tag}.png", encode_kitti_flow(flow, status == 0)),
            f"{key}_status": (f"flow/{name}.{tag}.status.png", _status_png(status)),
        }
        keys.update({k: p for k, (p, _) in files.items()})
        data.update(dict(files.values()))
    return keys, data


def write_clip(
    out: Path, scene: Scene, seed: int, index: int, formats: tuple[str, ...], split: str | None = None
) -> dict[str, Any]:
    """Render clip ``index`` and write its frames (each a sample entry with motion labels and flow), then its
    marker ``clips/<index>.json`` (the clip's motion, camera poses and frame names)."""
    seq = scene.sequence
    spec = sample_spec(scene, seed, index)
    motion = sample_clip_motion(scene, seed, index, spec)
    names, cameras, first = [], [], None
    for frame, nxt in render_clip(scene, seed, index, spec, motion):
        first = first or frame.state
        name = frame_name(index, frame.index)
        labels = motion_labels(frame, nxt, first, seq.fps)
        keys, data = flow_files(name, frame)

        def amend(
            record: dict[str, Any], frame: Frame = frame, labels: dict = labels, keys: dict = keys
        ) -> None:
            record["video_id"] = index
            record["frame_id"] = frame.index
            record["clip"] = {"name": sample_name(index), "frames": seq.frames, "fps": seq.fps}
            record["motion"] = {
                "poses": {str(i): _r(m[:3], 9) for i, m in sorted(frame.state.poses.items())},
                "articulated": sorted(frame.state.articulated),
                "ego_velocity": labels["ego_velocity"],
                "ego_speed": labels["ego_speed"],
            }
            for row in record["instances"]:
                row.update(labels["rows"].get(row["id"], {"track_id": row["id"]}))
            record["files"]["flow"] = dict(keys)
            record["files"]["extra"] = sorted(keys.values())

        rec = write_entry(out, frame.sample, name, scene, formats, split, amend, extra_files=data)
        names.append(name)
        cameras.append(rec["render"]["camera"])
    clip = {"name": sample_name(index), "index": index, "seed": seed, "frames": names, "fps": seq.fps,
            "motion": motion.model_dump(mode="json"), "cameras": cameras, "split": split}  # fmt: skip
    atomic_write(marker(out, index), dumps(clip))
    return clip


def clip_records(out: Path, index: int) -> list[dict[str, Any]]:
    """The frame records of a finished clip (empty if it is not finished)."""
    p = marker(out, index)
    if not p.exists():
        return []
    clip = json.loads(p.read_text(encoding="utf-8"))
    return [json.loads((out / "records" / f"{n}.json").read_text(encoding="utf-8")) for n in clip["frames"]]
