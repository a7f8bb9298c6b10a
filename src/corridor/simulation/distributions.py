"""Durations drawn at random: the few shapes a disruption model may use.

Every duration in a disruption model (screening, verification, suspension,
repair) is one of these. They draw from a `random.Random` the engine owns, so a
run's randomness comes from one seeded stream and is reproducible; the standard
library generator is used because scalar draws from it are several times
cheaper than numpy's, and a run makes thousands of them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum


class Shape(StrEnum):
    """The family of a duration distribution."""

    FIXED = "fixed"
    EXPONENTIAL = "exponential"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    LOGNORMAL = "lognormal"


@dataclass(frozen=True)
class Duration:
    """A distribution of minutes; which fields matter depends on `shape`.

    fixed: `mean`; exponential: `mean`; uniform: `low`..`high`;
    triangular: `low`, `mode`, `high`; lognormal: `mean` and `sd` of the minutes
    themselves (not of their logarithm).
    """

    shape: Shape
    mean: float = 0.0
    low: float = 0.0
    high: float = 0.0
    mode: float = 0.0
    sd: float = 0.0

    @staticmethod
    def fixed(minutes: float) -> Duration:
        return Duration(Shape.FIXED, mean=minutes)

    @staticmethod
    def exponential(mean: float) -> Duration:
        return Duration(Shape.EXPONENTIAL, mean=mean)

    def expected(self) -> float:
        """The mean of the distribution, in minutes."""
        if self.shape is Shape.UNIFORM:
            return (self.low + self.high) / 2
        if self.shape is Shape.TRIANGULAR:
            return (self.low + self.mode + self.high) / 3
        return self.mean

    def scaled(self, factor: float) -> Duration:
        """The same shape with every minute multiplied by `factor` (for sweeps)."""
        return Duration(
            self.shape,
            mean=self.mean * factor,
            low=self.low * factor,
            high=self.high * factor,
            mode=self.mode * factor,
            sd=self.sd * factor,
        )

    def draw(self, rng: random.Random) -> float:
        """One duration in minutes, never negative."""
        shape = self.shape
        if shape is Shape.FIXED:
            return self.mean
        if shape is Shape.EXPONENTIAL:
            return rng.expovariate(1.0 / self.mean) if self.mean > 0 else 0.0
        if shape is Shape.UNIFORM:
            return rng.uniform(self.low, self.high)
        if shape is Shape.TRIANGULAR:
            return rng.triangular(self.low, self.high, self.mode)
        # Lognormal given by the mean and spread people think in, converted to
        # the parameters of the underlying normal.
        if self.mean <= 0:
            return 0.0
        variance = math.log1p((self.sd / self.mean) ** 2)
        mu = math.log(self.mean) - variance / 2
        return rng.lognormvariate(mu, math.sqrt(variance))

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for every value that makes this distribution meaningless."""
        found: list[tuple[str, str]] = []
        if self.shape in (Shape.FIXED, Shape.EXPONENTIAL, Shape.LOGNORMAL) and self.mean < 0:
            found.append(("mean", f"must be at least 0 minutes, got {self.mean}"))
        if self.shape is Shape.EXPONENTIAL and self.mean <= 0:
            found.append(("mean", f"must be more than 0 minutes, got {self.mean}"))
        if self.shape is Shape.LOGNORMAL and self.sd < 0:
            found.append(("sd", f"must be at least 0 minutes, got {self.sd}"))
        if self.shape in (Shape.UNIFORM, Shape.TRIANGULAR):
            if self.low < 0:
                found.append(("low", f"must be at least 0 minutes, got {self.low}"))
            if self.high < self.low:
                found.append(("high", f"must be at least low ({self.low}), got {self.high}"))
        if self.shape is Shape.TRIANGULAR and not self.low <= self.mode <= self.high:
            found.append(("mode", f"must lie between low and high, got {self.mode}"))
        return found
