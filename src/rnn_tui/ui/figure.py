"""The one base of every drawing in a panel (and on the compare screen): a `Figure`.

A figure draws one run's `RunHistory` and says what it shows in a caption line above
it. The base owns the redraw throttle: a figure is stale when its data key moved AND
at least `MIN_INTERVAL` seconds passed since it was last drawn, so the app redraws on
its own timer, never per event. Two kinds: `PlotFigure` (plotext) and `TextFigure`
(Rich text built to the widget's size, like the heatmap and the law's table).

A plotext render costs 15-25 ms of CPU (building the character grid, then parsing its
ANSI into Rich text), and Textual's conversion of that text to lines for the screen
as much again, several times that on a loaded machine. Done on the event loop it holds
back any key pressed meanwhile, so the timer's redraws build both in a thread
(`show(..., background=True)`) and the widget hands the finished lines to the screen.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker
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
        self.pending_caption: Text | None = None

    def data_key(self, history: RunHistory) -> Hashable:
        """What this figure shows of a history: a new key means a redraw is due.
        Most figures follow the profiles; the loss plot overrides it (every step)."""
        return (id(history), history.profile_version)

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return (self.data_key(history) != self.shown_key
                and now - self.shown_at >= self.MIN_INTERVAL)

    def show(self, history: RunHistory, palette: Palette, now: float = 0.0,
             background: bool = False) -> None:
        """Draw the history now, and the caption above it. `background`: the costly
        part of the drawing may finish off the event loop (a plot: see the module)."""
        self.pending_caption = self.caption(history, palette)
        self.paint(history, palette, background)
        self.shown_key, self.shown_at = self.data_key(history), now

    def show_caption(self) -> None:
        """The caption of what was last shown (a plot built in a thread: when it lands,
        so both change in one small frame, not in the frame of the timer's text)."""
        if self.pending_caption is None or self.parent is None:
            return
        for caption in self.parent.query_children(".caption"):
            if isinstance(caption, Static):
                caption.update(self.pending_caption, layout=False)
        self.pending_caption = None

    def paint(self, history: RunHistory, palette: Palette,
              background: bool = False) -> None:  # pragma: no cover
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
        self.data_version = 0  # counts `draw`s into `plt`
        # The plot's text and lines as last built: for which data and which size.
        self.text: Text | None = None
        self.strips: list[Strip] | None = None  # None: Textual makes them from `text`
        self.text_version, self.text_size = -1, (0, 0)
        self.building = False  # a thread is building: one at a time
        self.on_loop = True  # forced: build on the loop, now (start, resize, theme, tests)
        self.plotext_theme = "textual-design-dark"  # plotext's name of the app's theme
        self.plt_lock = threading.Lock()  # held while `plt` is drawn into or built

    class Built(Message, bubble=False):
        """A plot's text and its lines, built in a thread, for the widget to show."""

        def __init__(self, text: Text, strips: list[Strip], size: tuple[int, int],
                     version: int) -> None:
            super().__init__()
            self.text, self.strips, self.size, self.version = text, strips, size, version

    def clear_axes(self) -> None:
        self.log_axis: LogAxis | None = None
        self.y_ticks: tuple[list[float], list[str]] | None = None
        self.y_range: tuple[float, float] | None = None
        self.x_range: tuple[float, float] | None = None

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return not self.building and super().is_stale(history, now)

    def paint(self, history: RunHistory, palette: Palette, background: bool = False) -> None:
        with self.plt_lock:  # (waits out a build in flight: a resize's forced redraw)
            self.plt.clear_data()
            self.plt.clear_figure()
            self.clear_axes()
            self.draw(history, palette)
            self.data_version += 1
        self.plotext_theme = self._get_plotext_theme_name(self.app.theme)  # (reads the app)
        self.on_loop = not background
        size = (self.size.width, self.size.height)
        if background and self.strips is not None and self.text_size == size:
            # The old lines stay on screen, untouched, until the thread's land: no
            # repaint now, in the same frame as the timer's text (one frame's cost
            # grows with the box around everything that changed in it).
            self.start_build(size)
            return
        if self.on_loop:
            self.strips = None  # (else `render_line` would show a thread's old lines)
        self.show_caption()
        self.refresh()  # `render` builds it: on the loop if forced, else in a thread

    def up_to_date(self) -> bool:
        return (self.text_version == self.data_version
                and self.text_size == (self.size.width, self.size.height))

    def render(self):  # a Rich renderable, as PlotextPlot's
        size = (self.size.width, self.size.height)
        if self.text is not None and self.up_to_date():
            return self.text
        if not self.data_version:
            return Text("")  # nothing drawn yet
        if self.on_loop or not all(size):
            self.plotext_theme = self._get_plotext_theme_name(self.app.theme)
            with self.plt_lock:
                self.text, self.strips = self.build_text(*size), None
                self.text_version, self.text_size = self.data_version, size
            return self.text
        self.start_build(size)
        return self.text or Text("")  # the old text (or none) until the new one is built

    def start_build(self, size: tuple[int, int]) -> None:
        if not self.building:  # (one at a time: the next picks up what moved meanwhile)
            self.building = True
            self.run_worker(partial(self.build_in_thread, size, self.data_version,
                                    self.visual_style),
                            thread=True, group="plot-build", exit_on_error=False)

    def build_in_thread(self, size: tuple[int, int], version: int, style: Style) -> None:
        worker = get_current_worker()
        with self.plt_lock:
            text = self.build_text(*size)
        # What Widget._render_content does with `render()`'s text, here off the loop.
        content = Content.from_rich_text(text, console=self.app.console)
        strips = Visual.to_strips(self, content, *size, style)
        if not worker.is_cancelled:
            self.post_message(self.Built(text, strips, size, version))

    def on_plot_figure_built(self, message: Built) -> None:
        self.building = False
        if message.version == self.data_version:  # (not overtaken by a forced redraw)
            self.text, self.strips = message.text, message.strips
            self.text_version, self.text_size = message.version, message.size
            self.show_caption()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The lines a thread built, for this size: the old ones while the new are
        being built. Else (none yet, resized, forced) Textual renders `render()`."""
        size = (self.size.width, self.size.height)
        strips = self.strips
        if strips is None or self.text_size != size:
            return super().render_line(y)
        if not self.up_to_date():
            self.start_build(size)
        self._dirty_regions.clear()  # (what `_render_content` would have cleared)
        return strips[y] if y < len(strips) else Strip.blank(self.size.width,
                                                              self.visual_style.rich_style)

    def draw(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError

    def build_text(self, width: int, height: int) -> Text:
        """The plot as Rich text for a widget of this size: ticks that fit, then
        plotext's grid (what `PlotextPlot.render` does, without reading the widget)."""
        labelled = height >= self.LABEL_MIN_HEIGHT
        self.plt.xlabel(self.x_label if labelled else "")
        if self.log_axis is not None:  # data rows: less the frame, x ticks (and x label)
            self.plt.yticks(*self.log_axis.ticks(max(3, height - (4 if labelled else 3))))
        elif self.y_ticks is not None:
            self.plt.yticks(*self.y_ticks)
        elif self.y_range is not None:
            # About one label every other row (two on one row would overwrite).
            ticks = round_ticks(*self.y_range, max(2, (height - 3) // 2))
            self.plt.yticks(ticks, [tick_label(t) for t in ticks])
        if self.x_range is not None:
            ticks = nice_ticks(*self.x_range, max(2, width // 14))
            self.plt.xticks(ticks, [str(t) for t in ticks])
        self.plt.plotsize(width, height)
        self.plt._set_size(width, height)  # private, as PlotextPlot.render does
        self.plt.theme(self.plotext_theme)
        return Text.from_ansi(self.plt.build())


class TextFigure(Static, Figure):
    """A figure drawn as Rich text, rebuilt to fit its size (on a redraw or a resize)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.history: RunHistory | None = None
        self.palette: Palette | None = None
        self.built_size = (0, 0)  # the size the shown text was built for

    def paint(self, history: RunHistory, palette: Palette, background: bool = False) -> None:
        self.history, self.palette = history, palette
        self.rebuild()
        self.show_caption()

    def on_resize(self, _event: Resize) -> None:
        if tuple(self.content_size) != self.built_size:  # (a view shown again: same size)
            self.rebuild()

    def rebuild(self) -> None:
        if self.history is None or self.palette is None:
            return
        width, height = self.content_size
        if width and height:
            self.update(self.build(self.history, self.palette, width, height), layout=False)
            self.built_size = (width, height)

    def build(self, history: RunHistory, palette: Palette, width: int,
              height: int) -> RenderableType:  # pragma: no cover
        raise NotImplementedError
