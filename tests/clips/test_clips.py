"""Street clips: exact flow (static and moving pixels), stable tracks, velocity = Δposition × fps, perfect MOT
scores of GT against itself (py-motmetrics), collision-free motion and byte-identical resume of a clip."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from simvision.clip import render_clip, sample_clip_motion
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.quality.verify_clips import check_clips
from simvision.sample import sample_spec
from simvision.scene import SequenceSettings, default_scene_dir, load_scene
from simvision.scenes.street.geometry import FLAT
from simvision.scenes.street.motion import _track, boxes_overlap, collision_box
from simvision.world.flow import (
    OCCLUDED,
    OUT,
    decode_flo,
    decode_kitti_flow,
    encode_flo,
    encode_kitti_flow,
    lands_on_same,
)
from tests.writers.test_official_street_tools import run_tool, tool_python

SEED, FORMATS = 4, ("coco", "mot", "kitti_tracking", "record")


@pytest.fixture(scope="module")
def clip_scene():
    scene = load_scene(default_scene_dir() / "street_clips.yaml").with_size("128x96")
    return replace(scene, sequence=SequenceSettings(frames=4, fps=10))


@pytest.fixture(scope="module")
def clip_dataset(tmp_path_factory, clip_scene) -> Path:
    out = tmp_path_factory.mktemp("clips")
    generate(clip_scene, out, n=1, seed=SEED, workers=1, formats=FORMATS)
    return out


def frames(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "records").glob("*.json"))]


def test_clip_dataset_verifies_flow_tracks_and_velocity(clip_dataset):
    report = verify(clip_dataset)
    assert report.ok, report.problems[:5]
    assert report.samples == 4
    recs = frames(clip_dataset)
    problems: list[str] = []
    worst = check_clips(clip_dataset, recs, problems)
    assert not problems and worst["static"] <= 0.01 and worst["moving"] <= 0.01
    assert any(i.get("moving") for r in recs for i in r["instances"]), "the clip shows nothing that moves"


def test_flow_is_exact_reprojection_for_static_and_moving_pixels(clip_scene):
    """The in-memory (float depth) flow against an independent reprojection: pixel centre -> camera ray x depth ->
    world -> the object's rigid motion -> the next camera."""
    checked = {"static": 0, "moving": 0}
    spec = sample_spec(clip_scene, SEED, 0)
    motion = sample_clip_motion(clip_scene, SEED, 0, spec)
    gen = iter(render_clip(clip_scene, SEED, 0, spec, motion))
    a, _ = next(gen)
    b, _ = next(gen)
    flow, status = a.forward
    cam_a, cam_b = a.state.world.pinhole(), b.state.world.pinhole()
    depth, ids = a.sample.depth, a.sample.maps[0]
    ys, xs = np.nonzero(np.isfinite(depth) & (status & OUT == 0))
    for y, x in zip(ys[::7], xs[::7], strict=True):
        ray = np.array([(x + 0.5 - cam_a.width / 2) / cam_a.fx, (y + 0.5 - cam_a.height / 2) / cam_a.fx, 1.0])
        world = cam_a.rotation.T @ (ray * float(depth[y, x])) + np.asarray(cam_a.position)
        oid = int(ids[y, x])
        m = b.state.pose(oid) @ np.linalg.inv(a.state.pose(oid))
        world = m[:3, :3] @ world + m[:3, 3]
        pc = cam_b.rotation @ (world - np.asarray(cam_b.position))
        want = pc[:2] / pc[2] * cam_b.fx + np.array([cam_b.width / 2, cam_b.height / 2]) - (x + 0.5, y + 0.5)
        assert np.abs(flow[y, x] - want).max() <= 0.01
        checked["moving" if oid in a.state.poses else "static"] += 1
    assert checked["static"] > 100 and checked["moving"] > 0, checked
    # visible pixels land on their own instance; most of the frame is visible
    assert lands_on_same(flow, ids, b.sample.maps[0])[status == 0].all()
    assert (status == 0).mean() > 0.5 and ((status & OCCLUDED) > 0).mean() < 0.2


