"""Bad input and silent failure (issue 20): partial merges, lone records, a missing Ray cluster, failing runs,
orphaned workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from simvision.scene import default_scene_dir
from tests.e2e.test_cli import sv

SCENE = default_scene_dir() / "receipt.yaml"
pytestmark = pytest.mark.slow


def test_merge_with_a_missing_shard_is_refused_naming_the_indices(tmp_path):
    s0, merged = tmp_path / "s0", tmp_path / "m"
    common = [str(SCENE), "-n", "4", "--seed", "3", "-q", "--shard-block", "2", "--workers", "1"]
    sv("generate", *common, "--out", str(s0), "--shard", "0/2", check=True)
    r = sv("merge", str(s0), "--out", str(merged))
    assert r.returncode == 2, r.stderr
    assert "2-3" in r.stderr and "--allow-partial" in r.stderr and r.stderr.count("error:") == 1
    assert not merged.exists(), "nothing may be written"
    r = sv("merge", str(s0), "--out", str(merged), "--allow-partial")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (merged / "records").iterdir()) == ["000000.json", "000001.json"]


def test_a_record_copied_out_of_its_dataset_replays_alone(tmp_path):
    ds, alone = tmp_path / "ds", tmp_path / "alone"
    sv("generate", str(SCENE), "--out", str(ds), "-n", "1", "--seed", "4", "-q", "--workers", "1", check=True)
    alone.mkdir()
    shutil.copy(ds / "records" / "000000.json", alone / "r.json")
    r = sv("replay", str(alone / "r.json"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "identical labels" in r.stdout and "not compared" in r.stdout and "Traceback" not in r.stderr


def test_ray_address_auto_without_a_cluster_exits_2_with_one_line(tmp_path):
    pytest.importorskip("ray")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    r = subprocess.run(
        [sys.executable, "-m", "simvision", "generate", str(SCENE), "--out", str(tmp_path / "o"), "-n", "1"]
        + ["-q", "--backend", "ray", "--address", "auto"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # no Ray session files of another test nearby
    )
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("error:") == 1 and "--address" in r.stderr
