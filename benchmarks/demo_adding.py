"""The phenomenon, measured: the LSTM solves adding at T=100 and the tanh RNN does not.

Trains each cell (default H=128, B=64, Adam, lr 1e-2, clip 1, float32) for up to 2,000
steps on several seeds and prints, every 100 steps, the loss (mean of the last 50 steps)
and the gradient profile ratios dh_norms[0] / dh_norms[-1] (and for the LSTM dc_norms[0] /
dc_norms[-1]): how much of the loss's gradient reaches the first step. The summary gives
the step each run was solved at (deterministic per seed) and its CPU milliseconds per
step (one BLAS thread; CPU time, so another process on the core does not inflate it).
--until-solved stops a run at its solve: what choosing a preset's size needs.

    python benchmarks/demo_adding.py [--seeds 0 1 2] [--steps 2000] [--seq-len 100]
        [--hidden 128] [--batch 64] [--lr 0.01] [--cells lstm rnn] [--until-solved]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

from rnn_tui.engine import Trainer, build_model, build_task, tune_for_training


def ratio(profile: np.ndarray) -> float:
    return float(profile[0] / profile[-1]) if profile[-1] > 0 else float("nan")


def train(kind: str, seed: int, steps: int, seq_len: int, hidden: int = 128,
          batch: int = 64, lr: float = 1e-2, until_solved: bool = False) -> dict:
    task = build_task("adding", seq_len)
    model = build_model(kind, task.input_size, hidden, task.output_size,
                        rng=np.random.default_rng(seed), dtype=np.float32)
    trainer = Trainer(model, task, optimizer="adam", lr=lr, clip=1.0, batch_size=batch,
                      seed=seed)
    losses: list[float] = []
    solved_at = None
    start, cpu_start = time.perf_counter(), time.process_time()
    for step in range(1, steps + 1):
        r = trainer.step()
        losses.append(r.loss)
        smooth = float(np.mean(losses[-50:]))
        if solved_at is None and step >= 50 and smooth <= task.solved_loss:  # the engine's
            solved_at = step
        if step == 1 or step % 100 == 0 or step == steps:
            line = (f"  {kind:4s} seed {seed} step {step:5d}  loss(50) {smooth:.4f}  "
                    f"dh0/dhT {ratio(r.trace.dh_norms):9.2e}")
            if r.trace.dc_norms is not None:
                line += (f"  dc0/dcT {ratio(r.trace.dc_norms):9.2e}  "
                         f"forget mean {r.trace.forget_mean.mean():.2f}")
            print(line, flush=True)
        if until_solved and solved_at is not None:
            break
    return {"kind": kind, "seed": seed, "final": float(np.mean(losses[-50:])),
            "solved_at": solved_at, "seconds": time.perf_counter() - start,
            "cpu_ms_per_step": (time.process_time() - cpu_start) / step * 1e3,
            "dh_ratio": ratio(r.trace.dh_norms),
            "dc_ratio": ratio(r.trace.dc_norms) if r.trace.dc_norms is not None else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--cells", nargs="+", default=["lstm", "rnn"])
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--until-solved", action="store_true", help="stop a run once solved")
    args = parser.parse_args()
    tune_for_training()
    results = []
    with threadpool_limits(1):
        for kind in args.cells:
            for seed in args.seeds:
                results.append(train(kind, seed, args.steps, args.seq_len, args.hidden,
                                     args.batch, args.lr, args.until_solved))
    print(f"\nadding T={args.seq_len}, H={args.hidden}, B={args.batch}, lr {args.lr}: "
          f"baseline 1/6 = {1 / 6:.4f}, solved = loss(50) <= 0.01, as the app's")
    for r in results:
        dc = f"{r['dc_ratio']:.2e}" if r["dc_ratio"] is not None else "-"
        print(f"{r['kind']:5s} seed {r['seed']}: final loss(50) {r['final']:.4f}  "
              + (f"solved at {r['solved_at']}" if r["solved_at"] else "not solved")
              + f"  dh0/dhT {r['dh_ratio']:.2e}  dc0/dcT {dc}  ({r['seconds']:.1f} s, "
              f"{r['cpu_ms_per_step']:.1f} CPU ms/step)")


if __name__ == "__main__":
    from rnn_tui.engine.names import SettingError
    from rnn_tui.run.presets import PresetError
    from rnn_tui.run.runlog import RunLogError

    try:
        main()
    except (SettingError, PresetError, RunLogError) as err:  # bad input: one line
        raise SystemExit(f"demo_adding.py: error: {err}") from None
