"""What the worker processes cost: training through a worker vs the bare Trainer loop,
and two models at once vs one alone (2 cores), with BLAS pinned to 1 thread vs not.

    python benchmarks/bench_runs.py [--seconds 6] [--repeats 3] [--cells rnn lstm]

Rates come from the workers' own Step events (steps per second of wall time after a
warm-up), so the parent's reading does not enter the measurement.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnn_tui.engine import tune_for_training
from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import Step
from rnn_tui.run.session import Session
from rnn_tui.run.training import build_trainer

WARMUP = 10


@dataclass
class Rate:
    """Steps per wall second, and per CPU second of the training process: on a shared
    machine the first moves with everyone else's load, the second only with our own cost."""

    wall: float
    per_cpu: float
    cpu_share: float  # CPU seconds per wall second the process got (1.0 = a whole core)


def bare_rate(config: RunConfig, seconds: float) -> Rate:
    """The Trainer loop in this process, one BLAS thread, FTZ set: the ceiling."""
    tune_for_training()
    trainer = build_trainer(config)
    with threadpool_limits(1):
        for _ in range(WARMUP):
            trainer.step()
        start, cpu0, steps = time.perf_counter(), time.process_time(), 0
        while time.perf_counter() - start < seconds:
            trainer.step()
            steps += 1
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
        return Rate(steps / wall, steps / cpu, cpu / wall)


def cpu_seconds(pid: int) -> float:
    """User + system time of a process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def session_rates(configs: list[RunConfig], seconds: float, blas_threads: int = 1) -> list[Rate]:
    """Each model trained at the same time, each in its worker process. Wall rates come
    from the workers' own Step times; CPU rates from the steps seen over the window."""
    times: list[list[float]] = [[] for _ in configs]
    last = [0] * len(configs)
    with Session(configs, log_dir=None, blas_threads=blas_threads) as session:
        deadline, start = None, None
        while deadline is None or time.monotonic() < deadline:
            for slot, event in session.poll(timeout=0.05):
                if isinstance(event, Step) and event.step > WARMUP:
                    times[slot].append(event.seconds)
                    last[slot] = event.step
            if deadline is None and all(times):
                deadline = time.monotonic() + seconds
                start = [(last[i], cpu_seconds(pid)) for i, pid in enumerate(session.pids)]
        cpus = [cpu_seconds(pid) - start[i][1] for i, pid in enumerate(session.pids)]
        steps = [last[i] - start[i][0] for i in range(len(configs))]
    walls = [(len(t) - 1) / (t[-1] - t[0]) if t[-1] > t[0] else math.nan for t in times]
    return [Rate(w, n / c, c / seconds) for w, n, c in zip(walls, steps, cpus, strict=True)]


PINNED_BY_ENV = """
import sys, time
from rnn_tui.engine import tune_for_training
from rnn_tui.run.config import RunConfig
from rnn_tui.run.training import build_trainer
tune_for_training()
trainer = build_trainer(RunConfig(cell=sys.argv[1], seq_len=100, hidden_size=128, batch_size=64))
for _ in range(10):
    trainer.step()
start, steps = time.perf_counter(), 0
while time.perf_counter() - start < float(sys.argv[2]):
    trainer.step()
    steps += 1
print(steps / (time.perf_counter() - start))
"""


def median_rate(rates: list[Rate]) -> Rate:
    return Rate(*(float(np.median([getattr(r, k) for r in rates]))
                  for k in ("wall", "per_cpu", "cpu_share")))


def env_pinned_rate(cell: str, seconds: float) -> float:
    """The other way to pin: the environment, read by OpenBLAS/MKL/OpenMP when numpy loads."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", PINNED_BY_ENV, cell, str(seconds)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def busy_elsewhere() -> str:
    """Load average now: on a shared machine, other work skews every ratio here."""
    return "load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm"])
    args = parser.parse_args()
    base = RunConfig(task="adding", seq_len=100, hidden_size=128, batch_size=64)
    print(f"adding T=100, H=128, B=64, float32; {args.seconds:.0f} s per measurement; "
          f"{os.cpu_count()} CPUs; {busy_elsewhere()}\n")
    solo: dict[str, Rate] = {}
    for cell in args.cells:
        config = base.with_(cell=cell)
        bares, workers = [], []
        for _ in range(args.repeats):  # interleaved, so drifts in clock speed hit both
            bares.append(bare_rate(config, args.seconds))
            workers.append(session_rates([config], args.seconds)[0])
        bare, worker = median_rate(bares), median_rate(workers)
        solo[cell] = worker
        print(f"{cell:5s} bare Trainer loop {bare.wall:6.1f} steps/s | through a worker "
              f"{worker.wall:6.1f} steps/s | ratio {worker.wall / bare.wall:.3f} (target >= 0.95)"
              f"\n      per CPU second: bare {bare.per_cpu:6.1f}, worker {worker.per_cpu:6.1f}, "
              f"ratio {worker.per_cpu / bare.per_cpu:.3f} (the worker's own cost, whatever the "
              f"load)\n      runs (wall steps/s): bare {' '.join(f'{b.wall:.1f}' for b in bares)}"
              f"; worker {' '.join(f'{w.wall:.1f}' for w in workers)}", flush=True)
    pair = [base.with_(cell=c) for c in args.cells[:2]]
    for threads in (1, 2):
        rates = session_rates(pair, args.seconds, blas_threads=threads)
        shares = ", ".join(f"{c.cell} {r.wall:6.1f} steps/s = {r.wall / solo[c.cell].wall:.2f} "
                           f"of solo (on CPU {r.cpu_share:.2f} of the time)"
                           for c, r in zip(pair, rates, strict=True))
        target = " (target >= 0.85 each)" if threads == 1 else ""
        print(f"two at once, BLAS threads per worker = {threads}: {shares}{target}", flush=True)
    for cell in args.cells:
        env = env_pinned_rate(cell, args.seconds)
        print(f"{cell:5s} pinned by the environment (OPENBLAS_NUM_THREADS=1 before numpy loads):"
              f" {env:6.1f} steps/s = {env / solo[cell].wall:.2f} of the worker's "
              "(threadpoolctl) rate")
    print(f"\nnumpy {np.__version__}; solo rates above are with 1 BLAS thread per worker; "
          f"at the end: {busy_elsewhere()}")


if __name__ == "__main__":
    main()
