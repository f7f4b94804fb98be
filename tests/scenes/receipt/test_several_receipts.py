"""Several receipts in one photo (``params.receipts``): each its own paper instance, every instance naming its
receipt, key fields per receipt, later papers hiding exactly the pixels they cover, and the one-receipt formats
refused with the parameter named."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from simvision.canvas import Canvas
from simvision.errors import UserError
from simvision.pipeline import generate
from simvision.registry import get_generator
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.receipt.config import ReceiptParams
from simvision.scenes.receipt.generator import sample_spec
from simvision.scenes.receipt.hands import LEGIBLE_VISIBLE
from simvision.scenes.receipt.key_fields import key_fields, record_extras
from simvision.scenes.receipt.money import parse_money
from simvision.scenes.receipt.render import CLASS_ID, render_receipt
from simvision.scenes.receipt.several import papers, render_photo
from simvision.writers.crops import crops

CANVAS = Canvas.for_output(1400, 1000)
WIDE = Canvas.for_output(2100, 1000)  # strips wide enough for any of these layouts at its smallest print
GEN = get_generator("receipt")


def params(receipts: tuple[int, int], overlap: tuple[float, float]) -> ReceiptParams:
    return ReceiptParams.model_validate({
        "receipts": {"min": receipts[0], "max": receipts[1]},
        "overlap": {"min": overlap[0], "max": overlap[1]},
        "content": {"layout": {"choices": {"thermal_roll": 1, "till_slip": 1, "restaurant": 1}},
                    "items": {"min": 2, "max": 6}},
        "look": {"rotation_deg": {"min": -8, "max": 8}},
    })  # fmt: skip


def photo(p: ReceiptParams, index: int, canvas: Canvas = CANVAS):
    spec = sample_spec(np.random.default_rng([21, index, 0, 0]), p, canvas)
    return spec, render_photo(spec)


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


@pytest.mark.parametrize("index", range(4))
def test_several_receipts_per_photo_keep_key_fields_apart(index):
    """Side by side (no overlap): each receipt's labels are exactly those it has alone, its key fields are read
    from its own words only, and they state its own store and total (the record lists them per receipt)."""
    spec, s = photo(params((2, 3), (0.0, 0.0)), index, WIDE)
    inst = s.instances
    n = len(papers(spec))
    assert n >= 2 and sorted(set(inst.attrs["receipt"].tolist())) == list(range(n))
    rec_fields = record_extras(s)["key_fields"]
    assert isinstance(rec_fields, list) and len(rec_fields) == n
    stores = [_squash(one.content.store_name) for one in papers(spec)]
    checked_totals = 0
    for k, one in enumerate(papers(spec)):
        mine = inst[inst.attrs["receipt"] == k]
        alone = render_receipt(one).instances
        # one paper per receipt, and the same words with the same boxes as the receipt photographed alone
        assert (mine.class_id == CLASS_ID["receipt"]).sum() == 1
        assert mine.text == alone.text
        assert np.array_equal(mine.boxes, alone.boxes)
        fields = key_fields(mine)
        assert fields == key_fields(alone) == rec_fields[k]
        if "store.name" in fields:
            name = _squash("".join(fields["store.name"]))
            assert name in stores[k]
            assert not any(name == other for j, other in enumerate(stores) if j != k and other != stores[k])
        total_rows = mine.attrs["category"] == "total.total_price"
        if total_rows.any() and not mine.attrs["truncated"][total_rows].any():
            assert parse_money(fields["total.total_price"][-1], one.content.locale) == one.content.total
            checked_totals += 1
    assert checked_totals >= 1


@pytest.mark.parametrize("index", range(3))
def test_words_under_a_later_receipt_lose_exactly_the_covered_pixels(index):
    """Each receipt's instance keeps exactly its own pixels minus those the later papers (and hands) cover;
    visible_fraction is what is left of them, a word left under the legible share is ignored as occluded, and
    one left with nothing is dropped (recorded), never taught as a positive."""
    spec, s = photo(params((3, 3), (0.7, 0.8)), index)
    alone = [render_receipt(one) for one in papers(spec)]
    inst = s.instances
    hidden = [d["receipt"] for d in s.meta["dropped"] if "later receipt" in d["reason"]]
    partial = 0
    for k, own in enumerate(alone):
        cover = np.zeros(s.image.shape[:2], bool)
        for later in alone[k + 1 :]:
            cover |= later.maps[0] != 0
        rows = np.flatnonzero(inst.attrs["receipt"] == k)
        assert len(rows) == len(own.instances) - hidden.count(k)
        by_text = {}
        for r in range(len(own.instances)):
            by_text.setdefault((own.instances.text[r], int(own.instances.class_id[r])), []).append(r)
        for r in rows:
            o = by_text[(inst.text[r], int(inst.class_id[r]))].pop(0)
            own_mask = own.mask(o)
            while not (s.mask(r) == (own_mask & ~cover)).all():  # same text twice: the next one
                o = by_text[(inst.text[r], int(inst.class_id[r]))].pop(0)
                own_mask = own.mask(o)
            left = int((own_mask & ~cover).sum())
            assert left > 0
            want = float(own.instances.attrs.get("visible_fraction", np.ones(len(own.instances)))[o])
            want *= left / int(own_mask.sum())
            assert inst.attrs["visible_fraction"][r] == pytest.approx(want, abs=1e-4)
            if inst.class_id[r] == CLASS_ID["word"] and want < LEGIBLE_VISIBLE:
                assert inst.attrs["ignore"][r]
                partial += 1
    assert partial > 0, "no word is partly covered: the test shows nothing"
    # a key-field value with a word under a later receipt is no label: all of its words are ignored
    runs = {}
    for r in range(len(inst)):
        if inst.attrs["category"][r] != "other":
            key = (int(inst.attrs["receipt"][r]), inst.attrs["category"][r], int(inst.attrs["line"][r]),
                   int(inst.attrs["group"][r]))  # fmt: skip
            runs.setdefault(key, set()).add(bool(inst.attrs["ignore"][r]))
    assert all(len(flags) == 1 for flags in runs.values())
    # the ignored words stay out of the key fields
    for k in range(len(alone)):
        mine = inst[inst.attrs["receipt"] == k]
        legible = mine[~mine.attrs["ignore"]]
        assert key_fields(mine) == key_fields(legible)


def test_one_receipt_photos_keep_their_spec_and_config():
    """params.receipts 1 (the default) adds nothing to a dumped config or spec: existing outputs keep their bytes."""
    p = ReceiptParams()
    dumped = p.model_dump(mode="json")
    assert "receipts" not in dumped and "overlap" not in dumped
    spec = sample_spec(np.random.default_rng([1, 0, 0, 0]), p, CANVAS)
    out = spec.model_dump(mode="json")
    assert "slot" not in out and "others" not in out
    s = render_photo(spec)
    assert "receipt" not in s.instances.attrs and s.page is not None
    assert isinstance(record_extras(s)["key_fields"], dict)


def test_the_shipped_scene_replays_each_receipt_from_its_spec():
    """The stored spec holds every receipt (its own strip, content and rotation) and rebuilds the same photo."""
    scene = load_scene(default_scene_dir() / "receipt_multi.yaml")
    spec = sample_spec(np.random.default_rng([5, 2, 0, 0]), scene.params, CANVAS)
    back = GEN.spec_model.model_validate(json.loads(json.dumps(spec.model_dump(mode="json"))))
    assert back == spec
    a, b = render_photo(spec), render_photo(back)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.maps, b.maps)


def test_the_dewarp_format_is_refused_naming_the_parameter(tmp_path):
    scene = load_scene(default_scene_dir() / "receipt_multi.yaml")
    with pytest.raises(UserError, match=r"--format: value 'dewarp'.*params\.receipts") as err:
        generate(scene, tmp_path / "out", n=1, seed=1, workers=1, formats=("coco", "dewarp"))
    assert "cord or sroie" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_a_balance_stratum_with_several_receipts_is_refused_by_name(tmp_path):
    path = tmp_path / "mix.yaml"
    path.write_text(
        "generator: receipt\nimage: {width: 600, height: 800}\n"
        "balance:\n  pile: {share: 0.5, params: {receipts: {min: 2, max: 2}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"'dewarp'.*balance\.pile.*params\.receipts"):
        generate(load_scene(path), tmp_path / "out", n=1, seed=1, workers=1, formats=("dewarp",))


def test_coco_labels_every_paper_and_word_with_its_receipt_and_is_byte_stable(tmp_path):
    """COCO: one receipt annotation per paper, every annotation's attributes name its receipt; the record's key
    fields are per receipt; the same seed writes the same bytes."""
    scene = load_scene(default_scene_dir() / "receipt_multi.yaml").with_size("1000x700")
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        generate(scene, out, n=3, seed=8, workers=1, formats=("coco", "yolo", "record"))
        outs.append(out)
    coco = json.loads((outs[0] / "coco.json").read_text())
    cats = {c["id"]: c["name"] for c in coco["categories"]}
    for img in coco["images"]:
        anns = [a for a in coco["annotations"] if a["image_id"] == img["id"]]
        receipts = sorted(a["attributes"]["receipt"] for a in anns if cats[a["category_id"]] == "receipt")
        assert receipts == list(range(len(receipts)))
        assert all(a["attributes"]["receipt"] in receipts for a in anns)
        rec = json.loads(
            (outs[0] / "records" / (img["file_name"].split("/")[-1].rsplit(".", 1)[0] + ".json")).read_text()
        )
        assert len(rec["key_fields"]) == len(receipts)
    for path in sorted(p for p in outs[0].rglob("*") if p.is_file() and p.name != "progress.jsonl"):
        twin = outs[1] / path.relative_to(outs[0])
        assert twin.read_bytes() == path.read_bytes(), path


def test_cord_and_sroie_write_one_row_per_receipt_on_its_own_crop(tmp_path):
    """CORD and SROIE hold one receipt per image: each receipt of a photo is its own row on its own crop (the
    photo's pixels), its coordinates in the crop, its key fields its own; the other receipts' text is do-not-care."""
    scene = load_scene(default_scene_dir() / "receipt_multi.yaml")
    out = tmp_path / "ds"
    generate(scene, out, n=3, seed=4, workers=1, formats=("coco", "cord", "sroie", "record"), split="train=1")
    recs = [json.loads(p.read_text()) for p in sorted((out / "records").glob("*.json"))]
    rows = [json.loads(line) for line in (out / "cord/train/metadata.jsonl").read_text().splitlines()]
    names = (out / "sroie/ImageSets/train.txt").read_text().split()
    want = [f"{r['name']}_r{k}" for r in recs for k in range(len(r["key_fields"]))]
    assert [row["file_name"] for row in rows] == [f"{n}.png" for n in want] and names == want
    assert sum(len(r["key_fields"]) for r in recs) > len(recs)  # some photo holds several receipts
    kept = 0
    for row, name in zip(rows, want, strict=True):
        rec = next(r for r in recs if name.startswith(r["name"] + "_r"))
        k = int(name.rsplit("_r", 1)[1])
        crop = next(c for c in crops(rec) if c["name"] == name)
        gt = json.loads(row["ground_truth"])
        x0, y0, x1, y1 = crop["crop"]["box"]
        photo = cv2.imread(str(out / rec["files"]["image"]), cv2.IMREAD_COLOR)
        for img in (out / "cord/train" / row["file_name"], out / "sroie/img" / f"{name}.png"):
            assert np.array_equal(cv2.imread(str(img), cv2.IMREAD_COLOR), photo[y0:y1, x0:x1])
        assert (
            gt["meta"]["image_size"] == {"width": x1 - x0, "height": y1 - y0} and gt["meta"]["receipt"] == k
        )
        own = [i for i in rec["instances"] if i.get("receipt") == k]
        paper = next(i for i in own if i["class"] == "receipt")
        assert [x0, y0, x1, y1] == paper["bbox"]  # the receipt's own visible pixels bound every word of it
        for line in gt["valid_line"]:
            for w in line["words"]:
                xs, ys = [w["quad"][f"x{j}"] for j in range(1, 5)], [w["quad"][f"y{j}"] for j in range(1, 5)]
                assert -3 <= min(xs) and max(xs) <= x1 - x0 + 3 and -3 <= min(ys) and max(ys) <= y1 - y0 + 3
        # its key fields are its own: the record's for this receipt, less lines another receipt's text crosses
        mine = rec["key_fields"][k]
        for cat, values in crop["key_fields"].items():
            assert set(values) <= set(mine[cat]), (name, cat)
        kept += crop["key_fields"] == mine
        key = json.loads((out / f"sroie/key/{name}.txt").read_text())
        assert key["company"] == " ".join(crop["key_fields"].get("store.name", []))
        total = gt["gt_parse"].get("total", {}).get("total_price")
        if total is not None and mine.get("total.total_price"):
            assert (total[-1] if isinstance(total, list) else total) in mine["total.total_price"][-1]
    assert kept >= len(want) // 2
