"""Every key of the dashboard, driven through the pilot: the state it changes and what
the screen then shows. The source is scripted (no processes), so each test is quick."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey
from ui_support import ScriptedSource, fixture_path, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp, scaled_lr
from rnn_tui.ui.registry import next_view
from rnn_tui.ui.screens.help import HelpScreen, HelpText
from rnn_tui.ui.screens.presets import PresetScreen
from rnn_tui.ui.sources import ReplaySource
from rnn_tui.ui.widgets.footer import KeyFooter
from rnn_tui.ui.widgets.header import RunHeader
from rnn_tui.ui.widgets.panel import ModelPanel, PanelStatus

SIZE = (160, 48)


def header(app: RnnTuiApp) -> str:
    return str(app.query_one(RunHeader).render())


def status(app: RnnTuiApp, slot: int) -> str:
    return str(app.query_one(f"#panel-{slot} PanelStatus", PanelStatus).render())


def title(app: RnnTuiApp, slot: int) -> str:
    """A panel's title as it reads (the selected one's is styled markup)."""
    return Content.from_markup(app.query_one(f"#panel-{slot}", ModelPanel).border_title).plain


def marked(app: RnnTuiApp, panel: ModelPanel) -> bool:
    """The panel's border is drawn in the accent colour (the selection's mark)."""
    accent = Color.parse(app.theme_variables["accent"])
    return panel.styles.border_top == ("round", accent)


async def test_tab_and_digits_select_a_panel(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        panels = app.query(ModelPanel)
        assert app.selected == 0 and marked(app, panels[0]) and not marked(app, panels[1])
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.selected == 1, "tab: the right panel selected")
        assert marked(app, panels[1]) and not marked(app, panels[0])
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.selected == 0, "tab: the left panel selected")
        await pilot.press("2")
        await wait_for(pilot, lambda: app.selected == 1, "2: the right panel selected")
        await pilot.press("1")
        await wait_for(pilot, lambda: app.selected == 0, "1: the left panel selected")
        assert marked(app, panels[0]) and not marked(app, panels[1])
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await wait_for(pilot, lambda: marked(app, panels[0]), "the mark in the new theme")


async def test_the_digit_of_a_third_and_fourth_panel_selects_it() -> None:
    """`--cells rnn,lstm,gru,irnn` titles its panels 1 to 4; `3` and `4` did nothing."""
    scripted = ScriptedSource([RunConfig(cell=c) for c in ("rnn", "lstm", "gru", "irnn")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await wait_for(pilot, lambda: app.selected == 2, "3: the third panel selected")
        await pilot.press("4")
        await wait_for(pilot, lambda: app.selected == 3, "4: the fourth panel selected")
        await pilot.press("v")
        panels = list(app.query(ModelPanel))
        await wait_for(pilot, lambda: panels[3].view == "flow", "v: the fourth panel's view")


@pytest.mark.parametrize(("cells", "word", "restarts"), [
    (("rnn", "lstm", "gru", "irnn"), "all 4", "all 4 restart"), (("lstm",), "it", "it restarts")])
async def test_the_keys_words_count_the_panels(cells: tuple[str, ...], word: str,
                                               restarts: str) -> None:
    """The help and the palette said "pause / resume both" with four panels, and the
    toast of `r` "both restart"; with one panel, "both" was no panel at all."""
    scripted = ScriptedSource([RunConfig(cell=c) for c in cells])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        keys = dict(app.help_keys())
        helps = [c.help for c in app.get_system_commands(app.screen)]
        assert keys["space"] == f"pause / resume {word}", keys["space"]
        assert f"key r: restart {word} with a new seed" in helps
        assert not any("both" in text for text in [*keys.values(), *helps])
        # With four panels "1 select the left panel, 2 the right"; with one, "1 left".
        assert not any("left" in text or "right" in text for text in keys.values()), keys
        if len(cells) == 1:
            assert "1" not in keys and "tab" not in keys, keys
        else:
            assert keys["2"] == "select panel 2" and keys["3"] == "select panel 3", keys
        await pilot.press("r")
        await wait_for(pilot, lambda: len(scripted.restarts()) == len(cells), "r: restarts")
        await wait_for(pilot, lambda: any(restarts in n.message for n in app._notifications),
                       f"the toast: {restarts}")


async def test_two_panels_offer_no_third(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "tab")  # tab: a key whose effect is waited for
        await wait_for(pilot, lambda: app.selected == 1, "tab: the right panel selected")
        shown = {binding.action for _, binding, enabled, _ in app.active_bindings.values()
                 if enabled}
        assert "select_panel(1)" in shown and "select_panel(2)" not in shown
        assert "3" not in dict(app.help_keys())
        # ... and says so when pressed (it did nothing and said nothing: review)
        await wait_for(pilot, lambda: any("there are 2 here" in n.message
                                          for n in app._notifications), "3: said why not")


async def test_a_replays_keys_in_a_live_run_say_why_they_do_nothing(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left")
        await wait_for(pilot, lambda: any("scrubs through a replay" in n.message
                                          for n in app._notifications), "←: said why not")


async def test_c_and_shift_c_cycle_the_selected_panels_cell(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "c")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 1, "c: a restart")
        slot, config = scripted.restarts()[-1]
        assert (slot, config.cell, config.seed) == (1, "gru", 0)  # lstm -> gru, same seed
        assert title(app, 1) == "2 · gru"
        await pilot.press("C", "C")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 3, "C C: two restarts")
        assert [c.cell for _, c in scripted.restarts()] == ["gru", "lstm", "irnn"]
        assert title(app, 1) == "2 · irnn"
        assert scripted.configs[0].cell == "rnn"  # the other panel keeps going


async def test_space_pauses_and_resumes_both(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await wait_for(pilot, lambda: app.paused, "space: paused")
        assert ("pause",) in scripted.calls
        assert "paused" in header(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: not app.paused, "space again: resumed")
        assert scripted.calls[-1] == ("resume",)
        assert "paused" not in header(app)


async def end_every_run(pilot: Pilot, scripted: ScriptedSource) -> None:
    from rnn_tui.run.events import RunEnded

    for slot in (0, 1):
        scripted.push(slot, RunEnded(step=0, reason="finished"))
    await wait_for(pilot, lambda: "finished" in header(pilot.app), "both runs ended")


async def test_space_after_every_run_ended_says_the_next_runs_start_paused(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await end_every_run(pilot, scripted)
        await pilot.press("space")
        await wait_for(pilot, lambda: "finished, paused" in header(app),
                       "space after the end: the header says paused")
        await pilot.press("space")
        await wait_for(pilot, lambda: "paused" not in header(app), "space again: resumed")


async def test_n_steps_only_while_paused(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: any("space" in n.message for n in app._notifications),
                       "n while running: the note to press space first")
        assert ("step",) not in scripted.calls
        await pilot.press("space", "n", "n")
        await wait_for(pilot, lambda: scripted.calls.count(("step",)) == 2, "two steps")


async def test_n_after_every_run_ended_says_there_is_nothing_to_step(
        scripted: ScriptedSource) -> None:
    # It did nothing, without a word (the workers have no run to step).
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await end_every_run(pilot, scripted)
        await pilot.press("n")  # (not paused: it said to press space first, then this)
        await wait_for(pilot, lambda: any("nothing to step" in n.message
                                          for n in app._notifications), "n: said why not")
        assert not any("space first" in n.message for n in app._notifications)
        assert ("step",) not in scripted.calls


async def test_t_switches_task_and_restarts_both(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 2, "t: both restarted")
        assert [(s, c.task) for s, c in scripted.restarts()] == [(0, "copy"), (1, "copy")]
        assert "copy T=100" in header(app)
        await pilot.press("t")
        await wait_for(pilot, lambda: scripted.configs[0].task == "adding", "t: back to adding")


async def test_plus_minus_change_the_sequence_length(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 2, "+: both restarted")
        assert [c.seq_len for c in scripted.configs] == [200, 200]
        assert "T=200" in header(app)
        await pilot.press("minus", "minus")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 6, "- -: four restarts")
        assert [c.seq_len for c in scripted.configs] == [50, 50]
        assert len(scripted.restarts()) == 6


async def test_plus_that_would_not_fit_leaves_the_runs_alone(scripted: ScriptedSource,
                                                             monkeypatch) -> None:
    from rnn_tui.run import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 30 * 2**20)  # 30 MiB free
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await wait_for(pilot, lambda: any(
            "not started: needs about" in n.message and "30 MiB available" in n.message
            for n in app._notifications), "+: the note that it would not fit")
        assert scripted.restarts() == [] and scripted.configs[0].seq_len == 100
        app.load_preset("copy-200")                      # what the preset picker calls
        await wait_for(pilot, lambda: sum("not started" in n.message
                                          for n in app._notifications) == 2,
                       "the preset's note that it would not fit")
        assert scripted.restarts() == [] and scripted.configs[0].task == "adding"


async def test_brackets_change_the_selected_panels_learning_rate(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 1, "]: a restart")
        assert scripted.restarts() == [(0, RunConfig(cell="rnn", lr=0.03))]
        assert "lr=0.03" in status(app, 0)
        await pilot.press("tab", "left_square_bracket")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 2, "tab [: a restart")
        assert scripted.restarts()[-1] == (1, RunConfig(cell="lstm", lr=0.003))
        assert "lr=0.003" in status(app, 1)
        assert scripted.configs[0].lr == 0.03


async def test_bracket_at_the_top_of_the_range_says_so_and_leaves_the_run_alone() -> None:
    """`]` at lr = 10, the engine's highest, used to restart the run as "lr 10 → 10":
    the panel's progress thrown away for nothing."""
    scripted = ScriptedSource([RunConfig(cell="rnn", lr=10.0), RunConfig(cell="lstm")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: any("lr = 10 is the highest" in n.message
                                          for n in app._notifications), "]: the note")
        await pilot.press("left_square_bracket")  # a key that does restart, waited for
        await wait_for(pilot, lambda: len(scripted.restarts()) == 1, "[: a restart")
        assert scripted.restarts() == [(0, RunConfig(cell="rnn", lr=3.0))]


def test_the_learning_rate_ladder_goes_both_ways() -> None:
    """Half a decade a press on 1-3-10, back where it started (from 0.03, `]` stayed at
    0.03 and `[` skipped to 0.003)."""
    up = [1e-4]
    for _ in range(6):
        up.append(scaled_lr(up[-1], 1))
    assert up == [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]
    down = [up[-1]]
    for _ in range(6):
        down.append(scaled_lr(down[-1], -1))
    assert down == up[::-1]
    assert scaled_lr(0.005, 1) == 0.01 and scaled_lr(0.005, -1) == 0.003  # between rungs


async def test_r_restarts_both_with_a_new_seed(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 2, "r: both restarted")
        assert [(s, c.seed) for s, c in scripted.restarts()] == [(0, 1), (1, 1)]


async def test_p_picks_a_preset(scripted: ScriptedSource) -> None:
    from rnn_tui.run.presets import list_presets, load_preset

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetScreen), "p: the picker")
        names = list_presets()
        target = names.index("relu-exploding")
        await pilot.press(*["down"] * target, "enter")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 2, "enter: the preset")
        assert not isinstance(app.screen, PresetScreen)
        assert [c for _, c in scripted.restarts()] == load_preset("relu-exploding")
        assert title(app, 0) == "1 · relu"
        picker = app.get_screen("presets")
        await pilot.press("p", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PresetScreen),
                       "escape: the picker closed")
        assert len(scripted.restarts()) == 2  # cancelled: nothing restarted
        # The same picker again (kept, not built anew), from the top of its list.
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen is picker, "p: the same picker again")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 4, "enter: the first preset")
        assert [c for _, c in scripted.restarts()[2:]] == load_preset(names[0])


