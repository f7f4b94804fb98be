"""Scale features: shards merged equal a single run, retries and crash recovery, progress.jsonl, flat memory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simvision.scene import default_scene_dir
from tests.e2e.test_cli import sv, tree

SCENE = default_scene_dir() / "receipt.yaml"
pytestmark = pytest.mark.slow


def test_two_shards_merged_equal_a_single_run(tmp_path):
    one, s0, s1, merged = (tmp_path / d for d in ("one", "s0", "s1", "merged"))
    common = [str(SCENE), "-n", "7", "--seed", "5", "-q", "--shard-block", "2"]
    sv("generate", *common, "--out", str(one), "--workers", "2", check=True)
    sv("generate", *common, "--out", str(s0), "--shard", "0/2", "--workers", "1", check=True)
    sv("generate", *common, "--out", str(s1), "--shard", "1/2", "--workers", "1", check=True)
    shard0 = sorted(p.name for p in (s0 / "images").iterdir())
    assert shard0 == ["000000.jpg", "000001.jpg", "000004.jpg", "000005.jpg"]  # blocks 0 and 2 of size 2
    r = sv("merge", str(s0), str(s1), "--out", str(merged))
    assert r.returncode == 0, r.stderr
    a, b = tree(one), tree(merged)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
    assert sv("verify", str(merged)).returncode == 0


def test_merge_refuses_shards_of_different_datasets(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    sv("generate", str(SCENE), "--out", str(a), "-n", "2", "--seed", "1", "-q", "--shard", "0/2", check=True)
    sv("generate", str(SCENE), "--out", str(b), "-n", "2", "--seed", "2", "-q", "--shard", "1/2", check=True)
    r = sv("merge", str(a), str(b), "--out", str(tmp_path / "m"))
    assert r.returncode == 2 and "SHARDS" in r.stderr
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize(
    "flag",
    [
        ["--shard", "2/2"],
        ["--shard", "x"],
        ["--retries", "-1"],
        ["--recycle-after", "0"],
        ["--backend", "spark"],
    ],
)
def test_bad_scale_flags_exit_2(tmp_path, flag):
    r = sv("generate", str(SCENE), "--out", str(tmp_path / "o"), "-n", "2", *flag)
    assert r.returncode == 2 and flag[0] in r.stderr
    assert not (tmp_path / "o").exists()


def test_a_failing_sample_is_retried_then_reported_and_the_run_completes(tmp_path):
    out = tmp_path / "o"
    sv("generate", str(SCENE), "--out", str(out), "-n", "1", "-q", check=True)
    (out / "images" / "000002.jpg").mkdir()  # a real fault: sample 2's image cannot be written
    r = sv("generate", str(SCENE), "--out", str(out), "-n", "4", "--workers", "2", "--retries", "2", "-q")
    assert r.returncode == 1 and "index 2" in r.stderr
    failures = json.loads((out / "failures.json").read_text())
    assert [f["index"] for f in failures] == [2] and failures[0]["attempts"] == 3
    assert "IsADirectoryError" in failures[0]["error"]
    assert sorted(p.name for p in (out / "records").iterdir()) == [
        "000000.json",
        "000001.json",
        "000003.json",
    ]
    rows = [json.loads(line) for line in (out / "progress.jsonl").read_text().splitlines()]
    rows = rows[[r["event"] for r in rows].index("start", 1) :]  # the second run (the first made sample 0)
    assert rows[0] == {**rows[0], "event": "start", "total": 4, "done": 1}
    assert rows[-1] == {**rows[-1], "event": "end", "failures": 1}
    samples = [r for r in rows if r["event"] == "sample"]
    assert sorted(r["index"] for r in samples) == [1, 2, 3] and samples[-1]["done"] == 4
    assert {r["ok"] for r in samples if r["index"] == 2} == {False}


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(p.name))
    return out


def test_killing_a_worker_mid_run_still_gives_the_clean_dataset(tmp_path):
    clean, hit = tmp_path / "clean", tmp_path / "hit"
    args = [str(SCENE), "-n", "16", "--seed", "9", "-q"]
    sv("generate", *args, "--out", str(clean), "--workers", "1", check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "simvision", "generate", *args, "--out", str(hit), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = False
    deadline = time.time() + 60
    while time.time() < deadline and not killed:
        records = list((hit / "records").glob("*.json")) if (hit / "records").exists() else []
        workers = [
            c for c in _children(proc.pid) if "resource_tracker" not in Path(f"/proc/{c}/cmdline").read_text()
        ]
        if len(records) >= 3 and workers:
            os.kill(workers[-1], signal.SIGKILL)
            killed = True
        time.sleep(0.05)
    _, err = proc.communicate(timeout=300)
    assert killed, "the run ended before a worker could be killed"
    assert proc.returncode == 0, err
    a, b = tree(clean), tree(hit)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
    assert not list(hit.rglob("*.partial"))


def test_worker_memory_stays_flat_over_500_samples(tmp_path):
    script = f"""
