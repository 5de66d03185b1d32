"""The "why" view: why this cell forgets or remembers. For simple RNNs (rnn, relu,
irnn) the note's law against the measurement; for the LSTM and GRU the gate path.
Which of the two shows follows the history's cell (a restart may change it)."""

from __future__ import annotations

from textual.app import ComposeResult

from ...run.config import SIMPLE_CELLS
from ..figure import figure_box
from ..history import RunHistory
from ..profiles import cell_kind
from ..registry import FigureColumn
from .gates import GatesPlot, PathGradientPlot
from .law import LawPlot, LawTable


class WhyView(FigureColumn):
    """The law (simple RNNs) or the gates (gated cells)."""

    def compose(self) -> ComposeResult:
        table, plot = LawTable(), LawPlot()
        # The two show the same measured factors: drawn a tick apart, during training
        # the table said ×72 at 99 steps back while the plot, a profile older, showed ×7.
        table.partners, plot.partners = [plot], [table]
        yield figure_box("law-table", table)
        yield figure_box("law-plot", plot)
        yield figure_box("gates", GatesPlot())
        yield figure_box("path", PathGradientPlot())

    def applies(self, name: str, history: RunHistory, compact: bool) -> bool:
        simple = cell_kind(history) in SIMPLE_CELLS
        # On a short screen the law's table keeps the room and its plot goes.
        return {"law-table": simple, "law-plot": simple and not compact,
                "gates": not simple, "path": not simple}.get(name, True)
