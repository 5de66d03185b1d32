"""One model's panel: a status line, an error line, and a switcher of views.

A view is a container of plots that all redraw from the panel's `RunHistory`. Today
there is one ("plots": loss, gradient profile, state norms); more views (heatmaps,
gates) are further children of the switcher, selected by `ModelPanel.view`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static

from ..history import RunHistory
from ..insight.drawable import TextView
from ..insight.views import FlowView, InsightView, WhyView
from .plots import GradientPlot, LossPlot, Palette, RunPlot, StatePlot


def format_seconds(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_text(history: RunHistory, width: int = 80) -> Text:
    """Cell, size, lr, speed, loss, metric, and when it beat the baseline and was
    solved: two lines that never wrap (shorter labels in a narrow panel)."""
    config = history.config
    if config is None:
        return Text("waiting for the run to start…", "dim")
    narrow = width < 64
    loss = f"{history.smoothed_loss:.3g}" if history.smoothed_loss is not None else "–"
    metric = f"{history.smoothed_metric:.2f}" if history.smoothed_metric is not None else "–"
    size = "" if narrow else f" H={config.hidden_size}"
    step = f"@{history.step}" if narrow else f"step {history.step}"
    line1 = Text.assemble(
        (config.cell.upper(), "bold"), f"{size} lr={config.lr:g} · {step} · ",
        f"{history.steps_per_second:.0f}/s ", (history.state, "italic"))
    parts: list[tuple[str, str] | str] = [("loss ", "dim"), loss,
                                          (" m " if narrow else "  metric ", "dim"), metric]
    for name, milestone in (("beat baseline", history.beat), ("solved", history.solved)):
        label = name.split()[0] if narrow else name
        if milestone is None:
            parts += ["  ", (f"{label} –", "dim")]
        else:
            step, seconds = milestone
            when = "" if narrow else f" ({format_seconds(seconds)})"
            parts += ["  ", (f"{label} @{step}{when}", "bold")]
    lines = [line1, Text.assemble(*parts)]
    for line in lines:
        line.truncate(max(8, width), overflow="ellipsis")
    return Text("\n").join(lines)


class PanelStatus(Static):
    """Two lines of numbers about the run."""


class PanelMessage(Static):
    """A diverged or failed run's message, in the error colour; hidden otherwise."""


class PlotsView(Vertical):
    """The default view: loss over training, gradient and state over the sequence."""

    def compose(self) -> ComposeResult:
        for name, plot in (("loss", LossPlot()), ("gradient", GradientPlot()),
                           ("state", StatePlot())):
            with Vertical(classes=f"figure {name}"):
                yield Static(classes="caption")
                yield plot


class ModelPanel(Vertical):
    """One model's run. `selected` marks the panel the keys act on."""

    selected: reactive[bool] = reactive(False, toggle_class="-selected")
    view: reactive[str] = reactive("plots")

    def __init__(self, slot: int, history: RunHistory) -> None:
        super().__init__(id=f"panel-{slot}", classes="panel")
        self.slot = slot
        self.history = history
        self._shown: tuple[int, int] = (-1, -1)

    def compose(self) -> ComposeResult:
        yield PanelStatus(classes="status")
        yield PanelMessage(classes="message")
        with ContentSwitcher(initial=self.view, classes="views"):
            yield PlotsView(id="plots")
            yield FlowView(id="flow")  # the insight views (the `v` key cycles them)
            yield WhyView(id="why")

    def watch_view(self, view: str) -> None:
        if self.is_mounted:
            self.query_one(ContentSwitcher).current = view

    def plots(self) -> list[RunPlot | TextView]:
        views = self.query(f"#{self.view}")
        if not views:  # not composed yet (or already taken down)
            return []
        view = views.first()
        if isinstance(view, InsightView):
            view.fit(self.history)  # law or gates, as the panel's (maybe new) cell has
            return view.drawables()
        return list(view.query(RunPlot))

    def update_text(self, force: bool = False) -> None:
        """Title, status and message: cheap, so on every tick that changed them."""
        history = self.history
        key = (id(history), history.version)
        if (key == self._shown and not force) or not self.query(PanelStatus):
            return  # nothing new, or not composed yet (or already taken down)
        self._shown = key
        title = f"{self.slot + 1} · {history.config.cell}" if history.config else str(self.slot + 1)
        if self.border_title != title:
            self.border_title = title
        status = self.query_one(PanelStatus)
        # Fixed-size widgets: update without a layout pass (which would re-composite
        # the whole screen, several times a second).
        status.update(status_text(history, status.size.width or self.size.width), layout=False)
        message = self.query_one(PanelMessage)
        failed = history.state in ("diverged", "failed")
        if failed or message.display:
            message.display = failed
            message.update(history.message)

    def stale_plots(self, now: float, force: bool = False) -> list[RunPlot | TextView]:
        """Visible plots whose data moved (and whose own rate limit allows a redraw)."""
        return [plot for plot in self.plots()
                if plot.parent is not None and plot.parent.display
                and (force or plot.is_stale(self.history, now))]

    def draw_plot(self, plot: RunPlot | TextView, palette: Palette, now: float) -> None:
        plot.show(self.history, palette, now)
        caption = plot.parent.query_one(".caption", Static)  # type: ignore[union-attr]
        caption.update(plot.caption(self.history, palette), layout=False)

    def redraw(self, palette: Palette, now: float = 0.0) -> None:
        """Everything at once (first frame, resize, theme change, tests)."""
        self.update_text(force=True)
        for plot in self.stale_plots(now, force=True):
            self.draw_plot(plot, palette, now)
