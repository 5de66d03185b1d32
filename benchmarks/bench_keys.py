"""Key press -> the screen shows the change, for each key a user presses while both
models train: the real `rnn-tui` (adding-100) in a pseudo-terminal at 160x48.

Each key is pressed, then the bench waits until the text that key brings appears in
the terminal's output (escape codes stripped): `space` the header's "paused" or
"running", `tab` the newly selected panel's title, `v` the new view's caption, `?`
the help's title. A person's pace: 0.3 s between presses. Prints p50 / p95 / max per
key and over all presses.

    python benchmarks/bench_keys.py [--rounds 10] [--only space tab] [--each]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

# (what is pressed, its name, the text its change shows)
KEYS: list[tuple[bytes, str, bytes]] = [
    (b" ", "space", b"paused"),
    (b" ", "space", b"running"),
    (b"\t", "tab", "2 · lstm".encode()),
    (b"\t", "tab", "1 · rnn".encode()),
    (b"v", "v", b"rows: training step"),  # the flow view's caption
    (b"v", "v", b"the note's law"),  # the why view's (the RNN's: the law)
    (b"v", "v", b"smoothed"),  # the loss plot's, back on the first view
    (b"?", "?", b"keys (also in the command palette"),
]
CLOSE_HELP = b"q"  # (closes the help; not timed: its text is the dashboard's own)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--only", nargs="*", help="time only these keys (names as printed)")
    parser.add_argument("--each", action="store_true", help="print every press as it lands")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_ui import PRESET, Terminal, percentile

    rnn_tui = str(Path(sys.executable).with_name("rnn-tui"))  # this venv's
    latencies: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        term = Terminal([rnn_tui, "--preset", PRESET, "--log-dir", str(Path(tmp) / "runs")],
                        cwd=Path(tmp))
        try:
            term.wait_for(b"/s running", timeout=60)  # a panel's worker trains
            for _ in range(args.rounds):
                for key, name, shows in KEYS:
                    if args.only and name not in args.only:
                        continue
                    time.sleep(0.3)
                    since, pressed = term.mark(), time.perf_counter()
                    term.press(key)
                    seen = term.wait_for(shows, since, timeout=30)
                    latencies.setdefault(name, []).append(1000 * (seen - pressed))
                    if args.each:
                        print(name, shows.decode(), f"{1000 * (seen - pressed):.0f}")
                if not args.only or "?" in args.only:
                    time.sleep(0.3)
                    term.press(CLOSE_HELP)
            term.close()
        finally:
            if term.process.poll() is None:
                os.killpg(term.process.pid, signal.SIGKILL)
    every = [ms for values in latencies.values() for ms in values]
    print(f"key -> screen, ms, while both train (load {os.getloadavg()[0]:.1f}):")
    for name, values in [*latencies.items(), ("all keys", every)]:
        print(f"  {name:>8}: p50 {statistics.median(values):5.0f}  p95 "
              f"{percentile(values, 0.95):5.0f}  max {max(values):5.0f}  ({len(values)} presses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
