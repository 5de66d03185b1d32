"""The LSTM (docs/theory.md §6), gates stacked as PyTorch stacks them: i, f, g, o.

    [i, f, g, o] = [σ, σ, tanh, σ](W h_{t-1} + U x_t + b)
    c_t = f * c_{t-1} + i * g        (long-term memory)
    h_t = o * tanh(c_t)              (hidden state, short-term memory)

Backward, the path along c multiplies the gradient only by forget gates:
dL/dc_{t-1} gets dL/dc_t * f_t, so where f stays near 1 the memory's gradient stays level.

Layout: the parameters are stacked (4H, ...) as in PyTorch; the per-step arrays are not.
Within a step the four gates are four contiguous (B, H) blocks of one (4, B, H) array:
the plain layout (B, 4H) makes every gate a strided column slice, and numpy's
element-wise loops run 2 to 4 times slower on those. The gates are kept time-major,
(T, 4, B, H), so a step's block is contiguous; dL/da is kept gate-major, (4, T, B, H),
so each gate's weight gradient is one GEMM over all timesteps.
"""

from __future__ import annotations

import numpy as np

from .init import stacked_orthogonal, xavier_uniform
from .jacobian import LSTMStep
from .model import Grads, RecurrentModel, with_ones
from .trace import Trace