async def test_a_preset_on_four_panels_moves_all_four_to_its_task() -> None:
    """copy-50 (two models) on `--cells rnn,lstm,gru,irnn`: panels 3 and 4 went on
    training adding T=100 beside copy T=50 (the header: "copy T=50 / adding T=100")."""
    from rnn_tui.run.presets import Preset, load_preset

    scripted = ScriptedSource([RunConfig(cell=c) for c in ("rnn", "lstm", "gru", "irnn")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        app.load_preset("copy-50")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 4, "the preset: 4 restarts")
        configs = dict(scripted.restarts())
        assert [configs[0], configs[1]] == load_preset("copy-50")
        assert configs[2] == Preset("copy-50").config_for("gru")
        assert configs[3] == Preset("copy-50").config_for("irnn")
        assert {(c.task, c.seq_len, c.seed) for c in configs.values()} == {("copy", 50, 0)}
        said = "preset copy-50 (panels 3-4: same cell, at the preset's settings)"
        await wait_for(pilot, lambda: any(n.message == said for n in app._notifications),
                       "the toast")


async def test_a_preset_of_two_models_on_one_panel_says_which_it_took() -> None:
    from rnn_tui.run.presets import load_preset

    scripted = ScriptedSource([RunConfig(cell="gru")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        app.load_preset("copy-50")
        await wait_for(pilot, lambda: len(scripted.restarts()) == 1, "the preset")
        assert scripted.restarts()[0][1] == load_preset("copy-50")[0]
        said = "preset copy-50 (its first 1 of 2 models: 1 panel here)"
        await wait_for(pilot, lambda: any(n.message == said for n in app._notifications),
                       "the toast")


async def test_a_scaled_w_is_on_the_status_line() -> None:
    # relu-exploding's ReLU RNN starts at W x 1.5, and a run whose preset is not known
    # (here none is given) keeps it through `C`: said on screen, not hidden.
    from rnn_tui.run.presets import load_preset

    source = ScriptedSource(load_preset("relu-exploding"))
    app = RnnTuiApp(source)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "W×1.5" in status(app, 0), "the scale said")
        assert "W×" not in status(app, 1)  # the LSTM beside it: unscaled, nothing said
        await pilot.press("C")
        await wait_for(pilot, lambda: status(app, 0).startswith("RNN"), "C: a tanh RNN")
        assert "W×1.5" in status(app, 0)


async def test_c_gives_the_new_cell_the_presets_settings_for_it() -> None:
    # From relu-exploding, `C` made "RNN H=128 lr=0.0001 W×1.5": the ReLU's own table
    # (its W scale and lr) carried over, a tanh RNN whose gradient grew going back and an
    # IRNN (`c`) that exploded. The new cell gets the preset's settings for it; the task,
    # T and seed stay as the keys left them.
    from rnn_tui.run.presets import Preset

    preset = Preset("relu-exploding")
    source = ScriptedSource(preset.configs())
    app = RnnTuiApp(source, preset=preset)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "W×1.5" in status(app, 0), "the scale said")
        await pilot.press("plus")                                     # T 100 -> 200
        await wait_for(pilot, lambda: len(source.restarts()) == 2, "+: both restart")
        await pilot.press("c")                                        # relu -> irnn
        await wait_for(pilot, lambda: len(source.restarts()) == 3, "c: a restart")
        irnn = source.restarts()[-1][1]
        # (the preset's [irnn] table: at its shared lr of 1e-2 the IRNN blew up at step 2)
        assert (irnn.cell, irnn.recurrent_scale, irnn.lr) == ("irnn", 1.0, 0.0001)
        assert (irnn.seq_len, irnn.seed) == (200, 0)
        await wait_for(pilot, lambda: status(app, 0).startswith("IRNN"), "the IRNN shown")
        assert "W×" not in status(app, 0)
        await pilot.press("C")                                        # and back to relu
        await wait_for(pilot, lambda: len(source.restarts()) == 4, "C: a restart")
        relu = source.restarts()[-1][1]
        assert (relu.cell, relu.recurrent_scale, relu.lr, relu.seq_len) == (
            "relu", 1.5, 0.0001, 200)


async def test_keys_typed_in_one_burst_act_in_their_order(scripted: ScriptedSource) -> None:
    # tab is a priority binding, run as the key arrives, while `v` waits in the screen's
    # queue: "v tab" typed fast switched the view of the panel tab went to, not the one
    # it was typed for. A burst, as a terminal delivers fast typing:
    from textual import events

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        panels = list(app.query(ModelPanel))
        for key, character in (("v", "v"), ("v", "v"), ("tab", "\t"), ("v", "v")):
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: app.selected == 1, "tab: the right panel")
        await pilot.pause()  # (until idle: every key of the burst handled)
        assert [p.view for p in panels] == [next_view(next_view("plots", 1), 1),
                                            next_view("plots", 1)]