def test_track_ids_stable_and_velocity_is_position_difference(clip_dataset):
    recs = frames(clip_dataset)
    fps = recs[0]["clip"]["fps"]
    classes: dict[int, str] = {}
    for r in recs:
        tracks = [i["track_id"] for i in r["instances"]]
        assert len(tracks) == len(set(tracks))
        for i in r["instances"]:
            assert classes.setdefault(i["track_id"], i["class"]) == i["class"]
    for a, b in zip(recs, recs[1:], strict=False):
        nxt = {i["track_id"]: i for i in b["instances"]}
        pairs = [(i, nxt[i["track_id"]]) for i in a["instances"] if i["track_id"] in nxt and "position" in i]
        assert pairs
        for i, j in pairs:
            v = (np.array(j["position"]) - np.array(i["position"])) * fps
            assert np.abs(v - np.array(i["velocity"])).max() <= 1e-4
            assert abs(np.linalg.norm(v) - i["speed"]) <= 1e-4
    # a moving object stays in the clip under one id with a plausible speed (m/s)
    speeds = [i["speed"] for r in recs for i in r["instances"] if i.get("moving")]
    assert speeds and max(speeds) < 20


MOT_SCORE = """
import json, sys
import motmetrics as mm
gt = mm.io.loadtxt(sys.argv[1], fmt="mot15-2D", min_confidence=1)
acc = mm.utils.compare_to_groundtruth(gt, gt, "iou", distth=0.5)
s = mm.metrics.create().compute(acc, metrics=["mota", "idf1", "num_switches", "num_objects"], name="gt")
print(json.dumps({k: float(s[k].iloc[0]) for k in s.columns}))
"""


def test_mot_ground_truth_scores_perfect_against_itself(clip_dataset):
    """py-motmetrics (its own venv: ``make tools-motmetrics``) scores the MOTChallenge GT against itself."""
    python = tool_python("motmetrics")
    gt = clip_dataset / "mot/SIMVISION-000000/gt/gt.txt"
    scores = json.loads(run_tool(python, MOT_SCORE, str(gt), cwd=clip_dataset).strip().splitlines()[-1])
    assert scores["mota"] == 1.0 and scores["idf1"] == 1.0 and scores["num_switches"] == 0
    scored = [
        row for row in gt.read_text().splitlines() if row.split(",")[6] == "1"
    ]  # conf 0: ignore regions
    assert scores["num_objects"] == len(scored) > 0
    coco = json.loads((clip_dataset / "coco.json").read_text())
    assert {im["frame_id"] for im in coco["images"]} == {0, 1, 2, 3} and coco["videos"][0]["id"] == 1
    assert all("track_id" in a for a in coco["annotations"])


def test_clip_resumes_byte_identically(clip_dataset, clip_scene, tmp_path):
    manifest = json.loads((clip_dataset / "manifest.json").read_text())
    (clip_dataset / "clips/000000.json").unlink()  # an interrupted clip: no marker, a frame's record gone
    (clip_dataset / "records/000000_0002.json").unlink()
    generate(clip_scene, clip_dataset, n=1, seed=SEED, workers=1, formats=FORMATS)
    assert json.loads((clip_dataset / "manifest.json").read_text()) == manifest
    assert verify(clip_dataset).ok


@pytest.mark.parametrize("index", range(4))
def test_motion_is_collision_free(clip_scene, index):
    """No two objects' 3D boxes (below the clearance a lamp's arm hangs over the road) meet during a 3 s clip."""
    clip_scene = replace(clip_scene, sequence=SequenceSettings(frames=30, fps=10))
    spec = sample_spec(clip_scene, 9, index)
    motion = sample_clip_motion(clip_scene, 9, index, spec)
    times = np.arange(motion.frames + 1) / motion.fps
    movers = {m.id: m for m in motion.movers}
    # flat ground patches (verges, paths, driveways over the sidewalk) are walked and driven over
    objs = [o for o in spec.objects if o.kind not in ("road", "sidewalk", "terrain") and o.kind not in FLAT]
    tracks = {o.id: _track(spec, o, collision_box(o), movers.get(o.id), times) for o in objs}
    group = {o.id: o.group or -o.id for o in objs}
    for i in movers:
        for o in objs:
            if o.id == i or group[o.id] == group[i]:
                continue
            hit = boxes_overlap(tracks[i], tracks[o.id])
            assert not (hit[1:] & ~hit[0]).any(), f"object {i} runs into {o.id}"
    assert motion.ego_speed > 0 or index != 0  # the camera drives (it stops only when it would hit something)


def test_flow_file_formats_round_trip():
    rng = np.random.default_rng(0)
    flow = rng.normal(0, 20, (5, 7, 2)).astype(np.float32)
    assert np.array_equal(decode_flo(encode_flo(flow)), flow)
    valid = rng.random((5, 7)) < 0.7
    back, ok = decode_kitti_flow(encode_kitti_flow(flow, valid))
    assert np.array_equal(ok, valid) and np.abs(back - flow)[valid].max() <= 1 / 128


