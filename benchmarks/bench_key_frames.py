"""What a key costs the dashboard to paint: CPU time of the screen updates after each
press, headless (no workers, no terminal), so the machine's load hardly moves it.

The app replays the fixture logs (adding T=40, rnn and lstm) at 160x48. Each key is
pressed --presses times, --gap seconds apart (the help is closed again after each `?`,
not counted); every screen update in that gap is timed (`Screen._on_timer_update`, the
event loop thread's CPU: layout, rendering, compositing). Prints the median and p90 per
press. This is the part of a key's latency the code decides; `bench_keys.py` measures
the whole of it on the real app while both models train. `--parts` splits the updates'
CPU into the layout (Textual's reflow), the figures' own lines (`StripFigure.lines`)
and the rest: Textual rendering every widget's lines and compositing them.

    python benchmarks/bench_key_frames.py [--presses 30] [--keys tab v question_mark] [--parts]
    python benchmarks/bench_key_frames.py --keys v --warm-up 0 --presses 2   # first showings
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from textual import _compositor, screen

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import StripFigure
from rnn_tui.ui.sources import ReplaySource

FIXTURES = Path(__file__).parents[1] / "tests" / "ui" / "fixtures"


class FrameClock:
    """Thread CPU of every screen update while `counting`, and of two parts of them."""

    PARTS = {"layout": (_compositor.Compositor, "reflow"),
             "figure lines": (StripFigure, "lines")}

    def __init__(self) -> None:
        self.counting = False
        self.spent = 0.0
        self.parts = dict.fromkeys(self.PARTS, 0.0)
        update = screen.Screen._on_timer_update

        def timed(scr: screen.Screen) -> None:
            if not self.counting:
                return update(scr)
            start = time.thread_time()
            try:
                return update(scr)
            finally:
                self.spent += time.thread_time() - start

        screen.Screen._on_timer_update = timed  # type: ignore[method-assign]
        for name, (owner, method) in self.PARTS.items():
            setattr(owner, method, self.timed_part(name, getattr(owner, method)))

    def timed_part(self, name: str, method):  # a method, timed into `parts[name]`
        def timed(*args, **kwargs):
            if not self.counting:
                return method(*args, **kwargs)
            start = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.parts[name] += time.thread_time() - start

        return timed


async def press_costs(key: str, presses: int, gap: float, clock: FrameClock,
                      warm_up: int = 3) -> list[tuple[float, dict[str, float]]]:
    source = ReplaySource.from_logs([FIXTURES / "adding-rnn.jsonl",
                                     FIXTURES / "adding-lstm.jsonl"])
    app = RnnTuiApp(source)
    costs = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(1.5)  # the help built ahead, the first frames done
        for warming in [True] * warm_up + [False] * presses:  # (each view shown once first)
            clock.spent, clock.counting = 0.0, True
            clock.parts = dict.fromkeys(clock.parts, 0.0)
            await pilot.press(key)
            await pilot.pause(gap)
            clock.counting = False
            if not warming:
                costs.append((clock.spent * 1e3, {k: v * 1e3 for k, v in clock.parts.items()}))
            if key == "question_mark":
                await pilot.press("q")
                await pilot.pause(gap)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.15)
    parser.add_argument("--keys", nargs="*", default=["tab", "v", "question_mark", "space"])
    parser.add_argument("--parts", action="store_true", help="also the layout and figure lines")
    parser.add_argument("--warm-up", type=int, default=3, help="presses not counted first "
                        "(3: each view shown once; 0 and --presses 2: the first showings)")
    args = parser.parse_args()
    clock = FrameClock()
    print(f"screen updates' CPU per key press, ms (headless replay at 160x48, "
          f"{args.presses} presses each)")
    for key in args.keys:
        presses = asyncio.run(press_costs(key, args.presses, args.gap, clock, args.warm_up))
        costs = sorted(total for total, _ in presses)
        p90 = costs[min(len(costs) - 1, int(0.9 * len(costs)))]
        line = (f"{key:>14s}: median {statistics.median(costs):5.1f}  p90 {p90:5.1f}  "
                f"max {costs[-1]:5.1f}")
        if args.parts:
            medians = {name: statistics.median(parts[name] for _, parts in presses)
                       for name in clock.parts}
            line += "  of which (medians) " + ", ".join(
                f"{name} {ms:.1f}" for name, ms in medians.items())
        print(line, flush=True)


if __name__ == "__main__":
    main()
