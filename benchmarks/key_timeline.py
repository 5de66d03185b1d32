"""Where a key's time goes in the real app: for each press, when the app got the key,
when its first screen update started, and the wall and CPU time of the updates until
the change showed.

The real `rnn-tui` (adding-100, both models training) runs in a pseudo-terminal at
160x48, as in `bench_keys.py` (same keys, same "shows" texts), but with a tracer loaded
first: it logs the moment each key reaches the App and every screen update
(`Screen._on_timer_update`: layout, rendering, compositing) with its wall and thread-CPU
time. Per press it prints:

    total     key pressed -> its change seen in the terminal's output
    key in    pressed -> the App's key event
    to frame  the key event -> the first screen update after it (the loop was busy)
    frames    the screen updates until the change was seen: count, wall, CPU
    gc        Python's garbage collections between the key and the change, ms, and the
              oldest generation among them (2: a full collection)

`total` minus the frames' wall time is waiting: for the loop, or for a core.

    python benchmarks/key_timeline.py [--rounds 4] [--gap 1] [--only v "?"]
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

TRACE_ENV = "RNN_TUI_KEY_TIMELINE"


def traced_app() -> int:
    """`rnn-tui` with every key event and screen update written to $RNN_TUI_KEY_TIMELINE."""
    from textual import events, screen
    from textual.app import App

    log = open(os.environ[TRACE_ENV], "w", buffering=1)  # noqa: SIM115 (open for the run)
    update = screen.Screen._on_timer_update

    def timed_update(self: screen.Screen) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            update(self)
        finally:
            log.write(f"frame {wall:.5f} {time.perf_counter() - wall:.5f} "
                      f"{time.thread_time() - cpu:.5f}\n")

    on_event = App.on_event

    async def logged_on_event(self: App, event: events.Event) -> None:
        if isinstance(event, events.Key):
            log.write(f"key {time.perf_counter():.5f}\n")
        await on_event(self, event)

    collecting: list[float] = []

    def logged_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[:] = [time.perf_counter(), time.thread_time()]
        elif collecting:
            log.write(f"gc {collecting[0]:.5f} {time.perf_counter() - collecting[0]:.5f} "
                      f"{info['generation']} {time.thread_time() - collecting[1]:.5f} "
                      f"{info['collected']}\n")

    gc.callbacks.append(logged_gc)
    screen.Screen._on_timer_update = timed_update  # type: ignore[method-assign]
    App.on_event = logged_on_event  # type: ignore[method-assign]
    from rnn_tui.cli import main

    return main(sys.argv[2:])


def drive(rounds: int, gap: float, only: list[str] | None) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_keys import GROUPS
    from bench_ui import PRESET, Terminal

    presses: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "timeline.txt"
        os.environ[TRACE_ENV] = str(trace)
        term = Terminal([sys.executable, __file__, "--app", "--preset", PRESET,
                         "--log-dir", str(Path(tmp) / "runs")], cwd=Path(tmp))
        try:
            term.wait_for(b"/s running", timeout=60)
            groups = [g for g in GROUPS if not only or any(n in only for _, n, _ in g)]
            for _ in range(rounds):
                for key, name, shows in (press for group in groups for press in group):
                    time.sleep(gap)
                    since, pressed = term.mark(), time.perf_counter()
                    term.press(key)
                    presses.append((name, pressed, term.wait_for(shows, since, timeout=30)))
            term.close()
        finally:
            if term.process.poll() is None:
                os.killpg(term.process.pid, signal.SIGKILL)
        report(presses, trace.read_text().splitlines())


def report(presses: list[tuple[str, float, float]], lines: list[str]) -> None:
    keys = [float(line.split()[1]) for line in lines if line.startswith("key ")]
    frames = [tuple(map(float, line.split()[1:])) for line in lines if line.startswith("frame ")]
    collections = [tuple(map(float, line.split()[1:])) for line in lines if line.startswith("gc ")]
    rows: dict[str, list[tuple[float, ...]]] = {}
    print(f"{'key':>14}  total  key in  to frame  frames: n  wall    CPU   gc (ms, gen)")
    for name, pressed, seen in presses:
        got = next((t for t in keys if t >= pressed), None)
        if got is None:
            continue
        shown = [f for f in frames if got <= f[0] <= seen]
        to_frame = (shown[0][0] - got) if shown else float("nan")
        swept = [c for c in collections if pressed <= c[0] <= seen]
        row = (1e3 * (seen - pressed), 1e3 * (got - pressed), 1e3 * to_frame, len(shown),
               1e3 * sum(f[1] for f in shown), 1e3 * sum(f[2] for f in shown),
               1e3 * sum(c[1] for c in swept))
        rows.setdefault(name, []).append(row)
        oldest = f" {max(int(c[2]) for c in swept)}" if swept else ""
        print(f"{name:>14} {row[0]:6.0f} {row[1]:7.1f} {row[2]:9.1f} {row[3]:10d} "
              f"{row[4]:5.1f} {row[5]:6.1f} {row[6]:5.1f}{oldest}")
    print(f"medians (load {os.getloadavg()[0]:.1f}):")
    for name, values in rows.items():
        medians = [statistics.median(column) for column in zip(*values, strict=True)]
        print(f"{name:>14} {medians[0]:6.0f} {medians[1]:7.1f} {medians[2]:9.1f} "
              f"{medians[3]:10.0f} {medians[4]:5.1f} {medians[5]:6.1f} {medians[6]:5.1f}  "
              f"({len(values)} presses)")
    full = [c for c in collections if c[2] == 2]
    if full:
        walls, cpus = [1e3 * c[1] for c in full], [1e3 * c[3] for c in full]
        print(f"full collections in the whole run: {len(full)}; wall median "
              f"{statistics.median(walls):.1f} ms, longest {max(walls):.1f}; CPU median "
              f"{statistics.median(cpus):.1f} ms; objects freed, median "
              f"{statistics.median(c[4] for c in full):.0f}")


def main() -> int:
    if sys.argv[1:2] == ["--app"]:
        return traced_app()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between presses")
    parser.add_argument("--only", nargs="*", help="time only these keys (names as printed)")
    args = parser.parse_args()
    drive(args.rounds, args.gap, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