def test_shards_of_clips_merge_into_the_single_run(clip_scene, tmp_path):
    """Clips shard by index: two shards merged equal one run, byte for byte (every file the manifest lists)."""
    from simvision.merge import merge

    scene = replace(clip_scene.with_size("96x72"), sequence=SequenceSettings(frames=2, fps=10))
    generate(scene, tmp_path / "one", n=2, seed=1, workers=1, formats=FORMATS)
    for k in (0, 1):
        generate(
            scene, tmp_path / f"s{k}", n=2, seed=1, workers=1, formats=FORMATS, shard=(k, 2), shard_block=1
        )
    merge(tmp_path / "merged", [tmp_path / "s0", tmp_path / "s1"])
    one = json.loads((tmp_path / "one/manifest.json").read_text())
    merged = json.loads((tmp_path / "merged/manifest.json").read_text())
    assert merged["samples"] == one["samples"] and len(one["samples"]) == 4
    for rel in ("coco.json", "mot/SIMVISION-000001/gt/gt.txt", "kitti_tracking/label_02/0001.txt"):
        assert (tmp_path / "merged" / rel).read_bytes() == (tmp_path / "one" / rel).read_bytes()
    assert verify(tmp_path / "merged").ok


def test_preview_animates_a_clip(clip_dataset, tmp_path):
    from PIL import Image

    from simvision.quality.preview import write_preview

    sheet = write_preview(clip_dataset, tmp_path / "preview.png")
    gif = Image.open(sheet.parent / "preview_000000.gif")
    assert gif.n_frames == 4 and gif.size == (128, 96) and gif.info["duration"] == 100


def test_verify_catches_flow_off_by_a_twentieth_of_a_pixel(clip_dataset, tmp_path):
    """The checks are not vacuous: flow shifted by 0.05 px fails, and so does a track id changed mid-clip."""
    import shutil

    from simvision.quality.verify_clips import check_tracks

    ds = tmp_path / "ds"
    shutil.copytree(clip_dataset, ds)
    rec = json.loads((ds / "records/000000_0001.json").read_text())
    flo = ds / rec["files"]["flow"]["backward"]
    flo.write_bytes(encode_flo(decode_flo(flo.read_bytes()) + np.float32(0.05)))
    problems: list[str] = []
    check_clips(ds, frames(ds), problems)
    assert any("static pixels' backward flow off" in p for p in problems), problems[:3]
    recs = frames(clip_dataset)
    moving = [i for i in recs[1]["instances"] if i.get("moving")]
    moving[0]["track_id"] = 9999  # the object under another id in one frame
    problems = []
    check_tracks(recs, problems)
    assert problems


def test_walking_animals_walk_on_with_their_gait(clip_scene):
    """Animals in a walking pose walk (their own species' pace, the gait phase advancing with distance) unless
    that would run into something; standing ones stay; flow stays exact on their rigid parts (the legs are flagged
    articulated)."""
    from simvision.distributions import IntRange
    from simvision.scenes.street.motion import ANIMAL_SPEEDS, ANIMAL_STRIDE, animate

    traffic = clip_scene.params.traffic.model_copy(
        update={"animal_prob": 1.0, "animal": IntRange(min=3, max=3), "animal_on_road_prob": 0.0}
    )
    scene = replace(clip_scene, params=clip_scene.params.model_copy(update={"traffic": traffic}))
    walked = 0
    for index in range(4):
        spec = sample_spec(scene, SEED, index)
        motion = sample_clip_motion(scene, SEED, index, spec)
        movers = {m.id: m for m in motion.movers}
        frame = animate(spec, motion)
        first, last = frame(0), frame(motion.frames - 1)
        for o in (o for o in spec.objects if o.cls == "animal"):
            m, params = movers.get(o.id), o.asset["params"]
            if m is None:  # standing, or stopped for an obstacle
                assert o.id not in last.poses or np.allclose(last.poses[o.id], np.eye(4))
                continue
            walked += 1
            assert params["walking"] and m.path == "line"
            lo, hi = ANIMAL_SPEEDS[o.kind]
            assert lo / 2 - 1e-9 <= m.speed <= hi  # its pace, or half of it to keep clear of others
            assert m.cycles_per_s == pytest.approx(m.speed / (ANIMAL_STRIDE * params["withers"]), abs=1e-3)
            a = next(w for w in first.world.objects if w.id == o.id).mesh.vertices
            b = next(w for w in last.world.objects if w.id == o.id).mesh.vertices
            step = m.speed * (motion.frames - 1) / motion.fps
            assert np.linalg.norm(b.mean(0)[:2] - a.mean(0)[:2]) == pytest.approx(step, rel=0.35)
            assert o.id in last.articulated
    assert walked >= 2


