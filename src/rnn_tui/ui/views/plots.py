"""The default view, "plots": loss over training, and the gradient and state norms
over the sequence of the latest profile (log y axes: see `ui/axes.py`)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

from rich.text import Text
from textual.app import ComposeResult

from ..axes import LogAxis
from ..figure import PlotFigure, figure_box
from ..history import RunHistory
from ..palette import RGB, Palette, swatch
from ..profiles import envelope, sequence_length, steps_back, steps_back_label
from ..registry import FigureColumn


class LossPlot(PlotFigure):
    """Loss against step (log y): raw loss faint, smoothed bold, the memoryless
    baseline as a line, its value in the caption. (Written on the plot, the label hid the
    tanh RNN's loss where it sits, on the baseline: half its curve at 80 columns.)"""

    def data_key(self, history: RunHistory) -> Hashable:
        return (id(history), history.version)

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        baseline = "baseline" + (f" {history.baseline:.3g}" if history.baseline else "")
        title, smoothed = Text("loss ", "bold"), swatch(palette.loss, "smoothed")
        raw, line = swatch(palette.faint, "raw", "┄┄"), swatch(palette.baseline, baseline)
        # Narrower, what the baseline is goes, then "raw" (its faint line speaks for
        # itself), then the title; the baseline's value goes last.
        return self.fitting(
            Text.assemble(title, smoothed, raw,
                          swatch(palette.baseline, f"{baseline} (memoryless)")),
            Text.assemble(title, smoothed, raw, line), Text.assemble(title, smoothed, line),
            Text.assemble(swatch(palette.loss, "loss"), line), line,
            swatch(palette.baseline, baseline.replace("baseline", "base")))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        self.x_label = "training step"
        rows = history.losses.rows
        baseline = history.baseline
        if not rows:
            canvas.xlim(0, 1)
            return
        # Two points per character column is all the plot can show (and all it pays for);
        # at least a half-screen panel's worth (a view just switched to is drawn before
        # its first layout, at width 0).
        raw_x, raw, steps, smooth = envelope(rows, max(160, 2 * self.shown_width))
        axis = LogAxis.fit([raw, smooth, [baseline] if baseline else []])
        canvas.plot(raw_x, axis.values(raw), color=palette.faint, marker="hd")
        canvas.plot(steps, axis.values(smooth), color=palette.loss, marker="hd")
        if baseline:
            y = math.log10(baseline)
            canvas.hline(y, color=palette.baseline)
        canvas.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (rows[0][0], max(rows[-1][0], rows[0][0] + 1))
        canvas.xlim(*self.x_range)


def underflow_steps(values: Sequence[float]) -> list[int]:
    """Steps back from the loss at which the value is exactly zero (underflowed)."""
    n = len(values)
    return [k for k in range(n) if not values[n - 1 - k] > 0]


class GradientPlot(PlotFigure):
    """‖∂L/∂h_t‖ (and for the LSTM ‖∂L/∂c_t‖) against steps back from the loss, log y:
    the latest profile bold, the first one faint; exact zeros on their own row."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest, first = history.last_profile, history.first_profile
        title = Text("gradient ", "bold")
        legend = [swatch(palette.hidden, "‖∂L/∂h_t‖")]
        if latest is not None and "dc_norms" in latest.series:
            legend.append(swatch(palette.cell, "‖∂L/∂c_t‖"))
        faint, faint_short = Text(), Text()
        if latest is not None and first is not None:
            # The first step's profile is the untrained model's (initial weights).
            faint = Text(f"step {latest.step}, faint: init  ", "dim")
            faint_short = Text("faint: init  ", "dim")
        zeros = underflow_steps(latest.dh_norms) if latest is not None else []
        zero, zero_short = Text(), Text()
        if zeros:
            r, g, b = palette.zero
            # (The x marks ‖∂L/∂h_t‖'s zeros: beside ∂c, whose they are is said.)
            which = "∂h " if len(legend) > 1 else ""
            zero = Text(f"x: {which}underflow from {zeros[0]} back", f"bold rgb({r},{g},{b})")
            zero_short = Text(f"x: {which}0 from {zeros[0]}", f"bold rgb({r},{g},{b})")
        short = [swatch(palette.hidden, "∂h")]
        if len(legend) > 1:
            short.append(swatch(palette.cell, "∂c"))
        return self.fitting(Text.assemble(title, *legend, faint, zero),
                            Text.assemble(title, *legend, faint_short, zero),
                            Text.assemble(*legend, faint_short, zero),
                            Text.assemble(*legend, faint_short, zero_short),
                            Text.assemble(*legend, zero_short),
                            Text.assemble(*short, zero_short))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        latest, first = history.last_profile, history.first_profile
        cell = "dc_norms" in (latest.series if latest else {})
        self.x_label = steps_back_label(history)
        if latest is None or first is None:
            canvas.xlim(0, 1)
            return
        # The faint first profile under the latest, and ∂c over ∂h: where the two
        # coincide the cell path, the LSTM's lesson, is the one left to see (as in the
        # gates view). At copy T=1000 they share every row of the log axis.
        faint = [(first.dh_norms, palette.hidden_faint, "hd")]
        bold = [(latest.dh_norms, palette.hidden, "hd")]
        if cell:
            faint.append((first.series["dc_norms"], palette.cell_faint, "hd"))
            bold.append((latest.series["dc_norms"], palette.cell, "hd"))
        lines: list[tuple[list[float], RGB, str]] = faint + bold
        axis = LogAxis.fit([values for values, _, _ in lines])
        for values, colour, marker in lines:
            ks, ys = steps_back(values)
            canvas.plot(ks, axis.values(ys), color=colour, marker=marker)
        zeros = underflow_steps(latest.dh_norms)
        if zeros and axis.zero_row is not None:
            # Exactly zero: marked on the "0" row in the error colour.
            canvas.scatter(zeros, [axis.zero_row] * len(zeros), color=palette.zero, marker="x")
        canvas.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, sequence_length(history) - 1))
        canvas.xlim(*self.x_range)


class StatePlot(PlotFigure):
    """‖h_t‖ (and for the LSTM ‖c_t‖) against timestep t, from the latest profile."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        parts = [("state ", "bold"), swatch(palette.hidden, "‖h_t‖")]
        if latest is not None and "c_norms" in latest.series:
            parts.append(swatch(palette.cell, "‖c_t‖"))
        return Text.assemble(*parts)

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        latest = history.last_profile
        cell = latest is not None and "c_norms" in latest.series
        self.x_label = "timestep t"
        if latest is None:
            canvas.xlim(0, 1)
            return
        ts = list(range(len(latest.h_norms)))
        lines = [(list(latest.h_norms), palette.hidden)]
        if cell:
            lines.append((list(latest.series["c_norms"]), palette.cell))
        # Log y, as the gradient's: on a linear axis from 0 the LSTM's ‖h_t‖ (0.3-1.2)
        # lay on the zero row under its ‖c_t‖ (~12), read as "no hidden state", and a
        # ReLU RNN's growth hid every earlier step.
        axis = LogAxis.fit([values for values, _ in lines])
        for values, colour in lines:
            canvas.plot(ts, axis.values(values), color=colour, marker="hd")
        canvas.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, len(ts) - 1))
        canvas.xlim(*self.x_range)


class PlotsView(FigureColumn):
    """The default view: loss over training, gradient and state over the sequence."""

    def compose(self) -> ComposeResult:
        yield figure_box("loss", LossPlot())
        yield figure_box("gradient", GradientPlot())
        yield figure_box("state", StatePlot())
