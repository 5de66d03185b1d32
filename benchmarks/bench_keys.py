"""Key press -> the screen shows the change, for each key a user presses while both
models train: the real `rnn-tui` (adding-100) in a pseudo-terminal at 160x48.

Each key is pressed, then the bench waits until the text that key brings appears in
the terminal's output (escape codes stripped): `space` the header's "paused" or
"running", `tab`, `1`, `2` the newly selected panel's title, `v` the new view's
caption, `?` and `p` their screen's title, `q` (closing them) the dashboard's header,
`c C` the restarted panel's cell, `] [` its learning rate, `+ -` the header's new T.
Keys come in groups that leave the app as they found it (`c` then `C`, ...); `--only`
picks groups by a key's name. `--gap` sets the pace: 0.3 s between presses by default,
a quick hand; `--gap 2` is someone reading each view before the next key. Prints
p50 / p95 / max per key and over all presses. (Escape is not timed: a terminal sends it as the
first byte of other keys too, and Textual waits to see whether more follow.)

    python benchmarks/bench_keys.py [--rounds 10] [--gap 0.3] [--only space tab] [--each]
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

# Groups of presses, each of which leaves the app as it found it: (what is pressed, the
# name it is reported under, the text its change shows).
GROUPS: list[list[tuple[bytes, str, bytes]]] = [
    [(b" ", "space", b"paused"), (b" ", "space", b"running")],
    [(b"\t", "tab", "2 · lstm".encode()), (b"\t", "tab", "1 · rnn".encode())],
    [(b"2", "1 2", "2 · lstm".encode()), (b"1", "1 2", "1 · rnn".encode())],
    [(b"v", "v", b"rows: training step"),  # the flow view's caption
     (b"v", "v", b"is an inequality"),  # the why view's (the RNN's: the law)
     (b"v", "v", b"smoothed")],  # the loss plot's, back on the first view
    [(b"?", "?", b"keys (also in the command palette"),
     (b"q", "q (closes ?)", b"rnn-tui adding")],  # the dashboard, painted again
    [(b"p", "p", b"Pick a preset"), (b"q", "q (closes p)", b"rnn-tui adding")],
    [(b"c", "c C", "1 · relu".encode()), (b"C", "c C", "1 · rnn".encode())],  # restart
    [(b"]", "] [", "lr=0.03 ·".encode()), (b"[", "] [", "lr=0.01 ·".encode())],
    [(b"+", "+ -", b"adding T=200"), (b"-", "+ -", b"adding T=100")],  # both restart
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between presses")
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
            groups = [g for g in GROUPS if not args.only
                      or any(name in args.only for _, name, _ in g)]
            for _ in range(args.rounds):
                for key, name, shows in (press for group in groups for press in group):
                    time.sleep(args.gap)
                    since, pressed = term.mark(), time.perf_counter()
                    term.press(key)
                    seen = term.wait_for(shows, since, timeout=30)
                    latencies.setdefault(name, []).append(1000 * (seen - pressed))
                    if args.each:
                        print(name, shows.decode(), f"{1000 * (seen - pressed):.0f}")
            term.close()
        finally:
            if term.process.poll() is None:
                os.killpg(term.process.pid, signal.SIGKILL)
    every = [ms for values in latencies.values() for ms in values]
    print(f"key -> screen, ms, while both train, {args.gap:g} s between presses "
          f"(load {os.getloadavg()[0]:.1f}):")
    for name, values in [*latencies.items(), ("all keys", every)]:
        print(f"  {name:>12}: p50 {statistics.median(values):5.0f}  p95 "
              f"{percentile(values, 0.95):5.0f}  max {max(values):5.0f}  ({len(values)} presses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
