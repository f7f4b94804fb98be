"""The Python API refuses an unusable output folder as the CLI does: one UserError naming it, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from simvision.errors import UserError
from simvision.pipeline import generate
from simvision.scene import default_scene_dir


def test_generate_refuses_an_out_folder_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="is a file, not a folder"):
        generate(default_scene_dir() / "receipt.yaml", blocker / "out", n=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_generate_refuses_a_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(UserError, match="--out"):
        generate(default_scene_dir() / "receipt.yaml", loop / "out", n=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]