async def test_s_saves_an_svg_screenshot_and_says_where(
        scripted: ScriptedSource, tmp_path: Path) -> None:
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: any("screenshot saved" in n.message
                                          for n in app._notifications), "s: the note")
        shots = list(tmp_path.glob("rnn-tui-*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
        # The name whole on a line of its own (a toast wraps a long path anywhere).
        assert any(f"\n{shots[0].name}\nin {tmp_path}" in n.message for n in app._notifications)


@pytest.mark.parametrize(("key", "screen", "word"), [
    ("question_mark", HelpScreen, "remembers"), ("p", PresetScreen, "Pick")])
async def test_s_on_the_help_or_the_presets_saves_that_screen(
        scripted: ScriptedSource, tmp_path: Path, key: str, screen: type, word: str) -> None:
    # The help lists `s`; pressed there (a modal screen) it did nothing and said nothing.
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, screen), f"{key}: its screen")
        await pilot.press("s")
        await wait_for(pilot, lambda: any("screenshot saved" in n.message
                                          for n in app._notifications), "s: the note")
        shots = list(tmp_path.glob("rnn-tui-*.svg"))
        assert len(shots) == 1 and word in shots[0].read_text()  # (its title)
        assert isinstance(app.screen, screen)  # (still open)


async def test_the_screenshot_places_text_after_spaces_at_its_own_cell(
        scripted: ScriptedSource, tmp_path: Path) -> None:
    # rsvg-convert drew "loss 0.173metric" and every centred axis label at the panel's
    # edge: it gives the no-break spaces inside a text run less than a cell. No run of
    # the saved SVG holds one: each piece of text is placed at its cell.
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: list(tmp_path.glob("rnn-tui-*.svg")), "s: the file")
    svg = next(tmp_path.glob("rnn-tui-*.svg")).read_text(encoding="utf-8")
    runs = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert any("metric" in run for run in runs)
    assert not [run for run in runs if "&#160;" in run or "\xa0" in run]


