"""A non-editable install renders receipts and streets (issue 20.12): fonts and scene files are package data.

The wheel is built from a copy of the source (nothing is written into the checkout) and installed, without its
dependencies, into a fresh venv that sees the test venv's site-packages only as a plain path (so its editable
``simvision`` is not found). Samples are rendered in another folder, with no PYTHONPATH: only the wheel's files exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

RENDER = """
import sys
from pathlib import Path
import simvision
from simvision.scene import default_scene_dir

assert Path(simvision.__file__).is_relative_to(Path(sys.prefix)), simvision.__file__
for name in ("receipt", "street"):
    scene = simvision.load_scene(default_scene_dir() / f"{name}.yaml")
    if name == "street":
        scene = scene.with_size("160x120")
    sample = simvision.render_sample(scene, seed=1, index=0)
    print(name, sample.image.shape, len(sample.instances))
"""


def test_the_installed_wheel_renders_a_receipt_and_a_street(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "simvision", src / "simvision", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    pip = [sys.executable, "-m", "pip"]
    wheels = tmp_path / "wheels"
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(src)],
        check=True,
        env=env,
        cwd=src,
        capture_output=True,
    )
    (wheel,) = wheels.glob("simvision-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=env)
    py = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the dependencies (and pip) from this venv, as a plain path: its .pth files (the editable install) stay unread
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [py, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True, env=env
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run([py, "-c", RENDER], capture_output=True, text=True, env=env, cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("receipt (") and "\nstreet (" in r.stdout
    r = subprocess.run(
        [venv / "bin" / "simvision", "scenes"], capture_output=True, text=True, env=env, cwd=elsewhere
    )
    assert r.returncode == 0 and "receipt.yaml" in r.stdout and "invalid" not in r.stdout, r.stdout + r.stderr
