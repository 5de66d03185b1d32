"""Record the small run logs the dashboard's snapshot tests replay (tests/ui/fixtures).

They come from the project's own trainer (through the run layer's event builders, the
same ones a worker uses), kept small: short sequences, a few hundred steps, a profile
every PROFILE_EVERY steps. `seconds` is a fixed 100 steps/s clock so the files (and
so the snapshots) do not depend on this machine's speed. Re-run after an event-format
change:

    python scripts/make_ui_fixtures.py
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import RunEnded
from rnn_tui.run.runlog import RunLogWriter
from rnn_tui.run.training import build_trainer, profile_event, run_started, step_event

OUT = Path(__file__).resolve().parents[1] / "tests" / "ui" / "fixtures"
PROFILE_EVERY = 50


def record(name: str, config: RunConfig, steps: int) -> None:
    path = OUT / f"{name}.jsonl"
    path.unlink(missing_ok=True)
    trainer = build_trainer(config)
    with RunLogWriter(path) as log:
        log.write(replace(run_started(config, trainer, ""), started_at="2026-01-01T00:00:00+00:00",
                          versions={}, blas=[]))
        for _ in range(steps):
            result = trainer.step()
            event = step_event(result, seconds=result.step / 100)
            log.write(event)
            if event.kind == "diverged":
                log.write(RunEnded(step=result.step, reason="diverged"))
                break
            if result.step == 1 or result.step % PROFILE_EVERY == 0 or result.step < 10:
                log.write(profile_event(result))
        else:
            log.write(RunEnded(step=steps, reason="finished"))
    print(f"{path}: {path.stat().st_size / 1024:.0f} KiB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    small = RunConfig(task="adding", seq_len=40, hidden_size=32, batch_size=32, seed=0)
    record("adding-rnn", small.with_(cell="rnn"), 600)
    record("adding-lstm", small.with_(cell="lstm"), 600)
    # A ReLU RNN with ‖W‖ > 1, plain SGD and no clipping: the loss explodes to NaN.
    warnings.simplefilter("ignore", RuntimeWarning)
    record("relu-diverged", small.with_(cell="relu", lr=0.3, clip=0.0, recurrent_scale=1.2,
                                        optimizer="sgd"), 200)


if __name__ == "__main__":
    main()
