"""The real app with real worker processes: plots receive data, quitting leaves no child."""

from __future__ import annotations

import multiprocessing
import os
import time

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.sources import LiveSource
from rnn_tui.ui.views.plots import GradientPlot, LossPlot


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_live_training_draws_and_quits_cleanly(tmp_path) -> None:
    small = RunConfig(task="adding", seq_len=20, hidden_size=16, batch_size=16)
    source = LiveSource([small.with_(cell="rnn"), small.with_(cell="lstm")], tmp_path)
    app = RnnTuiApp(source)
    async with app.run_test(size=(160, 48)) as pilot:
        deadline = time.monotonic() + 60   # two processes spawn, import and train
        while not all(h.step >= 20 and h.last_profile is not None for h in app.histories):
            assert time.monotonic() < deadline, (
                f"20 steps with a profile did not come in 60 s: {[h.step for h in app.histories]}")
            await pilot.pause(0.05)
        app.redraw(force=True)
        pids = source.session.pids
        assert len(pids) == 2
        if hasattr(os, "getpriority"):  # workers yield the CPU to the screen
            assert all(os.getpriority(os.PRIO_PROCESS, pid) >= os.getpriority(
                os.PRIO_PROCESS, 0) + 5 for pid in pids)
        for slot in (0, 1):
            history = app.histories[slot]
            assert history.step >= 20 and len(history.losses) >= 20
            assert len(history.last_profile.dh_norms) == 20
            panel = app.query_one(f"#panel-{slot}")
            assert panel.query_one(LossPlot).log_axis is not None  # the plots drew data
            assert panel.query_one(GradientPlot).log_axis is not None
        await pilot.press("q")
        await pilot.pause()
    assert not any(alive(pid) for pid in pids)
    assert multiprocessing.active_children() == []
    logs = sorted(tmp_path.glob("*.jsonl"))
    assert len(logs) == 2
    assert all('"run_ended"' in log.read_text().splitlines()[-1] for log in logs)
