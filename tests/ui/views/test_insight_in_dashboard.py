"""The insight views inside the dashboard: the `v` key cycles the selected panel's
view, the "why" view follows the panel's cell (law for rnn, gates for lstm), and the
help screen carries the teaching text with live numbers (in Japanese with lang="ja")."""

from __future__ import annotations

from textual.pilot import Pilot
from ui_support import replay_of, wait_for

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpText
from rnn_tui.ui.views.heatmap import GradientHeatmap
from rnn_tui.ui.widgets.panel import ModelPanel


async def settle(pilot: Pilot) -> None:
    """Redraw twice: the first may change which figures show (the panel's cell), and
    the layout settles before the second."""
    for _ in range(2):
        await pilot.pause()
        pilot.app.redraw(force=True)  # type: ignore[attr-defined]
    await pilot.pause()


async def test_view_key_cycles_the_selected_panel() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        left, right = app.query_one("#panel-0", ModelPanel), app.query_one("#panel-1", ModelPanel)
        # Each key is waited for (a press can return before its binding ran, under
        # load), then the figures are drawn for the view it chose.
        await pilot.press("v")
        await wait_for(pilot, lambda: left.view == "flow", "v: the left panel to show flow")
        await settle(pilot)
        assert right.view == "plots"
        heatmap = left.query_one(GradientHeatmap)
        assert heatmap.shown_key[1] == app.histories[0].profile_version  # drawn
        await pilot.press("v")
        await wait_for(pilot, lambda: left.view == "why", "v again: the left panel's why")
        await settle(pilot)
        assert left.query_one(".figure.law-table").display
        assert not left.query_one(".figure.gates").display
        await pilot.press("2")
        await wait_for(pilot, lambda: app.selected == 1, "2: the right panel selected")
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "flow", "v: the right panel to show flow")
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "why", "v again: the right panel's why")
        await settle(pilot)
        assert right.query_one(".figure.gates").display
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "plots", "v: the right panel back to plots")
        assert left.view == "why"


async def test_help_teaches_with_live_numbers_in_japanese() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"), lang="ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: bool(app.screen.query("#help-teaching")), "?: the help")
        teaching = app.screen.query_one("#help-teaching", HelpText)
        rho = app.histories[0].last_profile.scalars["rho_W"]  # type: ignore[union-attr]
        assert "忘れ" in teaching.source and f"{rho:.3g}" in teaching.source


def test_dashboard_why_views(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))

    async def why_both(pilot: Pilot) -> None:
        await pilot.press("v", "v", "2", "v", "v")
        await wait_for(pilot, lambda: [p.view for p in app.query(ModelPanel)] == ["why", "why"],
                       "v v 2 v v: both panels on why")
        app.clear_notifications()  # the toasts come and go with the clock
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=why_both)


def test_dashboard_why_views_at_80x24(snap_compare) -> None:
    """Short screen: the law's table stays, its plot gives way."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))

    async def why_both(pilot: Pilot) -> None:
        await pilot.press("v", "v", "2", "v", "v")
        await wait_for(pilot, lambda: [p.view for p in app.query(ModelPanel)] == ["why", "why"],
                       "v v 2 v v: both panels on why")
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=why_both)