async def test_two_screenshots_in_one_second_are_two_files(
        scripted: ScriptedSource, tmp_path: Path) -> None:
    # The name has the time to the second: s, v, s in one second overwrote the first.
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "s")
        await wait_for(pilot, lambda: sum("screenshot saved" in n.message
                                          for n in app._notifications) == 3, "three notes")
        assert len(list(tmp_path.glob("rnn-tui-*.svg"))) == 3


async def test_a_screenshot_that_cannot_be_written_is_told_not_a_crash(
        scripted: ScriptedSource, tmp_path: Path) -> None:
    # Started in a folder since removed (or read-only): s ended the app with a traceback.
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path / "gone")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: any("screenshot not saved" in n.message
                                          for n in app._notifications), "s: the error")
        assert app.is_running and app.return_code is None


async def test_the_palette_offers_one_screenshot_the_one_that_works(
        scripted: ScriptedSource) -> None:
    # ctrl+p "screen" listed Textual's own "Screenshot" first; picked, it said
    # "Failed to save screenshot". Ours ("Save a screenshot", key s) saves in the folder.
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert [t for t in titles if "screenshot" in t.lower()] == ["Save a screenshot"]
    # One "Quit" (Textual's was listed beside ours), and no fourth panel of two.
    assert titles.count("Quit") == 1 and "Keys" not in titles  # (`?` lists the keys)
    assert not any("third" in t or "fourth" in t for t in titles), titles


