"""The memory horizon: how fast a gradient profile falls, steps back from the loss.

Fit log ‖∂L/∂h_t‖ against k = steps back from the last step by least squares:
‖∂L/∂h‖ ≈ A γ^k (docs/theory.md §7). γ is the per-step factor the gradient actually
had, the rate of the product of the per-step Jacobians σ'·W (§3, §5), and the horizon
is the number of steps back over which the gradient falls 100x: ln(100) / -ln γ, or
infinite when it does not fall within the sequence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DROP = 100.0  # the horizon is where the gradient has fallen by this factor
SMALLEST = float(np.finfo(np.float32).tiny)  # below: underflowed (or flushed) in float32


@dataclass(frozen=True)
class Horizon:
    gamma: float  # per-step factor (< 1 decays going back, > 1 grows)
    horizon: float  # steps back to fall 100x; math.inf when it does not within the data

    @property
    def beyond(self) -> bool:
        """True when the gradient does not fall 100x within the sequence ("> T")."""
        return math.isinf(self.horizon)


def fit_window(profile: np.ndarray) -> np.ndarray:
    """(T-1,) bool over k = 1, 2, ... steps back: the points `fit_horizon` fits (finite,
    not underflowed; the last step, k = 0, is never one of them)."""
    values = np.asarray(profile, dtype=np.float64)[::-1][1:]
    return np.isfinite(values) & (values > SMALLEST)


def fit_horizon(profile: np.ndarray) -> Horizon:
    """Fit a per-timestep gradient-norm profile (T,), newest step last.

    Leaves out the last step (the readout's direct path makes a one-step drop) and the
    values that underflowed; where the gradient underflows a few steps back, the fit
    covers only the steps before it, and the horizon ends at the underflow at the latest."""
    values = np.asarray(profile, dtype=np.float64)[::-1][1:]   # k = 1, 2, ... steps back
    T = values.size + 1
    k = np.arange(1, T, dtype=np.float64)
    valid = fit_window(profile)
    if valid.sum() < 2:
        return Horizon(gamma=0.0, horizon=float(valid.sum()))
    slope, _ = np.polyfit(k[valid], np.log(values[valid]), 1)
    gamma = math.exp(slope)
    horizon = math.log(DROP) / -slope if slope < 0 else math.inf
    first_zero = np.flatnonzero(~valid & (k > k[valid].max()))
    if first_zero.size:                     # it underflowed: it cannot reach further than that
        horizon = min(horizon, float(k[first_zero[0]]))
    if horizon > T:
        horizon = math.inf
    return Horizon(gamma=gamma, horizon=horizon)


def spectral_radius(W: np.ndarray) -> float:
    """ρ(W) = max |eigenvalue|: the rate at which W^t grows or decays in the long run."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(W, dtype=np.float64)))))
