"""What one backward pass saw, per timestep: the quantities the dashboard plots.

The trace keeps references to the arrays the pass already made (no copies) and turns
them into per-timestep series only when asked, so a training step that nobody plots
pays nothing for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .horizon import fit_horizon
from .jacobian import StepBack, law_scalars, state_gamma

HOLD_THRESHOLD = 0.1  # a cell "holds" memory from t while the product of its gates stays above


def batch_mean_norm(v: np.ndarray) -> np.ndarray:
    """(T, B, H) -> (T,): the mean over the batch of ||v_t|| (a norm per sequence)."""
    return np.sqrt(np.einsum("tbh,tbh->tb", v, v, dtype=np.float64)).mean(axis=1)


def gate_product_from(gates: np.ndarray) -> np.ndarray:
    """(T, B, H) -> (T, B, H): prod_{s > t} gate_s, the factor the forget-gate path carries
    (docs/theory.md §6) from c_t to the last step (1 at the last step)."""
    # = np.cumprod(gates[:0:-1], axis=0)[::-1], written as a loop over t: numpy's cumprod
    # along the outer axis runs ~4x slower than T contiguous (B, H) multiplies.
    after = np.empty_like(gates)
    after[-1] = 1.0
    for t in range(len(gates) - 2, -1, -1):
        np.multiply(after[t + 1], gates[t + 1], out=after[t])
    return after


def hold_share(gates: np.ndarray) -> np.ndarray:
    """(T,): share of (sequence, unit) pairs whose gate product from t to the end > 0.1."""
    return (gate_product_from(gates) > HOLD_THRESHOLD).mean(axis=(1, 2))


def gate_quantiles(gates: np.ndarray, qs: tuple[float, ...] = (0.1, 0.5, 0.9)) -> np.ndarray:
    """(len(qs), T): quantiles of the gate over batch and units, per timestep (the nearest
    rank). A full sort, not np.partition: numpy's vectorised sort is ~5x faster than a
    partition at three ranks."""
    values = gates.reshape(gates.shape[0], -1)
    ranks = [round(q * (values.shape[1] - 1)) for q in qs]
    return np.sort(values, axis=1)[:, ranks].T.astype(np.float64)


@dataclass(eq=False)
class Trace:
    """Per-timestep view of one forward/backward pass (arrays are time-major).

    `dh` is the TOTAL dL/dh_t (every path, as BPTT accumulates it); `h` the hidden
    states; `dsigma` (simple RNNs) the activation slope σ'(a_t). LSTM adds `c`, `dc`
    (total dL/dc_t) and the forget gate `f`; GRU adds its update gate `z`.
    """

    dh: np.ndarray
    h: np.ndarray
    dsigma: np.ndarray | None = None
    c: np.ndarray | None = None
    dc: np.ndarray | None = None
    f: np.ndarray | None = None
    z: np.ndarray | None = None
    W: np.ndarray | None = None  # the recurrent matrix this pass used (simple RNNs)
    step_back: StepBack | None = None  # gated cells: one step of BPTT through the state

    @cached_property
    def dh_norms(self) -> np.ndarray:
        return batch_mean_norm(self.dh)

    @cached_property
    def h_norms(self) -> np.ndarray:
        return batch_mean_norm(self.h)

    @cached_property
    def c_norms(self) -> np.ndarray | None:
        return None if self.c is None else batch_mean_norm(self.c)

    @cached_property
    def dc_norms(self) -> np.ndarray | None:
        return None if self.dc is None else batch_mean_norm(self.dc)

    @cached_property
    def forget_mean(self) -> np.ndarray | None:
        return None if self.f is None else self.f.mean(axis=(1, 2), dtype=np.float64)

    @cached_property
    def update_mean(self) -> np.ndarray | None:
        return None if self.z is None else self.z.mean(axis=(1, 2), dtype=np.float64)

    @cached_property
    def forget_hold(self) -> np.ndarray | None:
        """(T,): share of (sequence, unit) whose forget-gate product from t on stays > 0.1."""
        return None if self.f is None else hold_share(self.f)

    @cached_property
    def update_hold(self) -> np.ndarray | None:
        return None if self.z is None else hold_share(self.z)

    @cached_property
    def dsigma_mean(self) -> np.ndarray | None:
        return None if self.dsigma is None else self.dsigma.mean(axis=(1, 2), dtype=np.float64)

    def series(self) -> dict[str, np.ndarray]:
        """Every per-timestep series this cell has, by name (all of shape (T,))."""
        out = {"dh_norms": self.dh_norms, "h_norms": self.h_norms}
        if self.dsigma is not None:
            out["dsigma_mean"] = self.dsigma_mean
        if self.c is not None:
            out |= {"c_norms": self.c_norms, "dc_norms": self.dc_norms}
        if self.f is not None:
            q10, q50, q90 = gate_quantiles(self.f)
            out |= {"forget_mean": self.forget_mean, "forget_hold": self.forget_hold,
                    "forget_q10": q10, "forget_q50": q50, "forget_q90": q90}
        if self.z is not None:
            q10, q50, q90 = gate_quantiles(self.z)
            out |= {"update_mean": self.update_mean, "update_hold": self.update_hold,
                    "update_q10": q10, "update_q50": q50, "update_q90": q90}
        return out

    @cached_property
    def scalars(self) -> dict[str, float]:
        """Per-step numbers: the memory horizon of each gradient profile (see horizon.py)
        and, for simple RNNs, the law (jacobian.py, docs/theory.md): ρ(W), σ_max(W), σ', and the
        per-step factor of the exact product, of the bound and of the mean-field shortcut.
        Costs an eigendecomposition, an SVD and one more pass of the product over the
        batch: ask at the rate you plot, not every step."""
        h = fit_horizon(self.dh_norms)
        out = {"gamma_h": h.gamma, "horizon_h": h.horizon}
        if self.dc is not None:
            c = fit_horizon(self.dc_norms)
            out |= {"gamma_c": c.gamma, "horizon_c": c.horizon}
        if self.f is not None:  # units that keep their memory across the whole sequence
            out["forget_hold_all"] = float(self.forget_hold[0])
        if self.z is not None:
            out["update_hold_all"] = float(self.update_hold[0])
        if self.W is not None and self.dsigma is not None:
            out |= law_scalars(self.W, self.dsigma, self.dh_norms)
        if self.step_back is not None:   # compared with the memory's profile: c, else h
            out["gamma_product"] = state_gamma(
                self.step_back, self.dc_norms if self.dc is not None else self.dh_norms)
        return out
