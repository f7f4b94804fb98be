"""User-facing errors: bad scene files, flags and paths exit with code 2 and one clear message."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Bad input from the user. ``str(err)`` is the whole message: field path, value, what is allowed."""

    exit_code = 2


class VerificationError(Exception):
    """A dataset on disk disagrees with itself (labels vs maps, manifest hashes)."""

    exit_code = 1


class SamplesFailed(Exception):
    """A run finished but some samples failed after their retries (listed in ``failures.json``). The dataset
    holds the others; rerunning the same command retries the failed ones. ``summary`` is the run's summary."""

    exit_code = 1

    def __init__(self, summary: Any) -> None:
        self.summary = summary
        first = summary.failures[0]
        super().__init__(
            f"{summary.out}: {len(summary.failures)} of {summary.count} samples failed (see "
            f"{summary.out / 'failures.json'}); first: index {first['index']} (seed {first['seed']}): "
            f"{first['error']}"
        )
