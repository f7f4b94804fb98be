"""Moved to :mod:`simvision.compare.features` (``simvision compare`` uses the same statistics); kept as an alias."""

from simvision.compare.features import *  # noqa: F403
