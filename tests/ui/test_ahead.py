"""The view `v` shows next is drawn while hidden, and its lines built, so that the key
only shows it; what it shows is never another run's."""

from __future__ import annotations

import pytest
from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import StripFigure
from rnn_tui.ui.widgets.panel import ModelPanel

SIZE = (160, 48)


def drawn_ahead(panel: ModelPanel) -> bool:
    """The next view's figures show the history's data of now, their lines built."""
    figures = panel.next_figures()
    return bool(figures) and all(
        f.drawn_for(panel.history, panel.app.palette)  # type: ignore[attr-defined]
        and f.shown_key == f.data_key(panel.history)
        and (not isinstance(f, StripFigure) or f.strips is not None) for f in figures)


async def cycle_views(pilot, panel: ModelPanel) -> None:
    """Each view shown once (a figure's lines are built for the size it showed at)."""
    for _ in range(3):
        view = panel.view
        await pilot.press("v")
        await wait_for(pilot, lambda v=view: panel.view != v, "v: the next view")
        await pilot.pause()


async def test_the_next_view_is_drawn_while_hidden_and_v_only_shows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=SIZE) as pilot:
        app.apply(replay.until(100))
        panel = app.panels[0]
        await cycle_views(pilot, panel)
        app.apply(replay.until(300))  # the data moved: the hidden views are out of date
        await wait_for(pilot, lambda: drawn_ahead(panel), "the next view drawn ahead")
        figures = panel.next_figures()
        drawn_at = [f.shown_at for f in figures]
        built: list[StripFigure] = []
        lines = StripFigure.lines
        monkeypatch.setattr(StripFigure, "lines",
                            lambda self, *size: built.append(self) or lines(self, *size))
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.figures() == figures, "v: that view shown")
        await pilot.pause()
        assert [f.shown_at for f in figures] == drawn_at, "drawn again at the key"
        assert not set(built) & set(figures), "its lines built again at the key"
        assert all(f.region for f in figures)


async def test_a_view_drawn_ahead_for_a_run_since_replaced_is_drawn_at_the_key() -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=SIZE) as pilot:
        app.apply(replay.until(300))
        panel = app.panels[0]
        await cycle_views(pilot, panel)
        await wait_for(pilot, lambda: drawn_ahead(panel), "the next view drawn ahead")
        app.draw_ahead = lambda: False  # type: ignore[method-assign] # (nothing more ahead)
        app.restart(0, RunConfig(cell="relu"))
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.view == "flow", "v: the flow view")
        assert all(f.drawn_for(panel.history, app.palette) for f in panel.figures()), (
            "the run replaced shown as drawn ahead")
