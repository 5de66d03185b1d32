"""`?` and the `q` that closes the help, in CPU: the dashboard headless at 160x48 on two
recorded runs (tests/ui/fixtures), each key timed from the press to the end of the
first frame that shows its change (the help, then the dashboard again), in CPU
milliseconds of the process (less swayed by the machine's load than the wall clock,
printed too). The first `?` apart: it used to build the help.

    python benchmarks/bench_help.py [--rounds 10]

Run it on an older tree with PYTHONPATH pointing at that tree's src.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from textual.screen import Screen

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.sources import ReplaySource

FIXTURES = Path(__file__).parents[1] / "tests" / "ui" / "fixtures"
first_frames: dict[str, tuple[float, float]] = {}  # screen class -> (wall, cpu) at its end


def watch_frames() -> None:
    """Note when a screen first paints as the current one (after `first_frames` was
    cleared)."""
    refresh = Screen._compositor_refresh

    def noted(self: Screen) -> None:
        refresh(self)
        if self is self.app.screen:
            first_frames.setdefault(type(self).__name__, (time.perf_counter(),
                                                          time.process_time()))

    Screen._compositor_refresh = noted  # type: ignore[method-assign]


async def press(pilot, key: str, shows: str) -> tuple[float, float]:
    """(cpu ms, wall ms) from pressing `key` to the first frame of the screen `shows`."""
    first_frames.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    while shows not in first_frames:
        await asyncio.sleep(0.001)
    end_wall, end_cpu = first_frames[shows]
    return 1000 * (end_cpu - cpu), 1000 * (end_wall - wall)


async def main(rounds: int) -> None:
    source = ReplaySource.from_logs([FIXTURES / "adding-rnn.jsonl",
                                     FIXTURES / "adding-lstm.jsonl"])
    app = RnnTuiApp(source)
    times: dict[str, list[tuple[float, float]]] = {"first ?": [], "?": [], "q": []}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(2.0)  # started and idle (the help may be built meanwhile)
        for round_ in range(rounds):
            times["first ?" if round_ == 0 else "?"].append(
                await press(pilot, "question_mark", "HelpScreen"))
            await pilot.pause(0.3)
            times["q"].append(await press(pilot, "q", "Screen"))
            await pilot.pause(0.3)
    print(f"key -> first frame of its change, headless 160x48 (load {os.getloadavg()[0]:.1f}):")
    for name, values in times.items():
        cpu, wall = [v[0] for v in values], [v[1] for v in values]
        print(f"  {name:>7}: cpu p50 {statistics.median(cpu):5.1f} max {max(cpu):5.1f} ms"
              f"   wall p50 {statistics.median(wall):5.1f} max {max(wall):5.1f} ms"
              f"  ({len(values)} presses)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    watch_frames()
    asyncio.run(main(parser.parse_args().rounds))
