"""Every shipped scene renders every index (issue 19, defect 5): its spec samples and, for receipts, its paper lays
out at some font size. Before the fix a long barcode at small type was wider than the print, no size fitted, and
about 1 in 50 ``small_text`` receipts failed (seed 0: indices 131, 551, 2831, 3151 of receipt.yaml).

Only sampling and the layout pass run here, not rendering. A spec costs 15-25 ms of CPU for a receipt and ~0.4 s
for a street scene, so each file is checked on its first indices plus the first indices of each of its edge cases
and strata (where layouts are tight); ``bench/every_index_fits.py`` runs the same check over thousands.
"""

from __future__ import annotations

import numpy as np
import pytest

from simvision.sample import sample_spec
from simvision.scene import Scene, all_scene_files, default_scene_dir, load_scene
from simvision.scenes.receipt.doc import Code, ReceiptDoc, Segment, TextLine
from simvision.scenes.receipt.render import fit_layout
from simvision.scenes.receipt.several import papers
from simvision.scenes.receipt.typeset import layout_paper

SEED = 0
# (plain indices, indices per edge case / stratum) by scene kind: what a few seconds of CPU buy
BUDGET = {"receipt": (300, 40), "street": (4, 1)}


def indices(scene: Scene, plain: int, per_condition: int, seed: int = SEED) -> list[int]:
    """Indices ``0..plain-1`` and the first ``per_condition`` indices that meet each edge case and stratum."""
    chosen = set(range(plain))
    wanted = {**dict.fromkeys(scene.edge_cases, per_condition), **dict.fromkeys(scene.balance, per_condition)}
    i = 0
    while any(wanted.values()) and i < 200 * plain + 10_000:
        stratum, edges = scene.conditions(seed, i)
        for name in (*edges, *([stratum] if stratum else [])):
            if wanted.get(name):
                wanted[name] -= 1
                chosen.add(i)
        i += 1
    return sorted(chosen)


def lays_out(scene: Scene, seed: int, index: int) -> None:
    """Sample the spec of ``index``; a receipt's paper must also lay out (the cheap sizing pass and the placing)."""
    spec = sample_spec(scene, seed, index)
    if scene.generator == "receipt":
        for one in papers(spec):  # a photo of several receipts: every one of them
            lay = fit_layout(one)
            assert lay.words and lay.width > 0 and lay.height > 0


def failures(scene: Scene, idx: list[int], seed: int = SEED) -> list[tuple[int, str]]:
    bad = []
    for i in idx:
        try:
            lays_out(scene, seed, i)
        except Exception as err:  # every failure listed, not only the first
            bad.append((i, repr(err)[:120]))
    return bad


SCENES = all_scene_files()


@pytest.mark.parametrize("path", SCENES, ids=[p.stem for p in SCENES])
def test_every_index_of_every_shipped_scene_lays_out(path):
    scene = load_scene(path)
    if scene.generator not in BUDGET:
        pytest.skip(f"no layout check for {scene.generator} scenes")
    idx = indices(scene, *BUDGET[scene.generator])
    assert not failures(scene, idx), failures(scene, idx)[:10]


def test_the_indices_that_failed_lay_out():
    scene = load_scene(default_scene_dir() / "receipt.yaml")
    for i in (131, 551, 2831, 3151):
        assert "small_text" in scene.conditions(SEED, i)[1]
        lays_out(scene, SEED, i)


def test_a_code_wider_than_the_print_widens_the_paper_and_centres_the_print():
    """At every size the paper holds the widest code; the print keeps its width, centred, as before otherwise."""
    from simvision.fonts import fonts

    face = fonts()["dejavu_sans_mono"]
    line = TextLine(
        segments=(Segment(text="TOTAL 12.00", x=0.0, align="left", category="total.total_price"),)
    )
    doc = ReceiptDoc(layout="thermal_roll", width_chars=20, blocks=(line, Code(kind="barcode", data="0123")))
    narrow = layout_paper(doc, face, 14, 1.2, 10, {1: np.ones((40, 100), bool)})
    wide = layout_paper(doc, face, 14, 1.2, 10, {1: np.ones((40, 400), bool)})
    assert narrow is not None and wide is not None
    assert narrow.codes[0].x >= 5 and wide.codes[0].x == 5 and wide.width == 410
    # the print is as wide as before, centred on the wider paper
    shift = (wide.width - narrow.width) / 2
    assert wide.words[0].x0 == pytest.approx(narrow.words[0].x0 + shift)
    assert wide.words[0].x1 - wide.words[0].x0 == pytest.approx(narrow.words[0].x1 - narrow.words[0].x0)