async def test_the_palette_says_what_quitting_a_replay_does() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=SIZE):
        helps = [c.help for c in app.get_system_commands(app.screen)]
    assert "key q: quit (a replay: no workers, no logs open)" in helps


async def test_question_mark_lists_every_key_and_explains_the_plots(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        keys = [key for key, _ in app.screen.keys]
        for key in ("tab", "1", "2", "c", "C", "space", "n", "t", "+", "-", "]", "[", "r",
                    "p", "s", "?", "q"):
            assert key in keys
        text = app.screen.query_one("#help-text").source
        assert "steps back from the loss" in text and "forget gate" in text
        # The status line's "metric 0.08" and "solved" were named but never said.
        assert "within 0.04 of the true sum" in text and "at least 0.99" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "escape: closed")


async def test_help_opened_again_is_the_same_screen_with_the_numbers_of_now() -> None:
    replay = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(ScriptedSource(replay.configs))
    async with app.run_test(size=SIZE) as pilot:
        app.apply(replay.until(100))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        first = app.screen
        before = first.query_one("#help-teaching").source
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
        app.apply(replay.until(600))  # trained on: the live numbers moved
        # Brought up to date while hidden (every second or so), so that `?` only shows it.
        await wait_for(pilot, lambda: first.teaching == app.teaching(), "kept up to date")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is first, "?: the same help again")
        assert first.query_one("#help-teaching").source == first.teaching != before


async def test_the_help_is_never_late_about_a_restart(scripted: ScriptedSource) -> None:
    """Its numbers may be a second or two old when `?` opens it; which runs, never."""
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        help_screen = app.help_screen()
        await wait_for(pilot, lambda: isinstance(help_screen, HelpScreen)
                       and help_screen.prepared, "the help built")
        await app.keep_help_fresh()  # (just now: the next `?` would take its numbers)
        app.restart(1, RunConfig(cell="gru"))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is help_screen, "?: the help")
        assert "gru" in help_screen.query_one("#help-teaching").source


async def test_the_help_is_built_ahead_and_the_first_question_mark_shows_it(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        def built() -> bool:
            help_screen = app.get_screen("help") if app.is_screen_installed("help") else None
            return isinstance(help_screen, HelpScreen) and help_screen.prepared

        await wait_for(pilot, built, "the help composed, laid out, rendered before any `?`")
        ahead = app.get_screen("help")
        assert app.screen is not ahead  # built, not shown
        sizes = {widget: widget.size for widget in ahead.query("*")}
        assert all(size.area for size in sizes.values())
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is ahead, "?: the help built ahead")
        assert "forget gate" in ahead.query_one("#help-text", HelpText).source
        await pilot.pause()
        # Laid out ahead as it shows (its scrollbar too): nothing to lay out again.
        assert {widget: widget.size for widget in ahead.query("*")} == sizes


