"""The insight views a panel can switch to, beside the dashboard's "plots" view:

- "flow": the gradient-flow heatmap over training, and the memory horizon per step;
- "why": for simple RNNs the note's law against the measurement, for the LSTM and
  GRU the gate path (which of the two shows follows the panel's cell, see `fit`).

Each view is a column of figures (a caption line above a plot), as `PlotsView`, so a
panel draws them with the same timer and rate limit as its own plots.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from ...run.config import SIMPLE_CELLS
from ..history import RunHistory
from .drawable import TextView
from .gates import GatesPlot, PathGradientPlot
from .heatmap import GradientHeatmap
from .horizon_plot import HorizonPlot
from .law import LawPlot, LawTable
from .profiles import cell_kind

# The order the view key cycles through: the dashboard's plots, then ours.
VIEW_ORDER = ("plots", "flow", "why")
VIEW_NAMES = {"plots": "gradients", "flow": "gradient flow", "why": "law / gates"}


def next_view(current: str, direction: int = 1) -> str:
    index = VIEW_ORDER.index(current) if current in VIEW_ORDER else 0
    return VIEW_ORDER[(index + direction) % len(VIEW_ORDER)]


def figure(name: str, plot: Widget) -> Vertical:
    return Vertical(Static(classes="caption"), plot, classes=f"figure {name}")


class InsightView(Vertical):
    """A panel view made of insight figures."""

    def fit(self, history: RunHistory) -> None:
        """Show the figures that apply to the history's cell (a restart may change it)."""

    def drawables(self) -> list[Widget]:
        """Its plots and text views, for the panel's redraw loop."""
        from ..widgets.plots import RunPlot

        return [w for w in self.query("*") if isinstance(w, RunPlot | TextView)]


class FlowView(InsightView):
    """Gradient flow over training, and the memory horizon against training step."""

    def compose(self) -> ComposeResult:
        yield figure("heatmap", GradientHeatmap())
        yield figure("horizon", HorizonPlot())


class WhyView(InsightView):
    """Why this cell forgets or remembers: the law (simple RNNs) or the gates."""

    def compose(self) -> ComposeResult:
        yield figure("law-table", LawTable())
        yield figure("law-plot", LawPlot())
        yield figure("gates", GatesPlot())
        yield figure("path", PathGradientPlot())

    def fit(self, history: RunHistory) -> None:
        simple = cell_kind(history) in SIMPLE_CELLS
        # On a short screen the law's table keeps the room and its plot goes.
        short = self.app.has_class("-compact")
        for name, show in (("law-table", simple), ("law-plot", simple and not short),
                           ("gates", not simple), ("path", not simple)):
            node = self.query_one(f".figure.{name}")
            if node.display != show:  # set directly: the panel reads it in the same tick
                node.display = show
