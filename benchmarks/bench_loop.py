"""The dashboard's event loop, in CPU time: what a key pressed at a random moment waits
for, measured in a way the machine's load does not inflate.

The real `rnn-tui` (adding-100, both models training) runs in a pseudo-terminal with
asyncio's `Handle._run` wrapped to record the thread CPU time of every event-loop
callback; `space` is pressed every so often (its wall-clock latency is printed too, but
that figure is mostly the scheduler's on a loaded machine). A key waits for the callback
running when it arrives, so the long callbacks are the ones that matter; the slowest are
listed by what ran them.

A key's wall-clock path is split into its stages, each stamped with the same monotonic
clock in both processes: the press (this bench) -> Textual's input thread parses the key
-> the app's action runs on the loop -> the frame with the change is queued for output
-> this bench reads it from the pty.

    python benchmarks/bench_loop.py [--seconds 15] [--presses 20]
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

SLOW_MS = 8.0  # callbacks above this are listed by what ran them


def stamp_key_path(stamps: dict[str, list[float]]) -> None:
    """Record when each `space` is parsed, acted on, its frame's screen update starts
    (Textual's timer, after the loop went idle) and the frame is queued for output."""
    from textual import events as textual_events
    from textual.drivers._writer_thread import WriterThread
    from textual.drivers.linux_driver import LinuxDriver
    from textual.screen import Screen

    from rnn_tui.ui.app import RnnTuiApp

    parsed, act, update, queue = (LinuxDriver.process_message, RnnTuiApp.action_toggle_pause,
                                  Screen._on_timer_update, WriterThread.write)

    def process_message(driver: LinuxDriver, message: object) -> None:
        if isinstance(message, textual_events.Key) and message.key == "space":
            stamps["parsed"].append(time.perf_counter())
        parsed(driver, message)

    def action_toggle_pause(app: RnnTuiApp) -> None:
        stamps["action"].append(time.perf_counter())
        act(app)

    def on_timer_update(screen: Screen) -> None:
        header = any(widget.id == "header" for widget in screen._dirty_widgets)
        if header and len(stamps["update"]) < len(stamps["action"]):
            stamps["update"].append(time.perf_counter())  # the frame with the key's change
        update(screen)

    def write(writer: WriterThread, text: str) -> None:
        word = "paused" if len(stamps["queued"]) % 2 == 0 else "running"
        if len(stamps["queued"]) < len(stamps["action"]) and word in text:
            stamps["queued"].append(time.perf_counter())
        queue(writer, text)

    LinuxDriver.process_message = process_message  # type: ignore[method-assign]
    RnnTuiApp.action_toggle_pause = action_toggle_pause  # type: ignore[method-assign]
    Screen._on_timer_update = on_timer_update  # type: ignore[method-assign]
    WriterThread.write = write  # type: ignore[method-assign]


def run_app(out: Path, argv: list[str]) -> int:
    """Inside the pty: the dashboard, every loop callback's CPU time recorded."""
    from asyncio import events

    stamps: dict[str, list[float]] = {"parsed": [], "action": [], "update": [],
                                     "queued": []}
    stamp_key_path(stamps)

    samples: list[float] = []
    slow: list[tuple[float, str]] = []
    run = events.Handle._run

    def timed_run(handle: events.Handle) -> None:
        start = time.thread_time()
        run(handle)
        ms = 1000 * (time.thread_time() - start)
        samples.append(ms)
        if ms > SLOW_MS:
            owner = getattr(handle._callback, "__self__", None)
            name = owner.get_name() if hasattr(owner, "get_name") else repr(handle._callback)
            slow.append((ms, name[:60]))

    events.Handle._run = timed_run  # type: ignore[method-assign]
    from rnn_tui.cli import main

    code = main(argv)
    out.write_text(json.dumps({"samples": samples, "slow": slow, "stamps": stamps}))
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_ui import Terminal, cpu_seconds, percentile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "loop.json"
        term = Terminal([sys.executable, __file__, "--app", str(out), "--log-dir",
                         str(Path(tmp) / "runs")], cwd=Path(tmp))
        first = term.wait_for(b"rnn-tui adding", timeout=120) - term.started
        term.wait_for(b"/s running", timeout=120)
        cpu0, wall0 = cpu_seconds(term.process.pid), time.perf_counter()
        latencies, pressed_at, seen_at = [], [], []
        for i in range(args.presses):
            time.sleep(args.seconds / max(1, args.presses))
            since, pressed = term.mark(), time.perf_counter()
            term.press(b" ")
            word = b"paused" if i % 2 == 0 else b"running"
            seen = term.wait_for(word, since, timeout=30)
            latencies.append(1000 * (seen - pressed))
            pressed_at.append(pressed)
            seen_at.append(seen)
        app_cpu = (cpu_seconds(term.process.pid) - cpu0) / (time.perf_counter() - wall0)
        term.close()
        recorded = json.loads(out.read_text())
    ms = sorted(recorded["samples"])
    print(f"first frame {first:.2f} s; dashboard process CPU {100 * app_cpu:.0f} % of a core "
          f"while both train")
    print(f"event-loop callbacks: {len(ms)}, CPU p50 {statistics.median(ms):.2f} ms, "
          f"p99 {percentile(ms, 0.99):.1f} ms, max {ms[-1]:.1f} ms; "
          f"{sum(m > 10 for m in ms)} over 10 ms, {sum(m > 5 for m in ms)} over 5 ms")
    print(f"key (space) wall clock: p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {percentile(latencies, 0.95):.0f} ms")
    print_key_path(recorded["stamps"], pressed_at, seen_at)
    slowest = collections.Counter(name for _, name in recorded["slow"])
    print(f"callbacks over {SLOW_MS:g} ms by what ran them: {dict(slowest.most_common(5))}")
    return 0


def print_key_path(stamps: dict[str, list[float]], pressed: list[float],
                   seen: list[float]) -> None:
    from bench_ui import percentile

    path = [("pressed", pressed), ("parsed", stamps["parsed"]), ("action", stamps["action"]),
            ("update", stamps["update"]), ("queued", stamps["queued"]), ("seen", seen)]
    n = min(len(times) for _, times in path)
    print(f"key path, ms, p50 / p95 / max over {n} presses:")
    for (start, a), (end, b) in zip(path, path[1:], strict=False):
        gaps = sorted(1000 * (b[i] - a[i]) for i in range(n))
        print(f"  {start:>7} -> {end:<7} {statistics.median(gaps):6.1f} / "
              f"{percentile(gaps, 0.95):6.1f} / {gaps[-1]:6.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--app"]:
        sys.exit(run_app(Path(sys.argv[2]), sys.argv[3:]))
    sys.exit(main())
