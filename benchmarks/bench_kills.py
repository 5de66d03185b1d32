"""How fast a killed worker is reported, and that the other never stalls: SIGKILL a busy
LSTM worker N times at random moments while an RNN worker streams; print the time from
each kill to its RunFailed, and the RNN's longest silence.

    python benchmarks/bench_kills.py [--kills 30]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import RunFailed, Step
from rnn_tui.run.session import Session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    args = parser.parse_args()
    rnn = RunConfig(cell="rnn", task="adding", seq_len=5, hidden_size=4, batch_size=2)
    lstm = RunConfig(cell="lstm", task="adding", seq_len=1500, hidden_size=4, batch_size=1)
    rng = random.Random(0)
    latencies, silences = [], []
    with tempfile.TemporaryDirectory() as tmp, \
            Session([rnn, lstm], log_dir=Path(tmp), profile_hz=1000) as session:
        last_rnn_step: float | None = None  # the silences start at the first step

        def poll_until(done) -> None:
            nonlocal last_rnn_step
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                for slot, event in session.poll(timeout=0.01):
                    now = time.monotonic()
                    if slot == 0 and isinstance(event, Step):
                        if last_rnn_step is not None:
                            silences.append(now - last_rnn_step)
                        last_rnn_step = now
                    if done(slot, event):
                        return
            raise SystemExit("timed out")

        poll_until(lambda slot, event: slot == 1 and isinstance(event, Step))
        for _ in range(args.kills):
            time.sleep(rng.uniform(0, 0.05))
            os.kill(session.pids[1], signal.SIGKILL)
            killed = time.monotonic()
            poll_until(lambda slot, event: slot == 1 and isinstance(event, RunFailed))
            latencies.append(time.monotonic() - killed)
            session.restart(1, lstm)
            poll_until(lambda slot, event: slot == 1 and isinstance(event, Step))
    ms = sorted(1000 * x for x in latencies)
    print(f"{args.kills} kills: kill -> run_failed median {statistics.median(ms):.1f} ms, "
          f"max {ms[-1]:.1f} ms; the RNN's longest silence {1000 * max(silences):.0f} ms "
          f"(it includes reading slowly before each kill); load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
