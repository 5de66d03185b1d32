"""A run whose log was lost (a full disk, an unwritable folder) says so in its panel for
as long as it lasts, not only in a notification that fades; a later divergence still
shows. The source is scripted: the events are the ones a worker sends."""

from __future__ import annotations

from ui_support import ScriptedSource, wait_for

from rnn_tui.run.events import Diverged, LogStopped, RunStarted, Step
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.widgets.panel import PanelMessage

SIZE = (160, 48)
LOST = "run log runs/lstm.jsonl not written (No space left on device): this run carries on unlogged"


def message(app: RnnTuiApp, slot: int) -> PanelMessage:
    return app.query_one(f"#panel-{slot} PanelMessage", PanelMessage)


def shown(app: RnnTuiApp, slot: int) -> str:
    widget = message(app, slot)
    return str(widget.render()) if widget.display else ""


def start(source: ScriptedSource, slot: int) -> None:
    config = source.configs[slot]
    source.push(slot, RunStarted(config=config.to_dict(), seed=config.seed,
                                 baseline_loss=1 / 6))


def steps(source: ScriptedSource, slot: int, first: int, last: int) -> None:
    for step in range(first, last + 1):
        source.push(slot, Step(step=step, loss=0.1, metric=0.5, grad_norm=1.0,
                               seconds=step / 100))


async def test_a_lost_log_stays_in_its_panel_and_a_divergence_shows_beside_it(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted)
    async with app.run_test(size=SIZE) as pilot:
        for slot in (0, 1):
            start(scripted, slot)
            steps(scripted, slot, 1, 10)
        scripted.push(1, LogStopped(step=10, message=LOST))
        steps(scripted, 1, 11, 200)           # training goes on, unlogged
        await wait_for(pilot, lambda: app.histories[1].step == 200, "200 steps of the lstm")
        await wait_for(pilot, lambda: shown(app, 1) == LOST, "the lost log in panel 2")
        assert shown(app, 0) == ""            # the other run's log is fine
        assert "$warning" in str(message(app, 1).render().spans)  # a warning, not an error

        scripted.push(1, Diverged(step=201, what="loss", value="nan"))
        await wait_for(pilot, lambda: "diverged" in shown(app, 1), "the divergence shown")
        assert shown(app, 1).splitlines() == [
            "diverged at step 201: loss is nan, not applied", LOST]

        start(scripted, 1)                    # a restart logs afresh: the warning goes
        await wait_for(pilot, lambda: app.histories[1].step == 0, "the restart")
        await wait_for(pilot, lambda: shown(app, 1) == "", "the message line cleared")
