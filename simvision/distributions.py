"""Distributions a scene file may use for anything that varies: ranges, weighted choices, probabilities.

Each is a small pydantic model with ``sample(rng)``; all reject unknown keys so a typo in a scene file is an error
that names the field.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")


class Strict(BaseModel):
    """Base for every scene-file model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class IntRange(Strict):
    """Uniform integer in ``[min, max]`` (both inclusive)."""

    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must be >= min ({self.min})")
        return self

    def sample(self, rng: np.random.Generator) -> int:
        return int(rng.integers(self.min, self.max + 1))


class FloatRange(Strict):
    """Uniform float in ``[min, max]``."""

    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> FloatRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must be >= min ({self.min})")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.min, self.max))


class Choice(Strict, Generic[T]):
    """Weighted choice: ``{choices: {a: 2, b: 1}}``; weights need not sum to 1 but must be >= 0 with a positive sum."""

    choices: dict[str, float] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        bad = {k: w for k, w in self.choices.items() if w < 0}
        if bad:
            raise ValueError(f"weights must be >= 0, got {bad}")
        if sum(self.choices.values()) <= 0:
            raise ValueError("at least one weight must be > 0")
        return self

    def sample(self, rng: np.random.Generator) -> str:
        keys = list(self.choices)
        w = np.array([self.choices[k] for k in keys], dtype=np.float64)
        return keys[int(rng.choice(len(keys), p=w / w.sum()))]


Probability = float  # validated where used with Field(ge=0, le=1)


def coin(rng: np.random.Generator, p: float) -> bool:
    """Bernoulli draw; always consumes exactly one number so later draws do not shift with ``p``."""
    return bool(rng.random() < p)


def choice_of(allowed: tuple[str, ...]):  # noqa: ANN201 - returns a pydantic AfterValidator
    """A validator for a :class:`Choice` field whose keys must come from ``allowed``."""
    from pydantic import AfterValidator

    def check(value: Choice) -> Choice:
        bad = sorted(set(value.choices) - set(allowed))
        if bad:
            raise ValueError(f"unknown choice(s) {bad}; allowed: {list(allowed)}")
        return value

    return AfterValidator(check)
