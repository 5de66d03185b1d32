"""What a redraw tick and a key repaint: the text that moved, never a whole panel
(Textual repaints the box round everything that changed in a frame, so one panel-wide
refresh a tick meant the whole screen, 18-105 ms of CPU, five times a second)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget
from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.figure import StripFigure
from rnn_tui.ui.screens.help import HelpScreen, HelpText
from rnn_tui.ui.views.plots import LossPlot
from rnn_tui.ui.widgets.panel import ModelPanel


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


def record_refreshes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Widget, tuple[Region, ...]]]:
    """Every refresh that reaches Textual from now on: the widget, and the regions (none:
    the whole widget)."""
    calls: list[tuple[Widget, tuple[Region, ...]]] = []
    refresh = Widget.refresh

    def recording(self: Widget, *regions: Region, **kwargs: bool) -> Widget:
        calls.append((self, regions))
        return refresh(self, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", recording)
    return calls


def panel_refreshes(calls: list[tuple[Widget, tuple[Region, ...]]], panel: ModelPanel
                    ) -> list[tuple[Region, ...]]:
    return [regions for widget, regions in calls if widget is panel]


def rows_of(panel: ModelPanel, calls: list[tuple[Region, ...]]) -> list[int]:
    """The panel's rows the recorded refreshes cover (regions are inside the border)."""
    assert all(calls), "a refresh of the whole panel (every line of it painted again)"
    _, top = panel.content_offset
    return sorted({y + top for regions in calls for r in regions for y in r.line_range})


async def test_tab_and_v_repaint_only_a_border_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The selection shows on the top edge and title, the view's name on the bottom edge:
    one row of a panel each, not the 5-13 ms of repainting panels whole (before)."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        first, second = app.panels
        calls = record_refreshes(monkeypatch)
        await pilot.press("tab")
        await pilot.pause()
        assert app.selected == 1
        assert "$accent" in second.title_markup and "$accent" not in first.title_markup
        assert rows_of(first, panel_refreshes(calls, first)) == [0]
        assert rows_of(second, panel_refreshes(calls, second)) == [0]
        accent = Color.parse(app.theme_variables["accent"])
        assert second.styles.border_top == ("round", accent) != first.styles.border_top
        calls.clear()
        await pilot.press("v")  # (on the panel just selected)
        await pilot.pause()
        assert second.view == "flow" and "gradient flow" in str(second.border_subtitle)
        assert rows_of(second, panel_refreshes(calls, second)) == [second.outer_size.height - 1]
        assert panel_refreshes(calls, first) == [], "v repainted the other panel"


async def test_nothing_under_the_help_is_redrawn_until_it_closes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual counts the screen under a modal as seen through it: each change of the
    dashboard repainted the (opaque) help whole. The dashboard waits, then catches up."""
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=(160, 48)) as pilot:
        app.apply(replay.until(100))
        app.redraw(force=True)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "? the help")
        await pilot.pause()
        calls = record_refreshes(monkeypatch)
        app.apply(replay.until(300))
        app.redraw()
        await pilot.pause()
        repainted = [type(widget).__name__ for widget, _ in calls]
        assert repainted == [], f"redrawn under the help: {repainted}"
        status = app.panels[0].status
        assert status is not None and "step 100" in str(status.render())
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "q: closed")
        app.redraw()
        await wait_for(pilot, lambda: "step 300" in str(status.render()),
                       "the status caught up once the help closed")


async def test_the_help_text_is_laid_out_again_only_when_its_height_moves(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`?` brings the live numbers up to date: new digits, the same lines, no layout
    (which cost the `?` frame 5-10 ms and a second whole-screen frame after it)."""

    class OneText(App[None]):
        def compose(self) -> ComposeResult:
            yield HelpText("the RNN forgets after **12** steps", True, id="text")

    app = OneText()
    async with app.run_test(size=(60, 10)) as pilot:
        text = app.query_one(HelpText)
        await pilot.pause()
        layouts: list[bool] = []
        refresh = text.refresh
        monkeypatch.setattr(text, "refresh", lambda *regions, **kwargs: (
            layouts.append(kwargs.get("layout", False)), refresh(*regions, **kwargs))[1])
        text.show("the RNN forgets after **17** steps")
        await pilot.pause()
        assert layouts == [False], "new digits, the same one line: laid out again"
        text.show("the RNN forgets after **17** steps\n\nand the LSTM remembers")
        await pilot.pause()
        assert layouts[1] is True and text.size.height == 3


def paper_of(figure: StripFigure) -> object:
    """The background of a figure's first plotted line, as drawn."""
    return figure.render_line(1)._segments[-1].style.bgcolor  # type: ignore[union-attr]


async def test_a_theme_changed_under_the_help_is_drawn_once_it_closes() -> None:
    """The redraws skipped under the help include the forced one of a theme change."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        loss = app.query_one(LossPlot)
        dark = paper_of(loss)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "? the help")
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "q: closed")
        await wait_for(pilot, lambda: paper_of(loss) != dark,
                       "the plots drawn again in the new theme's colours")


async def test_a_resize_rewrites_the_status_for_the_new_width() -> None:
    """Shorter labels at a narrow width, also in a replay (no new events to redraw)."""
    async def status_at(size: tuple[int, int], resized_from: tuple[int, int] | None) -> str:
        app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
        async with app.run_test(size=resized_from or size) as pilot:
            await pilot.pause()
            if resized_from:
                await pilot.resize_terminal(*size)
                await pilot.pause()
                await pilot.pause()
            status = app.panels[0].status
            assert status is not None
            return str(status.render())

    assert await status_at((100, 30), (160, 48)) == await status_at((100, 30), None)
