"""Engine speed: Trainer.step throughput against the machine's own GEMM-bound limit.

For rnn and lstm at (T, H, B) = (50, 64, 32), (100, 128, 64), (200, 128, 64), float32,
one BLAS thread (what each worker process gets): steps/s, and that rate as a fraction of
the GEMM-bound limit, i.e. the step's GEMM FLOPs divided by the single-thread throughput
measured here, in this run, for GEMMs of exactly the step's shapes. Then denormals: the
tanh RNN, once it has learned to forget, timed per timestep at T=100 and T=200 with the
CPU's flush-to-zero on and off, and the cost of flushing by hand instead.

Every time here is CPU time of this process (one thread): on a shared machine wall time
also counts the time other processes held the core; CPU time does not (though a busy
neighbour still slows the caches and memory this one sees).

With --torch (PyTorch installed): per step, our Trainer.step against the same step in
PyTorch (nn.RNN / nn.LSTM, a linear readout at every step, MSE on the last, Adam, global
clip-norm 1) at T=100, H=128, B=64, float32, one thread each, flush-to-zero on both: the
median of five interleaved pairs, so a change in the machine's load hits both sides.

    python benchmarks/bench_engine.py [--quick] [--torch]
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from rnn_tui.engine import (
    Trainer,
    build_model,
    build_task,
    flush_denormals,
    keep_denormals,
    keep_freed_memory,
)

CONFIGS = [(50, 64, 32), (100, 128, 64), (200, 128, 64)]
GATES = {"rnn": 1, "lstm": 4}


def gemm_seconds(m: int, k: int, n: int, transpose_a: bool = False, reps: int = 0) -> float:
    """Seconds for one float32 (m, k) @ (k, n), median of several timed batches."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((k, m) if transpose_a else (m, k)).astype(np.float32)
    a = a.T if transpose_a else a
    b = rng.standard_normal((k, n)).astype(np.float32)
    out = np.empty((m, n), np.float32)
    reps = reps or max(5, int(3e8 / (2 * m * k * n)))
    np.matmul(a, b, out=out)
    times = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        times.append((time.process_time() - start) / reps)
    return float(np.median(times))


def gemm_bound_seconds(T: int, H: int, B: int, G: int, I: int, O: int) -> tuple[float, float]:
    """(GEMM FLOPs of one step, seconds those GEMMs take at this machine's measured rate)."""
    shapes = [  # (m, k, n, transpose_a, how many per step)
        (B, H, G * H, False, 2 * T),      # forward h W^T, and the LSTM-sized backward twin
        (G * H, T * B, H, True, 1),       # dW = Σ_t da_t ⊗ h_{t-1}
        (T * B, I, G * H, False, 1),      # input projection U x
        (G * H, T * B, I, True, 1),       # dU
        (T * B, H, O, False, 2),          # readout and dL/dh from y
        (O, T * B, H, True, 1),           # dV
    ]
    flops = seconds = 0.0
    for m, k, n, transposed, count in shapes:
        f = 2.0 * m * k * n * count
        flops += f
        seconds += gemm_seconds(m, k, n, transposed) * count
    return flops, seconds


def steps_per_second(kind: str, T: int, H: int, B: int, steps: int, warmup: int = 3) -> float:
    task = build_task("adding", T)
    model = build_model(kind, task.input_size, H, task.output_size,
                        rng=np.random.default_rng(0), dtype=np.float32)
    trainer = Trainer(model, task, lr=1e-2, batch_size=B, seed=0)
    for _ in range(warmup):
        trainer.step()
    start = time.process_time()
    for _ in range(steps):
        trainer.step()
    return steps / (time.process_time() - start)


def print_blas() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, {platform.processor() or 'cpu'}")
    for lib in threadpool_info():
        print(f"BLAS: {lib.get('internal_api')} {lib.get('version')} kernel "
              f"{lib.get('architecture')} threads {lib.get('num_threads')} (limited to 1 here)")


def throughput(quick: bool) -> None:
    big = gemm_seconds(1024, 1024, 1024, reps=5)
    print(f"\nsingle-thread GEMM peak (1024^3, float32): {2 * 1024**3 / big / 1e9:.1f} GFLOP/s")
    print(f"{'cell':5s} {'T':>4s} {'H':>4s} {'B':>3s} {'steps/s':>8s} {'limit/s':>8s} "
          f"{'of limit':>8s} {'GFLOP/s':>8s}")
    for T, H, B in CONFIGS:
        for kind, G in GATES.items():
            flops, bound = gemm_bound_seconds(T, H, B, G, I=2, O=1)
            rate = steps_per_second(kind, T, H, B, steps=10 if quick else 40)
            print(f"{kind:5s} {T:4d} {H:4d} {B:3d} {rate:8.1f} {1 / bound:8.1f} "
                  f"{rate * bound:8.0%} {rate * flops / 1e9:8.1f}", flush=True)


def engine_stepper(kind: str, T: int, H: int, B: int):
    task = build_task("adding", T)
    model = build_model(kind, task.input_size, H, task.output_size,
                        rng=np.random.default_rng(0), dtype=np.float32)
    return Trainer(model, task, lr=1e-2, batch_size=B, seed=0).step


