"""`rnn-tui replay A.jsonl B.jsonl C.jsonl ...`: any number of recorded runs overlaid,
smoothed loss and memory horizon against training step, one colour per run, with a
legend. Each log is folded into a `RunHistory` exactly as a panel would."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from ...run.runlog import read_run_log
from ..history import RunHistory
from ..widgets.plots import LogAxis, envelope, nice_ticks, swatch
from .horizon_plot import horizon_points
from .profiles import horizon_text, scalar

RGB = tuple[int, int, int]
# Distinct on dark and light backgrounds (Okabe-Ito, and four more).
RUN_COLOURS: tuple[RGB, ...] = ((230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66),
                                (213, 94, 0), (204, 121, 167), (0, 114, 178), (160, 160, 160),
                                (255, 99, 71), (144, 238, 144))


def run_colour(index: int) -> RGB:
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def load_history(path: Path) -> RunHistory:
    history = RunHistory()
    for event in read_run_log(path):
        history.apply(event)
    return history


def run_label(history: RunHistory, path: Path | None = None) -> str:
    config = history.config
    if config is None:
        return path.name if path else "?"
    name = f"{config.cell} {config.task} T={config.seq_len} H={config.hidden_size}"
    return f"{name} lr={config.lr:g}"


def memory_horizon_name(history: RunHistory) -> str:
    """The LSTM's cell path where it has one (its memory shows there), else h."""
    latest = history.last_profile
    return "horizon_c" if latest is not None and "horizon_c" in latest.scalars else "horizon_h"


class ComparePlot(PlotextPlot):
    """A plot of several runs; ticks are set at render time to fit the size."""

    def __init__(self, histories: Sequence[RunHistory], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.histories = list(histories)
        self.y_ticks: tuple[list[float], list[str]] | None = None
        self.log_axis: LogAxis | None = None
        self.x_range = (0.0, 1.0)

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def render(self):  # noqa: ANN201 - a Rich renderable, as PlotextPlot's
        width, height = self.size
        if self.log_axis is not None:
            self.plt.yticks(*self.log_axis.ticks(max(3, height - 3)))
        elif self.y_ticks is not None:
            self.plt.yticks(*self.y_ticks)
        ticks = nice_ticks(*self.x_range, max(2, width // 14))
        self.plt.xticks(ticks, [str(t) for t in ticks])
        return super().render()


class CompareLossPlot(ComparePlot):
    """Smoothed loss of every run (log y), each task's memoryless baseline dotted."""

    def draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.xlabel("training step")
        curves = []
        for index, history in enumerate(self.histories):
            rows = history.losses.rows
            if rows:
                _, _, steps, smooth = envelope(rows, 256)
                curves.append((steps, smooth, run_colour(index)))
        baselines = sorted({h.baseline for h in self.histories if h.baseline})
        axis = LogAxis.fit([c[1] for c in curves] + [baselines])
        for steps, smooth, colour in curves:
            plt.plot(steps, axis.values(smooth), color=colour, marker="hd")
        for baseline in baselines:
            plt.hline(math.log10(baseline), color=(128, 128, 128))
        last = max((c[0][-1] for c in curves if c[0]), default=1.0)
        self.log_axis, self.x_range = axis, (0.0, max(1.0, last))
        plt.xlim(*self.x_range)
        plt.ylim(axis.bottom, axis.high)
        self.refresh()


class CompareHorizonPlot(ComparePlot):
    """Memory horizon of every run against step; "> T" on its own row at the top."""

    def draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.xlabel("training step")
        lengths = [len(h.last_profile.dh_norms) for h in self.histories if h.last_profile]
        top = max(lengths, default=1)
        beyond = top * 1.2
        last = 1.0
        for index, history in enumerate(self.histories):
            # Each run's "> T" a little higher, so runs that all reach it stay visible.
            above = beyond + index * top * 0.04
            steps, values = horizon_points(history, memory_horizon_name(history), above)
            if steps:
                plt.plot(steps, values, color=run_colour(index), marker="hd")
                last = max(last, steps[-1])
        plt.ylim(0, beyond + len(self.histories) * top * 0.04 + top * 0.02)
        ticks = nice_ticks(0, top, 4)
        self.y_ticks = ([float(t) for t in ticks] + [beyond], [str(t) for t in ticks] + ["> T"])
        self.x_range = (0.0, last)
        plt.xlim(*self.x_range)
        self.refresh()


def legend_text(histories: Sequence[RunHistory], paths: Sequence[Path]) -> Text:
    """One line per run: its colour, what it is, how it ended, and its horizon now."""
    lines = []
    for index, (history, path) in enumerate(zip(histories, paths, strict=True)):
        solved = history.solved
        latest = history.last_profile
        seq_len = len(latest.dh_norms) if latest else None
        horizon = horizon_text(scalar(latest, memory_horizon_name(history)), seq_len)
        status = f"solved @{solved[0]}" if solved else f"not solved by step {history.step}"
        lines.append(Text.assemble(swatch(run_colour(index), run_label(history, path)),
                                   (f"{status} · horizon {horizon} · {path.name}", "dim")))
    return Text("\n").join(lines)


class CompareApp(App[int]):
    """Recorded runs overlaid: loss and memory horizon, with a legend."""

    TITLE = "rnn-tui compare"
    CSS = """
    #legend { height: auto; padding: 0 1; border: round $panel-lighten-2;
              text-wrap: nowrap; text-overflow: ellipsis; }
    .figure { height: 1fr; }
    .caption { height: 1; padding: 0 1; color: $foreground-muted; }
    """
    BINDINGS = [Binding("q", "quit", "quit")]

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = list(paths)
        self.histories = [load_history(p) for p in self.paths]

    def compose(self) -> ComposeResult:
        yield Static(legend_text(self.histories, self.paths), id="legend")
        with Vertical(classes="figure"):
            yield Static(Text.assemble(("loss ", "bold"), ("smoothed, log scale; grey: "
                         "each task's memoryless baseline", "dim")), classes="caption")
            yield CompareLossPlot(self.histories, id="compare-loss")
        with Vertical(classes="figure"):
            yield Static(Text.assemble(("memory horizon ", "bold"), (
                "steps back until the gradient is 100x smaller (LSTM: cell path ‖∂L/∂c_t‖)",
                "dim")), classes="caption")
            yield CompareHorizonPlot(self.histories, id="compare-horizon")
        yield Footer()