async def test_the_help_scrolls_with_the_keys(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        body = app.screen.query_one("#help-body")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: body.scroll_y > 0, "pagedown: the help scrolled down")
        await pilot.press("end")
        await wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y > 0, "end: its end")
        await pilot.press("home")
        await wait_for(pilot, lambda: body.scroll_y == 0, "home: back to its top")


async def test_the_footer_shows_only_keys_that_fit_whole(scripted: ScriptedSource) -> None:
    # At 80 columns the last key was cut by the palette's: "space pause" showed as "sp",
    # or as "s", the screenshot's key.
    def shown(footer: KeyFooter) -> list[str]:
        palette = footer.query_one(".-command-palette")
        keys = [c for c in footer.children if c is not palette and c.display]
        assert all(k.region.right <= palette.region.x for k in keys), "a key cut"
        return [k.key if isinstance(k, FooterKey) else tuple(x.key for x in k.query(FooterKey))
                for k in keys]

    app = RnnTuiApp(scripted)
    async with app.run_test(size=(80, 24)) as pilot:
        footer = app.query_one(KeyFooter)
        await wait_for(pilot, lambda: bool(footer.query(FooterKey)), "the footer's keys")
        await pilot.pause()
        narrow = shown(footer)
        assert "q" in narrow and "space" not in narrow
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        wide = shown(footer)
        assert len(wide) > len(narrow) and wide[:len(narrow)] == narrow


async def test_opening_and_closing_the_help_does_not_rebuild_the_footer(
        scripted: ScriptedSource, monkeypatch) -> None:
    rebuilds = []
    recompose = KeyFooter.recompose

    async def counted(footer: KeyFooter) -> None:
        rebuilds.append([str(key.description) for key in footer.query(FooterKey)])
        await recompose(footer)

    monkeypatch.setattr(KeyFooter, "recompose", counted)
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        footer = app.query_one(KeyFooter)
        await wait_for(pilot, lambda: bool(footer.query(FooterKey)), "the footer's keys")
        rebuilds.clear()
        for _ in range(2):
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
        # A key more: the footer is rebuilt, once, after anything the help asked for.
        app.bind("x", "bell", description="bell")
        app.screen.refresh_bindings()
        await wait_for(pilot, lambda: "bell" in [str(key.description)
                                                 for key in footer.query(FooterKey)],
                       "the footer rebuilt with the new key")
        assert len(rebuilds) == 1, f"the footer was rebuilt {len(rebuilds)} times"


async def test_q_quits_and_closes_the_source(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: scripted.closed, "q: the source closed")
    assert scripted.closed
    assert app.return_code == 0


async def test_ctrl_c_quits_like_q(scripted: ScriptedSource) -> None:
    # Textual's Ctrl-C only said "Do you want to quit? Press ctrl+q": the dashboard kept
    # training in front of a student whose reflex is Ctrl-C.
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: scripted.closed, "ctrl+c: the source closed")
    assert app.return_code == 0


async def test_every_key_is_in_the_command_palette(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE):
        titles = [c.help for c in app.get_system_commands(app.screen)]
        for key in ("tab", "c", "C", "space", "n", "t", "+", "-", "]", "[", "r", "p", "s",
                    "?", "q"):
            assert any(t.startswith(f"key {key}:") for t in titles), key


async def test_events_reach_the_panels(scripted: ScriptedSource) -> None:
    """A scripted live run feeds the same path a replay does: the pump worker."""
    from rnn_tui.run.events import Diverged, Step

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        for source_event in replay_of("adding-rnn", "adding-lstm").until(100):
            scripted.push(*source_event)
        scripted.push(0, Diverged(step=101, what="loss", value="nan"))
        scripted.push(1, Step(step=101, loss=0.1, metric=0.2, grad_norm=1.0, seconds=1.01))
        # The pump is a thread: wait for its message, not a clock.
        await wait_for(pilot, lambda: app.histories[1].step == 101
                       and app.histories[0].state == "diverged", "the pumped step 101")
        app.redraw()
        assert app.histories[1].last_profile is not None
        message = app.query_one("#panel-0 .message")
        assert message.display and "diverged at step 101" in str(message.render())
        assert "step 101" in status(app, 1)


