"""User-facing errors: bad scene files, flags and paths exit with code 2 and one clear message."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user. ``str(err)`` is the whole message: field path, value, what is allowed."""

    exit_code = 2


class VerificationError(Exception):
    """A dataset on disk disagrees with itself (labels vs maps, manifest hashes)."""

    exit_code = 1
