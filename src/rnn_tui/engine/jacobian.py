"""The note's law, computed from the pass just made (docs/theory.md §4-5).

Going back one step, BPTT maps the gradient at h_t to the gradient at h_{t-1} by
v ← Wᵀ(σ'(a_t) ⊙ v) (the note's point 2: a factor σ'·W per step). k steps back from the
loss the gradient is the product of k such factors applied to the gradient at the loss.
Three numbers for its per-step rate, each beside the measured one (the fit of
‖∂L/∂h_t‖ in horizon.py):

- `gamma_product`: the product itself, applied to random probe vectors instead of the
  gradient and renormalised at every step (the log norms are summed), so it never
  underflows, whatever T. The rate the model actually has.
- `gamma_bound`: σ_max(W) · max σ'. No factor stretches a vector by more (the note's
  argument is this inequality): below 1 the gradient must vanish; above 1 it MAY explode.
- `gamma_meanfield`: mean σ' · ρ(W), a one-number shortcut. Neither the rate nor a bound
  (for a ReLU RNN it says "shrinks" while the gradient grows); kept to show that.

The same probe runs through the LSTM's and the GRU's full step Jacobian of their state
(`LSTMStep`, `GRUStep`): their `gamma_product`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .horizon import fit_window, spectral_radius

PROBE_SEED = 0  # the probes are random but the same for every pass: the scalar is repeatable


def largest_singular_value(W: np.ndarray) -> float:
    """σ_max(W) = ‖W‖₂: the most W stretches any vector."""
    return float(np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)[0])


def log_mean_exp(logs: np.ndarray) -> float:
    """log(mean(exp(logs))) without leaving the log domain (−inf when every entry is)."""
    top = float(np.max(logs))
    if not np.isfinite(top):
        return top
    return top + float(np.log(np.mean(np.exp(logs - top))))


class StepBack(Protocol):
    """The transpose of one step's Jacobian of the state: the state's gradient at step t to
    its gradient at step t-1, through that step alone (what BPTT does between losses)."""

    W: np.ndarray   # the recurrent matrix; the probes take its dtype, as BPTT did
    steps: int
    batch: int
    size: int       # of the state the gradient is taken with respect to

    def back(self, t: int, v: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class RNNStep:
    """Simple RNN, state h: v ← Wᵀ(σ'(a_t) ⊙ v) (rows, as in the backward pass)."""

    W: np.ndarray
    dsigma: np.ndarray          # (T, B, H): σ'(a_t)

    @property
    def steps(self) -> int:
        return self.dsigma.shape[0]

    @property
    def batch(self) -> int:
        return self.dsigma.shape[1]

    @property
    def size(self) -> int:
        return self.dsigma.shape[2]

    def back(self, t: int, v: np.ndarray) -> np.ndarray:
        return np.matmul(v * self.dsigma[t], self.W)


@dataclass(frozen=True)
class LSTMStep:
    """LSTM, state (h, c), v = [v_h, v_c]: the backward pass's step with nothing injected,
        dc = v_h * o_t * tanh'(c_t) + v_c
        v_h ← [dc*g*σ'(i), dc*c_{t-1}*σ'(f), dc*i*tanh'(g), v_h*tanh(c_t)*σ'(o)] W
        v_c ← dc * f_t"""

    W: np.ndarray
    gates: np.ndarray           # (T, 4, H, B): o, i, f, g after squashing (lstm.py's layout)
    c: np.ndarray               # (T, H, B): c_t

    @property
    def steps(self) -> int:
        return self.c.shape[0]

    @property
    def batch(self) -> int:
        return self.c.shape[2]

    @property
    def size(self) -> int:
        return 2 * self.c.shape[1]

    def back(self, t: int, v: np.ndarray) -> np.ndarray:
        H = self.c.shape[1]
        o, i, f, g = self.gates[t]
        c_prev = self.c[t - 1] if t > 0 else np.zeros_like(self.c[0])
        tanh_c = np.tanh(self.c[t])
        v = np.ascontiguousarray(v.swapaxes(-1, -2))  # (..., 2H, B): columns, as the gates
        v_h, v_c = v[..., :H, :], v[..., H:, :]
        dc = v_h * o * (1.0 - tanh_c * tanh_c) + v_c
        dz = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f),
                             dc * i * (1 - g * g), v_h * tanh_c * o * (1 - o)], axis=-2)
        back = np.concatenate([np.matmul(self.W.T, dz), dc * f], axis=-2)
        return back.swapaxes(-1, -2)                   # (..., B, 2H), as it came