@pytest.mark.parametrize("weather", ["rain", "snow"])
def test_night_clips_carry_car_lights_and_let_rain_and_snow_fall(clip_scene, weather):
    """A car's head and tail lights ride with it (same rigid transform as its mesh); raindrops are new every frame
    (they fall 0.7-1.4 m between frames), snow flakes drift down about a metre a second; frame 0 is the still."""
    from simvision.distributions import Choice, FloatRange
    from simvision.scenes.street.motion import animate
    from simvision.world.motion import SNOW_FALL, apply

    p = clip_scene.params
    night = p.model_copy(
        update={
            "light": p.light.model_copy(update={"time_of_day": FloatRange(min=22.0, max=23.0)}),
            "weather": p.weather.model_copy(update={"kind": Choice(choices={weather: 1.0})}),
        }
    )
    scene = replace(clip_scene, params=night)
    carried = 0
    for index in range(3):
        spec = sample_spec(scene, SEED, index)
        motion = sample_clip_motion(scene, SEED, index, spec)
        frame = animate(spec, motion)
        first, last = frame(0), frame(motion.frames - 1)
        for a, b in zip(first.world.lamps, spec.lamps, strict=True):  # frame 0 is the still (to rounding)
            assert np.allclose(a.position, b.position, atol=1e-9) and a.owner == b.owner
        for a, b in zip(first.world.lamps, last.world.lamps, strict=True):
            if a.owner and a.owner in last.poses:
                m = last.poses[a.owner]
                assert np.allclose(b.position, apply(m, np.array(a.position)), atol=1e-6)
                assert np.allclose(b.direction, m[:3, :3] @ np.array(a.direction), atol=1e-6)
                carried += a.position != b.position
            else:
                assert np.allclose(
                    a.position, b.position, atol=1e-9
                )  # street lamps, parked cars' lights stay
        p0, p1 = first.world.particles, last.world.particles
        assert len(p0) and p0.shape == p1.shape
        if weather == "rain":
            assert not np.allclose(p0, p1)
        else:
            fell = p1[:, 0] - p0[:, 0]
            steady = fell[:, 2] < 0  # not wrapped to the top
            dt = (motion.frames - 1) / motion.fps
            assert steady.mean() > 0.8
            assert np.allclose(fell[steady], SNOW_FALL * dt, atol=1e-9)
    assert carried >= 2


def test_junction_signals_may_change_within_a_clip(clip_scene):
    """Some junction clips see the signals change (green -> amber -> red -> green) at a drawn frame: from then on
    the lit lens (its material slot and colour) of the street's heads (both directions share a phase: the first
    head's) is the next one, the crossing road's heads keep theirs; the lamp's geometry, hence depth and flow, is
    not touched."""
    from simvision.distributions import Choice
    from simvision.scenes.street.motion import SIGNAL_NEXT, animate

    p = clip_scene.params
    scene = replace(clip_scene, params=p.model_copy(update={"layout": Choice(choices={"junction": 1.0})}))
    changed = 0
    for index in range(8):
        spec = sample_spec(scene, SEED, index)
        motion = sample_clip_motion(scene, SEED, index, spec)
        lights = [o for o in spec.objects if o.kind == "traffic_light"]
        if not motion.signals:
            continue
        ((at, lens),) = motion.signals
        assert 1 <= at < motion.frames and lens == SIGNAL_NEXT[lights[0].variant]
        frame = animate(spec, motion)
        before, after = frame(at - 1).world, frame(at).world
        for o in lights:
            a = next(w for w in before.objects if w.id == o.id)
            b = next(w for w in after.objects if w.id == o.id)
            assert np.array_equal(a.mesh.vertices, b.mesh.vertices) and np.array_equal(
                a.mesh.faces, b.mesh.faces
            )
            if o.variant == lights[0].variant:
                assert not np.array_equal(a.mesh.slots, b.mesh.slots)
                assert a.materials[1].color != b.materials[1].color  # the lit lens's colour
            else:
                assert np.array_equal(a.mesh.slots, b.mesh.slots) and a.materials == b.materials
        changed += 1
    assert changed >= 1
