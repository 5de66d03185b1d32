"""The one base of every drawing in a panel (and on the compare screen): a `Figure`.

A figure draws one run's `RunHistory` and says what it shows in a caption line above
it. The base owns the redraw throttle: a figure is stale when its data key moved AND
at least `MIN_INTERVAL` seconds passed since it was last drawn, so the app redraws on
its own timer, never per event. Two kinds: `PlotFigure` (plotext) and `TextFigure`
(Rich text built to the widget's size, like the heatmap and the law's table).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.containers import Vertical
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot

from .axes import LogAxis, nice_ticks, round_ticks, tick_label
from .history import RunHistory
from .palette import Palette


class Figure(Widget):
    """A drawing of a run's history, with its caption (see the module docstring).
    Subclasses put the widget they draw with first (`PlotFigure(PlotextPlot, Figure)`):
    Textual takes default CSS from the first base's line only."""

    # Seconds between redraws however often the data moves: once a second is plenty
    # to watch training, and it keeps the dashboard's CPU away from the workers'.
    MIN_INTERVAL = 1.0

    def __init__(self, *children: Widget, **kwargs: Any) -> None:
        # (A mixin after PlotextPlot or Static: their arguments pass through.)
        super().__init__(*children, **kwargs)
        self.shown_key: Hashable = None
        self.shown_at = -math.inf

    def data_key(self, history: RunHistory) -> Hashable:
        """What this figure shows of a history: a new key means a redraw is due.
        Most figures follow the profiles; the loss plot overrides it (every step)."""
        return (id(history), history.profile_version)

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return (self.data_key(history) != self.shown_key
                and now - self.shown_at >= self.MIN_INTERVAL)

    def show(self, history: RunHistory, palette: Palette, now: float = 0.0) -> None:
        """Draw the history now, and the caption above it."""
        self.paint(history, palette)
        self.shown_key, self.shown_at = self.data_key(history), now
        captions = self.parent.query_children(".caption") if self.parent else []
        for caption in captions:
            if isinstance(caption, Static):
                caption.update(self.caption(history, palette), layout=False)

    def paint(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError

    def caption(self, history: RunHistory, palette: Palette) -> Text:  # pragma: no cover
        """One line above the figure: what it shows, each series in its own colour."""
        raise NotImplementedError


def figure_box(name: str, figure: Widget, caption: Text | None = None) -> Vertical:
    """A figure in its box: the caption line above it, classes "figure <name>" (the
    stylesheet sizes figures by name). `caption`: a fixed one (else `show` writes it)."""
    return Vertical(Static(caption or "", classes="caption"), figure, classes=f"figure {name}")


class PlotFigure(PlotextPlot, Figure):
    """A plotext figure. `draw` sets the data; the ticks depend on the widget's size,
    so they are set at render time: a resize re-renders with ticks that fit, without
    redrawing the data. Set `log_axis` (log y), or `y_ticks`, or `y_range` (round
    linear ticks), and `x_range` (round integer ticks)."""

    LABEL_MIN_HEIGHT = 9  # below this the x label's row goes to the data

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.x_label = ""
        self.clear_axes()

    def clear_axes(self) -> None:
        self.log_axis: LogAxis | None = None
        self.y_ticks: tuple[list[float], list[str]] | None = None
        self.y_range: tuple[float, float] | None = None
        self.x_range: tuple[float, float] | None = None

    def paint(self, history: RunHistory, palette: Palette) -> None:
        self.plt.clear_data()
        self.plt.clear_figure()
        self.clear_axes()
        self.draw(history, palette)
        self.refresh()

    def draw(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError

    def render(self):  # noqa: ANN201 - a Rich renderable, as PlotextPlot's
        width, height = self.size
        self.plt.xlabel(self.x_label if height >= self.LABEL_MIN_HEIGHT else "")
        if self.log_axis is not None:
            self.plt.yticks(*self.log_axis.ticks(max(3, height - 3)))
        elif self.y_ticks is not None:
            self.plt.yticks(*self.y_ticks)
        elif self.y_range is not None:
            # About one label every other row (two on one row would overwrite).
            ticks = round_ticks(*self.y_range, max(2, (height - 3) // 2))
            self.plt.yticks(ticks, [tick_label(t) for t in ticks])
        if self.x_range is not None:
            ticks = nice_ticks(*self.x_range, max(2, width // 14))
            self.plt.xticks(ticks, [str(t) for t in ticks])
        return super().render()


class TextFigure(Static, Figure):
    """A figure drawn as Rich text, rebuilt to fit its size (on a redraw or a resize)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.history: RunHistory | None = None
        self.palette: Palette | None = None

    def paint(self, history: RunHistory, palette: Palette) -> None:
        self.history, self.palette = history, palette
        self.rebuild()

    def on_resize(self, _event: Resize) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        if self.history is None or self.palette is None:
            return
        width, height = self.content_size
        if width and height:
            self.update(self.build(self.history, self.palette, width, height), layout=False)

    def build(self, history: RunHistory, palette: Palette, width: int,
              height: int) -> RenderableType:  # pragma: no cover
        raise NotImplementedError
