"""This tree's engine against another checkout's, per Trainer.step, in one process.

The other engine is loaded from its source folder under another package name, and the
two alternate step for step (CPU time, one BLAS thread), so a change in the machine's load
hits both alike. Reports the median and the minimum of --repeats rounds.

    git archive 9b7b1df src | tar -x -C /tmp/base
    python benchmarks/compare_engines.py /tmp/base/src [--hidden 128 32] [--repeats 25]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import numpy as np
from threadpoolctl import threadpool_limits

import rnn_tui.engine as ours


def load_engine(src: Path, name: str = "base_engine") -> ModuleType:
    folder = src / "rnn_tui" / "engine"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def trainer(engine: ModuleType, kind: str, hidden: int):
    task = engine.build_task("adding", 100)
    model = engine.build_model(kind, task.input_size, hidden, task.output_size,
                               rng=np.random.default_rng(0), dtype=np.float32)
    return engine.Trainer(model, task, lr=1e-2, batch_size=64, seed=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other_src", type=Path, help="the other checkout's src/ folder")
    parser.add_argument("--hidden", type=int, nargs="+", default=[128, 32])
    parser.add_argument("--repeats", type=int, default=25)
    args = parser.parse_args()
    base = load_engine(args.other_src)
    ours.tune_for_training()
    print(f"adding T=100, B=64, float32, one thread; CPU ms per step over {args.repeats} "
          f"alternating rounds of 2 steps")
    with threadpool_limits(1):
        for hidden in args.hidden:
            for kind in ("lstm", "rnn"):
                steps = {"other": trainer(base, kind, hidden).step,
                         "this": trainer(ours, kind, hidden).step}
                times: dict[str, list[float]] = {k: [] for k in steps}
                for _ in range(args.repeats):
                    for k, step in steps.items():
                        start = time.process_time()
                        step()
                        step()
                        times[k].append((time.process_time() - start) / 2 * 1e3)
                med = {k: float(np.median(v)) for k, v in times.items()}
                print(f"{kind:4s} H={hidden:3d}: other {med['other']:6.2f} ms (min "
                      f"{min(times['other']):6.2f}), this {med['this']:6.2f} ms (min "
                      f"{min(times['this']):6.2f}): {med['other'] / med['this']:.2f}x")


if __name__ == "__main__":
    main()
