"""Every key of the dashboard, driven through the pilot: the state it changes and what
the screen then shows. The source is scripted (no processes), so each test is quick."""

from __future__ import annotations

from pathlib import Path

from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.screens.presets import PresetScreen
from rnn_tui.ui.widgets.header import RunHeader
from rnn_tui.ui.widgets.panel import ModelPanel, PanelStatus

SIZE = (160, 48)


def header(app: RnnTuiApp) -> str:
    return str(app.query_one(RunHeader).render())


def status(app: RnnTuiApp, slot: int) -> str:
    return str(app.query_one(f"#panel-{slot} PanelStatus", PanelStatus).render())


async def test_tab_and_digits_select_a_panel(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        panels = app.query(ModelPanel)
        assert app.selected == 0 and panels[0].has_class("-selected")
        await pilot.press("tab")
        assert app.selected == 1
        assert panels[1].has_class("-selected") and not panels[0].has_class("-selected")
        await pilot.press("tab")
        assert app.selected == 0
        await pilot.press("2")
        assert app.selected == 1
        await pilot.press("1")
        assert app.selected == 0 and panels[0].has_class("-selected")


async def test_c_and_shift_c_cycle_the_selected_panels_cell(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "c")
        slot, config = scripted.restarts()[-1]
        assert (slot, config.cell, config.seed) == (1, "gru", 0)  # lstm -> gru, same seed
        assert app.query_one("#panel-1", ModelPanel).border_title == "2 · gru"
        await pilot.press("C", "C")
        assert [c.cell for _, c in scripted.restarts()] == ["gru", "lstm", "irnn"]
        assert app.query_one("#panel-1", ModelPanel).border_title == "2 · irnn"
        assert scripted.configs[0].cell == "rnn"  # the other panel keeps going


async def test_space_pauses_and_resumes_both(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert app.paused and ("pause",) in scripted.calls
        assert "paused" in header(app)
        await pilot.press("space")
        assert not app.paused and scripted.calls[-1] == ("resume",)
        assert "paused" not in header(app)


async def test_n_steps_only_while_paused(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert ("step",) not in scripted.calls
        assert any("space" in n.message for n in app._notifications)
        await pilot.press("space", "n", "n")
        assert scripted.calls.count(("step",)) == 2


async def test_t_switches_task_and_restarts_both(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert [(s, c.task) for s, c in scripted.restarts()] == [(0, "copy"), (1, "copy")]
        assert "copy T=100" in header(app)
        await pilot.press("t")
        assert scripted.configs[0].task == "adding"


async def test_plus_minus_change_the_sequence_length(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert [c.seq_len for c in scripted.configs] == [200, 200]
        assert "T=200" in header(app)
        await pilot.press("minus", "minus")
        assert [c.seq_len for c in scripted.configs] == [50, 50]
        assert len(scripted.restarts()) == 6


async def test_plus_that_would_not_fit_leaves_the_runs_alone(scripted: ScriptedSource,
                                                             monkeypatch) -> None:
    from rnn_tui.run import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 30 * 2**20)  # 30 MiB free
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert scripted.restarts() == [] and scripted.configs[0].seq_len == 100
        assert any("not started: needs about" in n.message and "30 MiB available" in n.message
                   for n in app._notifications)
        app.load_preset("copy-200")                      # what the preset picker calls
        await pilot.pause()
        assert scripted.restarts() == [] and scripted.configs[0].task == "adding"
        assert sum("not started" in n.message for n in app._notifications) == 2


async def test_brackets_change_the_selected_panels_learning_rate(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert scripted.restarts() == [(0, RunConfig(cell="rnn", lr=0.03))]
        assert "lr=0.03" in status(app, 0)
        await pilot.press("tab", "left_square_bracket")
        assert scripted.restarts()[-1] == (1, RunConfig(cell="lstm", lr=0.003))
        assert "lr=0.003" in status(app, 1)
        assert scripted.configs[0].lr == 0.03


async def test_r_restarts_both_with_a_new_seed(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert [(s, c.seed) for s, c in scripted.restarts()] == [(0, 1), (1, 1)]


async def test_p_picks_a_preset(scripted: ScriptedSource) -> None:
    from rnn_tui.run.presets import list_presets, load_preset

    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, PresetScreen)
        names = list_presets()
        target = names.index("relu-exploding")
        await pilot.press(*["down"] * target, "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PresetScreen)
        assert [c for _, c in scripted.restarts()] == load_preset("relu-exploding")
        assert app.query_one("#panel-0", ModelPanel).border_title == "1 · relu"
        await pilot.press("p", "escape")
        assert len(scripted.restarts()) == 2  # cancelled: nothing restarted


async def test_s_saves_an_svg_screenshot_and_says_where(
        scripted: ScriptedSource, tmp_path: Path) -> None:
    app = RnnTuiApp(scripted, screenshot_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        shots = list(tmp_path.glob("rnn-tui-*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
        assert any(str(shots[0]) in n.message for n in app._notifications)


async def test_question_mark_lists_every_key_and_explains_the_plots(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [key for key, _ in app.screen.keys]
        for key in ("tab", "1", "2", "c", "C", "space", "n", "t", "+", "-", "]", "[", "r",
                    "p", "s", "?", "q"):
            assert key in keys
        text = app.screen.query_one("#help-text").source
        assert "steps back from the loss" in text and "forget gate" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits_and_closes_the_source(scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert scripted.closed
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
        assert app.replay_step == 0 and app.histories[0].step == 0
        await pilot.press("right", "right")
        assert app.replay_step == 24 and app.histories[1].step == 24
        assert "step 24 of 600" in header(app)
        await pilot.press("left")
        assert app.histories[0].step == 12
        await pilot.press("end")
        assert app.histories[1].step == 600
        await pilot.press("c", "t", "space")
        assert app.histories[0].config.cell == "rnn" and not app.paused


async def test_too_small_says_so() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        note = app.query_one("#too-small")
        assert note.display and "needs at least 80x24" in str(note.render())
        assert not app.query_one("#panels").display


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
