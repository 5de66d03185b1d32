"""Small apps that show one insight view fed from recorded run logs (fixtures/, made
with the project's own trainer), so snapshots are deterministic without sleeping."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical

from rnn_tui.run.runlog import read_run_log
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.insight.views import InsightView
from rnn_tui.ui.widgets.plots import Palette

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
DASHBOARD_FIXTURES = HERE.parent / "fixtures"  # the dashboard's logs (T = 40, 600 steps)


def fixture_path(name: str) -> Path:
    for folder in (FIXTURES, DASHBOARD_FIXTURES):
        path = folder / f"{name}.jsonl"
        if path.exists():
            return path
    raise FileNotFoundError(name)


def history_of(name: str, until: int | None = None) -> RunHistory:
    """A run's history as a panel would hold it after replaying its log."""
    history = RunHistory()
    for event in read_run_log(fixture_path(name)):
        if until is not None and getattr(event, "step", 0) > until:
            break
        history.apply(event)
    return history


class ViewApp(App[None]):
    """One insight view per history, side by side, drawn once on mount."""

    CSS_PATH = str(Path(__file__).parents[3] / "src/rnn_tui/ui/insight/insight.tcss")
    CSS = "#row { height: 1fr; } .cell { width: 1fr; border: round $panel-lighten-2; }"

    def __init__(self, view: type[InsightView], histories: list[RunHistory]) -> None:
        super().__init__()
        self.view, self.histories = view, histories

    def compose(self) -> ComposeResult:
        with Horizontal(id="row"):
            for history in self.histories:
                with Vertical(classes="cell") as cell:
                    cell.border_title = history.config.cell if history.config else "?"
                    yield self.view()

    def draw(self) -> None:
        palette = Palette.from_theme(self.theme_variables, self.current_theme.dark)
        for view, history in zip(self.query(InsightView), self.histories, strict=True):
            view.fit(history)
            for widget in view.drawables():
                if widget.parent is not None and widget.parent.display:
                    widget.show(history, palette)  # type: ignore[attr-defined]
                    caption = widget.parent.query_one(".caption")
                    caption.update(widget.caption(history, palette))  # type: ignore[attr-defined]


async def settle(pilot) -> None:  # noqa: ANN001 - textual's Pilot
    await pilot.pause()
    pilot.app.draw()
    await pilot.pause()
