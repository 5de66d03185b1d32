"""The three plots of a panel, each a PlotextPlot redrawn from a `RunHistory`.

Log axes are drawn by hand: the values go in as log10 on a linear axis whose ticks
read 1e-17 ... 1e0. That lets one axis span thirty decades, and lets exact zeros
(the tanh RNN's gradient underflows) sit on their own labelled row, "0", below the
smallest positive value instead of vanishing or raising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.color import Color
from textual_plotext import PlotextPlot

from ..history import RunHistory

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """Series colours taken from the app theme, so both light and dark themes read."""

    loss: RGB
    faint: RGB
    baseline: RGB
    hidden: RGB
    cell: RGB
    hidden_faint: RGB
    cell_faint: RGB
    zero: RGB
    canvas: RGB

    @classmethod
    def from_theme(cls, variables: dict[str, str], dark: bool) -> Palette:
        def colour(name: str, fallback: str) -> Color:
            return Color.parse(variables.get(name) or fallback)

        surface = colour("surface", "#1e1e1e" if dark else "#f0f0f0")
        primary = colour("primary", "#0178d4")
        secondary = colour("secondary", "#004578")
        accent = colour("accent", "#ffa62b")
        warning = colour("warning", "#ffa62b")
        error = colour("error", "#ba3c5b")
        foreground = colour("foreground", "#e0e0e0" if dark else "#202020")

        def faint(c: Color) -> RGB:
            return c.blend(surface, 0.6).rgb

        return cls(loss=primary.rgb, faint=faint(primary), baseline=warning.rgb,
                   hidden=accent.rgb, cell=secondary.lighten(0.15 if dark else -0.1).rgb,
                   hidden_faint=faint(accent), cell_faint=faint(secondary),
                   zero=error.rgb if error != surface else foreground.rgb, canvas=surface.rgb)


@dataclass(frozen=True)
class LogAxis:
    """A decade range for log10 values, with a row for exact zeros below it if needed."""

    low: int  # exponent of the lowest decade shown
    high: int  # exponent of the highest decade shown
    zero_row: float | None  # where zeros are drawn (None: no zeros in the data)

    @classmethod
    def fit(cls, series: Sequence[Sequence[float]]) -> LogAxis:
        positive = [v for s in series for v in s if v > 0 and math.isfinite(v)]
        has_zero = any(v <= 0 for s in series for v in s)
        if not positive:
            low, high = -1, 0
        else:
            low = math.floor(math.log10(min(positive)))
            high = math.ceil(math.log10(max(positive)))
            if high <= low:
                high = low + 1
        return cls(low, high, low - 1.0 if has_zero else None)

    @property
    def bottom(self) -> float:
        return self.zero_row if self.zero_row is not None else float(self.low)

    def values(self, ys: Sequence[float]) -> list[float]:
        """log10 of each value; zeros (and negatives) go to the zero row."""
        floor = self.bottom
        return [math.log10(y) if y > 0 and math.isfinite(y) else floor for y in ys]

    def ticks(self, rows: int) -> tuple[list[float], list[str]]:
        """Decade ticks, thinned to fit `rows` (about one label every 2 rows)."""
        span = self.high - self.low
        every = max(1, math.ceil(span / max(1, rows // 2)))
        ticks = [float(k) for k in range(self.high, self.low - 1, -every)]
        labels = [decade_label(int(k)) for k in ticks]
        if self.zero_row is not None:
            ticks.append(self.zero_row)
            labels.append("0")
        return ticks, labels


def decade_label(exponent: int) -> str:
    return {0: "1", 1: "10", -1: "0.1"}.get(exponent, f"1e{exponent}")


def nice_ticks(low: float, high: float, count: int) -> list[int]:
    """About `count` round integer ticks from low to high (1, 2 or 5 times a power of 10)."""
    span = max(1.0, high - low)
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next((m * power for m in (1, 2, 5, 10) if m * power >= raw), 10 * power)
    step = max(1, int(step))
    first = math.ceil(low / step) * step
    return list(range(int(first), int(high) + 1, step))


class RunPlot(PlotextPlot):
    """A plot of one panel's run, rebuilt from its history when `show` is called.

    Ticks depend on the widget's size, so they are set at render time: a resize
    re-renders with ticks that fit, without redrawing the data."""

    # Seconds between redraws however often the data moves: once a second is plenty
    # to watch training, and it keeps the dashboard's CPU away from the workers'.
    MIN_INTERVAL = 1.0
    LABEL_MIN_HEIGHT = 9  # below this the x label's row goes to the data

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.log_axis: LogAxis | None = None
        self.x_range: tuple[float, float] | None = None
        self.x_label = ""
        self.shown_key: tuple[int, int] = (-1, -1)
        self.shown_at = -math.inf

    def data_key(self, history: RunHistory) -> tuple[int, int]:
        """What this plot shows of a history: a new key means a redraw is due."""
        return (id(history), history.profile_version)

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return (self.data_key(history) != self.shown_key
                and now - self.shown_at >= self.MIN_INTERVAL)

    def show(self, history: RunHistory, palette: Palette, now: float = 0.0) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.log_axis, self.x_range = None, None
        self.draw(history, palette)
        self.shown_key, self.shown_at = self.data_key(history), now
        self.refresh()

    def render(self):  # noqa: ANN201 - a Rich renderable, as PlotextPlot's
        width, height = self.size
        self.plt.xlabel(self.x_label if height >= self.LABEL_MIN_HEIGHT else "")
        if self.log_axis is not None:
            self.plt.yticks(*self.log_axis.ticks(max(3, height - 3)))
        if self.x_range is not None:
            ticks = nice_ticks(*self.x_range, max(2, width // 14))
            self.plt.xticks(ticks, [str(t) for t in ticks])
        return super().render()

    def draw(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError

    def caption(self, history: RunHistory, palette: Palette) -> Text:  # pragma: no cover
        """One line above the plot: what it shows, each series in its own colour."""
        raise NotImplementedError


def swatch(colour: RGB, label: str, mark: str = "━━") -> Text:
    r, g, b = colour
    return Text.assemble((mark, f"bold rgb({r},{g},{b})"), " ", label, "  ")


def envelope(rows: Sequence[tuple[int, float, float]], buckets: int
             ) -> tuple[list[float], list[float], list[float], list[float]]:
    """At most `buckets` columns of loss rows: the raw loss as each column's min and
    max (so the noise band survives), the smoothed loss as the column's mean.
    Returns (raw x, raw y, smooth x, smooth y)."""
    if len(rows) <= 2 * buckets:
        steps = [float(r[0]) for r in rows]
        return steps, [r[1] for r in rows], steps, [r[2] for r in rows]
    raw_x: list[float] = []
    raw_y: list[float] = []
    smooth_x: list[float] = []
    smooth_y: list[float] = []
    size = len(rows) / buckets
    for b in range(buckets):
        chunk = rows[int(b * size):int((b + 1) * size)]
        if not chunk:
            continue
        x = (chunk[0][0] + chunk[-1][0]) / 2
        raw = [r[1] for r in chunk]
        raw_x += [x, x]
        raw_y += [min(raw), max(raw)]
        smooth_x.append(x)
        smooth_y.append(sum(r[2] for r in chunk) / len(chunk))
    return raw_x, raw_y, smooth_x, smooth_y


class LossPlot(RunPlot):
    """Loss against step (log y): raw loss faint, smoothed bold, the memoryless
    baseline as a labelled line."""

    def data_key(self, history: RunHistory) -> tuple[int, int]:
        return (id(history), history.version)

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        return Text.assemble(("loss ", "bold"), swatch(palette.loss, "smoothed"),
                             swatch(palette.faint, "raw", "┄┄"),
                             swatch(palette.baseline, "baseline (memoryless)"
                                    if self.size.width >= 60 else "baseline"))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        plt = self.plt
        self.x_label = "training step"
        rows = history.losses.rows
        baseline = history.baseline
        if not rows:
            plt.xlim(0, 1)
            return
        # Two points per character column is all the plot can show (and all it pays for).
        raw_x, raw, steps, smooth = envelope(rows, max(16, 2 * self.size.width))
        axis = LogAxis.fit([raw, smooth, [baseline] if baseline else []])
        plt.plot(raw_x, axis.values(raw), color=palette.faint, marker="hd")
        plt.plot(steps, axis.values(smooth), color=palette.loss, marker="hd")
        if baseline:
            y = math.log10(baseline)
            plt.hline(y, color=palette.baseline)
            plt.text(f"baseline {baseline:.3g}", x=steps[0], y=y, color=palette.baseline,
                     background=palette.canvas, alignment="left")
        plt.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (rows[0][0], max(rows[-1][0], rows[0][0] + 1))
        plt.xlim(*self.x_range)


def underflow_steps(values: Sequence[float]) -> list[int]:
    """Steps back from the loss at which the value is exactly zero (underflowed)."""
    n = len(values)
    return [k for k in range(n) if not values[n - 1 - k] > 0]


def steps_back(values: Sequence[float]) -> tuple[list[int], list[float]]:
    """A per-timestep series as (k, value) with k = steps back from the loss (T-1-t)."""
    n = len(values)
    return list(range(n)), [values[n - 1 - k] for k in range(n)]


class GradientPlot(RunPlot):
    """‖∂L/∂h_t‖ (and for the LSTM ‖∂L/∂c_t‖) against steps back from the loss, log y:
    the latest profile bold, the first one faint; exact zeros on their own row."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest, first = history.last_profile, history.first_profile
        parts = [("gradient ", "bold"), swatch(palette.hidden, "‖∂L/∂h_t‖")]
        if latest is not None and "dc_norms" in latest.series:
            parts.append(swatch(palette.cell, "‖∂L/∂c_t‖"))
        if latest is not None and first is not None:
            # The first step's profile is the untrained model's (initial weights).
            parts.append(Text(f"step {latest.step}, faint: init  ", "dim"))
        zeros = underflow_steps(latest.dh_norms) if latest is not None else []
        if zeros:
            r, g, b = palette.zero
            parts.append(Text(f"x: = 0 (underflow) from {zeros[0]} back",
                              f"bold rgb({r},{g},{b})"))
        return Text.assemble(*parts)

    def draw(self, history: RunHistory, palette: Palette) -> None:
        plt = self.plt
        latest, first = history.last_profile, history.first_profile
        cell = "dc_norms" in (latest.series if latest else {})
        self.x_label = "steps back from the loss"
        if latest is None or first is None:
            plt.xlim(0, 1)
            return
        lines: list[tuple[list[float], RGB, str]] = [
            (first.dh_norms, palette.hidden_faint, "hd"),
            (latest.dh_norms, palette.hidden, "hd")]
        if cell:
            lines = ([(first.series["dc_norms"], palette.cell_faint, "hd")]
                     + lines[:1] + [(latest.series["dc_norms"], palette.cell, "hd")]
                     + lines[1:])
        axis = LogAxis.fit([values for values, _, _ in lines])
        for values, colour, marker in lines:
            ks, ys = steps_back(values)
            plt.plot(ks, axis.values(ys), color=colour, marker=marker)
        zeros = underflow_steps(latest.dh_norms)
        if zeros and axis.zero_row is not None:
            # Exactly zero: marked on the "0" row in the error colour.
            plt.scatter(zeros, [axis.zero_row] * len(zeros), color=palette.zero, marker="x")
        plt.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, len(latest.dh_norms) - 1))
        plt.xlim(*self.x_range)


class StatePlot(RunPlot):
    """‖h_t‖ (and for the LSTM ‖c_t‖) against timestep t, from the latest profile."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        parts = [("state ", "bold"), swatch(palette.hidden, "‖h_t‖")]
        if latest is not None and "c_norms" in latest.series:
            parts.append(swatch(palette.cell, "‖c_t‖"))
        return Text.assemble(*parts)

    def draw(self, history: RunHistory, palette: Palette) -> None:
        plt = self.plt
        latest = history.last_profile
        cell = latest is not None and "c_norms" in latest.series
        self.x_label = "timestep t"
        if latest is None:
            plt.xlim(0, 1)
            return
        ts = list(range(len(latest.h_norms)))
        plt.plot(ts, list(latest.h_norms), color=palette.hidden, marker="hd")
        if cell:
            plt.plot(ts, list(latest.series["c_norms"]), color=palette.cell, marker="hd")
        self.x_range = (0, max(1, len(ts) - 1))
        plt.xlim(*self.x_range)
