"""The memory-horizon fit and the note's law quantities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_tui.engine import Trainer, build_model, build_task
from rnn_tui.engine.horizon import fit_horizon, spectral_radius


def geometric(gamma: float, T: int, scale: float = 3.0) -> np.ndarray:
    """A profile that falls by gamma per step back from the end, plus the readout's jump."""
    k = np.arange(T)[::-1]                       # steps back: T-1 ... 0
    profile = scale * gamma ** k.astype(float)
    profile[-1] *= 7.0                           # the direct path at the last step
    return profile


@pytest.mark.parametrize("gamma", [0.5, 0.8, 0.95, 0.99])
def test_recovers_gamma_exactly_on_geometric_profiles(gamma: float) -> None:
    h = fit_horizon(geometric(gamma, 60))
    assert h.gamma == pytest.approx(gamma, rel=1e-9)
    expected = math.log(100) / -math.log(gamma)
    assert h.horizon == (pytest.approx(expected) if expected <= 60 else math.inf)


def test_flat_or_growing_profiles_reach_beyond_T() -> None:
    assert fit_horizon(np.ones(50)).beyond
    grow = fit_horizon(geometric(1.2, 40))
    assert grow.beyond and grow.gamma == pytest.approx(1.2)


def test_zeros_and_denormals_are_left_out_without_nans() -> None:
    profile = geometric(0.5, 100).astype(np.float32)
    profile[:60] = 0.0                            # flushed to zero far back
    profile[60:63] = np.float32(1e-40)            # denormals
    h = fit_horizon(profile)
    assert h.gamma == pytest.approx(0.5, rel=1e-4)
    assert h.horizon == pytest.approx(math.log(100) / math.log(2), rel=1e-4)
    for degenerate in (np.zeros(30), np.full(30, np.nan), np.array([1.0]), np.array([0.0, 1.0])):
        h = fit_horizon(degenerate)
        assert not math.isnan(h.gamma) and not math.isnan(h.horizon)


def test_an_underflow_caps_the_horizon() -> None:
    profile = np.full(50, 1.0)
    profile[:40] = 0.0                            # nothing reaches 10 steps back or more
    h = fit_horizon(profile)
    assert h.horizon <= 10


def test_spectral_radius() -> None:
    rotation = np.array([[0.0, -2.0], [2.0, 0.0]])           # eigenvalues ±2i
    assert spectral_radius(rotation) == pytest.approx(2.0)
    assert spectral_radius(np.diag([0.3, -0.9, 0.5])) == pytest.approx(0.9)


def test_trace_scalars_carry_the_law_and_the_horizons() -> None:
    task = build_task("adding", 20)
    for kind, keys in {"rnn": {"rho_W", "sigma_max_W", "dsigma_mean", "dsigma_rms",
                               "dsigma_max", "gamma_product", "gamma_bound", "gamma_meanfield"},
                       "lstm": {"gamma_c", "horizon_c", "forget_hold_all"},
                       "gru": {"update_hold_all"}}.items():
        model = build_model(kind, 2, 8, 1, rng=np.random.default_rng(0))
        scalars = Trainer(model, task, batch_size=4).step().trace.scalars
        assert keys | {"gamma_h", "horizon_h"} <= scalars.keys(), kind
    rnn = build_model("rnn", 2, 8, 1, rng=np.random.default_rng(0))
    s = Trainer(rnn, task, batch_size=4).step().trace.scalars
    assert s["rho_W"] == pytest.approx(1.0, rel=1e-5)          # orthogonal init
    assert 0 < s["dsigma_mean"] <= 1
