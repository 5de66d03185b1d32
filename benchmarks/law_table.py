"""The law's table (issue 12), re-measured with the project's own code, and the same check
run over run logs.

Without arguments: trains the simple RNN of two shipped presets exactly as the worker
does (its RunConfig, one BLAS thread, flush-to-zero on) and prints, at the steps of the
issue's table, the per-step factor of ‖∂L/∂h_t‖ four ways, all from the same pass:

  measured    the fit of the measured profile (engine/horizon.py), the loss's own gradient
  product     ∏ diag(σ'_t)·W on renormalised probe vectors, same window (engine/jacobian.py)
  mean-field  mean σ' · ρ(W), the shortcut the law view used to show
  bound       σ_max(W) · max σ', the note's inequality

With --cost: CPU seconds of the law's scalars (ρ, σ_max, the product, the bound) for one
profile of each preset's simple RNN, one BLAS thread: what a worker pays per profile.

With --logs: reads run logs (files, or folders searched for *.jsonl) and checks every
profile of a simple RNN: bound >= measured, and |product / measured - 1| <= 10 % where
measured > 0. Prints what it found; exits 1 when a check fails.

    python benchmarks/law_table.py
    python benchmarks/law_table.py --cost
    python benchmarks/law_table.py --logs runs/
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnn_tui.engine import tune_for_training
from rnn_tui.engine.jacobian import law_scalars
from rnn_tui.run.events import Profile, RunStarted
from rnn_tui.run.presets import load_preset
from rnn_tui.run.runlog import iter_run_log
from rnn_tui.run.training import build_trainer

SIMPLE_CELLS = ("rnn", "relu", "irnn")
TOLERANCE = 0.10  # the product may differ from the measured factor by this much
TABLE = (("relu-exploding", "relu", (1, 600)), ("adding-100", "rnn", (1, 300, 1500)))


def underflow_from(dh_norms: np.ndarray) -> int | None:
    """Steps back from the loss at which the measured gradient is first exactly 0."""
    zeros = np.flatnonzero(np.asarray(dh_norms)[::-1] == 0.0)
    return int(zeros[0]) if zeros.size else None


def measure(preset: str, cell: str,
            steps: tuple[int, ...]) -> Iterator[tuple[int, dict, int | None]]:
    config = next(c for c in load_preset(preset) if c.cell == cell)
    trainer = build_trainer(config)
    for step in range(1, max(steps) + 1):
        result = trainer.step()
        if step in steps:
            yield step, result.trace.scalars, underflow_from(result.trace.dh_norms)


def fmt(value: float) -> str:
    return f"{value:.3f}" if value else "0"


def print_table() -> None:
    tune_for_training()
    print("| run | measured | product | mean σ'·ρ(W) | bound σ_max·max σ' | ρ(W) | σ_max(W) "
          "| mean / RMS / max σ' | measured is 0 from |")
    print("|---|---|---|---|---|---|---|---|---|")
    with threadpool_limits(1):
        for preset, cell, steps in TABLE:
            for step, s, zero in measure(preset, cell, steps):
                slopes = f"{s['dsigma_mean']:.3f} / {s['dsigma_rms']:.3f} / {s['dsigma_max']:.3f}"
                print(f"| {preset} ({cell}), step {step} | {fmt(s['gamma_h'])} "
                      f"| {fmt(s['gamma_product'])} | {fmt(s['gamma_meanfield'])} "
                      f"| {fmt(s['gamma_bound'])} | {s['rho_W']:.3f} | {s['sigma_max_W']:.3f} "
                      f"| {slopes} | {'–' if zero is None else f'{zero} steps back'} |",
                      flush=True)


def print_cost(repeats: int = 20) -> None:
    tune_for_training()
    with threadpool_limits(1):
        for preset in ("adding-100", "adding-400"):
            config = next(c for c in load_preset(preset) if c.cell in SIMPLE_CELLS)
            trace = build_trainer(config).step().trace
            start = time.process_time()
            for _ in range(repeats):
                law_scalars(trace.W, trace.dsigma, trace.dh_norms)
            per = (time.process_time() - start) / repeats
            print(f"{preset} ({config.cell}, T={config.seq_len}, H={config.hidden_size}, "
                  f"B={config.batch_size}): {per * 1e3:.1f} ms CPU per profile")


@dataclass
class LogCheck:
    """What one run log's simple-RNN profiles showed."""

    path: Path
    cell: str = "?"
    profiles: int = 0
    compared: int = 0                  # profiles with a non-zero measured factor
    bound_fails: list[int] = field(default_factory=list)
    product_fails: list[int] = field(default_factory=list)
    no_product: int = 0                # old logs: no gamma_product / gamma_bound
    worst_rel: float = 0.0
    worst_rel_step: int = 0
    least_slack: float = math.inf      # min over profiles of bound / measured

    @property
    def ok(self) -> bool:
        return not self.bound_fails and not self.product_fails

    def add(self, step: int, s: dict[str, float]) -> None:
        self.profiles += 1
        if "gamma_bound" not in s or "gamma_product" not in s:
            self.no_product += 1
            return
        measured, product, bound = s["gamma_h"], s["gamma_product"], s["gamma_bound"]
        if bound < measured:
            self.bound_fails.append(step)
        if measured > 0:
            self.compared += 1
            self.least_slack = min(self.least_slack, bound / measured)
            rel = product / measured - 1
            if abs(rel) > abs(self.worst_rel):
                self.worst_rel, self.worst_rel_step = rel, step
            if abs(rel) > TOLERANCE:
                self.product_fails.append(step)


