"""Bad input and silent failure (issue 20): partial merges, lone records, a missing Ray cluster, failing runs,
orphaned workers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

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


README_SNIPPET_WITHOUT_GUARD = """
import simvision

scene = simvision.load_scene({scene!r})
simvision.generate(scene, {out!r}, n=2, seed=7, workers=2, retries=0)
"""


def test_a_script_without_the_main_guard_fails_loudly(tmp_path):
    """The README's API snippet pasted into a script without ``if __name__ == "__main__":``: every spawned worker
    imports the script again and dies, and the run must say so (it used to exit 0 with an empty dataset)."""
    script = tmp_path / "make.py"
    script.write_text(README_SNIPPET_WITHOUT_GUARD.format(scene=str(SCENE), out=str(tmp_path / "ds")))
    r = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert r.returncode != 0
    assert "SamplesFailed" in r.stderr and "2 of 2 samples failed" in r.stderr
    assert 'if __name__ == "__main__":' in r.stderr


def test_the_readme_snippet_with_the_guard_works(tmp_path):
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(import simvision\n.*?)```", readme, re.S).group(1)
    assert 'if __name__ == "__main__":' in snippet
    snippet = snippet.replace("scenes/receipt.yaml", str(SCENE)).replace("n=100", "n=2")
    (tmp_path / "make.py").write_text(snippet)
    r = subprocess.run([sys.executable, "make.py"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr


def test_generate_raises_on_failed_samples_and_tells_progress_how_many_failed(tmp_path):
    from simvision.errors import SamplesFailed
    from simvision.pipeline import generate

    out = tmp_path / "o"
    generate(SCENE, out, n=1, seed=2, workers=1)
    (out / "images" / "000001.jpg").mkdir()  # a real fault: sample 1's image cannot be written
    calls = []
    with pytest.raises(SamplesFailed) as err:
        generate(
            SCENE,
            out,
            n=2,
            seed=2,
            workers=1,
            retries=0,
            progress=lambda d, t, failed=0: calls.append((d, t, failed)),
        )
    assert "1 of 2 samples failed" in str(err.value) and "IsADirectoryError" in str(err.value)
    assert [f["index"] for f in err.value.summary.failures] == [1]
    assert calls[-1] == (2, 2, 1)  # the bar's rate counts made samples only
    two_args = []
    with pytest.raises(SamplesFailed):
        generate(SCENE, out, n=2, seed=2, workers=1, retries=0, progress=lambda d, t: two_args.append((d, t)))
    assert two_args[-1] == (2, 2)


def _pool_workers(pid: int) -> list[int]:
    """The driver's spawned pool workers (not Python's resource tracker)."""
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (p / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmd:
            found.append(int(p.name))
    return found


def _sample_pids(out: Path) -> set[int]:
    try:
        lines = (out / "progress.jsonl").read_text().splitlines()
    except OSError:
        return set()
    rows = [json.loads(line) for line in lines if line.endswith("}")]
    return {r["worker"]["pid"] for r in rows if r.get("event") == "sample"}


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_pool_workers_exit_when_the_driver_is_killed(tmp_path):
    driver = subprocess.Popen(
        [sys.executable, "-m", "simvision", "generate", str(SCENE), "--out", str(tmp_path / "o")]
        + ["-n", "40", "--workers", "2", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and driver.poll() is None:
            time.sleep(0.2)
            workers = _pool_workers(driver.pid)
        assert len(workers) == 2, "the pool never started"
        while len(_sample_pids(tmp_path / "o")) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)  # both workers past their initializer: each has made a sample
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
    finally:
        for w in _pool_workers(driver.pid) + [w for w in workers if _alive(w)]:
            os.kill(w, signal.SIGKILL)  # never leave orphans behind, whatever the outcome
        driver.kill() if driver.poll() is None else None
    assert left == [], f"workers {left} outlived their driver"
