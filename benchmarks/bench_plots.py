"""One plot's redraw, side by side: the hand-drawn canvas the dashboard uses against
plotext, which it used before, each from the same view's `draw` to the lines handed
to the screen.

The real app replays two recorded runs (tests/ui/fixtures, adding T=100, RNN and
LSTM) at 160x48; each plot of the default view is then redrawn N times each way, and
the CPU time of one redraw is printed (thread CPU, so the machine's load does not
inflate it). plotext's path is what the dashboard did before: the view draws into
plotext, plotext builds its grid and prints it as ANSI, Rich parses that back into
text, and Textual turns the text into lines (`Content`, `Visual.to_strips`).
plotext is not a dependency of the app: `pip install '.[bench]'` for this comparison.

    python benchmarks/bench_plots.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "tests" / "ui" / "fixtures"


def cpu_ms(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.thread_time()
        work()
        times.append((time.thread_time() - start) * 1000)
    return times


def native(plot, history, palette) -> Callable[[], object]:
    def redraw() -> object:
        plot.canvas.clear()
        plot.clear_axes()
        plot.draw(history, palette)
        return plot.build_strips(plot.size.width, plot.size.height)
    return redraw


def with_plotext(plot, history, palette) -> Callable[[], object]:
    import plotext
    from rich.text import Text
    from textual.content import Content
    from textual.visual import Visual

    def redraw() -> object:
        width, height = plot.size.width, plot.size.height
        native_canvas = plot.canvas
        plotext.clear_data()
        plotext.clear_figure()
        plot.canvas = plotext  # the view's calls keep plotext's names
        try:
            plot.clear_axes()
            plot.draw(history, palette)
        finally:
            plot.canvas = native_canvas
        ticks, labels = plot.y_axis(height - 4)  # (plotext's frame takes a row more)
        if ticks:
            plotext.yticks(ticks, labels)
        plotext.xlabel(plot.x_label)
        plotext.plotsize(width, height)
        plotext.theme("dark")
        text = Text.from_ansi(plotext.build())
        content = Content.from_rich_text(text, console=plot.app.console)
        return Visual.to_strips(plot, content, width, height, plot.visual_style)
    return redraw


async def measure(repeat: int) -> None:
    from rnn_tui.ui.app import RnnTuiApp
    from rnn_tui.ui.figure import PlotFigure
    from rnn_tui.ui.sources import ReplaySource

    source = ReplaySource.from_logs([FIXTURES / "adding-rnn.jsonl",
                                     FIXTURES / "adding-lstm.jsonl"])
    app = RnnTuiApp(source)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        try:
            import plotext  # noqa: F401
            have_plotext = True
        except ImportError:
            have_plotext = False
            print("plotext is not installed (pip install '.[bench]'): canvas only")
        print(f"one plot redrawn, CPU ms per redraw, median (p95) of {repeat}:")
        print(f"{'plot':>24} {'size':>7} {'canvas':>14} {'plotext':>14}  ratio")
        for panel, history in zip(app.panels, app.histories, strict=True):
            for plot in panel.query(PlotFigure):
                if not (plot.size.width and plot.size.height):
                    continue  # (a view not shown)
                ours = cpu_ms(native(plot, history, app.palette), repeat)
                line = (f"{panel.history.config.cell + ' ' + type(plot).__name__:>24} "
                        f"{plot.size.width:>3}x{plot.size.height:<3} {summary(ours):>14}")
                if have_plotext:
                    theirs = cpu_ms(with_plotext(plot, history, app.palette), repeat)
                    ratio = statistics.median(theirs) / statistics.median(ours)
                    line += f" {summary(theirs):>14}  {ratio:4.0f}x"
                print(line)


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(times):.2f} ({p95:.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(measure(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