@dataclass(frozen=True)
class GRUStep:
    """GRU, state h: the backward pass's step with nothing injected,
        da_n = v * (1 - z) * tanh'(n)
        v ← [da_n*wn*σ'(r), v*(h_{t-1} - n)*σ'(z), da_n*r] W + v * z"""

    W: np.ndarray
    h: np.ndarray               # (T, B, H): h_t
    rz: np.ndarray              # (T, B, 2H): r, z
    n: np.ndarray               # (T, B, H)
    wn: np.ndarray              # (T, B, H): W_n h_{t-1} + b_hn

    @property
    def steps(self) -> int:
        return self.h.shape[0]

    @property
    def batch(self) -> int:
        return self.h.shape[1]

    @property
    def size(self) -> int:
        return self.h.shape[2]

    def back(self, t: int, v: np.ndarray) -> np.ndarray:
        H = self.h.shape[2]
        r, z, n = self.rz[t, :, :H], self.rz[t, :, H:], self.n[t]
        h_prev = self.h[t - 1] if t > 0 else np.zeros_like(self.h[0])
        da_n = v * (1 - z) * (1 - n * n)
        dw = np.concatenate([da_n * self.wn[t] * r * (1 - r), v * (h_prev - n) * z * (1 - z),
                             da_n * r], axis=-1)
        return np.matmul(dw, self.W) + v * z


def probe_log_profile(step: StepBack, probes: int = 1, seed: int = PROBE_SEED) -> np.ndarray:
    """(T,) log of the batch-mean norm of the product applied to unit probe vectors,
    indexed like ‖∂L/∂h_t‖ (newest step last, 0 there): entry T-1-k is k steps back.

    Each sequence of the batch has its own σ'_t, so its own product: `probes` random unit
    vectors per sequence walk back through it, and the profile averages their norms over
    the batch the way `dh_norms` averages the gradient's."""
    T, B, size = step.steps, step.batch, step.size
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((probes, B, size)).astype(step.W.dtype)
    v /= np.linalg.norm(v, axis=-1, keepdims=True)
    log_norm = np.zeros((probes, B))                  # log ‖product · probe‖ so far
    profile = np.zeros(T)
    for t in range(T - 1, 0, -1):
        v = step.back(t, v)
        norm = np.linalg.norm(v, axis=-1)
        with np.errstate(divide="ignore"):            # a dead chain (all σ' = 0) is log 0
            log_norm += np.log(norm)
        v /= np.where(norm > 0, norm, 1.0)[..., None]  # renormalise: nothing underflows
        profile[t - 1] = log_mean_exp(log_norm)
    return profile


def window_of(dh_norms: np.ndarray) -> np.ndarray:
    """(T-1,) bool over k = 1, 2, ... steps back: the measured fit's window, or every k when
    the measurement underflowed too early to be fitted (the product still has a rate)."""
    window = fit_window(dh_norms)
    return window if window.sum() >= 2 else np.ones_like(window)


def gamma_of_log_profile(log_profile: np.ndarray, window: np.ndarray) -> float:
    """exp of the least-squares slope of a log profile against k over the window: the same
    estimator `fit_horizon` applies to the measured profile."""
    logs = np.asarray(log_profile, dtype=np.float64)[::-1][1:]
    k = np.arange(1, logs.size + 1, dtype=np.float64)
    use = window & np.isfinite(logs)
    if use.sum() < 2:
        return 0.0
    slope, _ = np.polyfit(k[use], logs[use], 1)
    return float(np.exp(slope))


def law_scalars(W: np.ndarray, dsigma: np.ndarray, dh_norms: np.ndarray,
                probes: int = 1) -> dict[str, float]:
    """ρ(W), σ_max(W), mean / RMS / max σ' and the three per-step factors, over the window
    the measured fit of `dh_norms` uses (σ' of the steps the gradient went through there)."""
    T = dsigma.shape[0]
    window = window_of(dh_norms)
    farthest = int(np.flatnonzero(window).max()) + 1 if window.any() else 1  # oldest k
    # going from k to k+1 steps back applies σ' of step T-1-k: k = 1 .. farthest-1
    slopes = (dsigma[T - farthest:T - 1] if farthest >= 2 else dsigma).ravel()
    rho, sigma_max = spectral_radius(W), largest_singular_value(W)
    mean = float(slopes.mean(dtype=np.float64))
    rms = math.sqrt(float(np.dot(slopes, slopes)) / slopes.size)
    top = float(slopes.max())
    product = gamma_of_log_profile(probe_log_profile(RNNStep(W, dsigma), probes), window)
    return {"rho_W": rho, "sigma_max_W": sigma_max, "dsigma_mean": mean, "dsigma_rms": rms,
            "dsigma_max": top, "gamma_product": product, "gamma_bound": sigma_max * top,
            "gamma_meanfield": mean * rho}


def state_gamma(step: StepBack, profile: np.ndarray, probes: int = 1) -> float:
    """The product's per-step factor through a gated cell's full step Jacobian, over the
    window of the measured `profile` it is compared with."""
    return gamma_of_log_profile(probe_log_profile(step, probes), window_of(profile))
