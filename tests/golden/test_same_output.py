"""Outputs change only on purpose: the shipped scenes, generated with this checkout and with the commit named in
``OUTPUT_REF`` (the last commit that changed outputs deliberately), must be byte-identical in this environment.

A change that alters outputs on purpose (a fix, a new effect) updates ``OUTPUT_REF`` in a follow-up commit and
says why; a restructuring never does. Both sides run here, so library versions cannot make them differ.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REF = (Path(__file__).with_name("OUTPUT_REF")).read_text(encoding="utf-8").split()[0]
SCENES = "receipt,receipt_photo,street,street_fog_dusk"


def _has_history() -> bool:
    git = shutil.which("git")
    ok = git and subprocess.run(
        [git, "-C", str(ROOT), "cat-file", "-e", f"{REF}^{{commit}}"], capture_output=True
    )
    return bool(ok and ok.returncode == 0)


@pytest.mark.slow
@pytest.mark.skipif(
    not _has_history(), reason=f"no git history holding {REF} (a source archive, not a clone)"
)
def test_shipped_scenes_write_the_same_bytes_as_the_reference():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "same_output.py"), "--ref", REF, "--scenes", SCENES, "-n", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
    )  # fmt: skip
    assert run.returncode == 0, (
        f"outputs differ from {REF}; if on purpose, set tests/golden/OUTPUT_REF to the commit that changed them:\n"
        + run.stdout[-3000:]
        + run.stderr[-2000:]
    )
