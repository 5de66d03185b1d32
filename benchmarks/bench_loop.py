"""The dashboard's event loop, in CPU time: what a key pressed at a random moment waits
for, measured in a way the machine's load does not inflate.

The real `rnn-tui` (adding-100, both models training) runs in a pseudo-terminal with
asyncio's `Handle._run` wrapped to record the thread CPU time of every event-loop
callback; `space` is pressed every so often (its wall-clock latency is printed too, but
that figure is mostly the scheduler's on a loaded machine). A key waits for the callback
running when it arrives, so the long callbacks are the ones that matter; the slowest are
listed by what ran them.

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


def run_app(out: Path, argv: list[str]) -> int:
    """Inside the pty: the dashboard, every loop callback's CPU time recorded."""
    from asyncio import events

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
    out.write_text(json.dumps({"samples": samples, "slow": slow}))
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
        latencies = []
        for i in range(args.presses):
            time.sleep(args.seconds / max(1, args.presses))
            since, pressed = term.mark(), time.perf_counter()
            term.press(b" ")
            word = b"paused" if i % 2 == 0 else b"running"
            latencies.append(1000 * (term.wait_for(word, since, timeout=30) - pressed))
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
    slowest = collections.Counter(name for _, name in recorded["slow"])
    print(f"callbacks over {SLOW_MS:g} ms by what ran them: {dict(slowest.most_common(5))}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--app"]:
        sys.exit(run_app(Path(sys.argv[2]), sys.argv[3:]))
    sys.exit(main())
