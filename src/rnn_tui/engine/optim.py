"""Optimisers and global-norm clipping. Each update writes a new array per parameter
(never in place), so a trace that still holds last step's W keeps seeing last step's W."""

from __future__ import annotations

import math

import numpy as np

Params = dict[str, np.ndarray]


def global_norm(grads: Params) -> float:
    """sqrt(Σ ‖g‖²) over every parameter, in float64."""
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))


def clip_global_norm(grads: Params, max_norm: float, norm: float) -> Params:
    """Scale every gradient by max_norm / norm when norm > max_norm (Pascanu et al. 2013)."""
    if max_norm <= 0 or norm <= max_norm:
        return grads
    scale = max_norm / norm
    return {k: g * g.dtype.type(scale) for k, g in grads.items()}


class SGD:
    """v = μ v + g;  p = p - lr v."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum = lr, momentum
        self.velocity: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for k, g in grads.items():
            v = self.velocity.get(k)
            v = g if v is None else self.momentum * v + g
            self.velocity[k] = v
            params[k] = params[k] - params[k].dtype.type(self.lr) * v


class Adam:
    """Kingma & Ba 2015, with bias correction."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m: Params = {}
        self.v: Params = {}
        self.t = 0

    def update(self, params: Params, grads: Params) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step = self.lr * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for k, g in grads.items():
            m = self.m[k] = b1 * self.m.get(k, 0.0) + (1 - b1) * g
            v = self.v[k] = b2 * self.v.get(k, 0.0) + (1 - b2) * (g * g)
            p = params[k]
            params[k] = p - (p.dtype.type(step) * m / (np.sqrt(v) + p.dtype.type(self.eps)))

