"""The "flow" view: the gradient-flow heatmap over training, and the memory horizon
against training step."""

from __future__ import annotations

from textual.app import ComposeResult

from ..figure import figure_box
from ..registry import FigureColumn
from .heatmap import GradientHeatmap
from .horizon import HorizonPlot


class FlowView(FigureColumn):
    """Gradient flow over training, and the memory horizon against training step."""

    def compose(self) -> ComposeResult:
        yield figure_box("heatmap", GradientHeatmap())
        yield figure_box("horizon", HorizonPlot())