class LSTM(RecurrentModel):
    """W (4H, H) and U (4H, I) map one-to-one onto torch.nn.LSTM's weight_hh_l0 and
    weight_ih_l0, b onto bias_ih_l0 + bias_hh_l0. W orthogonal per gate, U Xavier,
    forget-gate bias 1 (Gers et al. 2000; Jozefowicz et al. 2015): f starts at σ(1) ≈ 0.73."""

    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        H, I = self.hidden_size, self.input_size
        b = np.zeros(4 * H)
        b[H:2 * H] = 1.0
        return {"W": stacked_orthogonal(rng, 4, H), "U": xavier_uniform(rng, 4 * H, I), "b": b}

    def blocks(self, name: str) -> np.ndarray:
        """A stacked (4H, K) parameter as (4, H, K): block k belongs to gate k."""
        p = self.params[name]
        return p.reshape(4, self.hidden_size, -1)

    def forward(self, x, h_shift=None, c_shift=None):
        self.check_input(x)
        T, B, _ = x.shape
        H = self.hidden_size
        # σ(a) = (1 + tanh(a / 2)) / 2, so all four gates need ONE tanh per step if the
        # pre-activations of i, f, o come halved: the halving is folded into W, U and b.
        half = self.dtype.type(0.5)
        scale = np.array([half, half, 1, half], self.dtype)[:, None, None]
        WT = self.blocks("W").transpose(0, 2, 1) * scale     # W_k^T (halved for σ gates)
        # U_k x_t + b_k for every gate and every t, one batched matmul: (4, T, B, H).
        Ub = np.concatenate([self.params["U"], self.params["b"][:, None]], axis=1)
        ax = np.matmul(with_ones(x), Ub.reshape(4, H, -1).transpose(0, 2, 1))
        ax *= scale
        ax = ax.reshape(4, T, B, H)
        gates = np.empty((T, 4, B, H), self.dtype)        # i, f, g, o after squashing
        hs = np.zeros((T + 1, B, H), self.dtype)          # hs[t+1] = h_t
        cs = np.zeros((T + 1, B, H), self.dtype)          # cs[t+1] = c_t
        tanh_c = np.empty((T, B, H), self.dtype)
        a = np.empty((4, B, H), self.dtype)
        ig = np.empty((B, H), self.dtype)
        i, f, g, o = gates.transpose(1, 0, 2, 3)          # each (T, B, H)
        for t in range(T):
            np.matmul(hs[t], WT, out=a)                    # a_t = W h_{t-1} + U x_t + b,
            a += ax[:, t]                                  # gate by gate (block k: gate k)
            s = np.tanh(a, out=gates[t])                   # g = tanh(a_g), and for i, f, o:
            for sig in (s[:2], s[3]):                      # σ(a) = (1 + tanh(a / 2)) / 2
                sig += 1.0
                sig *= half
            c = np.multiply(f[t], cs[t], out=cs[t + 1])    # c_t = f * c_{t-1} + i * g
            c += np.multiply(i[t], g[t], out=ig)
            if c_shift is not None:
                c += c_shift[t]
            np.tanh(c, out=tanh_c[t])
            np.multiply(o[t], tanh_c[t], out=hs[t + 1])    # h_t = o * tanh(c_t)
            if h_shift is not None:
                hs[t + 1] += h_shift[t]
        return self.readout(hs[1:]), (x, hs, cs, tanh_c, gates)

    def backward(self, dys, cache):
        x, hs, cs, tanh_c, gates = cache
        W = self.params["W"]
        T, B, H = tanh_c.shape
        grads, dh = self.readout_backward(dys, hs[1:])    # dh_t = dy_t V so far
        i, f, g, o = gates.transpose(1, 0, 2, 3)
        dtanh_c = 1.0 - tanh_c * tanh_c                  # tanh'(c_t), all t at once
        dc = np.empty((T, B, H), self.dtype)            # total dL/dc_t
        da = np.empty((4, T, B, H), self.dtype)         # dL/da_t, per gate
        d = np.empty((4, B, H), self.dtype)             # dL/da_t, worked on contiguous
        slope = np.empty((4, B, H), self.dtype)         # the gates' slopes at step t
        # dL/da_t restacked (B, 4H) for the one GEMM dL/dh_{t-1} = Σ_k da_k W_k = da_t W
        # (a copy of 32K floats costs less than four GEMMs and their sum).
        da_stacked = np.empty((B, 4, H), self.dtype)
        dh_next = np.zeros((B, H), self.dtype)
        dc_next = np.zeros((B, H), self.dtype)          # dL/dc_t via c_{t+1}: dc_{t+1} * f_{t+1}
        for t in reversed(range(T)):
            dh[t] += dh_next                                 # dL/dh_t = dy_t V + dL/da_{t+1} W
            # dL/dc_t = dL/dh_t * o_t * tanh'(c_t) + dL/dc_{t+1} * f_{t+1}
            np.multiply(dh[t], o[t], out=dc[t])
            dc[t] *= dtanh_c[t]
            dc[t] += dc_next
            di, df, dg, do = d
            np.multiply(dc[t], g[t], out=di)                 # dL/di = dc * g
            np.multiply(dc[t], cs[t], out=df)                # dL/df = dc * c_{t-1}
            np.multiply(dc[t], i[t], out=dg)                 # dL/dg = dc * i
            np.multiply(dh[t], tanh_c[t], out=do)            # dL/do = dh * tanh(c_t)
            s = gates[t]
            np.subtract(1.0, s, out=slope)                   # σ' = σ(1 - σ) for i, f, o
            slope *= s
            np.multiply(g[t], g[t], out=slope[2])            # tanh' = 1 - g² for g
            np.subtract(1.0, slope[2], out=slope[2])
            d *= slope                                       # through σ' / tanh'
            da[:, t] = d
            dc_next = np.multiply(dc[t], f[t], out=dc_next)
            np.copyto(da_stacked.transpose(1, 0, 2), d)
            dh_next = np.matmul(da_stacked.reshape(B, 4 * H), W, out=dh_next)
        grads |= self.gate_weight_grads(da, hs, x)
        return grads, Trace(dh=dh, h=hs[1:], c=cs[1:], dc=dc, f=f,
                            step_back=LSTMStep(W, gates, cs[1:]))

    # dL/dW_k = Σ_t da_k,t ⊗ h_{t-1},  dL/dU_k = Σ_t da_k,t ⊗ x_t,  dL/db_k = Σ_t da_k,t:
    # one batched GEMM each over all timesteps, restacked (4H, ...) as the parameters are.
    def gate_weight_grads(self, da: np.ndarray, hs: np.ndarray, x: np.ndarray) -> Grads:
        H, I = self.hidden_size, self.input_size
        da_t = da.reshape(4, -1, H).transpose(0, 2, 1)  # (4, H, T*B)
        dUb = (da_t @ with_ones(x)).reshape(4 * H, I + 1)  # [dL/dU | dL/db], one pass over da
        return {"W": (da_t @ hs[:-1].reshape(-1, H)).reshape(4 * H, H),
                "U": dUb[:, :I], "b": dUb[:, I]}
