"""What a redraw tick repaints: the text that moved, never a whole panel (Textual
repaints the box round everything that changed in a frame, so one panel-wide refresh
a tick meant the whole screen, 18-105 ms of CPU, five times a second)."""

from __future__ import annotations

from ui_support import ScriptedSource, replay_of

from rnn_tui.ui.app import RnnTuiApp


async def test_a_tick_with_new_steps_does_not_repaint_a_whole_panel() -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=(160, 48)) as pilot:
        app.apply(replay.until(100))
        app.redraw(force=True)
        await pilot.pause()
        refreshed: list[int] = []
        for panel in app.panels:
            panel.refresh = lambda *args, slot=panel.slot, **kwargs: refreshed.append(slot)
        app.apply(replay.until(300))
        app.redraw()
        await pilot.pause()
        assert app.panels[0].status is not None
        assert "step 300" in str(app.panels[0].status.render())  # (the text did move)
        assert refreshed == []
