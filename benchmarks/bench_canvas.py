"""One canvas built, at the size of a panel's loss plot, with as many points as the live
loss plot draws (two series of 480: raw and smoothed), the baseline and ticks: CPU ms
per `Canvas.build`, median of --repeat. Run it on another checkout (PYTHONPATH=its src)
to compare.

    python benchmarks/bench_canvas.py [--repeat 300]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from rnn_tui.ui.canvas import Canvas

INK, AXIS, PAPER = (220, 220, 220), (120, 120, 120), (20, 20, 20)


def loss_like(n: int) -> list[float]:
    """A falling, noisy log-loss: deterministic, no numpy (the older canvas has none)."""
    return [math.log10(0.17 * (1 + 0.3 * math.sin(7.1 * i)) * (1 - 0.5 * i / n))
            for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    xs, raw = list(range(480)), loss_like(480)
    smooth = [sum(raw[max(0, i - 20):i + 1]) / len(raw[max(0, i - 20):i + 1])
              for i in range(480)]
    canvas = Canvas()
    canvas.xlim(0, 479)
    canvas.ylim(min(raw), max(raw))
    canvas.plot(xs, raw, (120, 120, 120))
    canvas.plot(xs, smooth, (230, 120, 40))
    canvas.hline(math.log10(1 / 6), (90, 160, 220))
    canvas.yticks([-1.0, -0.8], ["1e-1", "0.16"])
    canvas.xticks([0, 200, 400], ["0", "200", "400"])
    times = []
    for _ in range(args.repeat):
        start = time.thread_time()
        canvas.build(78, 12, INK, AXIS, PAPER)
        times.append(1e3 * (time.thread_time() - start))
    print(f"Canvas.build, 78x12, two series of 480 points: median "
          f"{statistics.median(times):.2f} ms, p90 "
          f"{sorted(times)[int(0.9 * len(times))]:.2f} ms ({args.repeat} builds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
