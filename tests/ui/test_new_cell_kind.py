"""A cell kind registered in the engine is in the list the dashboard's `c` key cycles."""

from __future__ import annotations

from ui_support import ScriptedSource, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp


async def test_c_cycles_through_a_registered_cell(toy_cell: str) -> None:
    source = ScriptedSource([RunConfig(cell="gru"), RunConfig(cell="lstm")])
    app = RnnTuiApp(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")                              # gru -> the new kind
        await pilot.press("c")                              # ... -> back to the first
        await wait_for(pilot, lambda: len(source.restarts()) == 2, "c c: two restarts")
        assert [c.cell for _, c in source.restarts()] == [toy_cell, "rnn"]
