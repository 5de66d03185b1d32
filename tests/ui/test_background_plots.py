"""On the redraw timer a plot's text and its screen lines are built in a thread, off the
event loop (so a key never waits for plotext nor for Textual's conversion of its text);
the widget then shows what the thread built, the same lines the loop would have made."""

from __future__ import annotations

import time

from textual.visual import Visual, visualize
from ui_support import ScriptedSource, replay_of

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import PlotFigure
from rnn_tui.ui.views.plots import LossPlot


async def test_a_timer_redraw_builds_the_plot_in_a_thread_and_shows_it() -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=(160, 48)) as pilot:
        app.apply(replay.until(100))
        app.redraw(force=True)  # forced: built on the loop, at once
        await pilot.pause()
        plot = app.query(LossPlot).first()
        first = plot.text
        assert first is not None and plot.text_size == (plot.size.width, plot.size.height)

        app.apply(replay.until(600))
        panel = app.panels[0]
        panel.draw_figure(plot, app.palette, time.monotonic(), background=True)
        assert plot.text is first and not plot.up_to_date()  # the loop did not build it
        deadline = time.monotonic() + 30
        while not (plot.up_to_date() and plot.strips is not None):
            assert time.monotonic() < deadline, "the plot's thread build did not come back"
            if plot.building:  # (started by the screen's next frame, in a thread)
                assert not plot.is_stale(panel.history, time.monotonic() + 60)
            await pilot.pause(0.05)
        assert plot.text is not first and plot.text.plain != first.plain
        width, height = plot.size
        on_the_loop = Visual.to_strips(plot, visualize(plot, plot.text), width, height,
                                       plot.visual_style)
        assert plot.strips == on_the_loop
        assert [plot.render_line(y) for y in range(height)] == plot.strips


async def test_a_view_switch_shows_at_once_and_its_plots_follow_from_threads() -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=(160, 48)) as pilot:
        app.apply(replay.until(300))
        app.redraw(force=True)
        await pilot.pause()
        await pilot.press("v")  # the flow view: its plot never drawn before
        horizon = app.query_one("#panel-0 HorizonPlot", PlotFigure)
        deadline = time.monotonic() + 30
        while not (horizon.up_to_date() and horizon.strips is not None):
            assert time.monotonic() < deadline, "the new view's plot was not built in a thread"
            await pilot.pause(0.05)
        assert horizon.text is not None and "training step" in horizon.text.plain
