"""OCR in the receipt's own language: tesseract reads Indonesian (ind), Malaysian (eng+msa) and Japanese (jpn)
receipts of the shipped scene files back where their labels put them.

Like ``test_ocr_legibility.py`` (whose line cropping this reuses): receipts rendered flat (rotation 0), each text
line cut out at the union of its words' boxes, all lines of a receipt stacked into one page read once (``--psm 6``,
TSV). Compared after NFKC, case folding and removing whitespace (tesseract spaces Japanese characters apart; a
Japanese word is a space-delimited run of the print, see ``typeset``). A language whose pack is not installed is
skipped, naming the Debian package. Control: the same OCR scored against the next line's label fails.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import numpy as np
import pytest
from test_ocr_legibility import edit_distance, line_crops, ocr_page, sample_spec

from simvision.sample import render_spec
from simvision.scene import default_scene_dir, load_scene

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("tesseract") is None, reason="tesseract (apt: tesseract-ocr) not installed"
    ),
]

SEED = 0  # sample_spec (from test_ocr_legibility) draws specs of this seed
RECEIPTS = 3
# (locale, tesseract languages, shipped scene file, least mean line accuracy). Measured with tesseract 5.3.0 on
# these 3 receipts each: id_ID 0.980, en_MY 0.985, ja_JP 0.938 (mean line accuracy); one line off: <= 0.14.
CASES = [
    ("id_ID", "ind", "receipt_cord_id", 0.90),
    ("en_MY", "eng+msa", "receipt_sroie_my", 0.90),
    ("ja_JP", "jpn", "receipt_ja", 0.80),
]
MAX_SHIFTED = 0.35


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def accuracy(label: str, ocr: str) -> float:
    a, b = fold(label), fold(ocr)
    return max(0.0, 1.0 - edit_distance(a, b) / len(a)) if a else 1.0


def installed_languages() -> set[str]:
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=True).stdout
    return {line.strip() for line in out.splitlines()[1:] if line.strip()}


@pytest.mark.parametrize(("locale", "lang", "scene_file", "least"), CASES)
def test_receipts_read_back_in_their_language(locale: str, lang: str, scene_file: str, least: float) -> None:
    missing = set(lang.split("+")) - installed_languages()
    if missing:
        packs = ", ".join(f"tesseract-ocr-{m}" for m in sorted(missing))
        pytest.skip(f"tesseract language pack(s) {sorted(missing)} not installed (apt: {packs})")
    scene = load_scene(default_scene_dir() / f"{scene_file}.yaml")
    pairs: list[tuple[str, str, str]] = []  # (label, ocr, next line's label)
    for index in range(RECEIPTS):
        spec = sample_spec(scene, index).model_copy(update={"rotation_deg": 0.0})
        assert spec.content.locale == locale
        lines = line_crops(render_spec(scene, spec, SEED, index), spec.font_id, index, False)
        texts = ocr_page([x.crop for x in lines], lang)
        labels = [x.label for x in lines]
        pairs += [(a, t, b) for a, t, b in zip(labels, texts, labels[1:] + labels[:1], strict=True)]
    acc = [accuracy(a, t) for a, t, _ in pairs]
    shifted = [accuracy(b, t) for _, t, b in pairs]
    worst = sorted(zip(acc, pairs, strict=True))[:8]
    report = (
        f"{locale}: {len(pairs)} lines, mean {np.mean(acc):.3f}, one line off {np.mean(shifted):.3f}; "
        + str([(round(a, 2), p[0], p[1]) for a, p in worst])
    )
    print(report)
    assert len(pairs) >= 40, report
    assert np.mean(acc) >= least, report
    assert np.mean(shifted) <= MAX_SHIFTED, report
