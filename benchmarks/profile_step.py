"""Where one Trainer.step's time goes, per phase, for the tanh RNN and the LSTM.

T=100, H=128 (or --hidden), B=64, float32, one BLAS thread. Each phase is timed in CPU seconds (so
other processes on the core do not count) and the best of --repeats steps is kept (the
least disturbed). The GEMMs alone are timed apart with the same shapes: the recurrent
ones (the forward h W^T and the backward dz W, T of each) and the one weight-gradient
GEMM: what a step costs beyond them is element-wise work and Python. The trace's
statistics are not in a step: they are computed when a profile is sent (a few times a
second), so they are timed apart too. `--torch` times the same GEMMs in PyTorch (one
thread, its MKL): if PyTorch's were faster, that would be where its step gains.

    python benchmarks/profile_step.py [--repeats 30] [--hidden 128] [--torch]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
from threadpoolctl import threadpool_limits

from rnn_tui.engine import Trace, Trainer, build_model, build_task, tune_for_training
from rnn_tui.engine.optim import clip_global_norm, global_norm

T, B = 100, 64
PHASES = ("sample", "forward", "loss+metric", "backward", "norm+clip+adam")


H = 128


def phases(trainer: Trainer) -> dict[str, float]:
    model, task, clock = trainer.model, trainer.task, time.process_time
    t0 = clock()
    batch = task.sample(trainer.batch_size, trainer.data_rng, dtype=model.dtype)
    t1 = clock()
    ys, cache = model.forward(batch.x)
    t2 = clock()
    _, dys = task.loss(ys, batch)
    task.metric(ys, batch)
    t3 = clock()
    grads, _ = model.backward(dys, cache)
    t4 = clock()
    norm = global_norm(grads)
    trainer.optimizer.update(model.params, clip_global_norm(grads, trainer.clip, norm))
    t5 = clock()
    return dict(zip(PHASES, np.diff([t0, t1, t2, t3, t4, t5]) * 1e3, strict=True))


def best_of(f, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        f()
        best = min(best, time.process_time() - start)
    return best * 1e3


def trace_statistics_ms(trace: Trace) -> float:
    """What the worker computes for one profile: every series and the scalars, on a
    fresh copy of the trace each time (its statistics are cached per instance)."""
    return best_of(lambda: (fresh := replace(trace)).series() and fresh.scalars, 5)


def recurrent_gemms_ms(gates: int, repeats: int, lib=np) -> float:
    """`lib`: numpy, or torch (whose `matmul` takes the same arguments)."""
    rng = np.random.default_rng(0)
    h = rng.standard_normal((B, H)).astype(np.float32)
    WT = rng.standard_normal((H, gates * H)).astype(np.float32)
    z = np.empty((B, gates * H), np.float32)
    W = np.ascontiguousarray(WT.T)
    dh = np.empty((B, H), np.float32)
    if lib is not np:
        h, WT, z, W, dh = (lib.from_numpy(a) for a in (h, WT, z, W, dh))

    def loops() -> None:
        for _ in range(T):
            lib.matmul(h, WT, out=z)
            lib.matmul(z, W, out=dh)

    return best_of(loops, repeats)


def weight_gradient_gemm_ms(gates: int, repeats: int, lib=np) -> float:
    """dL/d[W | U | b] = Σ_t da_t z_t^T as the engine does it: one (G, T*B) @ (T*B, K) GEMM
    (K = H + 2 inputs + 1 for the bias)."""
    rng = np.random.default_rng(0)
    da = rng.standard_normal((gates * H, T * B)).astype(np.float32)
    z = rng.standard_normal((H + 3, T * B)).astype(np.float32)
    if lib is not np:
        da, z = lib.from_numpy(da), lib.from_numpy(z)
    return best_of(lambda: da @ z.T, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--torch", action="store_true", help="the same GEMMs in PyTorch too")
    args = parser.parse_args()
    torch = None
    if args.torch:
        import torch

        torch.set_num_threads(1)
    global H
    H = args.hidden
    tune_for_training()
    task = build_task("adding", T)
    print(f"T={T}, H={H}, B={B}, float32, one thread; best of {args.repeats} steps, CPU ms")
    with threadpool_limits(1):
        for kind, gates in (("rnn", 1), ("lstm", 4)):
            model = build_model(kind, task.input_size, H, task.output_size,
                                rng=np.random.default_rng(0), dtype=np.float32)
            trainer = Trainer(model, task, lr=1e-2, batch_size=B, seed=0)
            runs = [phases(trainer) for _ in range(args.repeats)]
            best = {p: min(r[p] for r in runs) for p in PHASES}
            total = min(sum(r.values()) for r in runs)
            stats = trace_statistics_ms(trainer.step().trace)
            print(f"\n{kind}: step {total:.1f} ms  " +
                  "  ".join(f"{p} {v:.2f}" for p, v in best.items()))
            print(f"  of which GEMMs alone: recurrent {recurrent_gemms_ms(gates, 5):.1f} ms, "
                  f"weight gradients {weight_gradient_gemm_ms(gates, 5):.1f} ms; "
                  f"trace statistics (per profile, not per step): {stats:.1f} ms")
            if torch is not None:
                print(f"  the same GEMMs in PyTorch: recurrent "
                      f"{recurrent_gemms_ms(gates, 5, torch):.1f} ms, weight gradients "
                      f"{weight_gradient_gemm_ms(gates, 5, torch):.1f} ms")


if __name__ == "__main__":
    main()