import resource, sys
from pathlib import Path
from simvision.scene import load_scene
from simvision.sample import render_sample, write_entry
scene = load_scene({str(SCENE)!r})
rss = []
for i in range(500):
    s = render_sample(scene, 1, i)
    write_entry(Path({str(tmp_path)!r}), s, f"{{i:06d}}", scene, ("coco", "yolo"))
    rss.append(int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]))
print(sum(rss[50:100]) / 50, sum(rss[450:500]) / 50)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    early, late = (float(v) for v in out.split())
    assert late <= early * 1.10, f"RSS grew from {early / 1024:.0f} MB to {late / 1024:.0f} MB"


def test_ray_backend_gives_the_same_bytes_as_the_process_pool(tmp_path):
    pytest.importorskip("ray")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    args = [str(SCENE), "-n", "5", "--seed", "4", "-q"]
    sv("generate", *args, "--out", str(local), "--workers", "1", check=True)
    # two actors, each asking Ray for one GPU (Ray sets CUDA_VISIBLE_DEVICES), replaced past a 64 MB ceiling
    r = sv(
        "generate",
        *args,
        "--out",
        str(on_ray),
        "--backend",
        "ray",
        "--gpus",
        "0,1",
        "--max-worker-memory",
        "64MB",
    )
    assert r.returncode == 0, r.stderr
    a, b = tree(local), tree(on_ray)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
    workers = _progress_workers(on_ray)
    assert {w["gpu"] for w in workers} == {"0", "1"} and len({w["pid"] for w in workers}) > 2


def _progress_workers(out: Path) -> list[dict]:
    rows = [json.loads(line) for line in (out / "progress.jsonl").read_text().splitlines()]
    return [r["worker"] for r in rows if r["event"] == "sample"]


def test_gpu_pinning_and_memory_ceiling_recycle_workers_without_changing_bytes(tmp_path):
    """Each worker sees one GPU (CUDA_VISIBLE_DEVICES); past the memory ceiling the workers are replaced. On a
    machine without GPUs the pinning is still visible in progress.jsonl and the bytes match a plain run."""
    clean, pinned = tmp_path / "clean", tmp_path / "pinned"
    args = [str(SCENE), "-n", "10", "--seed", "4", "-q"]
    sv("generate", *args, "--out", str(clean), "--workers", "1", check=True)
    r = sv("generate", *args, "--out", str(pinned), "--gpus", "0,1", "--max-worker-memory", "64MB")
    assert r.returncode == 0, r.stderr
    workers = _progress_workers(pinned)
    assert len(workers) == 10
    gpu_of: dict[int, str] = {}
    for w in workers:
        assert gpu_of.setdefault(w["pid"], w["gpu"]) == w["gpu"]  # a worker keeps its GPU for life
        assert w["rss_mb"] > 64  # every worker passed the 64 MB ceiling, so each pool was replaced
    assert set(gpu_of.values()) == {"0", "1"}  # --workers 0 with 2 GPUs: one worker per GPU
    assert len(gpu_of) > 2  # workers were recycled
    a, b = tree(clean), tree(pinned)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
    assert json.loads((pinned / "manifest.json").read_text())["devices"] == {"cpu (2d)": 10}


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--gpus", "x,1"), ("--gpus", "0,0"), ("--max-worker-memory", "1KB"), ("--max-worker-memory", "lots")],
)
def test_bad_gpu_and_memory_flags_exit_2(tmp_path, flag, value):
    r = sv("generate", str(SCENE), "--out", str(tmp_path / "o"), "-n", "2", flag, value)
    assert r.returncode == 2 and f"{flag}: value" in r.stderr
    assert not (tmp_path / "o").exists()


def test_kill_at_random_points_then_resume_equals_a_clean_run(tmp_path):
    """The driver and its workers are killed -9 after a random number of finished samples (3 draws, resuming in
    between); the same command then ends with the dataset of an uninterrupted run and no temporary file left.
    (A worker alone killed -9 is test_killing_a_worker_mid_run_still_gives_the_clean_dataset.)"""
    import numpy as np

    clean = tmp_path / "clean"
    args = [str(SCENE), "-n", "12", "--seed", "8", "-q"]
    sv("generate", *args, "--out", str(clean), "--workers", "1", check=True)
    points = np.random.default_rng(2026).integers(1, 11, size=3).tolist()
    out = tmp_path / "killed"
    for k in points:
        cmd = [sys.executable, "-m", "simvision", "generate", *args, "--out", str(out), "--workers", "2"]
        proc = subprocess.Popen(
            cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 120
        start = len(list((out / "records").glob("*.json"))) if (out / "records").exists() else 0
        while time.time() < deadline and proc.poll() is None:
            if len(list((out / "records").glob("*.json"))) >= min(12, start + k):
                break
            time.sleep(0.02)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    res = sv("generate", *args, "--out", str(out), "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert not list(out.rglob("*.partial"))
    a, b = tree(clean), tree(out)
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []
