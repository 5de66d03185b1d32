"""`rnn-tui replay A.jsonl B.jsonl C.jsonl ...`: any number of recorded runs overlaid,
smoothed loss and memory horizon against training step, one colour per run, with a
legend. A screen of the one app (its stylesheet, its keys); each log is folded into a
`RunHistory` exactly as a panel would."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..axes import LogAxis, nice_ticks, tick_label
from ..figure import PlotFigure, figure_box
from ..help_text import unwrap_japanese
from ..history import RunHistory
from ..palette import RGB, Palette, swatch
from ..profiles import envelope, horizon_points, horizon_text, scalar, sequence_length
from ..sources import ReplaySource

# Distinct on dark and light backgrounds (Okabe-Ito, and four more).
RUN_COLOURS: tuple[RGB, ...] = ((230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66),
                                (213, 94, 0), (204, 121, 167), (0, 114, 178), (160, 160, 160),
                                (255, 99, 71), (144, 238, 144))


def run_colour(index: int) -> RGB:
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def run_marker(index: int) -> str:
    """Solid for the first ten runs, dotted for the next ten, ...: past ten, two runs of
    one colour (run 1 and run 11 were both orange) are told apart by the line."""
    return "hd" if (index // len(RUN_COLOURS)) % 2 == 0 else "dot"


def run_swatch(index: int, label: str) -> Text:
    return swatch(run_colour(index), label, "━━" if run_marker(index) == "hd" else "┄┄")


def run_label(history: RunHistory, path: Path | None = None) -> str:
    config = history.config
    if config is None:
        return path.name if path else "?"
    name = f"{config.cell} {config.task} T={config.seq_len} H={config.hidden_size}"
    # (the seed: an entry of a sweep's map overlays its seeds, alike in all else)
    return f"{name} lr={config.lr:g} seed={config.seed}"


def memory_horizon_name(history: RunHistory) -> str:
    """The LSTM's cell path where it has one (its memory shows there), else h."""
    latest = history.last_profile
    return "horizon_c" if latest is not None and "horizon_c" in latest.scalars else "horizon_h"


class ComparePlot(PlotFigure):
    """A plot of several runs, drawn once (the logs do not move); the ticks come from
    `PlotFigure.build_strips`, as every plot's."""

    def __init__(self, histories: Sequence[RunHistory], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.histories = list(histories)
        self.x_label = "training step"

    def on_mount(self) -> None:
        self.canvas.clear()
        self.draw_runs()
        self.refresh()

    def draw(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        self.draw_runs()  # (not a panel's figure: its data are its own histories)

    def draw_runs(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def caption(self, history: RunHistory, palette: Palette) -> Text:  # pragma: no cover
        return Text()


class CompareLossPlot(ComparePlot):
    """Smoothed loss of every run (log y), each task's memoryless baseline dotted."""

    def draw_runs(self) -> None:
        canvas = self.canvas
        curves = []
        for index, history in enumerate(self.histories):
            rows = history.losses.rows
            if rows:
                _, _, steps, smooth = envelope(rows, 256)
                curves.append((steps, smooth, index))
        baselines = sorted({h.baseline for h in self.histories if h.baseline})
        axis = LogAxis.fit([c[1] for c in curves] + [baselines])
        for steps, smooth, index in curves:
            canvas.plot(steps, axis.values(smooth), color=run_colour(index),
                        marker=run_marker(index))
        for baseline in baselines:
            canvas.hline(math.log10(baseline), color=(128, 128, 128))
        last = max((c[0][-1] for c in curves if c[0]), default=1.0)
        self.log_axis, self.x_range = axis, (0.0, max(1.0, last))
        canvas.xlim(*self.x_range)
        canvas.ylim(axis.bottom, axis.high)


class CompareHorizonPlot(ComparePlot):
    """Memory horizon of every run against step; "> T" on its own row at the top."""

    def draw_runs(self) -> None:
        canvas = self.canvas
        top = max((sequence_length(h) for h in self.histories), default=0) or 1
        beyond = top * 1.2
        # Each run's "> T" a little higher, so runs that all reach it stay visible: a band
        # at most a fifth of T high, labelled at its middle (with a dozen runs the lines
        # went far above the "> T" label).
        n = max(1, len(self.histories))
        spread = top * min(0.04, 0.2 / n)
        last = 1.0
        for index, history in enumerate(self.histories):
            above = beyond + index * spread
            steps, values = horizon_points(history, memory_horizon_name(history), above)
            if steps:
                canvas.plot(steps, values, color=run_colour(index), marker=run_marker(index))
                last = max(last, steps[-1])
        canvas.ylim(0, beyond + n * spread + top * 0.02)
        ticks = nice_ticks(0, top, 4)
        self.y_ticks = ([float(t) for t in ticks] + [beyond + spread * (n - 1) / 2],
                        [tick_label(t) for t in ticks] + ["> T"])
        self.x_range = (0.0, last)
        canvas.xlim(*self.x_range)


def legend_text(histories: Sequence[RunHistory], paths: Sequence[Path],
                outcomes: Mapping[Path, str] | None = None) -> Text:
    """One line per run: its colour, what it is, how it ended, and its horizon now.
    `outcomes`: how a run ended by another record than its log (a sweep's result), for
    a log that stops before the run did (a full disk)."""
    lines = []
    for index, (history, path) in enumerate(zip(histories, paths, strict=True)):
        solved = history.solved
        latest = history.last_profile
        horizon = horizon_text(scalar(latest, memory_horizon_name(history)),
                               sequence_length(history) or None)
        if outcomes and path in outcomes and not history.progress.ended:
            status = f"{outcomes[path]}; its log stops at step {history.step}"
        elif solved:
            status = f"solved @{solved[0]}"
        elif history.state in ("diverged", "failed"):  # "diverged at step 2: loss is nan"
            status = history.message.split(":")[0]
        else:
            status = f"not solved by step {history.step}"
        lines.append(Text.assemble(run_swatch(index, run_label(history, path)),
                                   (f"{status} · horizon {horizon} · {path.name}", "dim")))
    return Text("\n").join(lines)


class CompareScreen(Screen[None]):
    """Recorded runs overlaid: loss and memory horizon, with a legend."""

    SHOWS_PANELS = False  # the dashboard's panel and replay keys are off while it shows

    # What `?` tells here, by language, instead of the hidden panels' numbers and the `v`
    # key. (Not HELP: that is Textual's own, Markdown for its key panel.)
    ABOUT = {"en": """\
## Recorded runs, overlaid

One colour per run (after ten they repeat dotted, after twenty solid again), named in
the legend with how it ended, its memory horizon now and its log; a long legend scrolls
(↑ ↓). Above, the smoothed
**loss** against training step (log scale; grey: each task's memoryless baseline);
below, the **memory horizon**: how many steps back the gradient takes to fall 100-fold
("> T": it never did; for the LSTM, along its cell path ‖∂L/∂c_t‖). For two runs side
by side, with every panel view and the gradients: `rnn-tui replay A.jsonl B.jsonl`.
""", "ja": unwrap_japanese("""\
## 記録した実行の重ね描き

実行ごとに一色で描きます（10 本を超えると点線で、20 本を超えると再び実線で色が
繰り返します）。凡例には、どう終わったか、いまの記憶の到達範囲、ログの名前を示します。
長い凡例はスクロールします（↑ ↓）。上のグラフは平滑化した**損失**を学習ステップに
対して描いたもの（対数軸。灰色は各タスクの記憶なしのベースライン）、下のグラフは
**記憶の到達範囲**、つまり勾配が 100 分の 1 に落ちるまでにさかのぼるステップ数です
（「> T」はそこまで落ちなかったという意味。LSTM ではセルの経路 ‖∂L/∂c_t‖ に
沿って）。2 つの実行を、パネルのすべてのビューと勾配つきで並べるには
`rnn-tui replay A.jsonl B.jsonl` を使います。
""")}

    def __init__(self, source: ReplaySource, outcomes: Mapping[Path, str] | None = None
                 ) -> None:
        super().__init__()
        self.outcomes = outcomes or {}  # (legend_text)
        self.paths = [p or Path("?") for p in source.log_paths]
        self.histories = []
        for run in source.runs:  # each log folded whole, as a panel at the replay's end
            history = RunHistory()
            for event in run:
                history.apply(event)
            self.histories.append(history)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="legend-box") as box:  # (scrolls with dozens of runs)
            box.border_title = f"{len(self.histories)} runs"
            yield Static(legend_text(self.histories, self.paths, self.outcomes), id="legend")
        yield figure_box("compare-loss", CompareLossPlot(self.histories, id="compare-loss"),
                         Text.assemble(("loss ", "bold"), (
                             "smoothed, log scale; grey: each task's memoryless baseline",
                             "dim")))
        yield figure_box("compare-horizon",
                         CompareHorizonPlot(self.histories, id="compare-horizon"),
                         Text.assemble(("memory horizon ", "bold"), (
                             "steps back until the gradient is 100x smaller "
                             "(LSTM: cell path ‖∂L/∂c_t‖)", "dim")))
        yield Footer()

    def on_resize(self) -> None:
        self.call_after_refresh(self.say_scrolls)

    def say_scrolls(self) -> None:
        """A legend longer than its box says that it scrolls (nothing showed it did)."""
        box = self.query_one("#legend-box", VerticalScroll)
        box.border_subtitle = "↑ ↓ scroll" if box.max_scroll_y > 0 else ""
