"""The squashing function gates are made of (the tanh they also use is numpy's)."""

from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = 1 / (1 + e^-a), written as (1 + tanh(a/2)) / 2: one transcendental call and
    no overflow warning for large negative a."""
    out = np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out