async def test_replay_scrubs_and_refuses_training_keys() -> None:
    source = replay_of("adding-rnn", "adding-lstm")
    app = RnnTuiApp(source)
    async with app.run_test(size=SIZE) as pilot:
        assert app.replay_step == 600 and app.histories[0].step == 600
        await pilot.press("home")
        await wait_for(pilot, lambda: app.replay_step == 0, "home: the start")
        assert app.histories[0].step == 0
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: app.replay_step == 24, "right right: step 24")
        assert app.histories[1].step == 24
        assert "step 24 of 600" in header(app)
        await pilot.press("left")
        await wait_for(pilot, lambda: app.histories[0].step == 12, "left: step 12")
        await pilot.press("end")
        await wait_for(pilot, lambda: app.histories[1].step == 600, "end: step 600")
        # Refused keys change nothing; the `home` after them shows they were handled.
        await pilot.press("c", "t", "space", "home")
        await wait_for(pilot, lambda: app.replay_step == 0, "home after the refused keys")
        assert app.histories[0].config.cell == "rnn" and not app.paused
        # The help said "step back" for a jump of a fiftieth of the run.
        help_rows = dict(app.help_keys())
        assert "1/50 of the run" in help_rows["left"] and "1/50" in help_rows["right"]


async def test_a_replay_says_where_a_log_ends_without_its_end(tmp_path: Path) -> None:
    """A log cut before its run_ended line (its process killed with the app's) ends
    "log ends here", not "running"; a whole log ends as its run did."""
    lines = fixture_path("adding-rnn").read_text().splitlines()
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:-5]) + "\n")
    app = RnnTuiApp(ReplaySource.from_logs([cut, fixture_path("adding-lstm")]))
    async with app.run_test(size=SIZE) as pilot:
        last = app.replay.last_steps[0]
        assert last < 600 and app.replay_step == 600
        assert [h.state for h in app.histories] == ["log ends here", "finished"]
        await pilot.press("home", "right")
        await wait_for(pilot, lambda: app.replay_step == 12, "right: step 12")
        # Mid-log the log says "running", but nothing runs: the panel says "replay",
        # with no speed (it said "55/s running").
        assert [h.state for h in app.histories] == ["replay", "replay"]
        assert "/s" not in status(app, 0) and "replay" in status(app, 0)
        # The help's q: nothing to stop or join in a replay.
        assert "no workers" in dict(app.help_keys())["q"]


async def test_a_replay_of_a_run_a_key_restarted_says_so(tmp_path: Path) -> None:
    # Its last word read "restarted": as if the replay had restarted.
    lines = fixture_path("adding-rnn").read_text().splitlines()
    assert '"reason":"finished"' in lines[-1]
    ended = tmp_path / "restarted.jsonl"
    ended.write_text("\n".join(lines[:-1] + [lines[-1].replace("finished", "restarted")]) + "\n")
    app = RnnTuiApp(ReplaySource.from_logs([ended, fixture_path("adding-lstm")]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.histories[0].state == "ended by a restart"
        assert "ended by a restart" in status(app, 0)


async def test_a_resize_under_the_help_lays_the_dashboard_out_for_the_new_size() -> None:
    # 160x48, `?`, the terminal made 80x24, escape: the state plots (hidden below 34
    # rows) still showed, and the loss plot was two rows high.
    from rnn_tui.ui.views.plots import StatePlot

    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=SIZE) as pilot:
        assert all(plot.display for plot in app.query(StatePlot))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
        await wait_for(pilot, lambda: not any(plot.display for plot in app.query(StatePlot)),
                       "the state plots hidden at 24 rows")


async def test_too_small_says_so() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        note = app.query_one("#too-small")
        assert note.display and "needs at least 80x24" in str(note.render())
        assert not app.query_one("#panels").display
        # A sentence a line, each centred: wrapped at the width, they centred unevenly.
        width, height = note.content_size
        lines = [strip.text for strip in note.render_lines(Region(0, 0, width, height))
                 if strip.text.strip()]
        assert [line.strip() for line in lines] == [
            "The terminal is 70x20.", "rnn-tui needs at least 80x24.",
            "Make it bigger (q quits)."], lines
        for line in lines:  # (centred: as much room left as right, give or take a cell)
            left, right = len(line) - len(line.lstrip()), len(line) - len(line.rstrip())
            assert abs(left - right) <= 1, lines
        # Keys act unseen no more: a `v` there switched a view, found after the resize.
        await pilot.press("v", "tab")
        await pilot.resize_terminal(*SIZE)
        await wait_for(pilot, lambda: app.query_one("#panels").display, "the panels back")
        assert [panel.view for panel in app.query(ModelPanel)] == ["plots", "plots"]
        assert app.selected == 0
        await pilot.resize_terminal(70, 20)
        await pilot.press("q")  # (q still quits there)
        await wait_for(pilot, lambda: app.return_code == 0, "q: the app closed")


async def test_events_of_replaced_runs_are_skipped(scripted: ScriptedSource) -> None:
    """Two quick restarts: only the last run's events reach the panel."""
    from rnn_tui.run.events import RunFailed, RunStarted, Step

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE):
        scripted.poll()  # the scripted RunStarted answers are applied by hand below
        app.restart(0, RunConfig(cell="relu"))
        app.restart(0, RunConfig(cell="gru"))
        for cell in ("relu", "gru"):
            start = RunStarted(config=RunConfig(cell=cell).to_dict(), seed=0, baseline_loss=0.2)
            app.apply([(0, Step(7, 1.0, 0.0, 1.0, 0.1)), (0, start)])
        assert app.histories[0].config.cell == "gru" and app.histories[0].step == 0
        app.apply([(0, Step(1, 1.0, 0.0, 1.0, 0.1))])
        assert app.histories[0].step == 1
        app.restart(1, RunConfig(cell="irnn"))
        app.apply([(1, RunFailed(step=0, message="ValueError: no"))])
        assert app.histories[1].state == "failed"


