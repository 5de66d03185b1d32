"""The view `v` shows next is drawn while hidden, and its lines built, so that the key
only shows it; what it shows is never another run's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import StripFigure
from rnn_tui.ui.registry import next_view
from rnn_tui.ui.views.law import LawTable
from rnn_tui.ui.views.plots import LossPlot
from rnn_tui.ui.widgets.panel import ModelPanel

SIZE = (160, 48)


def drawn_ahead(panel: ModelPanel) -> bool:
    """The next view's figures show the history's data of now, their lines built."""
    figures = panel.next_figures()
    return bool(figures) and all(
        f.drawn_for(panel.history, panel.app.palette)  # type: ignore[attr-defined]
        and f.shown_key == f.data_key(panel.history)
        and (not isinstance(f, StripFigure) or f.strips is not None) for f in figures)


async def press_v(pilot, panel: ModelPanel) -> None:
    view = panel.view
    await pilot.press("v")
    await wait_for(pilot, lambda: panel.view != view, "v: the next view")
    await pilot.pause()


@asynccontextmanager
async def drawn_ahead_before(shown_next: str) -> AsyncIterator[tuple]:
    """The dashboard on a scripted replay, and its left panel: each view shown once at
    step 100 (a figure's lines are built for the size it showed at), then on the view
    before `shown_next`; trained on to step 300, and `shown_next` drawn ahead for it.
    Yields (pilot, app, replay, panel)."""
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=SIZE) as pilot:
        app.apply(replay.until(100))
        panel = app.panels[0]
        for _ in range(3):
            await press_v(pilot, panel)
        while next_view(panel.view) != shown_next:
            await press_v(pilot, panel)
        app.apply(replay.until(300))  # the data moved: the hidden views are out of date
        await wait_for(pilot, lambda: drawn_ahead(panel), f"{shown_next} drawn ahead")
        yield pilot, app, replay, panel


async def test_the_next_view_is_drawn_while_hidden_and_v_only_shows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async with drawn_ahead_before("flow") as (pilot, app, replay, panel):
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
    async with drawn_ahead_before("flow") as (pilot, app, replay, panel):
        app.draw_ahead = lambda: False  # type: ignore[method-assign] # (nothing more ahead)
        app.restart(0, RunConfig(cell="relu"))
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.view == "flow", "v: the flow view")
        assert all(f.drawn_for(panel.history, app.palette) for f in panel.figures()), (
            "the run replaced shown as drawn ahead")


async def test_a_figure_drawn_ahead_is_drawn_for_the_width_it_shows_at() -> None:
    """Hidden, a widget has no size: the loss plot's caption and points follow the width
    it last showed at (a hidden one said "baseline" where there is room for more)."""
    async with drawn_ahead_before("plots") as (pilot, app, replay, panel):
        loss = next(f for f in panel.next_figures() if isinstance(f, LossPlot))
        assert loss.strips is not None and "(memoryless)" in loss.strips[0].text


async def test_the_laws_table_drawn_ahead_shows_the_numbers_of_now() -> None:
    """A table of Rich text is made into lines for its size: hidden, for the size it
    showed at (it showed its old numbers, drawn ahead at width 0, until the next redraw)."""
    async with drawn_ahead_before("why") as (pilot, app, replay, panel):
        table = next(f for f in panel.next_figures() if isinstance(f, LawTable))
        assert table.strips is not None and panel.history.last_profile is not None
        text = "\n".join(strip.text for strip in table.strips)
        assert f"step {panel.history.last_profile.step}" in text


def age(figures: list, seconds: float) -> None:
    for figure in figures:
        figure.shown_at -= seconds


async def test_a_view_drawn_long_ago_of_data_that_has_not_moved_is_not_drawn_again() -> None:
    """A finished run, a replay: the figures drawn ahead long ago are still true (every
    `v` two seconds after the last drew its view again, 5-10 ms of its frame)."""
    async with drawn_ahead_before("flow") as (pilot, app, replay, panel):
        figures = panel.next_figures()
        age(figures, 60.0)
        drawn_at = [f.shown_at for f in figures]
        await press_v(pilot, panel)
        assert [f.shown_at for f in figures] == drawn_at, "drawn again, nothing moved"


async def test_a_view_drawn_long_ago_of_data_that_moved_since_is_drawn_at_the_key() -> None:
    async with drawn_ahead_before("flow") as (pilot, app, replay, panel):
        app.draw_ahead = lambda: False  # type: ignore[method-assign] # (nothing more ahead)
        figures = panel.next_figures()
        age(figures, 60.0)
        app.apply(replay.until(400))
        await press_v(pilot, panel)
        assert all(f.shown_key == f.data_key(panel.history) for f in figures), (
            "shown a minute out of date")


async def test_a_view_never_shown_is_laid_out_unseen_and_its_first_v_only_shows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A hidden widget has no size, so the lines of a view never shown could not be built
    ahead: its first `v` built them all in the key's frame. Each view is laid out once,
    unseen, soon after start (nothing of it is painted)."""
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=SIZE) as pilot:
        app.apply(replay.until(300))
        panel = app.panels[0]
        await wait_for(pilot, lambda: drawn_ahead(panel), "the next view drawn ahead")
        assert panel.view == "plots", "a view other than the first was painted"
        figures = panel.next_figures()
        built: list[StripFigure] = []
        lines = StripFigure.lines
        monkeypatch.setattr(StripFigure, "lines",
                            lambda self, *size: built.append(self) or lines(self, *size))
        await press_v(pilot, panel)
        assert panel.figures() == figures
        assert not set(built) & set(figures), "its lines built at its first v"


async def test_a_restart_redraws_the_panels_plots_at_once() -> None:
    """The plots of a run replaced wait for no rate limit: the old run's gradient stood
    under the new run's status line for up to a second ("step 4578" over "step 65")."""
    async with drawn_ahead_before("flow") as (pilot, app, replay, panel):
        figures = panel.figures()
        for figure in figures:  # just drawn, as far as the once-a-second limit knows
            figure.shown_at = time.monotonic() + 3600
        app.restart(0, RunConfig(cell="relu"))
        await wait_for(pilot, lambda: panel.history.config.cell == "relu", "the restart")
        await wait_for(pilot, lambda: all(f.shown_key == f.data_key(panel.history)
                                          for f in figures),
                       "the restarted panel's plots drawn for its new run", timeout=5)
