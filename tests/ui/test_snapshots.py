"""Snapshots of the main screen, the help screen and a diverged panel, made
deterministic by replaying fixture run logs (tests/ui/fixtures, recorded with the
project's own trainer by scripts/make_ui_fixtures.py). Update with --snapshot-update."""

from __future__ import annotations

from textual.pilot import Pilot
from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpScreen


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    pilot.app.redraw(force=True)  # type: ignore[attr-defined]
    await pilot.pause()


def test_main_screen(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    assert snap_compare(app, terminal_size=(160, 48), run_before=settle)


def test_main_screen_at_80x24(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def help_over_a_live_app(lang: str = "en"):
    """An app over a scripted source (a live mode: every training key is listed), and
    what opens its help at step 600 of the adding fixtures."""
    app = RnnTuiApp(ScriptedSource([RunConfig(cell="rnn", seq_len=40),
                                    RunConfig(cell="lstm", seq_len=40)]), lang=lang)

    async def open_help(pilot: Pilot) -> None:
        app.apply(replay_of("adding-rnn", "adding-lstm").until(600))
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        await pilot.pause()

    return app, open_help


def test_help_screen(snap_compare) -> None:
    app, open_help = help_over_a_live_app()
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_help)


def test_help_screen_in_japanese(snap_compare) -> None:
    """`--lang ja` at 80 columns: the keys and the text in Japanese, wrapped between
    characters (Textual wraps only at spaces), no line starting with "、"."""
    app, open_help = help_over_a_live_app("ja")
    assert snap_compare(app, terminal_size=(80, 40), run_before=open_help)


def test_diverged_panel(snap_compare) -> None:
    app = RnnTuiApp(replay_of("relu-diverged", "adding-lstm"))
    assert snap_compare(app, terminal_size=(160, 48), run_before=settle)
