"""A view registered at test time, by the recipe of docs/extending.md ("A new view"):
it joins the `v` cycle and the real panel draws it, with its caption."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.text import Text
from textual.app import ComposeResult
from textual.pilot import Pilot
from ui_support import replay_of, wait_for

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import TextFigure, figure_box
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.palette import Palette
from rnn_tui.ui.registry import VIEWS, FigureColumn, register, unregister
from rnn_tui.ui.widgets.panel import ModelPanel


class StepCount(TextFigure):
    """The smallest figure: the run's step, as text."""

    def data_key(self, history: RunHistory) -> tuple[int, int]:
        return (id(history), history.version)  # every event, not only profiles

    def build(self, history: RunHistory, palette: Palette, width: int, height: int) -> Text:
        return Text(f"{history.config.cell if history.config else '?'} at step {history.step}")

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        return Text("toy: the step count")


class ToyView(FigureColumn):
    def compose(self) -> ComposeResult:
        yield figure_box("toy", StepCount())


@pytest.fixture
def toy_view() -> Iterator[None]:
    register("toy", "toy view", ToyView)
    yield
    unregister("toy")


async def test_a_registered_view_is_in_the_cycle_and_drawn(toy_view: None) -> None:
    assert list(VIEWS)[-1] == "toy"
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        panel = app.query_one("#panel-0", ModelPanel)
        seen = []
        for _ in range(len(VIEWS)):
            before = panel.view
            await pilot.press("v")
            await wait_for(pilot, lambda b=before: panel.view != b, f"v: a view after {before}")
            seen.append(panel.view)
        assert seen == ["flow", "why", "toy", "plots"]
        await pilot.press("v", "v", "v")
        await wait_for(pilot, lambda: panel.view == "toy", "v v v: the toy view")
        await settle(pilot)
        figure = panel.query_one(StepCount)
        lines = [figure.render_line(y).text.strip() for y in range(2)]
        assert lines == ["toy: the step count", "rnn at step 600"], \
            "the panel did not draw the toy view under its caption"


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    pilot.app.redraw(force=True)  # type: ignore[attr-defined]
    await pilot.pause()