async def test_the_kept_help_follows_a_theme_change(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        first = app.screen
        assert all(text.dark for text in first.query(HelpText))
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "q: closed")
        app.theme = "textual-light"
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is first, "?: the same help again")
        assert not any(text.dark for text in first.query(HelpText)), "dark colours on light"
        body = first.query_one("#help-body").styles.background
        assert body == Color.parse(app.theme_variables["surface"]), "the old theme's box"


async def test_the_keys_follow_a_theme_changed_while_the_help_is_open(
        scripted: ScriptedSource) -> None:
    # The border took the new accent, the keys kept the old one until the help was shown
    # again (review).
    from rnn_tui.ui.screens.help import KeyTable

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        table = app.screen.query_one(KeyTable)

        def key_colour() -> Color:
            segment = next(s for s in table.render_line(0) if s.text.strip())
            return Color.from_rich_color(segment.style.color)

        assert key_colour() == Color.parse(app.theme_variables["accent"])
        app.theme = "catppuccin-latte"
        await wait_for(pilot, lambda: key_colour() == Color.parse(
            app.theme_variables["accent"]), "the keys in the new theme's accent")


async def test_the_help_shown_again_is_restyled_only_when_a_style_could_have_moved(
        scripted: ScriptedSource) -> None:
    """A restyle throws away every rendered line of the help: done again only after a
    new theme or a change of the app's classes (a small terminal's -compact)."""
    app = RnnTuiApp(scripted)
    restyled: list[object] = []
    update_styles = app.update_styles

    def counted(node, animate: bool = True) -> None:
        if isinstance(node, HelpScreen):
            restyled.append(node)
        update_styles(node, animate)

    app.update_styles = counted  # type: ignore[method-assign]

    async def show_help() -> None:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "q: closed")

    async with app.run_test(size=SIZE) as pilot:
        await show_help()
        shown_once = len(restyled)
        await show_help()
        await show_help()
        assert len(restyled) == shown_once, "restyled with nothing changed"
        app.theme = "textual-light"
        await show_help()
        assert len(restyled) > shown_once, "a new theme: restyled"
        before = len(restyled)
        await pilot.resize_terminal(120, 28)  # -compact on the app
        await pilot.pause()
        await show_help()
        assert len(restyled) > before, "the app's classes moved: restyled"


async def test_the_help_built_ahead_as_the_app_closes_is_no_crash() -> None:
    """The help is built on a timer a second after start, which can fire while the app is
    taken down: no screen is left then to ask for its keys."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert not app.screen_stack
    assert any(key == "v" for key, _ in app.help_keys())
    await app.build_help()
    assert not app.is_screen_installed("help")


async def test_a_training_key_in_a_replay_says_why_it_does_nothing() -> None:
    # space, c, +, t, r, p, ], n did nothing at all in a replay, without a word.
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: any("a replay of run logs" in n.message
                                          for n in app._notifications), "c: the note")
        assert app.histories[0].config is not None and app.histories[0].config.cell == "rnn"


async def test_the_laws_table_and_plot_are_drawn_from_one_profile() -> None:
    # Drawn a tick apart during training, the table said ×72 at 99 steps back while the
    # plot, a profile older, showed ×7.
    import time

    from rnn_tui.ui.views.law import LawPlot, LawTable

    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one("#panel-0", ModelPanel)
        await pilot.press("v", "v")
        await wait_for(pilot, lambda: panel.view == "why", "v v: the law")
        table, plot = panel.query_one(LawTable), panel.query_one(LawPlot)
        panel.history.profile_version += 1  # a new profile came
        for first, second in ((table, plot), (plot, table)):
            panel.draw_figure(first, app.palette, time.monotonic())
            assert second.shown_key == first.shown_key == first.data_key(panel.history)
            panel.history.profile_version += 1
