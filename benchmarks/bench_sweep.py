"""What Dask costs a sweep: starting and stopping the embedded cluster, and the time from
submitting a run to having its result, against the same run in this process.

Runs of one step (adding, T=10, H=8) so that the figures are the overhead, not training:
a run's own cost is the engine's business (bench_engine.py). Prints wall and CPU seconds
(this process only: the workers' CPU is theirs) and the machine's load.

    python benchmarks/bench_sweep.py [--runs N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.sweep_dask import collect, local_client, submit
from rnn_tui.run.sweep_grid import SweepRun, run_id
from rnn_tui.run.sweep_run import run_config


def tiny_runs(count: int) -> list[SweepRun]:
    configs = [RunConfig(cell="rnn", seq_len=10, hidden_size=8, batch_size=8, steps=1, seed=s)
               for s in range(count)]
    return [SweepRun(run_id(c), c) for c in configs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, "
          f"{args.workers} workers, {args.runs} runs of one step")
    runs = tiny_runs(args.runs)
    with tempfile.TemporaryDirectory() as folder:
        logs = [Path(folder) / f"{r.id}.jsonl" for r in runs]
        start = time.perf_counter(), time.process_time()
        for run, log in zip(runs, logs, strict=True):
            run_config(run.config, log)
        here = time.perf_counter() - start[0], time.process_time() - start[1]
        print(f"in this process:      {here[0] / args.runs * 1000:7.1f} ms wall per run")

        start = time.perf_counter()
        with local_client(args.workers) as client:
            up = time.perf_counter() - start
            print(f"cluster start:        {up:7.2f} s wall")
            start = time.perf_counter(), time.process_time()
            futures = submit(client, runs, logs)
            collect(client, futures, lambda run, summary: None, lambda running, slots: None)
            wall, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
            print(f"on the cluster:       {wall / args.runs * 1000:7.1f} ms wall per run "
                  f"({cpu / args.runs * 1000:.1f} ms CPU of this process)")
            start = time.perf_counter()
        print(f"cluster stop:         {time.perf_counter() - start:7.2f} s wall")


if __name__ == "__main__":
    main()
