"""How fast a run log is read back (what `rnn-tui replay` and the sweep map wait for):
CPU seconds per log and per MB, best of --repeats.

    python benchmarks/bench_read_log.py [LOG ...] [--repeats 3]

Without LOG, the test fixtures (adding T=40, rnn and lstm).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rnn_tui.run.runlog import read_run_log

FIXTURES = Path(__file__).parents[1] / "tests" / "ui" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", type=Path,
                        default=[FIXTURES / "adding-rnn.jsonl", FIXTURES / "adding-lstm.jsonl"])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for path in args.logs:
        best = float("inf")
        for _ in range(args.repeats):
            start = time.process_time()
            events = read_run_log(path)
            best = min(best, time.process_time() - start)
        mb = path.stat().st_size / 1e6
        print(f"{path.name}: {len(events)} events, {mb:.2f} MB: {best:.3f} s CPU "
              f"({best / mb:.2f} s per MB, {best / len(events) * 1e6:.0f} us per event)")


if __name__ == "__main__":
    from rnn_tui.engine.names import SettingError
    from rnn_tui.run.presets import PresetError
    from rnn_tui.run.runlog import RunLogError

    try:
        main()
    except (SettingError, PresetError, RunLogError) as err:  # bad input: one line
        raise SystemExit(f"bench_read_log.py: error: {err}") from None
