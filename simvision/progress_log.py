"""``progress.jsonl``: one JSON line per event of a run, for batch schedulers (appended, never rewritten).

Events: ``start`` (total, already done), ``repair`` (index, why: a damaged finished sample redone), ``sample`` (index, ok, done, total, rate in samples/s, eta_s, failures
so far, the worker's pid / GPU / resident MB) and ``end``. Times are wall-clock; the file is a log of the run, not part of the dataset (not in the
manifest).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


class ProgressLog:
    def __init__(self, path: Path, total: int, done: int) -> None:
        self.path, self.total, self.done, self.failed = path, total, done, 0
        self.t0, self.done0 = time.monotonic(), done
        self._write({"event": "start", "total": total, "done": done, "pid": os.getpid()})

    def _write(self, row: dict[str, Any]) -> None:
        row = {"time": round(time.time(), 3), **row}
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, sort_keys=True) + "\n")

    def sample(
        self, index: int, failure: dict[str, Any] | None, worker: dict[str, Any] | None = None
    ) -> None:
        self.done += 1
        self.failed += failure is not None
        elapsed = time.monotonic() - self.t0
        rate = (self.done - self.done0) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else None
        row = {
            "event": "sample",
            "index": index,
            "ok": failure is None,
            "done": self.done,
            "total": self.total,
        }
        row.update(
            {"rate": round(rate, 3), "eta_s": None if eta is None else round(eta, 1), "failed": self.failed}
        )
        if failure is not None:
            row["error"] = failure["error"]
        if worker is not None:
            row["worker"] = worker  # pid, GPU (CUDA_VISIBLE_DEVICES) and resident MB after the sample
        self._write(row)

    def repair(self, index: int, why: str) -> None:
        """A finished sample found damaged on resume (rendered again)."""
        self._write({"event": "repair", "index": index, "why": why})

    def end(self, failures: int) -> None:
        self._write({"event": "end", "done": self.done, "total": self.total, "failures": failures})