def log_files(paths: list[Path]) -> list[Path]:
    return sorted({f for p in paths for f in (p.rglob("*.jsonl") if p.is_dir() else [p])})


def check_log(path: Path) -> LogCheck | None:
    """None when the log is not a simple RNN's."""
    check = LogCheck(path)
    for event in iter_run_log(path):
        if isinstance(event, RunStarted):
            check.cell = str(event.config.get("cell", "?"))
            if check.cell not in SIMPLE_CELLS:
                return None
        elif isinstance(event, Profile):
            check.add(event.step, event.scalars)
    return check


def check_logs(paths: list[Path]) -> bool:
    checks = [c for c in map(check_log, log_files(paths)) if c is not None]
    for c in checks:
        verdict = "ok" if c.ok else "FAIL"
        print(f"{verdict:4s} {c.cell:4s} {c.profiles:4d} profiles, {c.compared:4d} with "
              f"measured > 0; bound < measured at {len(c.bound_fails)} "
              f"(least bound/measured {c.least_slack:.3f}); |product/measured - 1| > 10 % at "
              f"{len(c.product_fails)} (worst {c.worst_rel:+.2%} at step {c.worst_rel_step})"
              + (f"; {c.no_product} without a product (old log)" if c.no_product else "")
              + f"  {c.path}")
        for name, steps in (("bound below measured", c.bound_fails),
                            ("product off by > 10 %", c.product_fails)):
            if steps:
                print(f"       {name} at steps {steps[:20]}")
    if not checks:
        print("no run log of a simple RNN (rnn, relu, irnn) found")
    return bool(checks) and all(c.ok for c in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cost", action="store_true", help="time the law's scalars")
    parser.add_argument("--logs", nargs="+", type=Path, metavar="LOG|DIR",
                        help="check run logs instead of training")
    args = parser.parse_args()
    if args.logs:
        return 0 if check_logs(args.logs) else 1
    if args.cost:
        print_cost()
        return 0
    print_table()
    return 0


if __name__ == "__main__":
    from rnn_tui.engine.names import SettingError
    from rnn_tui.run.presets import PresetError
    from rnn_tui.run.runlog import RunLogError

    try:
        sys.exit(main())
    except (SettingError, PresetError, RunLogError) as err:  # bad input: one line
        raise SystemExit(f"law_table.py: error: {err}") from None