def torch_stepper(kind: str, T: int, H: int, B: int):
    """The same step in PyTorch: same batches (our sampler, converted), same readout at
    every step, MSE on the last, Adam lr 1e-2, global clip-norm 1."""
    import torch

    torch.manual_seed(0)
    task = build_task("adding", T)
    layer = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM}[kind](task.input_size, H)
    readout = torch.nn.Linear(H, task.output_size)
    params = [*layer.parameters(), *readout.parameters()]
    opt = torch.optim.Adam(params, lr=1e-2)
    rng = np.random.default_rng(0)

    def step() -> float:
        batch = task.sample(B, rng, dtype=np.float32)
        x, y = torch.from_numpy(batch.x), torch.from_numpy(batch.y.astype(np.float32))
        hs, _ = layer(x)
        ys = readout(hs)
        loss = torch.mean((ys[-1, :, 0] - y) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return loss.item()

    return step


def seconds_per_step(step, steps: int) -> float:
    """CPU seconds per step."""
    start = time.process_time()
    for _ in range(steps):
        step()
    return (time.process_time() - start) / steps


def against_torch(quick: bool, pairs: int = 5) -> None:
    import torch

    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    T, H, B = 100, 128, 64
    steps = 5 if quick else 20
    print(f"\nagainst PyTorch {torch.__version__} CPU (T={T}, H={H}, B={B}, float32, one "
          f"thread each, flush-to-zero on both; median of {pairs} interleaved pairs of "
          f"{steps} steps, CPU time)")
    print(f"{'cell':5s} {'ours ms':>8s} {'torch ms':>9s} {'speedup':>8s} {'of limit':>8s}")
    for kind, G in GATES.items():
        _, bound = gemm_bound_seconds(T, H, B, G, I=2, O=1)
        ours, theirs = engine_stepper(kind, T, H, B), torch_stepper(kind, T, H, B)
        for _ in range(3):  # warm both
            ours()
            theirs()
        a, b = [], []
        for _ in range(pairs):
            a.append(seconds_per_step(ours, steps))
            b.append(seconds_per_step(theirs, steps))
        mine, torch_s = float(np.median(a)), float(np.median(b))
        print(f"{kind:5s} {mine * 1e3:8.2f} {torch_s * 1e3:9.2f} {torch_s / mine:7.2f}x "
              f"{bound / mine:8.0%}", flush=True)


def trained_rnn(T: int, steps: int) -> Trainer:
    """A tanh RNN after `steps` of training: its gradient has vanished (denormal land)."""
    task = build_task("adding", T)
    model = build_model("rnn", task.input_size, 128, task.output_size,
                        rng=np.random.default_rng(0), dtype=np.float32)
    trainer = Trainer(model, task, lr=1e-2, batch_size=64, seed=0)
    flush_denormals()
    for _ in range(steps):
        trainer.step()
    return trainer


def per_timestep_ms(trainer: Trainer, steps: int) -> float:
    start = time.process_time()
    for _ in range(steps):
        trainer.step()
    return (time.process_time() - start) / steps / trainer.task.steps * 1e3


def denormals(quick: bool) -> None:
    train_steps, timed = (100, 5) if quick else (300, 20)
    print(f"\ndenormals: tanh RNN (H=128, B=64, float32) after {train_steps} training steps")
    results = {}
    for T in (100, 200):
        trainer = trained_rnn(T, train_steps)
        ratio = trainer.step().trace.dh_norms
        flush_denormals()
        on = per_timestep_ms(trainer, timed)
        keep_denormals()
        off = per_timestep_ms(trainer, timed)
        flush_denormals()
        results[T] = on
        print(f"  T={T}: dh_norms[0]/dh_norms[-1] = {ratio[0] / ratio[-1]:.1e}; per timestep "
              f"{on:.3f} ms with flush-to-zero, {off:.3f} ms without ({off / on:.1f}x)")
    print(f"  T=200 vs T=100 per timestep, flush-to-zero on: {results[200] / results[100]:.2f}x "
          f"(target <= 1.3)")
    # The alternative: flush tiny values by hand, one extra pass per timestep.
    dh = np.random.default_rng(0).standard_normal((64, 128)).astype(np.float32)
    start = time.process_time()
    for _ in range(2000):
        dh[np.abs(dh) < 1e-30] = 0.0
    manual = (time.process_time() - start) / 2000 * 1e3
    print(f"  flushing by hand instead: {manual:.4f} ms per timestep per array "
          f"({manual / results[100]:.0%} of a timestep), and it cannot reach denormals made "
          f"inside a ufunc or GEMM; the CPU flag costs nothing per step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--torch", action="store_true",
                        help="only the comparison with PyTorch (needs torch installed)")
    args = parser.parse_args()
    keep_freed_memory()
    flush_denormals()
    print_blas()
    with threadpool_limits(1):
        if args.torch:
            against_torch(args.quick)
            return
        throughput(args.quick)
        denormals(args.quick)


if __name__ == "__main__":
    main()
