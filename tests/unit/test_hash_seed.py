"""Samples must not depend on Python's string hash seed (set iteration order), or workers would disagree."""

import subprocess
import sys

SCRIPT = """
import hashlib, json
from simvision.rng import rng_for
from simvision.scenes.receipt.config import LOCALES, ContentParams
from simvision.scenes.receipt.content import sample_content
h = hashlib.sha256()
for i, locale in enumerate(LOCALES * 6):
    c = sample_content(rng_for(1, i, "scene"), ContentParams(), "supermarket", locale)
    h.update(json.dumps(c.model_dump(mode="json"), sort_keys=True).encode())
print(h.hexdigest())
"""


def test_content_is_independent_of_pythonhashseed():
    digests = {
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env={"PYTHONHASHSEED": str(s)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for s in (1, 2, 3)
    }
    assert len(digests) == 1
